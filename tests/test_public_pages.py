"""The public pages, read as a visitor reads them, on the real seed data.

Each test fetches a page and checks what a person sees: the status, the language and
direction of the document, the links to the other language, and the facts on the page.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from conferences.models import Citation, Conference, Participation, SourceReport
from core.dates import format_partial_date
from participants.models import Country

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en"]

# Every public page: its URL name and arguments, and the most SQL queries it may run.
# The numbers are the counts on the seed data; a page that grew an N+1 query would
# exceed them, since its rows would each cost a query of their own.
PAGES = [
    ("pages:home", {}, 7),
    ("conferences:list", {}, 7),
    ("conferences:detail", {"slug": "cissa-20-benghazi-2025"}, 8),
    ("conferences:detail", {"slug": "cissa-21"}, 8),
    ("conferences:detail", {"slug": "tripoli-military-intelligence-chiefs-2024"}, 8),
    ("conferences:detail", {"slug": "benghazi-chiefs-of-staff-2026"}, 8),
    ("conferences:detail", {"slug": "marrakech-platform-4-agadir-2025"}, 8),
    ("topics:list", {}, 3),
    ("topics:detail", {"slug": "terrorism"}, 4),
    ("sources:list", {}, 3),
    ("sources:detail", {"slug": "espacemanager-cissa-20-closing"}, 3),
    ("countries:list", {}, 2),
    ("countries:detail", {"code": "ly"}, 7),
    ("countries:detail", {"code": "eg"}, 7),
    ("people:list", {}, 3),
    ("people:detail", {"slug": "hussein-al-ayeb"}, 7),
    ("people:detail", {"slug": "abdellatif-hammouchi"}, 7),
    ("organizations:list", {}, 3),
    ("organizations:detail", {"slug": "cissa"}, 8),
    ("organizations:detail", {"slug": "marrakech-platform"}, 8),
]


class Page(HTMLParser):
    """The parts of a page the tests look at: <html>'s attributes, links, headings, text."""

    def __init__(self, content):
        super().__init__(convert_charrefs=True)
        self.html = {}
        self.head_links = []
        self.anchors = []
        self.headings = []
        self.ids = set()
        self._text = []
        self._heading = None
        self._skip = 0
        self.feed(content.decode() if isinstance(content, bytes) else content)
        self.text = re.sub(r"\s+", " ", " ".join(self._text))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html = attrs
        elif tag == "link":
            self.head_links.append(attrs)
        elif tag == "a":
            self.anchors.append(attrs)
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
            self.headings.append(self._heading)
        elif tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None
        elif tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            return
        self._text.append(data)
        if self._heading is not None:
            self._heading[1] += data

    def links(self, rel):
        return [link for link in self.head_links if rel in link.get("rel", "").split()]

    def hrefs(self):
        return [anchor.get("href", "") for anchor in self.anchors]

    def h1(self):
        return [re.sub(r"\s+", " ", text).strip() for level, text in self.headings if level == 1]


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def fetch(client, name, language, query="", **kwargs):
    response = client.get(url(name, language, **kwargs) + query)
    assert response.status_code == 200, (name, language, kwargs, response.status_code)
    return Page(response.content)


def page_id(page):
    name, kwargs, _queries = page
    return "-".join([name, *kwargs.values()])


# --- Every page: language, direction, alternates, the language switch ------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_is_in_its_language_with_links_to_the_other(client, page, language):
    name, kwargs, _queries = page
    html = fetch(client, name, language, **kwargs)
    other = "en" if language == "ar" else "ar"
    own_url = "http://testserver" + url(name, language, **kwargs)
    other_url = "http://testserver" + url(name, other, **kwargs)

    assert html.html["lang"] == language
    assert html.html["dir"] == ("rtl" if language == "ar" else "ltr")

    assert [link["href"] for link in html.links("canonical")] == [own_url]
    alternates = {link["hreflang"]: link["href"] for link in html.links("alternate") if "hreflang" in link}
    assert alternates == {
        "ar": "http://testserver" + url(name, "ar", **kwargs),
        "en": "http://testserver" + url(name, "en", **kwargs),
        "x-default": "http://testserver" + url(name, "ar", **kwargs),
    }

    switches = [a for a in html.anchors if "language-switch" in a.get("class", "")]
    assert len(switches) == 1
    assert switches[0]["href"] == other_url
    assert switches[0]["hreflang"] == other
    assert switches[0]["lang"] == other


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_landmarks_skip_link_and_footer(client, language):
    response = client.get(url("pages:home", language))
    content = response.content.decode()
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in content
    assert 'href="#main"' in content
    html = Page(response.content)
    if language == "ar":
        assert "تخطَّ إلى المحتوى الرئيسي" in html.text
        assert "CC BY 4.0" in html.text
        assert "كل سجل مأخوذ من التقارير المذكورة في صفحته" in html.text
    else:
        assert "Skip to main content" in html.text
        assert "Creative Commons Attribution 4.0 International licence (CC BY 4.0)" in html.text
        assert "Every record comes from the reports cited on its page" in html.text


