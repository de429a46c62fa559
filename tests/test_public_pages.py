"""The public pages, read as a visitor reads them.

Each test builds the records it is about (tests/factories.py), fetches a page and checks what a
person sees: the status, the language and direction of the document, the links to the other
language, and the facts on the page. The last section reads the pages of the real seed data.
"""

import datetime
import re
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client, RequestFactory
from django.utils import translation

from conferences.models import Conference, SourceReport, Topic
from core.dates import format_partial_date
from organizations.models import Organization
from participants.models import Person
from tests import factories as make
from tests.helpers import LANGUAGES, get, head_links, links, page, page_text, parse, record_page, text, url

pytestmark = pytest.mark.django_db


def other_language(language):
    return "en" if language == "ar" else "ar"


def fetch(client, name, language, query="", status=200, **kwargs):
    """The parsed page of a URL name, with a query string."""
    return parse(get(client, url(name, language, **kwargs) + query, status))


def h1(document):
    return [text(heading) for heading in document.xpath("//h1")]


def section(document, heading_id):
    """The <section> of a page that its heading's id labels."""
    found = document.xpath(f'//section[@aria-labelledby="{heading_id}"]')
    assert len(found) == 1, heading_id
    return found[0]


def cards(element, language="en"):
    """The conferences a list shows as cards, by slug, in their order."""
    prefix = f"/{language}/conferences/"
    return [
        href.removeprefix(prefix).strip("/")
        for href in element.xpath('.//article[@class="card"]//a/@href')
        if href.startswith(prefix)
    ]


def language_switches(document):
    return document.xpath('//a[contains(concat(" ", normalize-space(@class), " "), " language-switch ")]')


# --- The records ------------------------------------------------------------------------------


def world():
    """Something of every kind of page, each with several rows, so that an N+1 query would show.

    full_conference() (Tripoli, 21–22 December 2024, edition 2 of its series), with the editions
    before and after it, a second person and organization, and citations of every kind of fact.
    """
    summit = make.full_conference("chiefs-2024")
    libya, agency = summit.host_country, Organization.objects.get(slug="military-intelligence")
    chief, report = Person.objects.get(slug="mahmoud-hamza"), SourceReport.objects.get(slug="report-ar")
    earlier = make.conference(
        "chiefs-2023", start=make.day("2023-11-14"), end=make.day("2023-11-15"), host_country=libya,
        series=summit.series, edition=1, summary_ar="اجتمع القادة أول مرة.", summary_en="The chiefs first met.",
    )
    earlier.topics.add(Topic.objects.get(slug="terrorism"))
    following = make.conference(
        "chiefs-next", status="planned", host_country=libya, series=summit.series, edition=3,
        summary_ar="أُعلن عن الدورة الثالثة.", summary_en="A third edition was announced.",
    )
    for conference in (earlier, following):
        make.conference_organization(conference, agency)
    make.attendance(earlier, chief, role="chair", organization=agency)
    unit = make.organization("military-intelligence-east", name_ar="فرع الاستخبارات الشرقي",
                             name_en="Eastern Intelligence Branch", country=libya, parent=agency,
                             kind="intelligence-service")
    make.organization_alias(agency, "الاستخبارات العسكرية", language="ar", script="Arab")
    make.organization_alias(agency, "Military Intelligence")
    make.person_alias(chief, "Mahmoud Hamzah")
    make.person_alias(chief, "محمود حمزه", language="ar", script="Arab")
    deputy = make.person("salem-ali", name_ar="سالم علي", name_en="Salem Ali", country=libya)
    post = make.position(deputy, unit, key="head", title_ar="رئيس الفرع", title_en="Head of the branch")
    make.position(deputy, agency, key="deputy", title_ar="نائب المدير", title_en="Deputy Director")
    make.position(chief, unit, key="founder", title_ar="مؤسس الفرع", title_en="Founder of the branch",
                  start_date=make.day("2019-01-01"), start_precision="year")
    make.citation(report, position=post, excerpt_ar="رئيس الفرع سالم علي", excerpt_en="the branch head Salem Ali")
    attended = make.attendance(summit, deputy, role="delegation-head", organization=unit)
    make.citation(report, attendance=attended, excerpt_ar="وترأس الوفد سالم علي",
                  excerpt_en="Salem Ali led the delegation")
    partner = make.conference_organization(summit, unit, role="partner")
    make.citation(report, conference_organization=partner, excerpt_ar="بمشاركة الفرع الشرقي",
                  excerpt_en="with the eastern branch")
    Organization.objects.filter(pk=agency.pk).update(founding_year=2011)
    make.citation(report, organization=agency, excerpt_ar="أُسست سنة 2011", excerpt_en="founded in 2011")
    return summit


