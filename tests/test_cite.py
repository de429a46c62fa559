"""Linking and citing: a permanent link on every record page, "Cite this page" on conference
pages, and the conference list's CSV downloads.

The tests read the pages as a visitor does: the text of the cite box, the link that is shown
and where following it leads, the files the download links give.
"""

import csv
import datetime
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone, translation

from conferences.models import Conference
from core.bilingual import has_arabic
from core.dates import format_partial_date
from participants.models import Person
from tests import factories as make
from tests.helpers import LANGUAGES, get, links, meta, parse, record_page, record_url, text, url

pytestmark = pytest.mark.django_db

UPDATED = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def conference():
    """A conference whose Arabic name holds guillemets of its own, last updated on 4 March 2026."""
    record = make.conference(
        "cissa-20-benghazi-2025", start=make.day("2025-08-25"), end=make.day("2025-08-26"),
        name_ar="مؤتمر «سيسا 20» لأجهزة الاستخبارات والأمن في أفريقيا",
        name_en="The 20th Conference of the Intelligence and Security Services of Africa",
    )
    Conference.objects.filter(pk=record.pk).update(updated_at=UPDATED)
    record.refresh_from_db()
    return record


def cite_box(client, language, record):
    """The page's one cite box."""
    boxes = record_page(client, record, language).xpath('//details[@class="cite-box"]')
    assert len(boxes) == 1
    return boxes[0]


def facts(element):
    """A definition list as {term: description}, as a reader reads them."""
    return {text(term): text(term.getnext()) for term in element.xpath(".//dt")}


def citations(box):
    """The ready-to-copy citations (not the BibTeX entry): their <pre> elements."""
    return box.xpath('.//pre[not(contains(concat(" ", @class, " "), " bibtex "))]')


def bibtex_of(box):
    """The BibTeX entry, exactly as it copies (its line breaks kept)."""
    entries = box.xpath('.//pre[contains(concat(" ", @class, " "), " bibtex ")]')
    assert len(entries) == 1
    return entries[0]


def today_as_shown(language):
    """Today's date as a page in `language` writes it (computed on either side of midnight)."""
    with translation.override(language):
        return {format_partial_date(timezone.localdate())}


# --- The cite box ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cite_box_shows_link_title_last_update_and_access_date(client, conference, language):
    expected_today = today_as_shown(language)
    box = cite_box(client, language, conference)
    expected_today |= today_as_shown(language)
    short_link = f"http://testserver/c/{conference.pk}/{language}/"

    link, title, updated, accessed = {
        "en": ("Permanent link", "Title", "Last updated", "Accessed"),
        "ar": ("الرابط الدائم", "العنوان", "آخر تحديث", "تاريخ الاطلاع"),
    }[language]
    with translation.override(language):
        heading = translation.gettext("Cite / permanent link")
    shown = facts(box)
    assert [text(element) for element in box.xpath("./summary/h2")] == [heading]
    assert shown[link] == short_link
    assert {"href": short_link, "dir": "ltr"} in [dict(anchor.attrib) for anchor in box.xpath(".//a")]
    assert shown[title] == getattr(conference, f"name_{language}")
    assert shown[updated] == {"en": "4 March 2026", "ar": "4 مارس 2026"}[language]
    assert shown[accessed] in expected_today


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_citations_are_on_both_pages_each_in_its_own_direction(client, conference, language):
    today = timezone.localdate()
    box = cite_box(client, language, conference)
    arabic, english = citations(box)

    assert (arabic.get("dir"), arabic.get("lang")) == ("rtl", "ar")
    with translation.override("ar"):
        accessed_ar = format_partial_date(today)
    # «مؤتمر «سيسا 20» …» would nest guillemets: the Arabic title is quoted with plain quotation marks.
    assert arabic.text_content() == (
        f'"{conference.name_ar}"، مؤتمرات الأمن في أفريقيا، آخر تحديث: 4 مارس 2026، '
        f"\u2066http://testserver/c/{conference.pk}/ar/\u2069 (تاريخ الاطلاع: {accessed_ar})."
    )

    assert (english.get("dir"), english.get("lang")) == ("ltr", "en")
    with translation.override("en"):
        accessed_en = format_partial_date(today)
    assert english.text_content() == (
        f"“{conference.name_en}”. Security Conferences in Africa. Last updated 4 March 2026. "
        f"http://testserver/c/{conference.pk}/en/ (accessed {accessed_en})."
    )
    assert not has_arabic(english.text_content())