def test_the_arabic_font_is_self_hosted_with_its_licence(client):
    content = client.get(url("pages:home", "ar")).content.decode()
    assert '<link rel="preload" href="/static/fonts/noto-naskh-arabic-arabic-400-normal.woff2"' in content
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
    html = fetch(client, "pages:home", "en")
    assert html.h1() == ["Security and intelligence conferences in Africa"]
    conference_links = [href for href in html.hrefs() if re.fullmatch(r"/en/conferences/[\w-]+/", href)]
    # The latest come first; the timeline below links them again.
    assert conference_links[:5] == [
        "/en/conferences/benghazi-chiefs-of-staff-2026/",
        "/en/conferences/cissa-20-benghazi-2025/",
        "/en/conferences/marrakech-platform-4-agadir-2025/",
        "/en/conferences/tripoli-military-intelligence-chiefs-2024/",
        "/en/conferences/cissa-21/",
    ]
    hrefs = html.hrefs()
    assert "/en/conferences/?country=ly" in hrefs
    assert "/en/conferences/?organization=cissa" in hrefs
    assert "/en/topics/terrorism/" in hrefs
    assert "/en/conferences/?year=2025" in hrefs
    for heading in ("By host country", "By organization", "By topic", "By year"):
        assert heading in html.text


def test_home_in_arabic(client):
    html = fetch(client, "pages:home", "ar")
    assert html.h1() == ["مؤتمرات الأمن والاستخبارات في أفريقيا"]
    assert "سيسا" in html.text
    assert "25–26 أغسطس 2025" in html.text
    assert "التاريخ غير مذكور في المصدر" in html.text  # CISSA 21 has no date yet


# --- Conference pages ---------------------------------------------------------------------------


def test_cissa_20_in_english(client):
    html = fetch(client, "conferences:detail", "en", slug="cissa-20-benghazi-2025")
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    with translation.override("en"):
        assert html.h1()[0].startswith(conference.name)
    for fact in ("25–26 August 2025", "Benghazi", "Libya", "held", "Edition 20 of", "organizer"):
        assert fact in html.text, fact
    assert "Preventing Conflicts and Violent Wars in Africa" in html.text  # the theme
    assert "/en/conferences/cissa-21/" in html.hrefs()  # the series' other edition
    assert "/en/countries/ly/" in html.hrefs()
    assert "/en/organizations/cissa/" in html.hrefs()
    assert "/en/people/hussein-al-ayeb/" in html.hrefs()
    assert "/en/topics/terrorism/" in html.hrefs()


def test_cissa_20_in_arabic(client):
    html = fetch(client, "conferences:detail", "ar", slug="cissa-20-benghazi-2025")
    for fact in ("25–26 أغسطس 2025", "بنغازي", "ليبيا", "عُقد", "الدورة 20 من", "منظِّم"):
        assert fact in html.text, fact


def test_tripoli_conference_lists_egypt_as_absent_with_the_opinion_attributed(client):
    html = fetch(client, "conferences:detail", "en", slug="tripoli-military-intelligence-chiefs-2024")
    assert "21–22 December 2024" in html.text
    absent = html.text.split("Reported absent", 1)[1].split("People", 1)[0]
    assert "Egypt" in absent
    # The observers' view is shown as theirs, never as plain fact.
    assert "According to observers quoted in the report" in absent


def test_tripoli_conference_in_arabic(client):
    html = fetch(client, "conferences:detail", "ar", slug="tripoli-military-intelligence-chiefs-2024")
    assert "21–22 ديسمبر 2024" in html.text
    absent = html.text.split("دول أفادت التقارير بغيابها", 1)[1]
    assert absent.lstrip().startswith("مصر")
    assert "بحسب ملاحظين ومراقبين ينقل عنهم التقرير" in absent


