"""The public search, read as a visitor reads it, on SQLite and PostgreSQL.

The table of spellings below is the heart of it: every way a reader may type a name (Arabic
hamza, ta marbuta, alef maqsura, short vowels, tatweel, the article; English transliterations
and their aliases) must lead to the same record, on both databases.

The records: `world_indexed_by_rebuild` builds, once for the module, people, organizations,
conferences, countries, topics and sources written as the reports write them (with their
alternative names), and indexes them with `search.index.rebuild()`; it keeps them in a
transaction that each test runs inside of and that is rolled back after the module. A test that
adds or changes records does it inside `django_capture_on_commit_callbacks(execute=True)`, so the
index follows the save after the commit, as it does for an editor (its docstring says so).
"""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation

from conferences.models import Conference, Series, SourceReport, Topic
from core.arabic import query_keys, search_key
from core.changes import bulk_write
from organizations.models import Organization
from participants.models import Country, Person
from search import index
from search import query as search_query
from search.models import SearchEntry, SearchKind
from search.query import Query
from tests import factories as make
from tests.helpers import LANGUAGES, get, page_text, parse, text, url

pytestmark = pytest.mark.django_db

KIND_VIEWS = {
    "conference": "conferences:detail",
    "series": "series:detail",
    "person": "people:detail",
    "organization": "organizations:detail",
    "country": "countries:detail",
    "topic": "topics:detail",
    "source": "sources:detail",
}

# Names as the reports write them; the tests below look for them on the results page.
AL_AYEB_AR = "حسين محمد خليفة العائب"
AL_AYEB_EN = "Hussein Mohammed Khalifa al-Ayeb"
CISSA_AR = "لجنة أجهزة الأمن والاستخبارات الأفريقية"
CISSA_EN = "Committee of Intelligence and Security Services of Africa"
CISSA_20_AR = "مؤتمر لجنة أجهزة الأمن والاستخبارات الإفريقية «سيسا 20»"


def build_world():
    """The records the spelling table is about, each with the spellings the reports use."""
    libya = make.named_country("LY")
    morocco = make.named_country("MA")
    make.named_country("EG")
    make.named_country("TR")

    cissa = make.organization(
        "cissa", name_ar=CISSA_AR, name_en=CISSA_EN, acronym="CISSA",
        description_ar="تجمع أجهزة الأمن والاستخبارات في القارة.",
        description_en="Brings together the continent's intelligence and security services.",
    )
    make.organization_alias(cissa, "سيسا", language="ar", script="Arab")
    make.organization_alias(cissa, "لجنة أجهزة الأمن والمخابرات الإفريقية", language="ar", script="Arab")
    # Names CISSA and the UN in its texts, but not in its name: ranked after them (it sorts before them).
    make.organization(
        "african-union", name_ar="الاتحاد الأفريقي", name_en="African Union", acronym="AU",
        description_ar="يعمل مع سيسا ومع الأمم المتحدة.", description_en="Works with CISSA and with the UN.",
    )
    make.organization("united-nations", name_ar="الأمم المتحدة", name_en="United Nations", acronym="UN")
    unoct = make.organization("unoct", name_ar="مكتب الأمم المتحدة لمكافحة الإرهاب",
                              name_en="United Nations Office of Counter-Terrorism", acronym="UNOCT")
    make.organization_alias(unoct, "UN Office of Counter-Terrorism")
    service = make.organization(
        "libyan-intelligence-service", name_ar="جهاز المخابرات الليبية", name_en="Libyan Intelligence Service",
        acronym="LIS", kind="intelligence-service", country=libya,
    )
    make.organization(
        "libyan-national-army", name_ar="القوات المسلحة العربية الليبية", name_en="Libyan National Army",
        acronym="LNA", kind="armed-forces", country=libya,
        description_ar="بقيادة المشير خليفة حفتر.", description_en="Commanded by Field Marshal Khalifa Haftar.",
    )
    make.organization(
        "lna-general-staff", name_ar="رئاسة الأركان العامة للقوات المسلحة الليبية",
        name_en="General Staff of the Libyan National Army", kind="military-command", country=libya,
        description_ar="يرأسها خالد حفتر.", description_en="Headed by Khaled Haftar.",
    )
    platform = make.organization("marrakech-platform", name_ar="منصة مراكش", name_en="Marrakech Platform",
                                 kind="platform")
    make.organization_alias(platform, "Marrakesh Platform")
    dgsn = make.organization(
        "dgsn", name_ar="المديرية العامة للأمن الوطني", name_en="General Directorate of National Security",
        acronym="DGSN", kind="police", country=morocco,
    )
    make.organization_alias(dgsn, "Direction générale de la sûreté nationale", language="fr")

    al_ayeb = make.person("hussein-al-ayeb", name_ar=AL_AYEB_AR, name_en=AL_AYEB_EN, rank_ar="الفريق أول",
                          rank_en="General", country=libya)
    make.person_alias(al_ayeb, "العايب", language="ar", script="Arab")
    for alias in ("Hussein al-Ayeb", "Al-Aib", "Al-A'eb", "Al-Aeb"):
        make.person_alias(al_ayeb, alias)
    make.position(al_ayeb, service, key="director", title_ar="رئيس جهاز المخابرات الليبية",
                  title_en="Head of the Libyan Intelligence Service")
    khalifa = make.person("khalifa-haftar", name_ar="خليفة حفتر", name_en="Khalifa Haftar", rank_ar="المشير",
                          rank_en="Field Marshal", country=libya)
    make.person_alias(khalifa, "الجنرال حفتر", language="ar", script="Arab")
    make.person_alias(khalifa, "Khalifa Hafter")
    khaled = make.person("khaled-haftar", name_ar="خالد حفتر", name_en="Khaled Haftar", rank_ar="الفريق أول ركن",
                         rank_en="Staff General", country=libya)
    make.person_alias(khaled, "Khalid Haftar")
    dbeibah = make.person("abdul-hamid-dbeibah", name_ar="عبد الحميد الدبيبة", name_en="Abdul Hamid Dbeibah",
                          country=libya)
    make.person_alias(dbeibah, "الدبيبة", language="ar", script="Arab")
    make.person_alias(dbeibah, "Abdul Hamid Dabaiba")
    make.person_alias(dbeibah, "Aldabaiba")
    zoubi = make.person("abdulsalam-al-zoubi", name_ar="عبدالسلام الزوبي", name_en="Abdulsalam al-Zoubi",
                        country=libya)
    make.person_alias(zoubi, "عبد السلام الزوبي", language="ar", script="Arab")
    make.person_alias(zoubi, "Abdul Salam Al-Zubi")
    namroush = make.person("salah-al-namroush", name_ar="صلاح النمروش", name_en="Salah al-Namroush",
                           rank_ar="الفريق", rank_en="Lieutenant General", country=libya)
    make.person_alias(namroush, "Namrouch")
    make.person("abdellatif-hammouchi", name_ar="عبد اللطيف الحموشي", name_en="Abdellatif Hammouchi",
                rank_ar="السيد", rank_en="Mr", country=morocco)

    terrorism = make.topic("terrorism", "الإرهاب", "Terrorism")
    cissa_series = make.series("cissa-conferences", name_ar="دورات سيسا", name_en="CISSA conferences",
                               organization=cissa)
    benghazi = {"host_country": libya, "city_ar": "بنغازي", "city_en": "Benghazi"}
    cissa_20 = make.conference(
        "cissa-20-benghazi-2025", start=make.day("2025-08-25"), end=make.day("2025-08-26"), name_ar=CISSA_20_AR,
        name_en="20th Conference of the Committee of Intelligence and Security Services of Africa (CISSA 20)",
        short_name_ar="سيسا 20", short_name_en="CISSA 20", series=cissa_series, edition=20, **benghazi,
    )
    cissa_20.topics.add(terrorism)
    make.conference_organization(cissa_20, cissa)
    make.attendance(cissa_20, al_ayeb, role="chair", organization=service)
    make.conference(
        "cissa-21", status="planned", series=cissa_series, edition=21, host_country=libya,
        name_ar="المؤتمر الحادي والعشرون للجنة أجهزة الأمن والاستخبارات الأفريقية «سيسا 21»",
        name_en="21st Conference of the Committee of Intelligence and Security Services of Africa (CISSA 21)",
        short_name_ar="سيسا 21", short_name_en="CISSA 21",
    )
    make.conference(
        "benghazi-chiefs-of-staff-2026", start=make.day("2026-02-10"), end=make.day("2026-02-12"),
        name_ar="المؤتمر الأمني الاستراتيجي الأول لرؤساء أركان دول حوض المتوسط وجنوب الصحراء",
        name_en="First Strategic Security Conference for Chiefs of Staff of Mediterranean Basin and Sub-Saharan "
                "Countries",
        short_name_ar="مؤتمر رؤساء أركان دول المتوسط وجنوب الصحراء",
        short_name_en="Mediterranean and Sub-Saharan chiefs of staff",
        summary_ar="استضافته القيادة العامة التي يقودها خليفة حفتر.",
        summary_en="Hosted by the General Command led by Khalifa Haftar.", **benghazi,
    )
    make.conference(
        "marrakech-platform-4-agadir-2025", start=make.day("2025-06-17"), host_country=morocco,
        city_ar="أكادير", city_en="Agadir",
        name_ar="الاجتماع الرابع رفيع المستوى لرؤساء وكالات مكافحة الإرهاب والأمن في إفريقيا («منصة مراكش»)",
        name_en='4th High-Level Meeting of Heads of Counter-Terrorism and Security Agencies in Africa '
                '("Marrakech Platform")',
        short_name_ar="منصة مراكش 4 (أكادير)", short_name_en="Marrakech Platform 4 (Agadir)",
    )

    make.source("cissa-20-opens", published_on=make.day("2025-08-25"), title_ar="افتتاح سيسا 20 في بنغازي",
                title_en="CISSA 20 opens in Benghazi")
    # Four reports about the Haftars.
    make.source("khaled-haftar-appointed", language="fr", published_on=make.day("2025-08-20"),
                title_ar="تعيين خالد حفتر رئيسا للأركان", title_en="Khaled Haftar appointed chief of staff")
    make.source("haftar-hosts-chiefs", published_on=make.day("2026-02-10"),
                title_ar="حفتر يستقبل رؤساء الأركان", title_en="Haftar receives the chiefs of staff")
    make.source("chiefs-of-staff-closing", published_on=make.day("2026-02-12"),
                title_ar="اختتام مؤتمر رؤساء الأركان", title_en="The chiefs of staff conference closes",
                summary_ar="ألقى خليفة حفتر كلمة الختام.", summary_en="Khalifa Haftar gave the closing speech.")
    make.source("lna-statement", language="en", title_ar="بيان القيادة العامة", title_en="General Command statement",
                author_ar="مكتب خليفة حفتر", author_en="Office of Khalifa Haftar")