def calendar():
    """Five conferences, spread as the portal's own are: three held in Libya (one of them the
    full_conference), one held in Morocco, and one planned in Libya with no date yet; Egypt took
    part in one and stayed away from another. Newest first, they are NEWEST_FIRST."""
    make.full_conference("chiefs-2024")  # Tripoli, 21–22 December 2024; terrorism; Egypt absent
    libya, morocco, egypt = make.named_country("LY"), make.named_country("MA"), make.named_country("EG")
    committee = make.organization("intelligence-committee", name_ar="لجنة أجهزة الاستخبارات والأمن",
                                  name_en="Committee of Intelligence and Security Services", acronym="CISS")
    crime = make.topic("organized-crime", "الجريمة المنظمة", "Organized crime")
    benghazi = {"city_ar": "بنغازي", "city_en": "Benghazi", "host_country": libya}
    staff = make.conference("staff-chiefs-2026", start=make.day("2026-02-10"), end=make.day("2026-02-12"),
                            **benghazi)
    staff.topics.add(crime)
    make.participation(staff, egypt)
    forum = make.conference("committee-2025", start=make.day("2025-08-25"), end=make.day("2025-08-26"),
                            name_ar="المؤتمر العشرون للجنة أجهزة الاستخبارات والأمن",
                            name_en="20th Conference of the Committee", **benghazi)
    forum.topics.add(crime, Topic.objects.get(slug="terrorism"))
    make.conference_organization(forum, committee)
    make.conference("platform-2025", start=make.day("2025-06-17"), host_country=morocco,
                    city_ar="أكادير", city_en="Agadir")
    planned = make.conference("committee-next", status="planned", host_country=libya)
    make.conference_organization(planned, committee)


NEWEST_FIRST = ["staff-chiefs-2026", "committee-2025", "platform-2025", "chiefs-2024", "committee-next"]


# Every public page: its URL name and arguments, and the most SQL queries it may run on world().
# A page that grew an N+1 query would exceed them, since its rows would each cost a query of their own.
PAGES = [
    ("pages:home", {}, 7),
    ("conferences:list", {}, 7),
    ("conferences:detail", {"slug": "chiefs-2024"}, 8),  # every kind of row, citations, a dispute
    ("conferences:detail", {"slug": "chiefs-next"}, 8),  # planned, undated, no rows
    ("topics:list", {}, 3),
    ("topics:detail", {"slug": "terrorism"}, 4),
    ("sources:list", {}, 3),
    ("sources:detail", {"slug": "report-ar"}, 3),  # cites every kind of fact
    ("countries:list", {}, 2),
    ("countries:detail", {"code": "ly"}, 7),  # hosts, with people and organizations
    ("countries:detail", {"code": "eg"}, 7),  # reported absent only
    ("people:list", {}, 3),
    ("people:detail", {"slug": "mahmoud-hamza"}, 7),
    ("people:detail", {"slug": "salem-ali"}, 7),
    ("organizations:list", {}, 3),
    ("organizations:detail", {"slug": "military-intelligence"}, 8),
    ("organizations:detail", {"slug": "military-intelligence-east"}, 8),  # a unit, with its parent
]


def page_id(entry):
    name, kwargs, _queries = entry
    return "-".join([name, *kwargs.values()])


# --- Every page: language, direction, alternates, the language switch; methods; queries --------


@pytest.fixture(scope="class")
def every_page(django_db_setup, django_db_blocker):
    """world(), built once for the tests of TestEveryPage, which only read it, and removed after them.

    Each test still runs in a transaction that is rolled back; the records are written before it, as
    the seeds fixture writes the seed data, and flush empties the tables once the class is done.
    """
    with django_db_blocker.unblock():
        world()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.usefixtures("every_page")
class TestEveryPage:
    """Every public page, on world(): its language, the methods it answers, its queries."""

    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("entry", PAGES, ids=page_id)
    def test_page_is_in_its_language_with_links_to_the_other(self, client, entry, language):
        name, kwargs, _queries = entry
        document = page(client, name, language, **kwargs)
        other = other_language(language)

        assert document.get("lang") == language
        assert document.get("dir") == ("rtl" if language == "ar" else "ltr")

        absolute = {code: "http://testserver" + url(name, code, **kwargs) for code in LANGUAGES}
        assert [link.get("href") for link in head_links(document, "canonical")] == [absolute[language]]
        alternates = {link.get("hreflang"): link.get("href") for link in head_links(document, "alternate")
                      if link.get("hreflang")}
        # x-default: the address without a language, which sends each reader to theirs.
        x_default = absolute["ar"].replace("/ar/", "/", 1)
        assert alternates == {"ar": absolute["ar"], "en": absolute["en"], "x-default": x_default}

        switches = language_switches(document)
        assert len(switches) == 1
        assert switches[0].get("href") == absolute[other]
        assert switches[0].get("hreflang") == other
        assert switches[0].get("lang") == other

    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("entry", PAGES, ids=page_id)
    def test_every_time_element_carries_its_date(self, client, entry, language):
        """A date not stated is plain text: <time> only holds a date a machine can read."""
        name, kwargs, _queries = entry
        document = page(client, name, language, **kwargs)
        assert [text(element) for element in document.xpath("//time[not(@datetime) or @datetime='']")] == []

    # --- Methods ---

    @pytest.mark.parametrize("entry", PAGES, ids=page_id)
    def test_post_answers_405_on_every_page(self, entry):
        # A client that enforces CSRF like a browser: the answer is still 405, not 403.
        client = Client(enforce_csrf_checks=True)
        name, kwargs, _queries = entry
        assert client.post(url(name, "en", **kwargs), {"any": "thing"}).status_code == 405

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
    @pytest.mark.parametrize("entry", PAGES[::3], ids=page_id)
    def test_public_pages_are_read_only(self, entry, method):
        # A client that enforces CSRF like a browser: the answer is still 405, not 403.
        client = Client(enforce_csrf_checks=True)
        name, kwargs, _queries = entry
        response = getattr(client, method)(url(name, "ar", **kwargs))
        assert response.status_code == 405
        assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]

    @pytest.mark.parametrize("entry", PAGES, ids=page_id)
    def test_head_is_allowed(self, client, entry):
        name, kwargs, _queries = entry
        assert client.head(url(name, "en", **kwargs)).status_code == 200

    # --- Query counts ---

    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("entry", PAGES, ids=page_id)
    def test_query_count_is_pinned(self, client, django_assert_max_num_queries, entry, language):
        """Guards against N+1 queries: each page runs a fixed number of queries, whatever the data."""
        name, kwargs, queries = entry
        address = url(name, language, **kwargs)
        # A first request warms the site-wide caches (such as the time of the last change
        # that the HTTP caching middleware reads), so what is counted is the page's own work.
        client.get(address)
        with django_assert_max_num_queries(queries):
            response = client.get(address)
        assert response.status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_landmarks_skip_link_and_footer(client, language):
    document = page(client, "pages:home", language)
    for landmark in ("//header", "//nav", '//main[@id="main"]', "//footer"):
        assert document.xpath(landmark), landmark
    assert "#main" in links(document)
    words = page_text(document)
    if language == "ar":
        assert "تخطَّ إلى المحتوى الرئيسي" in words
        assert "CC BY 4.0" in words
        assert "كل سجل مأخوذ من التقارير المذكورة في صفحته" in words
    else:
        assert "Skip to main content" in words
        assert "Creative Commons Attribution 4.0 International licence (CC BY 4.0)" in words
        assert "Every record comes from the reports cited on its page" in words