@pytest.mark.parametrize(
    ("language", "dates", "status"),
    [("en", "10–12 February 2026", "held"), ("ar", "10–12 فبراير 2026", "عُقد")],
)
def test_benghazi_chiefs_of_staff_was_held(client, language, dates, status):
    html = fetch(client, "conferences:detail", language, slug="benghazi-chiefs-of-staff-2026")
    assert dates in html.text
    assert status in html.text


@pytest.mark.parametrize(
    ("language", "date", "city"), [("en", "17 June 2025", "Agadir"), ("ar", "17 يونيو 2025", "أكادير")]
)
def test_agadir_meeting(client, language, date, city):
    html = fetch(client, "conferences:detail", language, slug="marrakech-platform-4-agadir-2025")
    assert date in html.text
    assert city in html.text


def test_a_disputed_attendance_shows_both_versions(client):
    html = fetch(client, "conferences:detail", "en", slug="marrakech-platform-4-agadir-2025")
    assert "Disputed:" in html.text
    assert "the session was chaired by Yassine Mansouri" in html.text
    contradicting = Citation.objects.get(key="agadir-hammouchi-gmedianws")
    with translation.override("en"):
        assert "Disputed: according to" in html.text
        assert contradicting.source.outlet in html.text


@pytest.mark.parametrize(
    ("language", "not_stated", "planned"),
    [("en", "date not stated in the source", "planned"), ("ar", "التاريخ غير مذكور في المصدر", "مُزمع")],
)
def test_an_undated_conference_says_so(client, language, not_stated, planned):
    html = fetch(client, "conferences:detail", language, slug="cissa-21")
    assert not_stated in html.text
    assert planned in html.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_references_are_numbered_links_to_the_list_at_the_end(client, language):
    response = client.get(url("conferences:detail", language, slug="cissa-20-benghazi-2025"))
    html = Page(response.content)
    refs = [href for href in html.hrefs() if href.startswith("#ref-")]
    assert refs, "the page cites its sources"
    numbers = sorted({int(href.removeprefix("#ref-")) for href in refs})
    assert numbers == list(range(1, len(numbers) + 1))
    for number in numbers:
        assert f"ref-{number}" in html.ids  # the list entry exists
        assert f"cite-{number}" in html.ids  # and links back to the text
    references = html.text.split("References" if language == "en" else "المراجع")[-1]
    citation = Citation.objects.get(key="cissa-20-dates-seed000")
    assert citation.excerpt_ar.split()[0] in references
    with translation.override(language):
        assert citation.source.outlet in references
    if language == "en":
        assert citation.excerpt_en in references  # the translation, on English pages
    else:
        assert citation.excerpt_en not in references
    assert f"/{language}/sources/{citation.source.slug}/" in html.hrefs()


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_pages_show_when_they_were_last_updated(client, language):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    html = fetch(client, "conferences:detail", language, slug=conference.slug)
    with translation.override(language):
        expected = format_partial_date(conference.updated_at, "day")
    label = "Last updated:" if language == "en" else "آخر تحديث:"
    assert f"{label} {expected}" in html.text


# --- The conference list and its filters ----------------------------------------------------------


def listed(client, query, language="en"):
    html = fetch(client, "conferences:list", language, query=query)
    return [href.split("/")[3] for href in html.hrefs() if re.fullmatch(rf"/{language}/conferences/[\w-]+/", href)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["benghazi-chiefs-of-staff-2026", "cissa-20-benghazi-2025", "marrakech-platform-4-agadir-2025",
              "tripoli-military-intelligence-chiefs-2024", "cissa-21"]),
        ("?country=ma", ["marrakech-platform-4-agadir-2025"]),
        ("?year=2025", ["cissa-20-benghazi-2025", "marrakech-platform-4-agadir-2025"]),
        ("?organization=cissa", ["cissa-20-benghazi-2025", "cissa-21"]),
        ("?topic=organized-crime", ["benghazi-chiefs-of-staff-2026", "cissa-20-benghazi-2025"]),
        ("?status=announced", []),
        ("?status=planned", ["cissa-21"]),
        # Combined.
        ("?country=ly&year=2025", ["cissa-20-benghazi-2025"]),
        ("?topic=organized-crime&status=held", ["benghazi-chiefs-of-staff-2026", "cissa-20-benghazi-2025"]),
        ("?country=ly&year=2024&topic=terrorism&status=held", ["tripoli-military-intelligence-chiefs-2024"]),
        ("?country=ma&year=2024", []),
    ],
)
def test_conference_list_filters(client, query, expected):
    assert listed(client, query) == expected