@pytest.fixture(scope="module")
def world_indexed_by_rebuild(django_db_setup, django_db_blocker):
    """build_world(), once for the module, then indexed by `search.index.rebuild()`.

    The records live in a transaction opened here and rolled back after the module's last test;
    each test runs in a savepoint of it, so what a test changes is undone. They are written as a
    bulk write (core.changes), so no work after a commit is left waiting for a commit that never
    comes: the tests' own saves then start their own.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with bulk_write():
            build_world()
        index.rebuild()
        with django_db_blocker.block():
            yield
        transaction.set_rollback(True)


def search_url(language="en"):
    return url("pages:search", language)


def search(client, query, language="en", **params):
    """The results page of `query`, parsed."""
    return parse(get(client, search_url(language) + "?" + urlencode({"q": query, **params})))


def result_links(document):
    """The result titles' links, as (the view they lead to, the address, its arguments)."""
    found = []
    for href in document.xpath('//ol[@class="search-results"]/li/h3/a/@href'):
        match = resolve(urlsplit(href).path)
        found.append((match.view_name, href, match.kwargs))
    return found


def result_titles(document):
    return [text(anchor) for anchor in document.xpath('//ol[@class="search-results"]/li/h3/a')]


def found(client, query, kind, language="en"):
    """The slugs (or codes) of the records of `kind` the results page links to (one kind: all on its page)."""
    document = search(client, query, language, kind=kind)
    return {
        (kwargs.get("slug") or kwargs.get("code"))
        for view, href, kwargs in result_links(document)
        if view == KIND_VIEWS[kind] and href.startswith(f"/{language}/")
    }


def status(document):
    return " ".join(text(element) for element in document.xpath('//p[@role="status"]'))


def query_links(document):
    """The links that are another search on this page (?q=…)."""
    return [href for href in document.xpath("//a/@href") if href.startswith("?q=")]


# --- The spellings: every variant finds its record -------------------------------------------------

