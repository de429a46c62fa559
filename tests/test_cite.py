"""Linking and citing: a permanent link on every record page, "Cite this page" on conference
pages, and the conference list's CSV downloads.

The tests read the pages as a visitor does: the text of the cite box, the link that is shown
and where following it leads, the files the download links give.
"""

import csv
import datetime
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from conferences.models import Conference
from core.bilingual import has_arabic
from core.dates import format_partial_date

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en"]
CISSA_20 = "cissa-20-benghazi-2025"


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


class Text(HTMLParser):
    """A page's visible text, its <pre> blocks (with their attributes) and its <dt>/<dd> pairs."""

    def __init__(self, content):
        super().__init__(convert_charrefs=True)
        self.pres, self.terms, self.links, self._text = [], [], [], []
        self._pre = self._term = None
        self.feed(content)
        self.text = re.sub(r"\s+", " ", "".join(self._text))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "pre":
            self._pre = {"attrs": attrs, "text": ""}
            self.pres.append(self._pre)
        elif tag in ("dt", "dd"):
            self._term = [tag, ""]
            self.terms.append(self._term)
        elif tag == "a":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "pre":
            self._pre = None
        elif tag in ("dt", "dd"):
            self._term = None

    def handle_data(self, data):
        self._text.append(data)
        if self._pre is not None:
            self._pre["text"] += data
        if self._term is not None:
            self._term[1] += data

    def facts(self):
        """The definition list as {term: description}."""
        pairs, term = {}, None
        for tag, text in self.terms:
            if tag == "dt":
                term = text.strip()
            elif term is not None:
                pairs[term] = re.sub(r"\s+", " ", text).strip()
        return pairs


def cite_box(client, language, slug=CISSA_20):
    response = client.get(url("conferences:detail", language, slug=slug))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="cite-box"') == 1
    section = content.split('class="cite-box"', 1)[1].split("</section>", 1)[0]
    return Text(section)


def today_as_shown(language):
    """Today's date as a page in `language` writes it (computed on either side of midnight)."""
    with translation.override(language):
        return {format_partial_date(timezone.localdate())}


# --- The cite box ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cite_box_shows_link_title_last_update_and_access_date(client, language):
    conference = Conference.objects.get(slug=CISSA_20)
    Conference.objects.filter(pk=conference.pk).update(
        updated_at=datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    )
    expected_today = today_as_shown(language)
    box = cite_box(client, language)
    expected_today |= today_as_shown(language)
    short_link = f"http://testserver/c/{conference.pk}/"

    heading, link, title, updated, accessed = {
        "en": ("Cite this page", "Permanent link", "Title", "Last updated", "Accessed"),
        "ar": ("استشهد بهذه الصفحة", "الرابط الدائم", "العنوان", "آخر تحديث", "تاريخ الاطلاع"),
    }[language]
    facts = box.facts()
    assert heading in box.text
    assert facts[link] == short_link
    assert {"href": short_link, "dir": "ltr"} in box.links
    assert facts[title] == getattr(conference, f"name_{language}")
    assert facts[updated] == {"en": "4 March 2026", "ar": "4 مارس 2026"}[language]
    assert facts[accessed] in expected_today


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_citations_are_on_both_pages_each_in_its_own_direction(client, language):
    conference = Conference.objects.get(slug=CISSA_20)
    Conference.objects.filter(pk=conference.pk).update(
        updated_at=datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    )
    today = timezone.localdate()
    box = cite_box(client, language)
    short_link = f"http://testserver/c/{conference.pk}/"
    arabic, english = (pre for pre in box.pres if "bibtex" not in pre["attrs"].get("class", ""))

    assert (arabic["attrs"]["dir"], arabic["attrs"]["lang"]) == ("rtl", "ar")
    with translation.override("ar"):
        accessed_ar = format_partial_date(today)
    # «مؤتمر … «سيسا 20»» would nest guillemets: the Arabic title is quoted with plain quotation marks.
    assert arabic["text"] == (
        f'"{conference.name_ar}"، مؤتمرات الأمن في أفريقيا، آخر تحديث: 4 مارس 2026، '
        f"\u2066{short_link}\u2069 (تاريخ الاطلاع: {accessed_ar})."
    )

    assert (english["attrs"]["dir"], english["attrs"]["lang"]) == ("ltr", "en")
    with translation.override("en"):
        accessed_en = format_partial_date(today)
    assert english["text"] == (
        f"“{conference.name_en}”. Security Conferences in Africa. Last updated 4 March 2026. "
        f"{short_link} (accessed {accessed_en})."
    )
    assert not has_arabic(english["text"])