def test_the_filters_show_in_the_form_and_survive_the_language_switch(client):
    html = fetch(client, "conferences:list", "en", query="?country=ly&year=2025")
    switch = next(a for a in html.anchors if "language-switch" in a.get("class", ""))
    parts = urlsplit(switch["href"])
    assert parts.path == "/ar/conferences/"
    assert parse_qs(parts.query) == {"country": ["ly"], "year": ["2025"]}
    content = client.get("/en/conferences/?country=ly&year=2025").content.decode()
    assert '<option value="ly" selected>' in content
    assert '<option value="2025" selected>' in content
    assert "Clear the filters" in content


def test_an_unknown_filter_value_is_reported_not_ignored_silently(client):
    response = client.get("/en/conferences/?country=zz")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_conference_list_is_paginated_and_pages_keep_the_filters(client):
    libya = Country.objects.get(code="LY")
    for number in range(25):
        Conference.objects.create(
            slug=f"extra-{number:02d}", name_ar=f"مؤتمر إضافي {number}", name_en=f"Extra conference {number}",
            short_name_ar=f"إضافي {number}", short_name_en=f"Extra {number}", status="held",
            summary_ar="ملخص", summary_en="Summary", host_country=libya,
        )
    first = fetch(client, "conferences:list", "en", query="?country=ly&status=held")
    assert "Page 1 of 2" in first.text
    next_link = next(href for href in first.hrefs() if "page=2" in href)
    assert parse_qs(urlsplit(next_link).query) == {"country": ["ly"], "status": ["held"], "page": ["2"]}
    second = listed(client, "?country=ly&status=held&page=2")
    assert 0 < len(second) < 20
    assert client.get("/en/conferences/?page=99").status_code == 404


def test_source_list_is_paginated(client):
    assert SourceReport.objects.count() > 20
    html = fetch(client, "sources:list", "en", query="?page=2")
    assert "Page 2 of" in html.text
    assert "?page=1" in html.hrefs()


# --- Countries --------------------------------------------------------------------------------