SPELLINGS = [
    # Arabic: hamza on the alef, ta marbuta (the record says «الأفريقية» and «الإفريقية»).
    ("الافريقية", "organization", {"cissa"}),
    ("الافريقيه", "conference", {"cissa-20-benghazi-2025"}),
    ("اكادير", "conference", {"marrakech-platform-4-agadir-2025"}),
    # Alef maqsura: «رفيع المستوى» typed with ي.
    ("رفيع المستوي", "conference", {"marrakech-platform-4-agadir-2025"}),
    # Ta marbuta as ه in a name: «الدبيبة».
    ("الدبيبه", "person", {"abdul-hamid-dbeibah"}),
    # Short vowels, shadda and tatweel are ignored.
    ("حَفْتَر", "person", {"khalifa-haftar", "khaled-haftar"}),
    ("حفـــتر", "person", {"khalifa-haftar", "khaled-haftar"}),
    ("حفتر", "person", {"khalifa-haftar", "khaled-haftar"}),
    # The Arabic short form of CISSA is an alternative name; the conferences carry it in their short names.
    ("سيسا", "organization", {"cissa"}),
    ("سيسا", "conference", {"cissa-20-benghazi-2025", "cissa-21"}),
    ("سيسا ٢٠", "conference", {"cissa-20-benghazi-2025"}),  # Arabic-Indic digits
    # The article: «المخابرات» finds «مخابرات» and the other way round, and «والمخابرات» both.
    ("المخابرات", "organization", {"libyan-intelligence-service", "cissa"}),
    ("مخابرات", "organization", {"libyan-intelligence-service", "cissa"}),
    ("والمخابرات", "organization", {"libyan-intelligence-service", "cissa"}),
    # ئ and ي: the record says «العائب», an alternative name «العايب».
    ("العائب", "person", {"hussein-al-ayeb"}),
    ("العايب", "person", {"hussein-al-ayeb"}),
    # «عبد السلام» and «عبدالسلام».
    ("عبد السلام الزوبي", "person", {"abdulsalam-al-zoubi"}),
    ("عبدالسلام", "person", {"abdulsalam-al-zoubi"}),
    ("ليبيا", "country", {"ly"}),
    ("الإرهاب", "topic", {"terrorism"}),
    # English transliterations of one name: the record, its aliases, and the folding between them.
    ("al-Ayeb", "person", {"hussein-al-ayeb"}),
    ("Al-Aib", "person", {"hussein-al-ayeb"}),
    ("Alaeb", "person", {"hussein-al-ayeb"}),
    ("Al-Aeb", "person", {"hussein-al-ayeb"}),
    ("Al-A'eb", "person", {"hussein-al-ayeb"}),
    ("Al-A’eb", "person", {"hussein-al-ayeb"}),
    ("Hussein Al Ayeb", "person", {"hussein-al-ayeb"}),
    ("Ayeb", "person", {"hussein-al-ayeb"}),
    ("Hammouchi", "person", {"abdellatif-hammouchi"}),
    ("Hamouchi", "person", {"abdellatif-hammouchi"}),  # no alias: doubled letters fold
    ("Haftar", "person", {"khalifa-haftar", "khaled-haftar"}),
    ("Hafter", "person", {"khalifa-haftar"}),  # an alias of Khalifa's only
    ("Dbeibah", "person", {"abdul-hamid-dbeibah"}),
    ("Dbeiba", "person", {"abdul-hamid-dbeibah"}),
    ("Dabaiba", "person", {"abdul-hamid-dbeibah"}),
    ("Aldabaiba", "person", {"abdul-hamid-dbeibah"}),
    ("Zoubi", "person", {"abdulsalam-al-zoubi"}),
    ("Zubi", "person", {"abdulsalam-al-zoubi"}),
    ("Abdul Salam Al-Zubi", "person", {"abdulsalam-al-zoubi"}),
    ("Namrouch", "person", {"salah-al-namroush"}),
    ("Namroush", "person", {"salah-al-namroush"}),
    ("Marrakech", "organization", {"marrakech-platform"}),
    ("Marrakesh", "organization", {"marrakech-platform"}),
    ("Marrakesh", "conference", {"marrakech-platform-4-agadir-2025"}),
    # Case and accents fold.
    ("CISSA", "organization", {"cissa"}),
    ("cissa", "organization", {"cissa"}),
    ("DIRECTION GÉNÉRALE DE LA SÛRETÉ", "organization", {"dgsn"}),
    ("direction generale de la surete", "organization", {"dgsn"}),
    ("Turkiye", "country", {"tr"}),
    ("Benghazi", "conference", {"cissa-20-benghazi-2025", "benghazi-chiefs-of-staff-2026"}),
    # A conference holds the names of its people and organizations, as they and their alternative
    # names are written, folded alike: al-Ayeb chaired CISSA 20 for the Libyan Intelligence Service.
    ("العايب", "conference", {"cissa-20-benghazi-2025"}),
    ("Al-Aib", "conference", {"cissa-20-benghazi-2025"}),
    ("جهاز المخابرات الليبيه", "conference", {"cissa-20-benghazi-2025"}),
    ("لجنه اجهزه الامن والمخابرات الافريقيه", "conference", {"cissa-20-benghazi-2025"}),
    ("دورات سيسا", "conference", {"cissa-20-benghazi-2025", "cissa-21"}),  # its series
    # Series, by their names and their organization's.
    ("دورات سيسا", "series", {"cissa-conferences"}),
    ("CISSA conferences", "series", {"cissa-conferences"}),
    ("Committee of Intelligence and Security Services", "series", {"cissa-conferences"}),
]


def spelling_id(row):
    query, kind, _slugs = row
    return f"{kind}:{query}"


@pytest.mark.parametrize("row", SPELLINGS, ids=spelling_id)
def test_every_spelling_finds_its_record(client, world_indexed_by_rebuild, row):
    query, kind, expected = row
    assert expected <= found(client, query, kind), query


@pytest.mark.parametrize(
    ("query", "kind", "exactly"),
    [
        ("حفتر", "person", {"khalifa-haftar", "khaled-haftar"}),
        ("Haftar", "person", {"khalifa-haftar", "khaled-haftar"}),
        ("Hafter", "person", {"khalifa-haftar"}),
        ("Alaeb", "person", {"hussein-al-ayeb"}),
        ("Marrakesh", "organization", {"marrakech-platform"}),
    ],
)
def test_a_spelling_finds_only_its_records(client, world_indexed_by_rebuild, query, kind, exactly):
    assert found(client, query, kind) == exactly


@pytest.mark.parametrize(
    ("query", "language", "title"),
    [
        # An English spelling on the Arabic page: the Arabic record, its Arabic name.
        ("Haftar", "ar", "خليفة حفتر"),
        ("Al-Aib", "ar", AL_AYEB_AR),
        ("CISSA", "ar", CISSA_AR),
        # An Arabic spelling on the English page.
        ("العايب", "en", AL_AYEB_EN),
        ("سيسا", "en", CISSA_EN),
        ("منصة مراكش", "en", "Marrakech Platform"),
    ],
)
def test_a_name_in_one_language_finds_the_record_in_the_other(client, world_indexed_by_rebuild, query, language, title):
    assert title in result_titles(search(client, query, language))


def test_the_name_that_matched_is_shown_when_the_title_does_not_hold_it(client, world_indexed_by_rebuild):
    document = search(client, "Alaeb", "en")
    also = [text(line) for line in document.xpath('//ol[@class="search-results"]/li/p[@class="meta"]')
            if text(line).startswith("Also written:")]
    assert also and also[0] in ("Also written: Al-A'eb", "Also written: Al-Aeb")
    marks = document.xpath('//ol[@class="search-results"]/li/p[@class="meta"]//mark')
    assert [mark.text for mark in marks] and all(mark.text.startswith("Al-A") for mark in marks)


# --- The normaliser behind it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("الإفريقية", "الافريقيه"),
        ("أكادير", "اكادير"),
        ("المستوى", "المستوي"),
        ("حَفْتَر", "حفتر"),
        ("حفـــتر", "حفتر"),
        ("المخابرات", "مخابرات"),
        ("والمخابرات", "مخابرات"),
        ("بالمغرب", "مغرب"),
        ("العائب", "العايب"),
        ("عبد السلام", "عبدالسلام"),
        ("سيسا ٢٠", "سيسا 20"),
        ("al-Ayeb", "Al Ayeb"),
        ("Al-A'eb", "alaeb"),
        ("Hammouchi", "Hamouchi"),
        ("Zoubi", "Zubi"),
        ("Marrakech", "Marrakesh"),
        ("Dbeibah", "Dbeiba"),
        ("Sûreté", "SURETE"),
    ],
)
def test_spellings_fold_to_one_search_key(one, other):
    assert search_key(one) == search_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("حفتر", "حمزة"), ("Haftar", "Hamza"), ("ك", "ق"), ("والي", "ي"), ("الله", "له")],
)
def test_different_words_keep_different_keys(one, other):
    assert search_key(one) != search_key(other)