def test_an_arabic_title_without_guillemets_is_quoted_with_them(client, conference):
    Conference.objects.filter(pk=conference.pk).update(name_ar="مؤتمر سيسا العشرون")
    arabic = next(pre for pre in citations(cite_box(client, "en", conference)) if pre.get("lang") == "ar")
    assert arabic.text_content().startswith("«مؤتمر سيسا العشرون»، مؤتمرات الأمن في أفريقيا")


# --- BibTeX ----------------------------------------------------------------------------------------------


def parse_bibtex(entry):
    """A small BibTeX reader: one @misc entry, balanced braces, `name = {value}` or `name = macro` fields."""
    depth = 0
    for char in re.sub(r"\\[{}]", "", entry):  # escaped braces do not count
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, "a closing brace without its opening one"
    assert depth == 0, "unbalanced braces"
    match = re.fullmatch(r"@misc\{([A-Za-z0-9:_-]+),\n(.*)\n\}", entry, re.S)
    assert match, entry
    fields = {}
    for line in match.group(2).split("\n"):
        field = re.fullmatch(r"  ([a-z]+) = (\{.*\}|[a-z]+),", line)
        assert field, line
        value = field.group(2)
        fields[field.group(1)] = value[1:-1] if value.startswith("{") else value
    return match.group(1), fields


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bibtex_entry_is_well_formed_and_in_the_pages_language(client, conference, language):
    bibtex = bibtex_of(cite_box(client, language, conference))
    assert bibtex.get("dir") == "ltr"

    key, fields = parse_bibtex(bibtex.text_content())
    assert key == f"secconf-africa-c{conference.pk}-{language}"
    assert fields["title"] == "{" + getattr(conference, f"name_{language}") + "}"
    assert fields["url"] == f"http://testserver/c/{conference.pk}/{language}/"
    assert (fields["year"], fields["month"]) == ("2026", "mar")  # of the last update
    assert fields["urldate"] == timezone.localdate().isoformat()
    with translation.override(language):
        accessed = format_partial_date(timezone.localdate())
    assert fields["note"] == {"en": f"Accessed {accessed}", "ar": f"تاريخ الاطلاع: {accessed}"}[language]
    assert fields["language"] == {"en": "english", "ar": "arabic"}[language]


def test_bibtex_special_characters_in_a_title_are_escaped(client, conference):
    Conference.objects.filter(pk=conference.pk).update(name_en="R&D {security} at 100% for #1_team ~ ^")
    _key, fields = parse_bibtex(bibtex_of(cite_box(client, "en", conference)).text_content())
    assert fields["title"] == (
        r"{R\&D \{security\} at 100\% for \#1\_team \textasciitilde{} \textasciicircum{}}"
    )


# --- The permanent link of every record page --------------------------------------------------------------


@pytest.fixture
def records():
    """A record of each kind that has a page of its own, with what it is linked to."""
    conference = make.full_conference()
    person = Person.objects.get(slug="mahmoud-hamza")
    return {
        "conference": conference,
        "series": conference.series,
        "person": person,
        "organization": person.positions.get().organization,
        "source": conference.citations.order_by("pk")[0].source,
        "topic": conference.topics.get(slug="terrorism"),
        "country": conference.host_country,
    }