def test_countries_index_counts_by_region(client):
    response = client.get(url("countries:list", "en"))
    content = response.content.decode()
    html = Page(content)
    regions = [text.strip() for level, text in html.headings if level == 2]
    assert regions[0] == "North Africa"
    assert "Sahel" in regions and "Europe" in regions
    row = re.search(r'href="/en/countries/ly/"><bdi>Libya</bdi></a></th>(.*?)</tr>', content, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["4", "0", "0"]  # hosted, took part, absent
    row = re.search(r'href="/en/countries/eg/"><bdi>Egypt</bdi></a></th>(.*?)</tr>', content, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["0", "1", "1"]


def section(content, section_id):
    """The HTML of one <section> of a page, found by its heading's id."""
    return content.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def test_country_page_of_egypt(client):
    content = client.get(url("countries:detail", "en", code="eg")).content.decode()
    assert Page(content).h1() == ["Egypt"]
    assert "/en/conferences/benghazi-chiefs-of-staff-2026/" in section(content, "group-participant")
    assert "/en/conferences/tripoli-military-intelligence-chiefs-2024/" in section(content, "group-absent")
    assert "None recorded." in section(content, "group-host")
    assert "/en/people/ahmed-khalifa/" in section(content, "people-heading")
    assert "/en/organizations/egyptian-armed-forces/" in section(content, "organizations-heading")


def test_country_page_of_libya_in_arabic(client):
    content = client.get(url("countries:detail", "ar", code="ly")).content.decode()
    html = Page(content)
    assert html.h1() == ["ليبيا"]
    hosted = Page(section(content, "group-host")).text
    assert "25–26 أغسطس 2025" in hosted
    assert "21–22 ديسمبر 2024" in hosted
    assert "10–12 فبراير 2026" in hosted
    assert "/ar/people/hussein-al-ayeb/" in html.hrefs()
    assert "/ar/organizations/libyan-intelligence-service/" in html.hrefs()



def test_a_long_list_on_a_country_page_is_paged(client):
    libya = Country.objects.get(code="LY")
    Conference.objects.bulk_create([
        Conference(
            slug=f"libyan-meeting-{i}", name_en=f"Meeting {i}", name_ar=f"اجتماع {i}", short_name_en=f"Meeting {i}",
            short_name_ar=f"اجتماع {i}", summary_en="-", summary_ar="-", status="held", host_country=libya,
            start_date=datetime.date(2001, 1, 1) + datetime.timedelta(days=i), start_precision="day",
        )
        for i in range(25)
    ])
    path = url("countries:detail", "en", code="ly")
    first = client.get(path).content.decode()
    hosted = section(first, "group-host")
    total = Conference.objects.filter(host_country=libya).count()
    assert hosted.count('<article class="card">') == 20
    assert f"({total})" in hosted
    assert "/en/conferences/benghazi-chiefs-of-staff-2026/" in hosted  # newest first
    assert "?host-page=2" in hosted
    second = section(client.get(path + "?host-page=2").content.decode(), "group-host")
    assert second.count('<article class="card">') == total - 20
    assert "/en/conferences/libyan-meeting-0/" in second
    assert "/en/conferences/benghazi-chiefs-of-staff-2026/" not in second


# --- People and organizations ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_person_page_shows_both_scripts_aliases_positions_and_conferences(client, language):
    html = fetch(client, "people:detail", language, slug="hussein-al-ayeb")
    assert "حسين محمد خليفة العائب" in html.text
    assert "Hussein Mohammed Khalifa al-Ayeb" in html.text
    assert "العايب" in html.text and "Hussein Al-Aib" in html.text
    assert f"/{language}/organizations/libyan-intelligence-service/" in html.hrefs()
    assert f"/{language}/conferences/cissa-20-benghazi-2025/" in html.hrefs()
    assert any(href.startswith("#ref-") for href in html.hrefs())  # positions carry their citations
    if language == "en":
        assert "General" in html.text and "Head of the Libyan Intelligence Service" in html.text
        assert "from May 2021" in html.text
        assert "chair" in html.text
    else:
        assert "الفريق أول" in html.text
        assert "اعتبارًا من مايو 2021" in html.text


def test_organization_page_shows_a_disputed_founding_year(client):
    html = fetch(client, "organizations:detail", "en", slug="cissa")
    assert "Founded" in html.text and "2004" in html.text
    assert "Disputed:" in html.text
    assert "founded in 2005" in html.text
    assert "intergovernmental body" in html.text.lower()
    assert "/en/conferences/cissa-20-benghazi-2025/" in html.hrefs()
    assert "/en/conferences/cissa-21/" in html.hrefs()
    assert "/en/people/hussein-al-ayeb/" in html.hrefs()  # its chairperson


def test_organization_page_in_arabic(client):
    html = fetch(client, "organizations:detail", "ar", slug="marrakech-platform")
    assert "2022" in html.text
    assert "محل خلاف:" in html.text
    assert "أطلق المغرب المنصة سنة 2020" in html.text
    assert "/ar/conferences/marrakech-platform-4-agadir-2025/" in html.hrefs()


# --- Topics and sources ------------------------------------------------------------------------------


def test_topic_page_lists_the_conferences_that_discussed_it(client):
    html = fetch(client, "topics:detail", "en", slug="organized-crime")
    assert html.h1() == ["Organized crime"]
    links = [href for href in html.hrefs() if re.fullmatch(r"/en/conferences/[\w-]+/", href)]
    assert links == ["/en/conferences/benghazi-chiefs-of-staff-2026/", "/en/conferences/cissa-20-benghazi-2025/"]


def test_source_page(client):
    response = client.get(url("sources:detail", "en", slug="espacemanager-cissa-20-closing"))
    html = Page(response.content)
    assert "Espace Manager" in html.text
    assert "date not stated in the source" in html.text
    assert "Inès" in html.text
    assert "Arabic" in html.text
    original = next(a for a in html.anchors if a.get("href", "").startswith("https://ar.espacemanager.com/"))
    assert "noopener" in original["rel"].split()
    # The link names the site it leads to, not a long percent-encoded address.
    assert "ar.espacemanager.com" in html.text and "%D8" not in html.text
    assert "/en/conferences/cissa-20-benghazi-2025/" in html.hrefs()  # the facts it backs
    assert "Conference dates" in html.text
    assert "founded in 2005" in html.text  # a contradicting citation, shown as such
    assert "Contradicts the record." in html.text


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
        "/en/countries/LY/",
        "/en/countries/lby/",
        "/fr/conferences/",
    ],
)
def test_unknown_records_answer_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "language", "title"),
    [
        ("/en/conferences/no-such-conference/", "en", "Page not found"),
        ("/ar/people/nobody/", "ar", "الصفحة غير موجودة"),
    ],
)
def test_404_page_is_in_the_visitors_language(client, path, language, title):
    response = client.get(path)
    html = Page(response.content)
    assert response.status_code == 404
    assert html.html["lang"] == language
    assert html.html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert html.h1() == [title]
    assert "Traceback" not in html.text and "DoesNotExist" not in html.text