def test_query_keys_stem_plurals_and_keep_phrases():
    assert query_keys('"chiefs of staff" services للمخابرات') == ["shiefs of staf", "service", "مخابرات"]
    assert query_keys("  ") == []
    assert query_keys("<>|%_") == []


# --- Results: grouped, ranked, marked, paginated ------------------------------------------------------


def test_results_are_grouped_by_kind_with_counts(client, world_indexed_by_rebuild):
    document = search(client, "Haftar")
    # The people named Haftar first; the others in the usual order (a source's title is no name).
    assert [text(heading) for heading in document.xpath("//h2")] == [
        "People (2)", "Conferences (1)", "Organizations (2)", "Sources (4)"
    ]
    assert "9 results for “Haftar”" in status(document)
    tabs = [href for href in document.xpath("//a/@href") if "kind=" in href]
    assert {parse_qs(urlsplit(href).query)["kind"][0] for href in tabs} == {
        "conference", "person", "organization", "source"
    }


@pytest.mark.parametrize(
    ("query", "first"),
    # Each time another organization holds the query in its text and sorts before by title (African Union).
    [("CISSA", "cissa"), ("UN", "united-nations"), ("سيسا", "cissa")],
)
def test_the_record_named_by_the_query_comes_first(client, world_indexed_by_rebuild, query, first):
    document = search(client, query, kind="organization")
    organizations = [kwargs["slug"] for view, _href, kwargs in result_links(document)
                     if view == "organizations:detail"]
    assert "african-union" in organizations  # matched too, and would come first by its title alone
    assert organizations[0] == first, query


def test_an_exact_name_comes_first_even_as_a_plural(client, world_indexed_by_rebuild,
                                                    django_capture_on_commit_callbacks):
    """«Comoros» is the whole name of one organization and a word of another's, which sorts first
    by its title. The query's key for matching loses its s («comoro»); the whole name keeps it.
    Indexed by the signals after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        make.organization("comoros-armed-forces", name_ar="الجيش الوطني للتنمية", name_en="Armed Forces of Comoros")
        make.organization("comoros", name_ar="جزر القمر", name_en="Comoros")
    document = search(client, "Comoros", kind="organization")
    assert [kwargs["slug"] for _view, _href, kwargs in result_links(document)] == ["comoros", "comoros-armed-forces"]


def first_results(document, count):
    """The addresses of the first `count` results, in the page's order."""
    return [href for _view, href, _kwargs in result_links(document)][:count]


@pytest.mark.parametrize(
    ("query", "language", "heading", "first"),
    [
        # Libya's name: its country page leads, before the conferences, people and organizations in Libya.
        ("Libya", "en", "Countries (1)", "/en/countries/ly/"),
        ("ليبيا", "ar", None, "/ar/countries/ly/"),
        # A person's name: the person, before the conferences and reports that name him.
        ("Khalifa Haftar", "en", "People (1)", "/en/people/khalifa-haftar/"),
        # An organization's name: the organization, before the conference named after it.
        ("Marrakech Platform", "en", "Organizations (1)", "/en/organizations/marrakech-platform/"),
        # A series' name: the series, before its conferences (CISSA 20, CISSA 21).
        ("CISSA conferences", "en", "Series (1)", "/en/series/cissa-conferences/"),
    ],
)
def test_the_kind_the_query_names_comes_first(client, world_indexed_by_rebuild, query, language, heading, first):
    document = search(client, query, language)
    if heading:
        assert text(document.xpath("//h2")[0]) == heading
    assert first_results(document, 1) == [first]
    assert len(result_links(document)) > 1  # other records match too, after it


def test_a_person_leads_to_the_conferences_they_attended(client, world_indexed_by_rebuild):
    """al-Ayeb chaired CISSA 20: searched by an alternative name, he comes first, then the conference."""
    for query in ("Al-Aib", "العايب"):
        document = search(client, query)
        assert first_results(document, 2) == ["/en/people/hussein-al-ayeb/", "/en/conferences/cissa-20-benghazi-2025/"]
        assert [text(heading) for heading in document.xpath("//h2")][:2] == ["People (1)", "Conferences (1)"]


def test_a_conference_is_found_by_the_reports_cited_for_it(client, world_indexed_by_rebuild,
                                                          django_capture_on_commit_callbacks):
    """The report's title says «للمخابرات العسكرية»; the conference's own text says «الاستخبارات».
    Indexed by the signals after each commit."""
    libya = Country.objects.get(code="LY")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = make.conference(
            "tripoli-meeting", name_ar="مؤتمر قادة الاستخبارات العسكرية", name_en="Military intelligence chiefs",
            host_country=libya,
        )
        report = make.source("tripoli-report", title_ar="طرابلس تحتضن مؤتمرا إقليميا للمخابرات العسكرية",
                             title_en="Tripoli hosts a regional military-intelligence conference")
    assert "tripoli-meeting" not in found(client, "المخابرات العسكريه", "conference")
    with django_capture_on_commit_callbacks(execute=True):
        make.citation(report, conference=meeting)
    for query in ("المخابرات العسكريه", "المخابرات العسكرية"):
        assert found(client, query, "conference") == {"tripoli-meeting"}, query
    report.title_ar, report.title_en = "اجتماع في طرابلس", "A meeting in Tripoli"
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    assert found(client, "المخابرات العسكريه", "conference") == set()


def test_a_conference_follows_its_people_and_organizations(client, world_indexed_by_rebuild,
                                                           django_capture_on_commit_callbacks):
    """A new alternative name of an attendee, or of an organization at a conference, finds the
    conference; an attendance removed no longer does. Indexed by the signals after each commit."""
    al_ayeb = Person.objects.get(slug="hussein-al-ayeb")
    cissa = Organization.objects.get(slug="cissa")
    with django_capture_on_commit_callbacks(execute=True):
        make.person_alias(al_ayeb, "Abu Salem")
    assert found(client, "Abu Salem", "conference") == {"cissa-20-benghazi-2025"}
    with django_capture_on_commit_callbacks(execute=True):
        make.organization_alias(cissa, "Comité des services de renseignement", language="fr")
    assert found(client, "Comité des services", "conference") == {"cissa-20-benghazi-2025"}
    with django_capture_on_commit_callbacks(execute=True):
        Conference.objects.get(slug="cissa-20-benghazi-2025").attendances.all().delete()
    assert found(client, "Abu Salem", "conference") == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_results_link_to_their_pages_in_the_page_language(client, world_indexed_by_rebuild, language):
    document = search(client, "Haftar", language)
    hrefs = document.xpath("//a/@href")
    assert f"/{language}/people/khalifa-haftar/" in hrefs
    assert f"/{language}/conferences/benghazi-chiefs-of-staff-2026/" in hrefs
    followed = 0
    for href in hrefs:
        if href.startswith(f"/{language}/") and "?" not in href and "#" not in href:
            assert client.get(href).status_code == 200, href
            followed += 1
    assert followed >= 9  # every result, at least


