"""The head of every page: its own description, and the preview a pasted link shows.

A link pasted into an article, a chat or a social network shows the page's title and
description in the page's language (Open Graph and Twitter card tags), and points to the
canonical address of the page.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from conferences.models import Conference, Series, SourceReport, Topic
from core.bilingual import has_arabic
from organizations.models import Organization
from participants.models import Country, Person

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en"]
LOCALES = {"ar": "ar_AR", "en": "en_US"}
SITE_DESCRIPTION = (
    "A bilingual reference on security and intelligence conferences in Africa, every fact backed by the "
    "reports it comes from."
)


def record_title(model, **lookup):
    return lambda: str(model.objects.get(**lookup).name)


# Every kind of page: its URL name and arguments, its Open Graph type, and the title its
# preview shows (read in the page's language).
PAGES = [
    ("pages:home", {}, "website", lambda: gettext("Security and intelligence conferences in Africa")),
    ("conferences:list", {}, "website", lambda: gettext("Conferences")),
    ("topics:list", {}, "website", lambda: gettext("Topics")),
    ("sources:list", {}, "website", lambda: gettext("Sources")),
    ("countries:list", {}, "website", lambda: gettext("Countries")),
    ("people:list", {}, "website", lambda: gettext("People")),
    ("organizations:list", {}, "website", lambda: gettext("Organizations")),
    ("conferences:detail", {"slug": "cissa-20-benghazi-2025"}, "article",
     record_title(Conference, slug="cissa-20-benghazi-2025")),
    ("conferences:detail", {"slug": "cissa-21"}, "article", record_title(Conference, slug="cissa-21")),
    ("conferences:detail", {"slug": "marrakech-platform-4-agadir-2025"}, "article",
     record_title(Conference, slug="marrakech-platform-4-agadir-2025")),
    ("topics:detail", {"slug": "terrorism"}, "website", record_title(Topic, slug="terrorism")),
    ("sources:detail", {"slug": "espacemanager-cissa-20-closing"}, "article",
     lambda: SourceReport.objects.get(slug="espacemanager-cissa-20-closing").title),
    ("countries:detail", {"code": "ly"}, "website", record_title(Country, code="LY")),
    ("countries:detail", {"code": "eg"}, "website", record_title(Country, code="EG")),
    ("people:detail", {"slug": "hussein-al-ayeb"}, "profile", record_title(Person, slug="hussein-al-ayeb")),
    ("people:detail", {"slug": "abdellatif-hammouchi"}, "profile",
     record_title(Person, slug="abdellatif-hammouchi")),
    ("organizations:detail", {"slug": "cissa"}, "website", lambda: str(Organization.objects.get(slug="cissa"))),
    # No description in either language: the page describes itself in a sentence of its own.
    ("organizations:detail", {"slug": "dged"}, "website", lambda: str(Organization.objects.get(slug="dged"))),
    ("pages:search", {}, "website", lambda: pgettext("page heading", "Search")),
    ("series:list", {}, "website", lambda: pgettext("plural", "Series")),
    ("series:detail", {"slug": "cissa-conferences"}, "website", record_title(Series, slug="cissa-conferences")),
]


def page_id(page):
    name, kwargs, _type, _title = page
    return "-".join([name, *kwargs.values()])


class Head(HTMLParser):
    """The <meta> tags, the canonical link and the <title> of a page."""

    def __init__(self, content):
        super().__init__(convert_charrefs=True)
        self.meta = {}
        self.meta_count = {}
        self.canonical = []
        self._in_title = False
        self.title = ""
        self.feed(content.decode())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def one(self, key):
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def head(client, name, language, query="", **kwargs):
    response = client.get(url(name, language, **kwargs) + query)
    assert response.status_code == 200
    return Head(response.content)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_page_has_a_preview_in_its_language(client, page, language):
    name, kwargs, og_type, title = page
    html = head(client, name, language, **kwargs)
    with translation.override(language):
        expected_title = title()
        site_name = gettext("Security Conferences in Africa")

    description = html.one("description")
    assert description
    assert len(description) <= 160
    assert html.one("og:description") == description
    assert html.one("twitter:description") == description

    assert html.one("og:title") == expected_title
    assert html.one("twitter:title") == expected_title
    assert html.one("og:site_name") == site_name
    assert html.one("og:type") == og_type
    assert html.one("twitter:card") == "summary"

    # The preview links to the canonical address, and says which language it is in.
    assert html.canonical == ["http://testserver" + url(name, language, **kwargs)]
    assert html.one("og:url") == html.canonical[0]
    assert html.one("og:locale") == LOCALES[language]
    assert html.meta["og:locale:alternate"] == [LOCALES["en" if language == "ar" else "ar"]]

    # The title and the description are in the page's language, never the other one's.
    if language == "ar":
        assert has_arabic(expected_title) and has_arabic(description)
    else:
        assert not has_arabic(expected_title) and not has_arabic(description)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_describes_itself_differently(client, language):
    descriptions = {
        page_id(page): head(client, page[0], language, **page[1]).one("description") for page in PAGES
    }
    assert len(set(descriptions.values())) == len(descriptions), descriptions
    with translation.override(language):
        assert gettext(SITE_DESCRIPTION) not in descriptions.values()


@pytest.mark.parametrize(("language", "start"), [("en", "At the close of the 20th conference"), ("ar", "أعلن رئيس")])
def test_a_conference_is_described_by_its_summary_cut_at_a_word(client, language, start):
    conference = Conference.objects.get(slug="cissa-21")
    summary = getattr(conference, f"summary_{language}")
    description = head(client, "conferences:detail", language, slug="cissa-21").one("description")

    assert description.startswith(start)
    if len(summary) > 160:
        assert description.endswith("…")
        assert summary.startswith(description.removesuffix("…"))
        assert summary[len(description) - 1] == " "  # cut between words, not inside one
    else:
        assert description == summary


def test_an_organization_without_a_description_gets_a_sentence_of_its_own(client):
    description = head(client, "organizations:detail", "en", slug="dged").one("description")
    assert description.startswith("General Directorate for Studies and Documentation (DGED): its part in security")
    description = head(client, "organizations:detail", "ar", slug="dged").one("description")
    assert description.startswith("المديرية العامة للدراسات والمستندات (DGED) في مؤتمرات الأمن في أفريقيا")


def test_a_description_missing_in_english_is_not_shown_in_arabic_on_the_english_page(client):
    Person.objects.filter(slug="hussein-al-ayeb").update(description_en="")
    description = head(client, "people:detail", "en", slug="hussein-al-ayeb").one("description")
    assert description == (
        "Hussein Mohammed Khalifa al-Ayeb: positions and attendance at security conferences in Africa, "
        "as the cited reports record them."
    )


def test_a_filtered_list_previews_its_own_address(client):
    html = head(client, "conferences:list", "en", query="?country=ly&year=2025")
    assert html.canonical == ["http://testserver/en/conferences/?country=ly&year=2025"]
    assert html.one("og:url") == html.canonical[0]


def test_a_topic_page_says_what_the_topic_is(client):
    assert head(client, "topics:detail", "en", slug="terrorism").one("description") == (
        "Terrorism: Countering terrorism and terrorist groups. "
        "Security conferences in Africa that discussed this topic."
    )
    assert head(client, "topics:detail", "ar", slug="terrorism").one("description") == (
        "الإرهاب: مكافحة الإرهاب والجماعات الإرهابية. مؤتمرات الأمن في أفريقيا التي تناولت هذا الموضوع."
    )


def test_a_conference_preview_is_an_article_with_its_last_update(client):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    html = head(client, "conferences:detail", "en", slug=conference.slug)
    assert html.one("article:modified_time") == conference.updated_at.isoformat()
    # Lists are websites, and carry no article dates.
    assert "article:modified_time" not in head(client, "conferences:list", "en").meta


def test_a_search_names_its_words_in_the_preview(client):
    html = head(client, "pages:search", "en", query="?q=CISSA")
    assert html.one("og:title") == "Search: CISSA"
    assert html.one("description").startswith("Search the security and intelligence conferences")