def test_the_arabic_font_is_self_hosted_with_its_licence(client):
    document = page(client, "pages:home", "ar")
    preloads = [link.get("href") for link in head_links(document, "preload")]
    assert preloads == ["/static/fonts/noto-naskh-arabic-arabic-400-normal.woff2"]
    from django.contrib.staticfiles import finders

    stylesheet = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert "font-display: swap" in stylesheet
    assert "https://" not in stylesheet  # no third-party CDN
    for name in (
        "fonts/noto-naskh-arabic-arabic-400-normal.woff2",
        "fonts/noto-naskh-arabic-arabic-700-normal.woff2",
        "fonts/OFL-NotoNaskhArabic.txt",
    ):
        assert finders.find(name), name
    # One stylesheet for both directions: no physical left/right in it.
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)|float:", stylesheet)


# --- Home -------------------------------------------------------------------------------------


def test_home_lists_conferences_newest_first_and_the_ways_in(client):
    calendar()
    document = page(client, "pages:home", "en")
    assert h1(document) == ["Security and intelligence conferences in Africa"]
    # The latest come first, the undated last; the timeline below links them again.
    assert cards(section(document, "latest-heading")) == NEWEST_FIRST
    hrefs = links(document)
    assert "/en/conferences/?country=ly" in hrefs
    assert "/en/conferences/?organization=intelligence-committee" in hrefs
    assert "/en/topics/terrorism/" in hrefs
    assert "/en/conferences/?year=2025" in hrefs
    ways_in = [text(heading) for heading in section(document, "ways-heading").xpath(".//h3")]
    assert ways_in == ["By host country", "By organization", "By topic", "By year"]


def test_home_in_arabic(client):
    calendar()
    document = page(client, "pages:home", "ar")
    assert h1(document) == ["مؤتمرات الأمن والاستخبارات في أفريقيا"]
    words = page_text(document)
    assert "لجنة أجهزة الاستخبارات والأمن" in words  # a way in, by organization
    assert "25–26 أغسطس 2025" in words
    assert "التاريخ غير مذكور في المصدر" in words  # the planned conference has no date yet


# --- Conference pages ---------------------------------------------------------------------------


def test_a_conference_in_english(client):
    summit = world()
    document = record_page(client, summit, "en")
    assert h1(document)[0].startswith("First Conference of Military Intelligence Chiefs")
    words = page_text(document)
    for fact in ("21–22 December 2024", "Tripoli", "Libya", "held", "Edition 2 of", "organizer"):
        assert fact in words, fact
    assert "Common security" in words  # the theme
    hrefs = links(document)
    assert "/en/conferences/chiefs-2023/" in hrefs  # the series' other editions
    assert "/en/conferences/chiefs-next/" in hrefs
    assert "/en/countries/ly/" in hrefs
    assert "/en/organizations/military-intelligence/" in hrefs
    assert "/en/people/mahmoud-hamza/" in hrefs
    assert "/en/topics/terrorism/" in hrefs


def test_a_conference_in_arabic(client):
    summit = world()
    words = page_text(record_page(client, summit, "ar"))
    for fact in ("21–22 ديسمبر 2024", "طرابلس", "ليبيا", "عُقد", "الدورة 2 من", "منظِّم", "الأمن المشترك"):
        assert fact in words, fact


def country_group(document, heading):
    """The words of one group of the countries section: what follows its <h3>, up to the next."""
    headings = section(document, "countries-heading").xpath(".//h3")
    start = next(h3 for h3 in headings if text(h3) == heading)
    parts = []
    for sibling in start.itersiblings():
        if sibling.tag == "h3":
            break
        parts.append(text(sibling))
    return " ".join(parts)