@pytest.mark.parametrize(
    ("query", "language", "title", "marked"),
    [
        ("Haftar", "en", "Khalifa Haftar", "Haftar"),
        ("حفتر", "ar", "خليفة حفتر", "حفتر"),
        # Matched on the folded form, marked on the text as written.
        ("الافريقيه", "ar", CISSA_20_AR, "الإفريقية"),
        ("Hamouchi", "en", "Abdellatif Hammouchi", "Hammouchi"),
        ("عبد السلام", "ar", "عبدالسلام الزوبي", "عبدالسلام"),
        ("Abdul Salam", "en", "Abdulsalam al-Zoubi", "Abdulsalam"),
    ],
)
def test_matched_words_are_marked(client, world_indexed_by_rebuild, query, language, title, marked):
    document = search(client, query, language)
    titles = {text(anchor): anchor for anchor in document.xpath('//ol[@class="search-results"]/li/h3/a')}
    assert [mark.text for mark in titles[title].xpath("mark")] == [marked]


def test_text_is_escaped_before_it_is_marked(client, world_indexed_by_rebuild, django_capture_on_commit_callbacks):
    """A topic saved as an editor saves it, indexed by the signals after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        make.topic("terror-markup", name_ar="تمويل <b>الإرهاب</b>", name_en="Terror <script>alert(1)</script> funds")
    response = get(client, search_url() + "?" + urlencode({"q": "terror funds", "kind": "topic"}))
    document = parse(response)
    [title] = document.xpath('//ol[@class="search-results"]/li/h3/a')
    assert text(title) == "Terror <script>alert(1)</script> funds"  # shown as text, not as markup
    assert [mark.text for mark in title.xpath("mark")] == ["Terror", "funds"]
    assert not title.xpath(".//script") and not document.xpath('//script[contains(., "alert(1)")]')
    assert b"<script>alert(1)" not in response.content


def test_the_query_is_shown_escaped(client, world_indexed_by_rebuild):
    response = get(client, search_url() + "?" + urlencode({"q": "<script>alert(1)</script>"}))
    document = parse(response)
    assert document.get_element_by_id("search-q").get("value") == "<script>alert(1)</script>"
    assert "“<script>alert(1)</script>”" in status(document)
    assert not document.xpath('//script[contains(., "alert(1)")]')
    assert b"<script>alert(1)" not in response.content


@pytest.fixture
def zanzibar(world_indexed_by_rebuild, django_capture_on_commit_callbacks):
    """25 conferences named after Zanzibar, indexed by the signals after the commit, as an editor saves them."""
    with django_capture_on_commit_callbacks(execute=True):
        tanzania = make.country("TZ", "تنزانيا", "Tanzania", "east-africa")
        for number in range(25):
            make.conference(
                f"zanzibar-{number:02d}", name_ar=f"مؤتمر زنجبار {number}", name_en=f"Zanzibar meeting {number}",
                short_name_ar=f"زنجبار {number}", short_name_en=f"Zanzibar {number}", summary_ar="ملخص",
                summary_en="Summary", host_country=tanzania,
            )


def zanzibar_links(document):
    return [href for href in document.xpath('//ol[@class="search-results"]/li/h3/a/@href')
            if href.startswith("/en/conferences/zanzibar-")]


def test_each_group_shows_its_best_and_links_to_all(client, zanzibar):
    document = search(client, "Zanzibar")
    assert len(zanzibar_links(document)) == 5
    [more] = [anchor for anchor in document.xpath("//section//a") if "kind=conference" in anchor.get("href")]
    assert text(more) == "See all 25 results in Conferences"
    assert parse_qs(urlsplit(more.get("href")).query) == {"q": ["Zanzibar"], "kind": ["conference"]}


def test_one_kind_is_paginated(client, zanzibar):
    first = search(client, "Zanzibar", kind="conference")
    assert "Page 1 of 2" in text(first.xpath('//nav[@class="pagination"]')[0])
    on_first = zanzibar_links(first)
    assert len(on_first) == 20
    next_link = first.xpath('//nav[@class="pagination"]//a[@rel="next"]/@href')[0]
    assert parse_qs(urlsplit(next_link).query) == {"q": ["Zanzibar"], "kind": ["conference"], "page": ["2"]}
    second = search(client, "Zanzibar", kind="conference", page="2")
    on_second = zanzibar_links(second)
    assert len(on_second) == 5
    assert not set(on_first) & set(on_second)


# --- Did you mean ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "language", "suggestion", "slug"),
    [
        ("Haftr", "en", "Haftar", "khalifa-haftar"),  # Haftar, not Hafter: more records write it so
        ("Benghasi", "en", "Benghazi", "cissa-20-benghazi-2025"),
        ("حفطر", "ar", "حفتر", "khalifa-haftar"),
    ],
)
def test_did_you_mean_a_near_spelling(client, world_indexed_by_rebuild, query, language, suggestion, slug):
    document = search(client, query, language)
    assert [parse_qs(urlsplit(href).query)["q"][0] for href in query_links(document)] == [suggestion]
    if language == "en":
        assert f"Nothing matches “{query}”." in status(document)
        assert text(document.xpath('//p[@class="suggestion"]')[0]) == f"Did you mean: {suggestion}?"
    followed = search(client, suggestion, language)
    assert any(f"/{slug}/" in href for _view, href, _kwargs in result_links(followed))


def test_a_form_no_record_holds_is_found_by_its_stem_or_suggested(client, world_indexed_by_rebuild):
    """«المؤتمرات», the plural, is in no record. PostgreSQL finds the conferences («المؤتمر») by
    its stem (full-text search, `arabic` configuration); SQLite has no stems, and suggests a
    near spelling that finds something."""
    document = search(client, "المؤتمرات", "ar")
    if connection.vendor == "postgresql":
        assert "/ar/conferences/cissa-20-benghazi-2025/" in [href for _view, href, _kwargs in result_links(document)]
    else:
        suggested = query_links(document)
        assert len(suggested) == 1
        followed = parse(get(client, search_url("ar") + suggested[0]))
        assert [view for view, href, _kwargs in result_links(followed) if href.startswith("/ar/")]


def test_no_suggestion_when_nothing_is_near(client, world_indexed_by_rebuild):
    document = search(client, "xqzvwk")
    assert "Nothing matches “xqzvwk”." in status(document)
    words = page_text(document)
    assert "Did you mean" not in words
    assert "Check the spelling" in words


# --- Bad and hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_empty_query_explains_the_search(client, language):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(search_url(language), params)
        assert response.status_code == 200
        document = parse(response)
        assert len(document.xpath("//h1")) == 1
        assert "?q=Hafter" in document.xpath("//main//a/@href")
    if language == "en":
        assert "in Arabic or in English" in page_text(document)


@pytest.mark.parametrize(
    "query",
    [
        # As long as an address may be (PORTAL_MAX_URL_LENGTH, 4,096 characters).
        "x" * 4_000,
        "Haftar " * 500,
        "\x01\x02Haftar\x7f\u200f\u202e\t\n",
        "'; DROP TABLE conferences_searchentry; --",
        "' OR 1=1 --",
        "\" OR \"\"=\"",
        "%",
        "_",
        "\\",
        "%%' UNION SELECT password FROM auth_user --",
        "||| ::: ;;;",
        "🙂🙂🙂",
        "'unbalanced \"quotes",
    ],
    ids=lambda query: repr(query[:20]),
)
def test_hostile_input_never_fails(client, world_indexed_by_rebuild, query):
    for language in LANGUAGES:
        for params in ({"q": query}, {"q": query, "kind": "person", "page": "999999"}):
            response = client.get(search_url(language), params)
            assert response.status_code == 200, (query[:20], params.get("kind"))
            assert len(parse(response).xpath("//h1")) == 1
    assert SearchEntry.objects.exists()  # nothing was dropped


def test_a_long_query_is_cut_and_control_characters_dropped(client, world_indexed_by_rebuild):
    box = search(client, "Haftar " + "y" * 3_000).get_element_by_id("search-q")
    assert box.get("value").startswith("Haftar yyy")
    assert len(box.get("value")) == 200
    document = search(client, "\x01Haf\x07tar\x1b\u202e")
    assert document.get_element_by_id("search-q").get("value") == "Haftar"
    assert "/en/people/khalifa-haftar/" in document.xpath("//a/@href")


def test_a_nul_or_broken_encoding_is_no_server_error(client, world_indexed_by_rebuild):
    # NUL is refused before any view (public.security answers 400); the search would drop it anyway.
    assert client.get(search_url(), {"q": "Haf\x00tar"}).status_code < 500
    for raw in ("q=%FF%FE%ED%A0%80", "q=%E2%80", "q=Haftar&q=%00", "q[]=x&kind[]=y", "q=%25%5F%5C"):
        assert client.get(search_url(), QUERY_STRING=raw).status_code < 500, raw


@pytest.mark.parametrize(
    "params", [{"kind": "nonsense"}, {"page": "abc"}, {"page": "-3"}, {"kind": "person", "page": "0"}]
)
def test_odd_parameters_are_ignored(client, world_indexed_by_rebuild, params):
    assert "/en/people/khalifa-haftar/" in search(client, "Haftar", **params).xpath("//a/@href")


def test_the_search_is_read_only(client, world_indexed_by_rebuild):
    assert client.post(search_url(), {"q": "Haftar"}).status_code == 405
    assert client.head(search_url(), {"q": "Haftar"}).status_code == 200


# --- The page and the box in every page's header --------------------------------------------------------


def test_the_search_url():
    for language in LANGUAGES:
        assert search_url(language) == f"/{language}/search/"
        with translation.override(language):
            assert resolve(f"/{language}/search/").view_name == "pages:search"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_page_is_in_its_language(client, world_indexed_by_rebuild, language):
    document = search(client, "Haftar", language)
    assert document.get("lang") == language
    assert document.get("dir") == ("rtl" if language == "ar" else "ltr")
    assert len(document.xpath("//h1")) == 1


# Every kind of public page, on the records of `world_indexed_by_rebuild`.
PAGES = [
    ("pages:home", {}),
    ("pages:search", {}),
    ("conferences:list", {}),
    ("conferences:detail", {"slug": "cissa-20-benghazi-2025"}),
    ("conferences:detail", {"slug": "cissa-21"}),
    ("series:list", {}),
    ("series:detail", {"slug": "cissa-conferences"}),
    ("topics:list", {}),
    ("topics:detail", {"slug": "terrorism"}),
    ("sources:list", {}),
    ("sources:detail", {"slug": "cissa-20-opens"}),
    ("countries:list", {}),
    ("countries:detail", {"code": "ly"}),
    ("people:list", {}),
    ("people:detail", {"slug": "hussein-al-ayeb"}),
    ("organizations:list", {}),
    ("organizations:detail", {"slug": "cissa"}),
]


def header_box(document):
    """The search form of the page's header: (its action, the label of its input)."""
    [form] = document.xpath('//header[@class="site-header"]//form[@class="site-search"]')
    assert form.get("method") == "get" and form.get("role") == "search"
    [field] = form.xpath('.//input[@type="search"][@name="q"]')
    return form.get("action"), field.get("aria-label")