@pytest.mark.parametrize(
    ("path", "language", "title"), [("/en/x/", "en", "Server error"), ("/ar/x/", "ar", "خطأ في الخادم")]
)
def test_500_page_is_in_the_visitors_language(path, language, title):
    from public.views.base import server_error

    response = server_error(RequestFactory().get(path))
    html = Page(response.content)
    assert response.status_code == 500
    assert html.html["lang"] == language
    assert html.h1() == [title]


@pytest.mark.parametrize(("language", "title"), [("en", "Access denied"), ("ar", "الدخول غير مسموح")])
def test_403_page_is_styled_and_translated(language, title):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = permission_denied(request, PermissionDenied())
    html = Page(response.content)
    assert response.status_code == 403
    assert html.html["lang"] == language
    assert html.h1() == [title]
    assert "/static/css/site.css" in response.content.decode()


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_post_answers_405_on_every_page(page):
    # A client that enforces CSRF like a browser: the answer is still 405, not 403.
    client = Client(enforce_csrf_checks=True)
    name, kwargs, _queries = page
    assert client.post(url(name, "en", **kwargs), {"any": "thing"}).status_code == 405


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("page", PAGES[::3], ids=page_id)
def test_public_pages_are_read_only(page, method):
    # A client that enforces CSRF like a browser: the answer is still 405, not 403.
    client = Client(enforce_csrf_checks=True)
    name, kwargs, _queries = page
    response = getattr(client, method)(url(name, "ar", **kwargs))
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_head_is_allowed(client, page):
    name, kwargs, _queries = page
    assert client.head(url(name, "en", **kwargs)).status_code == 200


# --- Query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_query_count_is_pinned(client, django_assert_max_num_queries, page, language):
    """Guards against N+1 queries: each page runs a fixed number of queries, whatever the data."""
    name, kwargs, queries = page
    address = url(name, language, **kwargs)
    # A first request warms the site-wide caches (such as the time of the last change
    # that the HTTP caching middleware reads), so what is counted is the page's own work.
    client.get(address)
    with django_assert_max_num_queries(queries):
        response = client.get(address)
    assert response.status_code == 200


def test_conference_page_query_count_does_not_grow_with_its_rows(client, django_assert_num_queries):
    """Guards against N+1 queries: more countries and citations on a page cost no more queries."""
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    path = url("conferences:detail", "en", slug=conference.slug)
    client.get(path)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(path)
    source = SourceReport.objects.first()
    taken = conference.participations.values_list("country_id", flat=True)
    for index, country in enumerate(Country.objects.exclude(pk__in=taken)[:5]):
        participation = Participation.objects.create(conference=conference, country=country, role="participant")
        Citation.objects.create(
            key=f"extra-{index}", source=source, fact="participation", participation=participation,
            excerpt_ar="مقتطف", excerpt_en="excerpt",
        )
    with django_assert_num_queries(len(before)):
        response = client.get(path)
    assert response.content.decode().count('class="ref"') > 5


def test_updated_at_uses_the_record_timestamp(client):
    Conference.objects.filter(slug="cissa-21").update(
        updated_at=datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    )
    assert "Last updated: 4 March 2026" in fetch(client, "conferences:detail", "en", slug="cissa-21").text
    assert "آخر تحديث: 4 مارس 2026" in fetch(client, "conferences:detail", "ar", slug="cissa-21").text