def test_a_conference_lists_egypt_as_absent_with_the_opinion_attributed(client):
    document = record_page(client, make.full_conference(), "en")
    assert "21–22 December 2024" in page_text(document)
    absent = country_group(document, "Reported absent")
    assert absent.startswith("Egypt")
    assert "Tunisia" not in absent
    # The observers' view is shown as theirs, never as plain fact.
    assert "According to observers" in absent


def test_a_conference_lists_egypt_as_absent_in_arabic(client):
    document = record_page(client, make.full_conference(), "ar")
    assert "21–22 ديسمبر 2024" in page_text(document)
    absent = country_group(document, "دول أفادت التقارير بغيابها")
    assert absent.startswith("مصر")
    assert "بحسب مراقبون" in absent


@pytest.mark.parametrize(
    ("language", "dates", "status"),
    [("en", "10–12 February 2026", "held"), ("ar", "10–12 فبراير 2026", "عُقد")],
)
def test_a_conference_of_three_days_was_held(client, language, dates, status):
    conference = make.conference(start=make.day("2026-02-10"), end=make.day("2026-02-12"))
    document = record_page(client, conference, language)
    assert text(document.xpath('//dl[@class="facts"]//time')[0]) == dates
    assert text(document.xpath('//dl[@class="facts"]//span[contains(@class, "status")]')[0]) == status


@pytest.mark.parametrize(
    ("language", "date", "city"), [("en", "17 June 2025", "Agadir"), ("ar", "17 يونيو 2025", "أكادير")]
)
def test_a_conference_known_by_its_first_day(client, language, date, city):
    conference = make.conference(start=make.day("2025-06-17"), host_country=make.named_country("MA"),
                                 city_ar="أكادير", city_en="Agadir")
    words = page_text(record_page(client, conference, language))
    assert date in words
    assert city in words


def test_a_disputed_attendance_shows_both_versions(client):
    conference = make.conference(start=make.day("2025-06-17"))
    minister = make.person(name_ar="عبد الله كريم", name_en="Abdallah Karim")
    opened = make.attendance(conference, minister, role="opening-speaker")
    make.citation(make.source(), attendance=opened, excerpt_ar="افتتح عبد الله كريم الاجتماع",
                  excerpt_en="Abdallah Karim opened the meeting")
    other = make.source(language="en", outlet_ar="غلوبال ميديا", outlet_en="Global Media News")
    make.citation(other, attendance=opened, stance="contradicts", quote_language="en",
                  excerpt_ar="ترأس الجلسة ياسين منصور", excerpt_en="the session was chaired by Yassine Mansour",
                  claim_ar="ترأس الجلسة ياسين منصور", claim_en="the session was chaired by Yassine Mansour")
    people = text(section(record_page(client, conference, "en"), "people-heading"))
    assert "Disputed:" in people
    assert "the session was chaired by Yassine Mansour" in people
    assert "Disputed: according to Global Media News, the session was chaired by Yassine Mansour" in people


@pytest.mark.parametrize(
    ("language", "not_stated", "planned"),
    [("en", "date not stated in the source", "planned"), ("ar", "التاريخ غير مذكور في المصدر", "مُزمع")],
)
def test_an_undated_conference_says_so(client, language, not_stated, planned):
    conference = make.conference(status="planned", host_country=make.named_country("LY"))
    words = page_text(record_page(client, conference, language))
    assert not_stated in words
    assert planned in words


@pytest.mark.parametrize("language", LANGUAGES)
def test_references_are_numbered_links_to_the_list_at_the_end(client, language):
    summit = make.full_conference()
    document = record_page(client, summit, language)
    refs = [href for href in links(document) if href.startswith("#ref-")]
    assert refs, "the page cites its sources"
    numbers = sorted({int(href.removeprefix("#ref-")) for href in refs})
    assert numbers == list(range(1, len(numbers) + 1))
    ids = set(document.xpath("//@id"))
    for number in numbers:
        assert f"ref-{number}" in ids  # the list entry exists
        assert f"cite-{number}" in ids  # and links back to the text
    references = section(document, "references-heading")
    assert references.xpath("preceding::sup")  # at the end, after the text that cites
    assert not references.xpath("following::sup")
    words = text(references)
    # The dates, from an Arabic report: its own words, then (on English pages) our translation.
    citation = summit.citations.get(fact="conference-dates", stance="supports")
    assert citation.excerpt_ar in words
    with translation.override(language):
        assert citation.source.outlet in words
    if language == "en":
        assert citation.excerpt_en in words  # the translation, on English pages
    else:
        assert citation.excerpt_en not in words
    assert f"/{language}/sources/{citation.source.slug}/" in links(references)


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_pages_show_when_they_were_last_updated(client, language):
    conference = make.full_conference()
    conference.refresh_from_db()
    words = page_text(record_page(client, conference, language))
    with translation.override(language):
        expected = format_partial_date(conference.updated_at, "day")
    label = "Last updated:" if language == "en" else "آخر تحديث:"
    assert f"{label} {expected}" in words


def test_updated_at_uses_the_record_timestamp(client):
    conference = make.conference(status="planned")
    Conference.objects.filter(pk=conference.pk).update(
        updated_at=datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    )
    assert "Last updated: 4 March 2026" in page_text(record_page(client, conference, "en"))
    assert "آخر تحديث: 4 مارس 2026" in page_text(record_page(client, conference, "ar"))


# --- The conference list and its filters ----------------------------------------------------------