def page_id(entry):
    name, kwargs = entry
    return "-".join([name, *kwargs.values()])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entry", PAGES, ids=page_id)
def test_every_page_has_the_search_box_in_its_header(client, world_indexed_by_rebuild, entry, language):
    name, kwargs = entry
    action, label = header_box(parse(get(client, url(name, language, **kwargs))))
    assert action == f"/{language}/search/"
    assert label


def test_the_refine_form_of_the_results_page_is_named(client, world_indexed_by_rebuild):
    """Two search forms on a results page, the header's and the page's: a screen reader's list of
    landmarks tells the page's apart by its name."""
    [form] = search(client, "Haftar").xpath('//main//form[@role="search"]')
    assert form.get("aria-label") == "Refine this search"
    assert form.xpath('.//input[@name="q"]/@value') == ["Haftar"]


def test_the_not_found_page_has_the_search_box_too(client):
    action, _label = header_box(parse(get(client, "/en/no-such-page/", status=404)))
    assert action == "/en/search/"


def test_the_header_box_searches(client, world_indexed_by_rebuild):
    """The header's form, submitted as a browser would without JavaScript, gives the results page."""
    action, _label = header_box(parse(get(client, "/ar/")))
    document = parse(get(client, action + "?" + urlencode({"q": "سيسا"})))
    assert "/ar/organizations/cissa/" in document.xpath("//a/@href")


# --- Query counts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Haftar"},
        {"q": "Zanzibar"},
        {"q": "Zanzibar", "kind": "conference"},
        {"q": "Zanzibar", "kind": "conference", "page": "2"},
        {"q": "Zanzibr"},  # nothing: "did you mean"
        {"q": "xqzvwk"},
        {},
    ],
    ids=lambda params: "&".join(f"{key}={value}" for key, value in params.items()) or "empty",
)
def test_query_count_is_pinned(client, zanzibar, django_assert_max_num_queries, params):
    """Guards against N+1 queries: a search runs a fixed, small number of queries, whatever it finds."""
    client.get(search_url(), params)  # warms the site-wide caches
    with django_assert_max_num_queries(8):
        response = client.get(search_url(), params)
    assert response.status_code == 200


def test_query_count_does_not_grow_with_the_hits(client, world_indexed_by_rebuild, django_assert_max_num_queries,
                                                 django_capture_on_commit_callbacks):
    """Guards against N+1 queries: 5 hits or 30, the same queries. The 30 conferences are indexed
    by the signals after the commit."""
    client.get(search_url(), {"q": "Benghazi"})
    with CaptureQueriesContext(connection) as before:
        client.get(search_url(), {"q": "Benghazi"})
    queries = len(before)  # now: the next request clears the connection's query log
    libya = Country.objects.get(code="LY")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(30):
            make.conference(
                f"benghazi-extra-{number}", name_ar=f"مؤتمر بنغازي {number}", name_en=f"Benghazi meeting {number}",
                short_name_ar=f"بنغازي {number}", short_name_en=f"Benghazi {number}", summary_ar="ملخص",
                summary_en="Summary", host_country=libya, city_ar="بنغازي", city_en="Benghazi",
            )
    client.get(search_url(), {"q": "Benghazi"})
    with django_assert_max_num_queries(queries):
        response = client.get(search_url(), {"q": "Benghazi"})
    assert "See all 32 results in Conferences" in page_text(parse(response))