def test_an_arabic_title_without_guillemets_is_quoted_with_them(client):
    Conference.objects.filter(slug=CISSA_20).update(name_ar="مؤتمر سيسا العشرون")
    box = cite_box(client, "en")
    arabic = next(pre for pre in box.pres if pre["attrs"].get("lang") == "ar")
    assert arabic["text"].startswith("«مؤتمر سيسا العشرون»، مؤتمرات الأمن في أفريقيا")


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
def test_the_bibtex_entry_is_well_formed_and_in_the_pages_language(client, language):
    conference = Conference.objects.get(slug=CISSA_20)
    Conference.objects.filter(pk=conference.pk).update(
        updated_at=datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    )
    box = cite_box(client, language)
    bibtex = next(pre for pre in box.pres if "bibtex" in pre["attrs"].get("class", ""))
    assert bibtex["attrs"]["dir"] == "ltr"

    key, fields = parse_bibtex(bibtex["text"])
    assert key == CISSA_20
    assert fields["title"] == "{" + getattr(conference, f"name_{language}") + "}"
    assert fields["howpublished"] == rf"\url{{http://testserver/c/{conference.pk}/}}"
    assert (fields["year"], fields["month"]) == ("2026", "mar")  # of the last update
    assert fields["urldate"] == timezone.localdate().isoformat()
    with translation.override(language):
        accessed = format_partial_date(timezone.localdate())
    assert fields["note"] == {"en": f"Accessed {accessed}", "ar": f"تاريخ الاطلاع: {accessed}"}[language]
    assert fields["language"] == {"en": "english", "ar": "arabic"}[language]


def test_bibtex_special_characters_in_a_title_are_escaped(client):
    Conference.objects.filter(slug=CISSA_20).update(name_en="R&D {security} at 100% for #1_team ~ ^")
    box = cite_box(client, "en")
    _key, fields = parse_bibtex(next(pre["text"] for pre in box.pres if "bibtex" in pre["attrs"]["class"]))
    assert fields["title"] == (
        r"{R\&D \{security\} at 100\% for \#1\_team \textasciitilde{} \textasciicircum{}}"
    )


# --- The permanent link of every record page --------------------------------------------------------------


DETAIL_PAGES = [
    ("conferences:detail", {"slug": CISSA_20}, "/c/"),
    ("people:detail", {"slug": "hussein-al-ayeb"}, "/p/"),
    ("organizations:detail", {"slug": "cissa"}, "/o/"),
    ("sources:detail", {"slug": "espacemanager-cissa-20-closing"}, "/s/"),
    ("topics:detail", {"slug": "terrorism"}, "/t/"),
    ("countries:detail", {"code": "ly"}, "/k/"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "prefix"), DETAIL_PAGES)
def test_every_record_page_shows_its_permanent_link_and_it_leads_back(client, name, kwargs, prefix, language):
    page = url(name, language, **kwargs)
    content = client.get(page).content.decode()
    line = content.split('<p class="permalink">', 1)[1].split("</p>", 1)[0]
    html = Text(line)
    label = {"en": "Permanent link:", "ar": "الرابط الدائم:"}[language]
    assert html.text.startswith(label)
    short_link = html.links[0]["href"]
    assert short_link == html.text.removeprefix(label).strip()
    assert short_link.startswith(f"http://testserver{prefix}")

    # A visitor reading in this language who follows the link lands on this page.
    response = client.get(short_link, headers={"accept-language": language}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == page


def test_a_permanent_link_outlives_a_new_slug(client):
    conference = Conference.objects.get(slug=CISSA_20)
    before = Text(client.get(url("conferences:detail", "en", slug=CISSA_20)).content.decode())
    conference.slug = "cissa-20"
    conference.save()
    after = Text(client.get(url("conferences:detail", "en", slug="cissa-20")).content.decode())
    assert before.facts()["Permanent link"] == after.facts()["Permanent link"]
    response = client.get(after.facts()["Permanent link"], headers={"accept-language": "en"})
    assert response["Location"] == "/en/conferences/cissa-20/"


# --- The conference list's CSV downloads ----------------------------------------------------------------


def download_links(client, query="", language="en"):
    content = client.get(url("conferences:list", language) + query).content.decode()
    html = Text(content)
    return {
        urlsplit(link["href"]).path: link["href"]
        for link in html.links
        if link.get("href", "").startswith("/api/v1/") and link["href"].split("?")[0].endswith(".csv")
    }


def test_the_list_links_its_csv_downloads(client):
    links = download_links(client)
    assert set(links) == {"/api/v1/conferences.csv", "/api/v1/participations.csv"}
    rows = list(csv.DictReader(io.StringIO(client.get(links["/api/v1/conferences.csv"]).content.decode("utf-8-sig"))))
    assert len(rows) == Conference.objects.count()


def test_the_downloads_keep_the_lists_filters(client):
    links = download_links(client, "?country=ly&year=2025&page=1")
    for href in links.values():
        assert parse_qs(urlsplit(href).query) == {"country": ["ly"], "year": ["2025"]}
    response = client.get(links["/api/v1/conferences.csv"])
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == [CISSA_20]
    response = client.get(links["/api/v1/participations.csv"])
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["conference"] for row in rows} == {CISSA_20}


def test_an_invalid_filter_is_left_out_of_the_downloads(client):
    links = download_links(client, "?country=zz&status=held", language="ar")
    for href in links.values():
        assert parse_qs(urlsplit(href).query) == {"status": ["held"]}
        assert client.get(href).status_code == 200


# --- On a phone, in a real browser ------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_the_cite_box_fits_a_phone_in_both_languages(live_server):
    """The citations wrap inside their box: nothing in it scrolls sideways at 390 px."""
    call_command("load_seeds", verbosity=0)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for language in LANGUAGES:
            page.goto(f"{live_server.url}/{language}/conferences/marrakech-platform-4-agadir-2025/")
            page.evaluate("document.fonts.ready.then(() => true)")
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
        browser.close()