def listed(client, query, language="en"):
    return cards(fetch(client, "conferences:list", language, query=query), language)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", NEWEST_FIRST),
        ("?country=ma", ["platform-2025"]),
        ("?year=2025", ["committee-2025", "platform-2025"]),
        ("?organization=intelligence-committee", ["committee-2025", "committee-next"]),
        ("?topic=organized-crime", ["staff-chiefs-2026", "committee-2025"]),
        ("?status=announced", []),
        ("?status=planned", ["committee-next"]),
        # Combined.
        ("?country=ly&year=2025", ["committee-2025"]),
        ("?topic=organized-crime&status=held", ["staff-chiefs-2026", "committee-2025"]),
        ("?country=ly&year=2024&topic=terrorism&status=held", ["chiefs-2024"]),
        ("?country=ma&year=2024", []),
    ],
)
def test_conference_list_filters(client, query, expected):
    calendar()
    assert listed(client, query) == expected


def test_the_filters_show_in_the_form_and_survive_the_language_switch(client):
    calendar()
    document = fetch(client, "conferences:list", "en", query="?country=ly&year=2025")
    (switch,) = language_switches(document)
    parts = urlsplit(switch.get("href"))
    assert parts.path == "/ar/conferences/"
    assert parse_qs(parts.query) == {"country": ["ly"], "year": ["2025"]}
    assert document.xpath('//select[@name="country"]/option[@selected]/@value') == ["ly"]
    assert document.xpath('//select[@name="year"]/option[@selected]/@value') == ["2025"]
    assert "Clear the filters" in page_text(document)


def test_an_unknown_filter_value_is_reported_not_ignored_silently(client):
    calendar()
    document = fetch(client, "conferences:list", "en", query="?country=zz")
    assert "Select a valid choice" in page_text(document)


def test_a_filter_with_many_choices_is_a_text_box_suggesting_the_most_used(client, monkeypatch):
    """Past forms.MENU_LIMIT choices a filter is no menu of every name but a text box with the most
    used as suggestions; its address stays ?organization=<slug>, and a typed name works too."""
    from public import forms

    monkeypatch.setattr(forms, "MENU_LIMIT", 1)
    calendar()  # the committee organized two conferences
    seldom = make.organization("seldom-seen", name_ar="هيئة نادرة", name_en="Seldom Seen Agency")
    make.conference_organization(make.conference("seldom-2025", start=make.day("2025-01-05")), seldom)
    document = fetch(client, "conferences:list", "en", query="?organization=seldom-seen")
    assert document.xpath('//select[@name="organization"]') == []
    (box,) = document.xpath('//input[@name="organization"]')
    assert box.get("value") == "seldom-seen"
    suggestions = document.xpath(f'//datalist[@id="{box.get("list")}"]/option')
    assert [(option.get("value"), option.text) for option in suggestions] == [
        ("intelligence-committee", "Committee of Intelligence and Security Services")
    ]
    assert document.xpath(f'//label[@for="{box.get("id")}"]')
    assert cards(document) == ["seldom-2025"]
    assert listed(client, "?organization=intelligence-committee") == ["committee-2025", "committee-next"]
    assert listed(client, "?organization=seldom+seen+agency") == ["seldom-2025"]
    assert "Select a valid choice" in page_text(fetch(client, "conferences:list", "en", query="?organization=nobody"))


def test_conference_list_is_paginated_and_pages_keep_the_filters(client):
    calendar()  # three held in Libya
    libya = make.named_country("LY")
    for number in range(22):
        make.conference(f"extra-{number:02d}", host_country=libya)
    first = fetch(client, "conferences:list", "en", query="?country=ly&status=held")
    assert "Page 1 of 2" in page_text(first)
    assert len(cards(first)) == 20
    next_link = next(href for href in links(first) if "page=2" in href)
    assert parse_qs(urlsplit(next_link).query) == {"country": ["ly"], "status": ["held"], "page": ["2"]}
    second = listed(client, "?country=ly&status=held&page=2")
    assert len(second) == 5
    assert not set(second) & set(cards(first))
    get(client, url("conferences:list", "en") + "?page=99", status=404)