# --- Keeping the index current ------------------------------------------------------------------------------


def test_an_alias_added_by_an_editor_is_found_and_a_deleted_one_is_not(client, world_indexed_by_rebuild,
                                                                       django_capture_on_commit_callbacks):
    """Indexed by the signals after each commit."""
    person = Person.objects.get(slug="khaled-haftar")
    with django_capture_on_commit_callbacks(execute=True):
        alias = make.person_alias(person, "Khalid Hiftar")
    assert found(client, "Hiftar", "person") == {"khaled-haftar"}
    with django_capture_on_commit_callbacks(execute=True):
        alias.delete()
    assert found(client, "Hiftar", "person") == set()


def test_a_renamed_record_is_found_under_its_new_name_only(client, world_indexed_by_rebuild,
                                                           django_capture_on_commit_callbacks):
    """Indexed by the signals after each commit."""
    conference = Conference.objects.get(slug="cissa-21")
    conference.name_en = "Twenty-first CISSA summit in Sirte"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    assert found(client, "Sirte", "conference") == {"cissa-21"}
    assert "cissa-21" not in found(client, "21st Conference", "conference")
    country = Country.objects.get(code="LY")
    country.name_en = "State of Libya"
    with django_capture_on_commit_callbacks(execute=True):
        country.save()
    document = search(client, "Benghazi", kind="conference")
    # The conferences show their country's new name.
    assert "Benghazi, State of Libya" in [text(detail) for detail in document.xpath("//p[@class='meta']/bdi")]


def test_a_deleted_record_leaves_the_index(client, world_indexed_by_rebuild, django_capture_on_commit_callbacks):
    """Indexed by the signals after each commit."""
    with django_capture_on_commit_callbacks(execute=True):
        topic = make.topic("piracy", name_ar="القرصنة البحرية", name_en="Maritime piracy")
    assert found(client, "القرصنه", "topic") == {"piracy"}
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert not SearchEntry.objects.filter(kind=SearchKind.TOPIC, slug="piracy").exists()
    assert found(client, "piracy", "topic") == set()


def test_rebuild_writes_one_entry_per_record(world_indexed_by_rebuild):
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    expected = {
        SearchKind.CONFERENCE: Conference.objects.count(),
        SearchKind.SERIES: Series.objects.count(),
        SearchKind.PERSON: Person.objects.count(),
        SearchKind.ORGANIZATION: Organization.objects.count(),
        SearchKind.COUNTRY: Country.objects.count(),
        SearchKind.TOPIC: Topic.objects.count(),
        SearchKind.SOURCE: SourceReport.objects.count(),
    }
    assert all(expected.values())
    for kind, count in expected.items():
        assert SearchEntry.objects.filter(kind=kind).count() == count, kind
    before = list(SearchEntry.objects.order_by("kind", "object_id").values_list("kind", "object_id", "text"))
    index.rebuild()
    after = list(SearchEntry.objects.order_by("kind", "object_id").values_list("kind", "object_id", "text"))
    assert before == after


