"""The head of every page: its own description, and the preview a pasted link shows.

A link pasted into an article, a chat or a social network shows the page's title and
description in the page's language (Open Graph and Twitter card tags), and points to the
canonical address of the page.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from conferences.models import Conference, Series, SourceReport, Topic
from core.bilingual import has_arabic
from organizations.models import Organization
from participants.models import Country, Person
from tests import factories as make
from tests.helpers import LANGUAGES, get, head_links, meta, parse, url

pytestmark = pytest.mark.django_db

LOCALES = {"ar": "ar_AR", "en": "en_US"}
SITE_DESCRIPTION = (
    "A bilingual reference on security and intelligence conferences in Africa, every fact backed by the "
    "reports it comes from."
)

# A summary longer than a description may be, in English; the Arabic one is short.
LONG_SUMMARY_EN = (
    "At the close of the second conference, the chairman of the committee announced that its third edition "
    "would be held in Libya, at a date and in a city that the member services have still to agree on."
)
SHORT_SUMMARY_AR = "أعلن رئيس اللجنة في ختام المؤتمر الثاني أن الدورة الثالثة ستُعقد في ليبيا."


def world():
    """A record of every kind with a page: full_conference() (Tripoli, 2024) and its records, a planned
    edition with a long English summary, a meeting in Morocco, a person and an organization described in
    both languages, and an organization described in neither."""
    summit = make.full_conference()
    make.conference(
        "next-summit", status="planned", host_country=summit.host_country, series=summit.series, edition=3,
        name_ar="المؤتمر الثالث لقادة الاستخبارات العسكرية", name_en="Third Conference of Military Intelligence Chiefs",
        summary_ar=SHORT_SUMMARY_AR, summary_en=LONG_SUMMARY_EN,
    )
    make.conference(
        "agadir-2025", start=make.day("2025-06-17"), host_country=make.named_country("MA"),
        name_ar="اجتماع أكادير", name_en="Agadir meeting", city_ar="أكادير", city_en="Agadir",
        summary_ar="اجتمعت الأجهزة في أكادير.", summary_en="The services met in Agadir.",
    )
    Topic.objects.filter(slug="terrorism").update(
        description_ar="مكافحة الإرهاب والجماعات الإرهابية.",
        description_en="Countering terrorism and terrorist groups.",
    )
    Organization.objects.filter(slug="military-intelligence").update(
        description_ar="جهاز الاستخبارات العسكرية الليبي.", description_en="Libya's military intelligence service."
    )
    make.person("hassan-nouri", name_ar="حسن النوري", name_en="Hassan al-Nouri", rank_ar="الفريق أول",
                rank_en="General", description_ar="رئيس جهاز المخابرات منذ 2021.",
                description_en="Head of the intelligence service since 2021.")
    # No description in either language: the page describes itself in a sentence of its own.
    make.organization("dged", name_ar="المديرية العامة للدراسات والمستندات",
                      name_en="General Directorate for Studies and Documentation", acronym="DGED",
                      country=make.named_country("MA"), kind="intelligence-service")


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
    ("conferences:detail", {"slug": "summit-2025"}, "article", record_title(Conference, slug="summit-2025")),
    ("conferences:detail", {"slug": "next-summit"}, "article", record_title(Conference, slug="next-summit")),
    ("conferences:detail", {"slug": "agadir-2025"}, "article", record_title(Conference, slug="agadir-2025")),
    ("topics:detail", {"slug": "terrorism"}, "website", record_title(Topic, slug="terrorism")),
    ("sources:detail", {"slug": "report-ar"}, "article", lambda: SourceReport.objects.get(slug="report-ar").title),
    ("countries:detail", {"code": "ly"}, "website", record_title(Country, code="LY")),
    ("countries:detail", {"code": "eg"}, "website", record_title(Country, code="EG")),
    # Described in both languages, and not at all (a sentence of its own).
    ("people:detail", {"slug": "hassan-nouri"}, "profile", record_title(Person, slug="hassan-nouri")),
    ("people:detail", {"slug": "mahmoud-hamza"}, "profile", record_title(Person, slug="mahmoud-hamza")),
    ("organizations:detail", {"slug": "military-intelligence"}, "website",
     lambda: str(Organization.objects.get(slug="military-intelligence"))),
    ("organizations:detail", {"slug": "dged"}, "website", lambda: str(Organization.objects.get(slug="dged"))),
    ("pages:search", {}, "website", lambda: pgettext("page heading", "Search")),
    ("series:list", {}, "website", lambda: pgettext("plural", "Series")),
    ("series:detail", {"slug": "intelligence-chiefs"}, "website",
     record_title(Series, slug="intelligence-chiefs")),
]


def page_id(entry):
    name, kwargs, _type, _title = entry
    return "-".join([name, *kwargs.values()])


def head(client, name, language, query="", **kwargs):
    """The parsed page, for its head."""
    return parse(get(client, url(name, language, **kwargs) + query))


def values(document, key):
    """The content of every <meta name=key> or <meta property=key> in the head."""
    return document.xpath(f'//head/meta[@name="{key}" or @property="{key}"]/@content')


def one(document, key):
    found = values(document, key)
    assert len(found) == 1, (key, found)
    return found[0]


def canonical(document):
    return [link.get("href") for link in head_links(document, "canonical")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entry", PAGES, ids=page_id)
def test_every_page_has_a_preview_in_its_language(client, entry, language):
    world()
    name, kwargs, og_type, title = entry
    document = head(client, name, language, **kwargs)
    with translation.override(language):
        expected_title = title()
        site_name = gettext("Security Conferences in Africa")

    description = one(document, "description")
    assert description
    assert len(description) <= 160
    assert one(document, "og:description") == description
    assert one(document, "twitter:description") == description

    assert one(document, "og:title") == expected_title
    assert one(document, "twitter:title") == expected_title
    assert one(document, "og:site_name") == site_name
    assert one(document, "og:type") == og_type
    assert one(document, "twitter:card") == "summary_large_image"
    assert one(document, "og:image").startswith("http://testserver/")

    # The preview links to the canonical address, and says which language it is in.
    assert canonical(document) == ["http://testserver" + url(name, language, **kwargs)]
    assert one(document, "og:url") == canonical(document)[0]
    assert one(document, "og:locale") == LOCALES[language]
    assert values(document, "og:locale:alternate") == [LOCALES["en" if language == "ar" else "ar"]]

    # The title and the description are in the page's language, never the other one's.
    if language == "ar":
        assert has_arabic(expected_title) and has_arabic(description)
    else:
        assert not has_arabic(expected_title) and not has_arabic(description)


@pytest.mark.slow  # every kind of page, fetched in one test
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_describes_itself_differently(client, language):
    world()
    descriptions = {
        page_id(entry): one(head(client, entry[0], language, **entry[1]), "description") for entry in PAGES
    }
    assert len(set(descriptions.values())) == len(descriptions), descriptions
    with translation.override(language):
        assert gettext(SITE_DESCRIPTION) not in descriptions.values()


@pytest.mark.parametrize(
    ("slug", "language", "start", "cut"),
    [
        ("next-summit", "en", "At the close of the second conference", True),
        ("next-summit", "ar", "أعلن رئيس اللجنة", False),
        ("summit-2025", "en", "Military intelligence chiefs met in Tripoli.", False),
    ],
)
def test_a_conference_is_described_by_its_summary_cut_at_a_word(client, slug, language, start, cut):
    world()
    summary = getattr(Conference.objects.get(slug=slug), f"summary_{language}")
    description = one(head(client, "conferences:detail", language, slug=slug), "description")

    assert description.startswith(start)
    assert (len(summary) > 160) is cut
    if cut:
        assert description.endswith("…")
        assert summary.startswith(description.removesuffix("…"))
        assert summary[len(description) - 1] == " "  # cut between words, not inside one
    else:
        assert description == summary


def test_an_organization_without_a_description_gets_a_sentence_of_its_own(client):
    world()
    description = one(head(client, "organizations:detail", "en", slug="dged"), "description")
    assert description.startswith("General Directorate for Studies and Documentation (DGED): its part in security")
    description = one(head(client, "organizations:detail", "ar", slug="dged"), "description")
    assert description.startswith("المديرية العامة للدراسات والمستندات (DGED) في مؤتمرات الأمن في أفريقيا")


def test_a_description_missing_in_english_is_not_shown_in_arabic_on_the_english_page(client):
    make.person("hussein-ayeb", name_ar="حسين محمد خليفة العائب", name_en="Hussein Mohammed Khalifa al-Ayeb",
                description_ar="رئيس جهاز المخابرات الليبية.", description_en="")
    description = one(head(client, "people:detail", "en", slug="hussein-ayeb"), "description")
    assert description == (
        "Hussein Mohammed Khalifa al-Ayeb: positions and attendance at security conferences in Africa, "
        "as the cited reports record them."
    )


def test_a_filtered_list_previews_its_own_address(client):
    make.conference(start=make.day("2025-08-25"), host_country=make.named_country("LY"))
    document = head(client, "conferences:list", "en", query="?country=ly&year=2025")
    assert canonical(document) == ["http://testserver/en/conferences/?country=ly&year=2025"]
    assert one(document, "og:url") == canonical(document)[0]


def test_a_topic_page_says_what_the_topic_is(client):
    make.topic("terrorism", "الإرهاب", "Terrorism", description_ar="مكافحة الإرهاب والجماعات الإرهابية.",
               description_en="Countering terrorism and terrorist groups.")
    assert one(head(client, "topics:detail", "en", slug="terrorism"), "description") == (
        "Terrorism: Countering terrorism and terrorist groups. "
        "Security conferences in Africa that discussed this topic."
    )
    assert one(head(client, "topics:detail", "ar", slug="terrorism"), "description") == (
        "الإرهاب: مكافحة الإرهاب والجماعات الإرهابية. مؤتمرات الأمن في أفريقيا التي تناولت هذا الموضوع."
    )


def test_a_conference_preview_is_an_article_with_its_last_update(client):
    conference = make.full_conference()
    conference.refresh_from_db()
    document = head(client, "conferences:detail", "en", slug=conference.slug)
    assert one(document, "article:modified_time") == conference.updated_at.isoformat()
    # Lists are websites, and carry no article dates.
    assert meta(head(client, "conferences:list", "en"), "article:modified_time") is None


def test_a_search_names_its_words_in_the_preview(client):
    document = head(client, "pages:search", "en", query="?q=CISSA")
    assert one(document, "og:title") == "Search: CISSA"
    assert one(document, "description").startswith("Search the security and intelligence conferences")