def test_a_filtered_list_compiles_its_query_once_for_its_filters(client):
    """Another page of the same filters runs the SQL compiled for the first (core/prepared.py):
    no query of conferences is compiled again."""
    calendar()  # three held in Libya
    libya = make.named_country("LY")
    for number in range(22):
        make.conference(f"extra-{number:02d}", host_country=libya)
    first = cards(fetch(client, "conferences:list", "en", query="?country=ly&status=held"))
    compiled, compile_sql = [], SQLCompiler.as_sql

    def recording(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return compile_sql(compiler, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", recording):
        second = fetch(client, "conferences:list", "en", query="?country=ly&status=held&page=2")
    assert "Page 2 of 2" in page_text(second)
    assert len(cards(second)) == 5 and not set(cards(second)) & set(first)
    assert Conference not in compiled


def test_source_list_is_paginated(client):
    for _number in range(25):
        make.source()
    document = fetch(client, "sources:list", "en", query="?page=2")
    assert "Page 2 of 2" in page_text(document)
    assert "?page=1" in links(document)


# --- Countries --------------------------------------------------------------------------------


def test_countries_index_counts_by_region(client):
    calendar()
    make.participation(make.conference(), make.named_country("IT"))
    document = page(client, "countries:list", "en")
    regions = [text(heading) for heading in document.xpath('//section[starts-with(@aria-labelledby, "region-")]/h2')]
    assert regions[0] == "North Africa"
    assert "Sahel" in regions and "Europe" in regions

    def counts(code):  # hosted, took part, announced, absent
        return [text(cell) for cell in document.xpath(f'//tr[th/a[@href="/en/countries/{code}/"]]/td')]

    assert counts("ly") == ["4", "0", "0", "0"]
    assert counts("eg") == ["0", "1", "0", "1"]
    assert counts("ml") == ["0", "0", "1", "0"]  # announced only: neither taking part nor absent
    assert counts("it") == ["0", "1", "0", "0"]


def test_country_page_of_egypt(client):
    calendar()
    egypt = make.named_country("EG")
    make.person("ahmed-khalifa", name_ar="أحمد خليفة", name_en="Ahmed Khalifa", country=egypt)
    make.organization("egyptian-armed-forces", name_ar="القوات المسلحة المصرية", name_en="Egyptian Armed Forces",
                      country=egypt, kind="armed-forces")
    document = page(client, "countries:detail", "en", code="eg")
    assert h1(document) == ["Egypt"]
    assert cards(section(document, "group-participant")) == ["staff-chiefs-2026"]
    assert cards(section(document, "group-absent")) == ["chiefs-2024"]
    assert "None recorded." in text(section(document, "group-host"))
    assert "/en/people/ahmed-khalifa/" in links(section(document, "people-heading"))
    assert "/en/organizations/egyptian-armed-forces/" in links(section(document, "organizations-heading"))


def test_country_page_of_libya_in_arabic(client):
    calendar()
    document = page(client, "countries:detail", "ar", code="ly")
    assert h1(document) == ["ليبيا"]
    hosted = section(document, "group-host")
    assert cards(hosted, "ar") == ["staff-chiefs-2026", "committee-2025", "chiefs-2024", "committee-next"]
    words = text(hosted)
    assert "25–26 أغسطس 2025" in words
    assert "21–22 ديسمبر 2024" in words
    assert "10–12 فبراير 2026" in words
    assert "/ar/people/mahmoud-hamza/" in links(document)
    assert "/ar/organizations/military-intelligence/" in links(document)


def test_a_long_list_on_a_country_page_is_paged(client):
    calendar()
    libya = make.named_country("LY")
    Conference.objects.bulk_create([
        Conference(
            slug=f"libyan-meeting-{i}", name_en=f"Meeting {i}", name_ar=f"اجتماع {i}", short_name_en=f"Meeting {i}",
            short_name_ar=f"اجتماع {i}", summary_en="-", summary_ar="-", status="held", host_country=libya,
            start_date=datetime.date(2001, 1, 1) + datetime.timedelta(days=i), start_precision="day",
        )
        for i in range(25)
    ])
    total = Conference.objects.filter(host_country=libya).count()
    assert total == 29
    first = section(page(client, "countries:detail", "en", code="ly"), "group-host")
    assert len(cards(first)) == 20
    assert f"({total})" in text(first.xpath("h2")[0])
    assert cards(first)[0] == "staff-chiefs-2026"  # newest first
    assert "?host-page=2" in links(first)
    second = section(fetch(client, "countries:detail", "en", query="?host-page=2", code="ly"), "group-host")
    assert len(cards(second)) == total - 20
    assert "libyan-meeting-0" in cards(second)
    assert "staff-chiefs-2026" not in cards(second)


# --- People and organizations ------------------------------------------------------------------------


def officer():
    """A general with two spellings of his name, a post since May 2021 (cited) and a chair he held."""
    libya = make.named_country("LY")
    service = make.organization("intelligence-service", name_ar="جهاز المخابرات الليبي",
                                name_en="Libyan Intelligence Service", country=libya, kind="intelligence-service")
    general = make.person("omar-salem", name_ar="عمر سالم الورفلي", name_en="Omar Salem al-Warfalli",
                          rank_ar="الفريق أول", rank_en="General", country=libya)
    make.person_alias(general, "الورفلّي", language="ar", script="Arab")
    make.person_alias(general, "Omar Al-Warfali")
    post = make.position(general, service, title_ar="رئيس جهاز المخابرات الليبي",
                         title_en="Head of the Libyan Intelligence Service",
                         start_date=make.day("2021-05-01"), start_precision="month")
    make.citation(make.source(), position=post, excerpt_ar="رئيس جهاز المخابرات", excerpt_en="head of the service")
    meeting = make.conference("intelligence-meeting-2025", start=make.day("2025-08-25"), host_country=libya)
    make.attendance(meeting, general, role="chair", organization=service)
    return general


@pytest.mark.parametrize("language", LANGUAGES)
def test_person_page_shows_both_scripts_aliases_positions_and_conferences(client, language):
    document = record_page(client, officer(), language)
    words = page_text(document)
    assert "عمر سالم الورفلي" in words
    assert "Omar Salem al-Warfalli" in words
    assert "الورفلّي" in words and "Omar Al-Warfali" in words
    hrefs = links(document)
    assert f"/{language}/organizations/intelligence-service/" in hrefs
    assert f"/{language}/conferences/intelligence-meeting-2025/" in hrefs
    positions = section(document, "positions-heading")
    assert any(href.startswith("#ref-") for href in links(positions))  # positions carry their citations
    if language == "en":
        assert "General" in words and "Head of the Libyan Intelligence Service" in words
        assert "from May 2021" in text(positions)
        assert "chair" in text(section(document, "conferences-heading"))
    else:
        assert "الفريق أول" in words
        assert "اعتبارًا من مايو 2021" in text(positions)


def founded(year, claim_ar, claim_en, **fields):
    """An organization whose founding year one source gives and another disputes, at two conferences."""
    organization = make.organization(founding_year=year, **fields)
    make.citation(make.source(), organization=organization, excerpt_ar=f"تأسست سنة {year}",
                  excerpt_en=f"founded in {year}")
    make.citation(make.source(), organization=organization, stance="contradicts", claim_ar=claim_ar,
                  claim_en=claim_en)
    for slug, start in (("first-meeting", None), ("second-meeting", make.day("2025-06-17"))):
        make.conference_organization(make.conference(slug, start=start), organization)
    chair = make.person("chairperson", name_ar="رئيس اللجنة", name_en="The Chairperson")
    make.position(chair, organization, key="chair", title_ar="رئيس", title_en="Chairperson")
    return organization


def test_organization_page_shows_a_disputed_founding_year(client):
    committee = founded(2004, "تأسست سنة 2005", "founded in 2005", slug="intelligence-committee",
                        name_ar="لجنة أجهزة الاستخبارات", name_en="Committee of Intelligence Services",
                        kind="intergovernmental")
    document = record_page(client, committee, "en")
    facts = text(document.xpath('//dl[@class="facts"]')[0])
    assert "Founded 2004" in facts
    assert "Disputed:" in facts
    assert "founded in 2005" in facts
    assert "intergovernmental body" in facts.lower()
    hrefs = links(document)
    assert "/en/conferences/first-meeting/" in hrefs
    assert "/en/conferences/second-meeting/" in hrefs
    assert "/en/people/chairperson/" in hrefs  # its chairperson


def test_organization_page_in_arabic(client):
    platform = founded(2022, "أطلق المغرب المنصة سنة 2020", "Morocco launched the platform in 2020",
                       slug="cooperation-platform", name_ar="منصة التعاون", name_en="Cooperation Platform",
                       kind="platform")
    document = record_page(client, platform, "ar")
    facts = text(document.xpath('//dl[@class="facts"]')[0])
    assert "2022" in facts
    assert "محل خلاف:" in facts
    assert "أطلق المغرب المنصة سنة 2020" in facts
    assert "/ar/conferences/second-meeting/" in links(document)


# --- Topics and sources ------------------------------------------------------------------------------


def test_topic_page_lists_the_conferences_that_discussed_it(client):
    calendar()
    document = page(client, "topics:detail", "en", slug="organized-crime")
    assert h1(document) == ["Organized crime"]
    assert cards(document) == ["staff-chiefs-2026", "committee-2025"]


def test_source_page(client):
    report = make.source(
        "espace-manager-closing", outlet_ar="إسباس مانجر", outlet_en="Espace Manager", author_ar="إيناس",
        author_en="Inès", url="https://ar.espacemanager.com/%D8%A7%D8%AE%D8%AA%D8%AA%D8%A7%D9%85",
    )
    conference = make.conference("closing-2025", start=make.day("2025-08-26"))
    make.citation(report, conference=conference, excerpt_ar="اختتمت أشغال المؤتمر", excerpt_en="the conference closed")
    make.citation(report, organization=make.organization(founding_year=2004), stance="contradicts",
                  claim_ar="تأسست سنة 2005", claim_en="founded in 2005")
    document = record_page(client, report, "en")
    words = page_text(document)
    assert "Espace Manager" in words
    assert "date not stated in the source" in words
    assert "Inès" in words
    assert "Arabic" in words
    original = document.xpath('//a[starts-with(@href, "https://ar.espacemanager.com/")]')
    assert len(original) == 1
    assert "noopener" in original[0].get("rel").split()
    # The link names the site it leads to, not a long percent-encoded address.
    assert "ar.espacemanager.com" in words and "%D8" not in words
    facts = section(document, "facts-heading")
    assert "/en/conferences/closing-2025/" in links(facts)  # the facts it backs
    assert "Conference dates" in text(facts)
    assert "founded in 2005" in text(facts)  # a contradicting citation, shown as such
    assert "Contradicts the record." in text(facts)


# --- Errors and methods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/en/conferences/no-such-conference/",
        "/ar/topics/no-such-topic/",
        "/en/sources/no-such-source/",
        "/ar/organizations/no-such-organization/",
        "/en/people/no-such-person/",
        "/en/countries/zz/",
        "/en/countries/ZZ/",
        # Libya is on record: /en/countries/LY/ redirects to its page (test_permalinks), /lby/ is nothing.
        "/en/countries/lby/",
        "/fr/conferences/",
    ],
)
def test_unknown_records_answer_404(client, path):
    make.named_country("LY")
    get(client, path, status=404)