@pytest.mark.slow
def test_generated_records_are_searchable(client, world_indexed_by_rebuild, django_capture_on_commit_callbacks):
    """generate_synthetic is a bulk write: the index is rebuilt once after its commit."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_synthetic", conferences=20, force=True, verbosity=0)
    assert SearchEntry.objects.filter(kind=SearchKind.CONFERENCE).count() == Conference.objects.count()
    assert found(client, "Agency 3", "organization") >= {"synthetic-org-3"}
    assert "synthetic-7" in found(client, "Conference 7", "conference")


def test_the_best_of_each_kind_are_those_the_full_ranking_puts_first(zanzibar, django_capture_on_commit_callbacks):
    """On PostgreSQL only a few matches are ranked in full (SearchEntryQuerySet's fast path): the
    same as ranking them all. Conferences that name the word in their summary (a full-text
    rank above 0) but are older than the first five, others tied on their date, a name."""
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(8):
            make.conference(
                f"zanzibar-old-{number}", name_en=f"Meeting {number}", start=make.day(f"201{number % 3}-05-01"),
                summary_en="Held in Zanzibar." if number % 2 else "A meeting.", city="Zanzibar",
            )
        make.conference("zanzibar-named", name_en="Zanzibar", start=make.day("2000-01-01"), city="Zanzibar")
    entries = SearchEntry.objects.all()
    for words in ("Zanzibar", "zanzibar meeting", "Meeting"):
        query = Query.parse(words)
        for language in LANGUAGES:
            everything = entries.matching(query).ranked(query, language).order_by("kind", *entries.ordering(language))
            expected = {}
            for entry in everything:
                expected.setdefault(entry.kind, []).append(entry.pk)
            best = entries.best_of_each_kind(query, language, 5)
            assert [(pk, kind) for pk, kind, _total, _tier in best] == [
                (pk, kind) for kind in sorted(expected) for pk in expected[kind][:5]
            ], (words, language)
            assert {kind: total for _pk, kind, total, _tier in best} == {kind: len(expected[kind]) for kind in expected}


# --- PostgreSQL's index of words (search migration 0005) ------------------------------------------

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the index of words is PostgreSQL's")


def words_of_the_index():
    """{(entry id, word)} as the entries' `text` holds them, and as search_posting does; each word's
    totals by kind (search_term_total) checked against its postings."""
    held = {
        (pk, word) for pk, text_ in SearchEntry.objects.values_list("pk", "text")
        for word in text_.split(" ") if word not in ("", "|")
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT posting.entry_id, term.key,"
            " posting.kind = entry.kind AND posting.date IS NOT DISTINCT FROM entry.date"
            " FROM search_posting AS posting JOIN search_term AS term ON term.id = posting.term_id"
            " LEFT JOIN conferences_searchentry AS entry ON entry.id = posting.entry_id"
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT term_id, kind, COUNT(*) FROM search_posting GROUP BY term_id, kind"
            " EXCEPT SELECT term_id, kind, total FROM search_term_total"
        )
        uncounted = cursor.fetchall()
        cursor.execute(
            "SELECT term_id, kind, total FROM search_term_total WHERE total <> 0"
            " EXCEPT SELECT term_id, kind, COUNT(*) FROM search_posting GROUP BY term_id, kind"
        )
        miscounted = cursor.fetchall()
    assert all(same for _pk, _word, same in rows), "a posting's kind and date are its entry's"
    assert uncounted == [] and miscounted == [], "each word's totals by kind are its postings'"
    return held, {(pk, word) for pk, word, _same in rows}


def queries_of_every_kind():
    """Every word of the index whole, its start (a short key: at the start of a word only) and a
    part inside it; phrases (one of a word repeated), several keys, Arabic, and keys no word holds."""
    words = sorted({word for text_ in SearchEntry.objects.values_list("text", flat=True)
                    for word in text_.split(" ") if word not in ("", "|")})
    queries = []
    for word in words:
        queries += [word, word[:1], word[:2], word[1:4], word[-3:]]
    # A phrase of one word twice: found in no text, though each of its words is.
    queries += [f'"{word} {word}"' for word in words[::50]]
    queries += [
        '"united nations"', '"security services of africa"', '"nations office"', '"ations offi"', '"un office"',
        "united office", "UN counter", "CISSA 20 Benghazi", "الامن والاستخبارات", '"اجهزه الامن"', "سيسا ٢٠",
        "al-Ayeb", "zzzqqq", "united zzzqqq", "Hammouchi Agadir", "l", "a b",
    ]
    return [words for words in dict.fromkeys(queries) if Query.parse(words)]


@postgresql_only
@pytest.mark.parametrize("few", [0, search_query.FEW_MATCHES], ids=["many matches", "few matches"])
def test_the_index_of_words_finds_what_the_text_holds(world_indexed_by_rebuild, monkeypatch, few):
    """Through the words (PostgreSQL), a query finds the entries LIKE on `text` finds (what SQLite
    does), with the same counts, and the same best of each kind as ranking all matches read
    from `text` (the path without the index of words): ranking only those that can be among the
    best (many matches), or all of them (few)."""
    monkeypatch.setattr(search_query, "FEW_MATCHES", few)
    held, posted = words_of_the_index()
    assert held == posted
    entries = SearchEntry.objects.all()
    for words in queries_of_every_kind():
        query = Query.parse(words)
        expected = set(entries.containing(query).values_list("pk", flat=True))
        assert set(entries.matching(query).values_list("pk", flat=True)) == expected, words
        counts = {}
        for kind in entries.containing(query).values_list("kind", flat=True):
            counts[kind] = counts.get(kind, 0) + 1
        assert entries.kind_counts(query) == counts, words
        for language in LANGUAGES:
            # A filtered queryset (the whole kind) takes the path that reads `text`.
            by_text = entries.filter(kind__in=SearchKind.values)._best_of_each_kind_postgresql(
                query, language, 5, False
            )
            assert entries.best_of_each_kind(query, language, 5) == by_text, (words, language)


@postgresql_only
@pytest.mark.parametrize("few", [0, search_query.FEW_MATCHES], ids=["many matches", "few matches"])
def test_the_best_of_a_word_held_by_many_are_those_the_full_ranking_puts_first(
    world_indexed_by_rebuild, monkeypatch, few, django_capture_on_commit_callbacks
):
    """A word that conferences hold through who attended them, not in their names nor in what
    their pages say: with many matches, only each kind's newest (ties on the date included), those
    that name the word and those whose text holds it are ranked in full; the same first five as
    ranking them all. Six tie on their date across the fifth place; the oldest two win on their
    name and their summary. A part of the word wins on the name alone."""
    monkeypatch.setattr(search_query, "FEW_MATCHES", few)
    with django_capture_on_commit_callbacks(execute=True):
        # Slugs without the word: each word of the index holding «quorvex» is «quorvex» itself.
        person = make.person("idris", name_ar="إدريس كورفكس", name_en="Idris Quorvex")
        for number in range(7):
            # Later records, later titles in the alphabet: the newest by date and title are not the first made.
            attended = make.conference(
                f"attended-{number}", name_en=f"Meeting {9 - number}",
                start=make.day("2014-05-01" if number == 0 else "2013-05-01"),
            )
            make.attendance(attended, person)
        make.conference("summarised", name_en="An old meeting", start=make.day("2001-01-01"),
                        summary_en="Idris Quorvex spoke at it.")
        make.conference("named", name_en="Quorvex forum", start=make.day("2000-01-01"))
    entries = SearchEntry.objects.all()
    # The word, and a part of it: a part is in the names, but no word of a description has its stem.
    for query in (Query.parse("Quorvex"), Query.parse("Quorve")):
        for language in LANGUAGES:
            everything = (
                entries.containing(query).ranked(query, language).order_by("kind", *entries.ordering(language))
            )
            expected = {}
            for entry in everything:
                expected.setdefault(entry.kind, []).append(entry.pk)
            assert len(expected["conference"]) == 9
            best = entries.best_of_each_kind(query, language, 5)
            assert [(pk, kind) for pk, kind, _total, _tier in best] == [
                (pk, kind) for kind in sorted(expected) for pk in expected[kind][:5]
            ], (query, language)
            assert {kind: total for _pk, kind, total, _tier in best} == {
                kind: len(expected[kind]) for kind in expected
            }


@postgresql_only
def test_an_edit_is_found_at_once_through_the_index_of_words(world_indexed_by_rebuild,
                                                              django_capture_on_commit_callbacks):
    """An editor's save, rename and delete reach search_term and search_posting with the row."""
    entries = SearchEntry.objects.all()

    def counts(words):
        return entries.kind_counts(Query.parse(words))

    with django_capture_on_commit_callbacks(execute=True):
        conference = make.conference(
            "quxzylbar-meeting", name_en="Meeting at Quxzylbar", summary_en="Held at Vopraxine."
        )
    assert counts("quxzyl") == counts("vopraxin") == {"conference": 1}
    assert [kind for _pk, kind, _total, _tier in entries.best_of_each_kind(Query.parse("Quxzylbar"), "en", 5)] == [
        "conference"
    ]
    conference.summary_en = "Held at Wembrilot."
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    assert counts("vopraxin") == {}
    assert counts("wembrilot") == {"conference": 1}
    # A person's new name reaches the conferences they attended, and theirs.
    person = Person.objects.get(slug="hussein-al-ayeb")
    person.name_en = "Hussein Zorvendal"
    with django_capture_on_commit_callbacks(execute=True):
        person.save()
    attended = person.attendances.values("conference").distinct().count()
    assert attended
    assert counts("zorvendal") == {"person": 1, "conference": attended}
    with django_capture_on_commit_callbacks(execute=True):
        conference.delete()
    assert counts("wembrilot") == counts("quxzylbar") == {}
    held, posted = words_of_the_index()
    assert held == posted


@postgresql_only
@pytest.mark.django_db
def test_an_edit_looks_up_its_words_without_reading_the_whole_vocabulary():
    """An edit writes its entry's postings by looking each of its words up in search_term's index,
    not by reading and hashing every word of the vocabulary (about 75 ms an edit at 10,000
    conferences): PostgreSQL cannot tell how few words an entry has, and chose the hash."""
    conference = make.conference("vocabulary-meeting", name_en="Meeting", summary_en="A meeting of many words.")
    with connection.cursor() as cursor:
        # A vocabulary the size of a real one's order of magnitude.
        cursor.execute("INSERT INTO search_term (key) SELECT 'word' || n FROM generate_series(1, 20000) AS n")
        cursor.execute("ANALYZE search_term")
        cursor.execute(
            "EXPLAIN " + index.postings_sql(where=index.RECORDS), [SearchKind.CONFERENCE, [conference.pk]]
        )
        edit_plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + index.postings_sql())
        rebuild_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_term_key" in edit_plan
    assert "Seq Scan on search_term" not in edit_plan
    # A rebuild writes every entry's words: one pass over the vocabulary is right for it.
    assert "Seq Scan on search_term" in rebuild_plan