RECORD_PAGES = [
    ("conference", "/c/"), ("series", "/e/"), ("person", "/p/"), ("organization", "/o/"),
    ("source", "/s/"), ("topic", "/t/"), ("country", "/k/"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("kind", "prefix"), RECORD_PAGES)
def test_every_record_page_shows_its_permanent_link_and_it_leads_back(client, records, kind, prefix, language):
    record = records[kind]
    address = record_url(record, language)
    lines = parse(get(client, address)).xpath('//p[@class="permalink"]')
    assert len(lines) == 1
    label = {"en": "Permanent link:", "ar": "الرابط الدائم:"}[language]
    assert text(lines[0]).startswith(label)
    short_link = lines[0].xpath("a/@href")[0]
    assert short_link == text(lines[0]).removeprefix(label).strip()
    assert short_link.startswith(f"http://testserver{prefix}")
    assert short_link.endswith(f"/{language}/")

    # Whoever follows the link lands on this page, in this language, whatever their browser prefers.
    for preference in ("ar", "en", "fr"):
        response = client.get(short_link, headers={"accept-language": preference}, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == address


def test_a_permanent_link_outlives_a_new_slug(client, conference, django_capture_on_commit_callbacks):
    before = facts(cite_box(client, "en", conference))["Permanent link"]
    with django_capture_on_commit_callbacks(execute=True):
        conference.slug = "cissa-20"
        conference.save()
    after = facts(cite_box(client, "en", conference))["Permanent link"]
    assert record_url(conference, "en") == "/en/conferences/cissa-20/"
    assert before == after
    response = client.get(after, headers={"accept-language": "en"})
    assert response["Location"] == "/en/conferences/cissa-20/"


# --- The conference list's CSV downloads ----------------------------------------------------------------


@pytest.fixture
def listed():
    """Conferences in Libya and Tunisia in 2024 and 2025, and one not yet dated, with their countries."""
    libya, tunisia, egypt = make.named_country("LY"), make.named_country("TN"), make.named_country("EG")
    benghazi = make.conference("benghazi-2025", start=make.day("2025-08-25"), host_country=libya)
    make.participation(benghazi, libya, role="host")
    make.participation(benghazi, egypt)
    tripoli = make.conference("tripoli-2024", start=make.day("2024-12-21"), host_country=libya)
    make.participation(tripoli, libya, role="host")
    make.participation(tripoli, tunisia)
    tunis = make.conference("tunis-2025", start=make.day("2025-06-17"), host_country=tunisia)
    make.participation(tunis, tunisia, role="host")
    make.participation(tunis, libya)
    make.conference("next-meeting", status="planned")
    return benghazi


def download_links(client, query="", language="en"):
    """The list page's CSV downloads: {path: the address linked}."""
    document = parse(get(client, url("conferences:list", language) + query))
    return {
        urlsplit(href).path: href
        for href in links(document)
        if href.startswith("/api/v1/") and urlsplit(href).path.endswith(".csv")
    }


def csv_rows(client, address):
    response = get(client, address)
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_list_links_its_csv_downloads(client, listed):
    found = download_links(client)
    assert set(found) == {"/api/v1/conferences.csv", "/api/v1/participations.csv"}
    rows = csv_rows(client, found["/api/v1/conferences.csv"])
    assert len(rows) == Conference.objects.count() == 4
    assert len(csv_rows(client, found["/api/v1/participations.csv"])) == 6


def test_the_downloads_keep_the_lists_filters(client, listed):
    found = download_links(client, "?country=ly&year=2025&page=1")
    for href in found.values():
        assert parse_qs(urlsplit(href).query) == {"country": ["ly"], "year": ["2025"]}
    assert [row["slug"] for row in csv_rows(client, found["/api/v1/conferences.csv"])] == [listed.slug]
    rows = csv_rows(client, found["/api/v1/participations.csv"])
    assert {row["conference"] for row in rows} == {listed.slug}
    assert len(rows) == 2


def test_an_invalid_filter_is_left_out_of_the_downloads(client, listed):
    found = download_links(client, "?country=zz&status=held", language="ar")
    assert found
    for href in found.values():
        assert parse_qs(urlsplit(href).query) == {"status": ["held"]}
        assert client.get(href).status_code == 200


# --- On a phone, in a real browser ------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_the_cite_box_fits_a_phone_in_both_languages(live_server):
    """The citations wrap inside their box: nothing in it scrolls sideways at 390 px."""
    conference = make.full_conference()
    # A long title, as the real ones are, in both languages.
    Conference.objects.filter(pk=conference.pk).update(
        name_ar="المؤتمر الأول لقادة أجهزة الاستخبارات العسكرية في دول جوار ليبيا ودول الساحل والصحراء حول أمن "
                "الحدود ومكافحة الإرهاب والجريمة المنظمة العابرة للحدود",
        name_en="First Conference of the Chiefs of Military Intelligence of Libya's Neighbours and of the "
                "Sahel-Saharan States on Border Security, Counter-Terrorism and Transnational Organized Crime",
    )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        page = context.new_page()
        for language in LANGUAGES:
            page.goto(f"{live_server.url}{record_url(conference, language)}")
            page.evaluate("document.fonts.ready.then(() => true)")
            assert not page.locator(".cite-box pre[lang=en]").is_visible()  # closed until asked for
            page.locator(".cite-box summary").click()
            assert page.locator(".cite-box pre[lang=en]").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            overflowing = page.evaluate(
                "[...document.querySelectorAll('.cite-box, .cite-box *, .permalink')]"
                ".filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !== 'inline')"
                ".map(e => e.tagName + '.' + e.className)"
            )
            assert overflowing == []
            arabic = page.locator(".cite-box pre[lang=ar]")
            assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
            assert page.locator(".cite-box pre[lang=en]").evaluate("e => getComputedStyle(e).direction") == "ltr"
            # The copy button beside the English citation puts it on the clipboard.
            page.locator(".cite-box pre[lang=en] + .copy-button").click()
            status = page.locator(".cite-box pre[lang=en] + .copy-button + .copy-status")
            status.wait_for()
            with translation.override(language):
                assert status.text_content() == translation.gettext("Copied")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == page.locator(".cite-box pre[lang=en]").text_content().strip()
            assert f"/c/{conference.pk}/en/" in copied
        browser.close()


# --- Under the title, without JavaScript; copy buttons where it runs ----------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cite_box_is_a_disclosure_right_under_the_title(client, conference, language):
    """A <details>: it opens without any script, and sits before the page's first section."""
    document = record_page(client, conference, language)
    article = document.xpath("//article")[0]
    order = [element.tag for element in article.iterchildren() if element.tag in ("h1", "details", "section")]
    assert order[:3] == ["h1", "details", "section"]
    box = article.xpath('./details[@class="cite-box"]')[0]
    with translation.override(language):
        assert text(box.xpath("./summary")[0]) == translation.gettext("Cite / permanent link")
    assert box.xpath(".//pre") and not box.xpath(".//*[@hidden]")


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_copy_script_is_a_static_file_loaded_with_defer_under_the_same_csp(client, conference):
    response = get(client, record_url(conference, "en"))
    document = parse(response)
    scripts = document.xpath("//script[not(@type='application/ld+json')]")
    loaded = [(script.get("src"), script.get("defer") is not None) for script in scripts]
    assert loaded == [("/static/js/cite.js", True)]
    assert all(not (script.text or "").strip() for script in scripts)  # no inline script
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["script-src"] == "'self'"

    script = get(client, "/static/js/cite.js")
    assert "javascript" in script["Content-Type"]
    source = body_of(script).decode()
    assert "navigator.clipboard" in source and "cite-box" in source
    box = document.xpath('//details[@class="cite-box"]')[0]
    assert (box.get("data-copy-label"), box.get("data-copied-label")) == ("Copy", "Copied")


# --- For a reference manager: RIS, CSL-JSON and the citation_* meta tags ---------------------------------


def downloads(box):
    """The cite box's downloads: {type: href}."""
    return {anchor.get("type"): anchor.get("href") for anchor in box.xpath(".//a[@download]")}


RIS_LINE = re.compile(r"[A-Z][A-Z0-9]  - .*")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ris_download_is_the_page_in_its_language(client, conference, language):
    address = downloads(cite_box(client, language, conference))["application/x-research-info-systems"]
    response = get(client, address)
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert response["Content-Disposition"] == f'attachment; filename="secconf-africa-c{conference.pk}-{language}.ris"'

    lines = response.content.decode("utf-8").splitlines()
    assert all(RIS_LINE.fullmatch(line) for line in lines), lines
    fields = {line[:2]: line[6:] for line in lines}
    assert (lines[0], lines[-1].rstrip()) == ("TY  - ELEC", "ER  -")
    assert fields["TI"] == getattr(conference, f"name_{language}")
    assert fields["UR"] == f"http://testserver/c/{conference.pk}/{language}/"
    assert (fields["PY"], fields["DA"]) == ("2026", "2026/03/04")  # the last update
    assert fields["Y2"] == timezone.localdate().strftime("%Y/%m/%d")
    assert fields["LA"] == language
    followed = client.get(fields["UR"], headers={"accept-language": "fr"})
    assert followed["Location"] == record_url(conference, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_csl_json_download_is_the_page_in_its_language(client, conference, language):
    address = downloads(cite_box(client, language, conference))["application/vnd.citationstyles.csl+json"]
    response = get(client, address)
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert response["Content-Disposition"] == f'attachment; filename="secconf-africa-c{conference.pk}-{language}.json"'

    [item] = json.loads(response.content)
    assert item["id"] == f"secconf-africa-c{conference.pk}-{language}"
    assert item["type"] == "webpage"
    assert item["title"] == getattr(conference, f"name_{language}")
    assert item["URL"] == f"http://testserver/c/{conference.pk}/{language}/"
    assert item["issued"] == {"date-parts": [[2026, 3, 4]]}
    today = timezone.localdate()
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["language"] == language
    site = {"en": "Security Conferences in Africa", "ar": "مؤتمرات الأمن في أفريقيا"}[language]
    assert item["container-title"] == site


def test_the_downloads_under_an_old_slug_lead_to_the_new_one(client, conference):
    old = downloads(cite_box(client, "en", conference))
    conference.slug = "cissa-20"
    conference.save()
    for address in old.values():
        response = client.get(address)
        assert response.status_code == 301
        assert response["Location"] == address.replace("cissa-20-benghazi-2025", "cissa-20")
        assert client.get(response["Location"]).status_code == 200


def test_the_bibtex_key_and_the_links_outlive_a_new_slug(client, conference):
    before = bibtex_of(cite_box(client, "en", conference)).text_content()
    conference.slug = "cissa-20"
    conference.save()
    after = bibtex_of(cite_box(client, "en", conference)).text_content()
    (key_before, fields_before), (key_after, fields_after) = parse_bibtex(before), parse_bibtex(after)
    assert key_before == key_after == f"secconf-africa-c{conference.pk}-en"
    assert fields_before["url"] == fields_after["url"] == f"http://testserver/c/{conference.pk}/en/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_conference_page_carries_the_citation_meta_tags_a_reference_manager_reads(client, conference, language):
    document = record_page(client, conference, language)
    assert meta(document, "citation_title") == getattr(conference, f"name_{language}")
    assert meta(document, "citation_date") == meta(document, "citation_publication_date") == "2026/03/04"
    assert meta(document, "citation_public_url") == f"http://testserver/c/{conference.pk}/{language}/"
    assert meta(document, "citation_language") == language
    assert meta(document, "citation_author") == {
        "en": "Security Conferences in Africa", "ar": "مؤتمرات الأمن في أفريقيا"
    }[language]


# --- No <time> without a date ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_not_stated_is_plain_text_not_a_time_element(client, language):
    """<time> needs a machine-readable date: a conference with none says so in plain words."""
    series = make.series("undated-series")
    undated = make.conference("undated-meeting", status="planned", series=series, host_country=make.named_country("LY"))
    dated = make.conference("dated-meeting", start=make.day("2025-08-25"), series=series)
    pages = [record_url(undated, language), record_url(dated, language), record_url(series, language),
             record_url(undated.host_country, language), url("conferences:list", language),
             url("pages:home", language), url("series:list", language)]
    with translation.override(language):
        not_stated, dates = format_partial_date(None), translation.gettext("Dates")
    for address in pages:
        document = parse(get(client, address))
        assert document.xpath("//time[not(@datetime) or @datetime='']") == [], address
    facts_shown = facts(record_page(client, undated, language).xpath('//dl[@class="facts"]')[0])
    assert not_stated in facts_shown[dates]
    assert parse(get(client, record_url(dated, language))).xpath("//dl[@class='facts']//time/@datetime") == [
        "2025-08-25"
    ]