@pytest.mark.parametrize(
    ("path", "language", "title"),
    [
        ("/en/conferences/no-such-conference/", "en", "Page not found"),
        ("/ar/people/nobody/", "ar", "الصفحة غير موجودة"),
    ],
)
def test_404_page_is_in_the_visitors_language(client, path, language, title):
    document = parse(get(client, path, status=404))
    assert document.get("lang") == language
    assert document.get("dir") == ("rtl" if language == "ar" else "ltr")
    assert h1(document) == [title]
    words = page_text(document)
    assert "Traceback" not in words and "DoesNotExist" not in words


@pytest.mark.parametrize(
    ("path", "language", "title"), [("/en/x/", "en", "Server error"), ("/ar/x/", "ar", "خطأ في الخادم")]
)
def test_500_page_is_in_the_visitors_language(path, language, title):
    from public.views.base import server_error

    response = server_error(RequestFactory().get(path))
    assert response.status_code == 500
    document = parse(response)
    assert h1(document) == [title]
    assert document.xpath('//main//a/@href') == [f"/{language}/"]  # back to the home page, in that language


@pytest.mark.parametrize(("path", "language"), [("/en/x/", "en"), ("/ar/x/", "ar")])
def test_500_page_declares_its_language_and_shows_no_template_syntax(path, language):
    from public.views.base import server_error

    document = parse(server_error(RequestFactory().get(path)))
    assert "{#" not in page_text(document)
    assert document.get("lang") == language
    assert document.get("dir") == ("rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize(("language", "title"), [("en", "Access denied"), ("ar", "الدخول غير مسموح")])
def test_403_page_is_styled_and_translated(language, title):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    document = parse(response)
    assert document.get("lang") == language
    assert h1(document) == [title]
    assert "/static/css/site.css" in [link.get("href") for link in head_links(document, "stylesheet")]


# --- Query counts as a page grows ---------------------------------------------------------------------


def test_conference_page_query_count_does_not_grow_with_its_rows(client, django_assert_num_queries):
    """Guards against N+1 queries: more countries and citations on a page cost no more queries."""
    conference = make.full_conference()
    path = url("conferences:detail", "en", slug=conference.slug)
    client.get(path)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(path)
    report = make.source()
    for code in ("MA", "NE", "TD", "SD", "GA"):
        row = make.participation(conference, make.named_country(code))
        make.citation(report, participation=row, excerpt_ar=f"مقتطف عن {code}", excerpt_en=f"an excerpt on {code}")
    with django_assert_num_queries(len(before)):
        response = client.get(path)
    assert response.status_code == 200
    document = parse(response)
    assert len(document.xpath('//sup[@class="ref"]')) > 5
    assert {"/en/countries/ma/", "/en/countries/ga/"} <= set(links(document))


# --- The real records ---------------------------------------------------------------------------------
# The seed data, loaded once for the tests below and kept until the end of the module: they come last,
# so that no test above meets it.

# Each real conference's page, as the reports have it: (slug, language, what the page says).
REAL_CONFERENCES = [
    ("cissa-20-benghazi-2025", "en", ["25–26 August 2025", "Benghazi", "Libya", "held", "Edition 20 of",
                                      "Preventing Conflicts and Violent Wars in Africa"]),
    ("cissa-20-benghazi-2025", "ar", ["25–26 أغسطس 2025", "بنغازي", "ليبيا", "عُقد", "الدورة 20 من"]),
    ("tripoli-military-intelligence-chiefs-2024", "en", ["21–22 December 2024", "Tripoli",
                                                         "According to observers quoted in the report"]),
    ("tripoli-military-intelligence-chiefs-2024", "ar", ["21–22 ديسمبر 2024",
                                                         "بحسب ملاحظين ومراقبين ينقل عنهم التقرير"]),
    ("benghazi-chiefs-of-staff-2026", "en", ["10–12 February 2026", "held"]),
    ("benghazi-chiefs-of-staff-2026", "ar", ["10–12 فبراير 2026", "عُقد"]),
    ("marrakech-platform-4-agadir-2025", "en", ["17 June 2025", "Agadir"]),
    ("marrakech-platform-4-agadir-2025", "ar", ["17 يونيو 2025", "أكادير"]),
    ("cissa-21", "en", ["date not stated in the source", "planned"]),
    ("cissa-21", "ar", ["التاريخ غير مذكور في المصدر", "مُزمع"]),
]


@pytest.mark.slow
@pytest.mark.usefixtures("seeds")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_real_conferences_pages_say_what_the_reports_say(client, language):
    for slug, in_language, facts in REAL_CONFERENCES:
        if in_language != language:
            continue
        words = page_text(page(client, "conferences:detail", language, slug=slug))
        for fact in facts:
            assert fact in words, (slug, fact)


def test_a_country_page_shows_each_parts_note_in_the_pages_language_or_in_arabic(client):
    """The note of a country's part in a conference, under the conference's card: in English on the
    English page when there is one, else the Arabic, as every translated field falls back."""
    egypt, libya = make.named_country("EG"), make.named_country("LY")
    summit = make.conference("summit-notes", start=make.day("2025-03-01"), host_country=libya)
    forum = make.conference("forum-notes", start=make.day("2025-04-01"), host_country=libya)
    make.participation(summit, egypt, note_ar="بوفد رفيع.", note_en="With a high-level delegation.")
    make.participation(forum, egypt, role="absent", note_ar="قاطعت المؤتمر.")
    english = page_text(record_page(client, egypt, "en"))
    assert "With a high-level delegation." in english
    assert "قاطعت المؤتمر." in english
    arabic = page_text(record_page(client, egypt, "ar"))
    assert "بوفد رفيع." in arabic
    assert "With a high-level delegation." not in arabic
