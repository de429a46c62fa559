"""The public search, read as a visitor reads it, on the real seed data, on SQLite and PostgreSQL.

The table of spellings below is the heart of it: every way a reader may type a name (Arabic
hamza, ta marbuta, alef maqsura, short vowels, tatweel, the article; English transliterations
and their aliases) must lead to the same record, on both databases.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import resolve, reverse
from django.utils import translation

from conferences.models import Conference, Topic
from core.arabic import query_keys, search_key
from participants.models import Country, Person, PersonAlias
from search import index
from search.models import SearchEntry, SearchKind
from tests.test_public_pages import PAGES, Page

pytestmark = pytest.mark.django_db

KIND_PATHS = {
    "conference": "conferences",
    "person": "people",
    "organization": "organizations",
    "country": "countries",
    "topic": "topics",
    "source": "sources",
}


def search_url(language="en"):
    with translation.override(language):
        return reverse("pages:search")


def search(client, query, language="en", **params):
    response = client.get(search_url(language), {"q": query, **params})
    assert response.status_code == 200, (query, response.status_code)
    return Page(response.content), response.content.decode()


def shows(html, text):
    """Whether the page's text holds `text`, inline markup (<bdi>, <mark>) and spacing aside."""
    return re.sub(r"\s+", "", text) in re.sub(r"\s+", "", html.text)


def found(client, query, kind, language="en"):
    """The slugs of the records of `kind` the results page links to (all of them: one kind is paginated)."""
    html, _content = search(client, query, language, kind=kind)
    pattern = rf"/{language}/{KIND_PATHS[kind]}/([\w-]+)/"
    return {match.group(1) for href in html.hrefs() if (match := re.fullmatch(pattern, href))}


# --- The spellings: every variant finds its record -------------------------------------------------

SPELLINGS = [
    # Arabic: hamza on the alef, ta marbuta (the record says «الإفريقية»).
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
]


def spelling_id(row):
    query, kind, _slugs = row
    return f"{kind}:{query}"


@pytest.mark.parametrize("row", SPELLINGS, ids=spelling_id)
def test_every_spelling_finds_its_record(client, row):
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
def test_a_spelling_finds_only_its_records(client, query, kind, exactly):
    assert found(client, query, kind) == exactly


@pytest.mark.parametrize(
    ("query", "language", "title"),
    [
        # An English spelling on the Arabic page: the Arabic record, its Arabic name.
        ("Haftar", "ar", "خليفة حفتر"),
        ("Al-Aib", "ar", "حسين محمد خليفة العائب"),
        ("CISSA", "ar", "لجنة أجهزة الأمن والاستخبارات الأفريقية"),
        # An Arabic spelling on the English page.
        ("العايب", "en", "Hussein Mohammed Khalifa al-Ayeb"),
        ("سيسا", "en", "Committee of Intelligence and Security Services of Africa"),
        ("منصة مراكش", "en", "Marrakech Platform"),
    ],
)
def test_a_name_in_one_language_finds_the_record_in_the_other(client, query, language, title):
    html, _content = search(client, query, language)
    assert shows(html, title)


def test_the_name_that_matched_is_shown_when_the_title_does_not_hold_it(client):
    html, content = search(client, "Alaeb", "en")
    assert shows(html, "Also written: Al-A'eb") or shows(html, "Also written: Al-Aeb")
    assert "<mark>Al-A" in content


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


def test_results_are_grouped_by_kind_with_counts(client):
    html, _content = search(client, "Haftar")
    h2 = [re.sub(r"\s+", " ", text).strip() for level, text in html.headings if level == 2]
    assert h2 == ["Conferences (1)", "People (2)", "Organizations (2)", "Sources (4)"]
    assert shows(html, "9 results for “Haftar”")
    tabs = [href for href in html.hrefs() if "kind=" in href]
    assert {parse_qs(urlsplit(href).query)["kind"][0] for href in tabs} == {
        "conference", "person", "organization", "source"
    }


def test_the_record_named_by_the_query_comes_first(client):
    for query, first in (("CISSA", "cissa"), ("UN", "united-nations"), ("سيسا", "cissa")):
        html, _content = search(client, query, kind="organization")
        organizations = [href for href in html.hrefs() if re.fullmatch(r"/en/organizations/[\w-]+/", href)]
        assert organizations[0] == f"/en/organizations/{first}/", query


def test_results_link_to_their_pages_in_the_page_language(client):
    for language in ("ar", "en"):
        html, _content = search(client, "Haftar", language)
        hrefs = html.hrefs()
        assert f"/{language}/people/khalifa-haftar/" in hrefs
        assert f"/{language}/conferences/benghazi-chiefs-of-staff-2026/" in hrefs
        for href in hrefs:
            if href.startswith(f"/{language}/") and "?" not in href and "#" not in href:
                assert client.get(href).status_code == 200, href


@pytest.mark.parametrize(
    ("query", "language", "marked"),
    [
        ("Haftar", "en", "Khalifa <mark>Haftar</mark>"),
        ("حفتر", "ar", "خليفة <mark>حفتر</mark>"),
        # Matched on the folded form, marked on the text as written.
        ("الافريقيه", "ar", "<mark>الإفريقية</mark>"),
        ("Hamouchi", "en", "Abdellatif <mark>Hammouchi</mark>"),
        ("عبد السلام", "ar", "<mark>عبدالسلام</mark>"),
        ("Abdul Salam", "en", "<mark>Abdulsalam</mark>"),
    ],
)
def test_matched_words_are_marked(client, query, language, marked):
    _html, content = search(client, query, language)
    assert marked in content


def test_text_is_escaped_before_it_is_marked(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.create(
            slug="terror-markup", name_ar="تمويل <b>الإرهاب</b>", name_en="Terror <script>alert(1)</script> funds",
        )
    _html, content = search(client, "terror funds", kind="topic")
    assert "<mark>Terror</mark> &lt;script&gt;alert(1)&lt;/script&gt; <mark>funds</mark>" in content
    assert "<script>alert(1)" not in content


def test_the_query_is_shown_escaped(client):
    _html, content = search(client, "<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


@pytest.fixture
def zanzibar(db, django_capture_on_commit_callbacks):
    """25 conferences named after Zanzibar, indexed by the signals as an editor saves them."""
    with django_capture_on_commit_callbacks(execute=True):
        tanzania = Country.objects.create(code="TZ", name_ar="تنزانيا", name_en="Tanzania", region="east-africa")
        for number in range(25):
            Conference.objects.create(
                slug=f"zanzibar-{number:02d}", name_ar=f"مؤتمر زنجبار {number}", name_en=f"Zanzibar meeting {number}",
                short_name_ar=f"زنجبار {number}", short_name_en=f"Zanzibar {number}", status="held",
                summary_ar="ملخص", summary_en="Summary", host_country=tanzania,
            )


def test_each_group_shows_its_best_and_links_to_all(client, zanzibar):
    html, _content = search(client, "Zanzibar")
    conferences = [href for href in html.hrefs() if href.startswith("/en/conferences/zanzibar-")]
    assert len(conferences) == 5
    assert shows(html, "See all 25 results in Conferences")
    more = next(href for href in html.hrefs() if "kind=conference" in href)
    assert parse_qs(urlsplit(more).query) == {"q": ["Zanzibar"], "kind": ["conference"]}


def test_one_kind_is_paginated(client, zanzibar):
    first, _content = search(client, "Zanzibar", kind="conference")
    assert "Page 1 of 2" in first.text
    on_first = [href for href in first.hrefs() if href.startswith("/en/conferences/zanzibar-")]
    assert len(on_first) == 20
    next_link = next(href for href in first.hrefs() if "page=2" in href)
    assert parse_qs(urlsplit(next_link).query) == {"q": ["Zanzibar"], "kind": ["conference"], "page": ["2"]}
    second, _content = search(client, "Zanzibar", kind="conference", page="2")
    on_second = [href for href in second.hrefs() if href.startswith("/en/conferences/zanzibar-")]
    assert len(on_second) == 5
    assert not set(on_first) & set(on_second)


# --- Did you mean ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "language", "suggestion", "slug"),
    [
        ("Haftr", "en", "Haftar", "khalifa-haftar"),
        ("Benghasi", "en", "Benghazi", "cissa-20-benghazi-2025"),
        ("حفطر", "ar", "حفتر", "khalifa-haftar"),
    ],
)
def test_did_you_mean_a_near_spelling(client, query, language, suggestion, slug):
    html, _content = search(client, query, language)
    suggested = [parse_qs(urlsplit(href).query)["q"][0] for href in html.hrefs() if href.startswith("?q=")]
    assert suggested == [suggestion]
    if language == "en":
        assert shows(html, f"Nothing matches “{query}”.")
        assert shows(html, f"Did you mean: {suggestion}?")
    followed, _content = search(client, suggestion, language)
    assert any(f"/{slug}/" in href for href in followed.hrefs())


def test_a_form_no_record_holds_is_found_by_its_stem_or_suggested(client):
    """«المؤتمرات», the plural, is in no record. PostgreSQL finds the conferences («المؤتمر») by
    its stem (full-text search, `arabic` configuration); SQLite has no stems, and suggests a
    near spelling that finds something."""
    html, _content = search(client, "المؤتمرات", "ar")
    detail = re.compile(r"/ar/(conferences|people|organizations|countries|topics|sources)/[\w-]+/")
    if connection.vendor == "postgresql":
        assert "/ar/conferences/cissa-20-benghazi-2025/" in html.hrefs()
    else:
        suggested = [href for href in html.hrefs() if href.startswith("?q=")]
        assert len(suggested) == 1
        followed = Page(client.get(search_url("ar") + suggested[0]).content)
        assert any(detail.fullmatch(href) for href in followed.hrefs())


def test_no_suggestion_when_nothing_is_near(client):
    html, _content = search(client, "xqzvwk")
    assert shows(html, "Nothing matches “xqzvwk”.")
    assert "Did you mean" not in html.text
    assert "Check the spelling" in html.text


# --- Bad and hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_empty_query_explains_the_search(client, language):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(search_url(language), params)
        assert response.status_code == 200
        html = Page(response.content)
        assert len(html.h1()) == 1
        assert f"{search_url(language)}?q=Hafter" in [search_url(language) + href for href in html.hrefs()]
    if language == "en":
        assert "in Arabic or in English" in html.text


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "Haftar " * 2_000,
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
def test_hostile_input_never_fails(client, query):
    for language in ("ar", "en"):
        for params in ({"q": query}, {"q": query, "kind": "person", "page": "999999"}):
            response = client.get(search_url(language), params)
            assert response.status_code == 200, (query[:20], params.get("kind"))
            assert len(Page(response.content).h1()) == 1
    assert SearchEntry.objects.exists()  # nothing was dropped


def test_a_long_query_is_cut_and_control_characters_dropped(client):
    _html, content = search(client, "Haftar " + "y" * 10_000)
    box = re.search(r'<input id="search-q"[^>]*value="([^"]*)"', content)
    assert box.group(1).startswith("Haftar yyy")
    assert len(box.group(1)) == 200
    html, content = search(client, "\x01Haf\x07tar\x1b\u202e")
    assert 'value="Haftar"' in content
    assert "/en/people/khalifa-haftar/" in html.hrefs()


def test_a_nul_or_broken_encoding_is_no_server_error(client):
    # NUL is refused before any view (public.security answers 400); the search would drop it anyway.
    assert client.get(search_url(), {"q": "Haf\x00tar"}).status_code < 500
    for raw in ("q=%FF%FE%ED%A0%80", "q=%E2%80", "q=Haftar&q=%00", "q[]=x&kind[]=y", "q=%25%5F%5C"):
        assert client.get(search_url(), QUERY_STRING=raw).status_code < 500, raw


@pytest.mark.parametrize(
    "params", [{"kind": "nonsense"}, {"page": "abc"}, {"page": "-3"}, {"kind": "person", "page": "0"}]
)
def test_odd_parameters_are_ignored(client, params):
    html, _content = search(client, "Haftar", **params)
    assert "/en/people/khalifa-haftar/" in html.hrefs()


def test_the_search_is_read_only(client):
    assert client.post(search_url(), {"q": "Haftar"}).status_code == 405
    assert client.head(search_url(), {"q": "Haftar"}).status_code == 200


# --- The page and the box in every page's header --------------------------------------------------------


def test_the_search_url(client):
    for language in ("ar", "en"):
        assert search_url(language) == f"/{language}/search/"
        with translation.override(language):
            assert resolve(f"/{language}/search/").view_name == "pages:search"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_search_page_is_in_its_language(client, language):
    html, _content = search(client, "Haftar", language)
    assert html.html["lang"] == language
    assert html.html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert len(html.h1()) == 1


HEADER_BOX = re.compile(
    r'<form class="site-search" method="get" action="(?P<action>[^"]+)" role="search">\s*'
    r'<input type="search" name="q"[^>]*aria-label="(?P<label>[^"]+)"'
)


def page_id(page):
    name, kwargs, _queries = page
    return "-".join([name, *kwargs.values()])


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("page", [*PAGES, ("pages:search", {}, 0)], ids=page_id)
def test_every_page_has_the_search_box_in_its_header(client, page, language):
    name, kwargs, _queries = page
    with translation.override(language):
        address = reverse(name, kwargs=kwargs)
    content = client.get(address).content.decode()
    header = content.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    box = HEADER_BOX.search(header)
    assert box, address
    assert box.group("action") == f"/{language}/search/"
    assert box.group("label")


def test_the_not_found_page_has_the_search_box_too(client):
    content = client.get("/en/no-such-page/").content.decode()
    assert HEADER_BOX.search(content).group("action") == "/en/search/"


def test_the_header_box_searches(client):
    """The header's form, submitted as a browser would without JavaScript, gives the results page."""
    content = client.get("/ar/").content.decode()
    box = HEADER_BOX.search(content)
    response = client.get(box.group("action"), {"q": "سيسا"})
    assert response.status_code == 200
    assert "/ar/organizations/cissa/" in Page(response.content).hrefs()


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
    client.get(search_url(), params)  # warms the site-wide caches, as in test_public_pages
    with django_assert_max_num_queries(8):
        response = client.get(search_url(), params)
    assert response.status_code == 200


def test_query_count_does_not_grow_with_the_hits(client, django_assert_max_num_queries,
                                                 django_capture_on_commit_callbacks):
    """Guards against N+1 queries: 5 hits or 30, the same queries."""
    from django.test.utils import CaptureQueriesContext

    client.get(search_url(), {"q": "Benghazi"})
    with CaptureQueriesContext(connection) as before:
        client.get(search_url(), {"q": "Benghazi"})
    queries = len(before)  # now: the next request clears the connection's query log
    libya = Country.objects.get(code="LY")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(30):
            Conference.objects.create(
                slug=f"benghazi-extra-{number}", name_ar=f"مؤتمر بنغازي {number}", name_en=f"Benghazi meeting {number}",
                short_name_ar=f"بنغازي {number}", short_name_en=f"Benghazi {number}", status="held",
                summary_ar="ملخص", summary_en="Summary", host_country=libya, city_ar="بنغازي", city_en="Benghazi",
            )
    client.get(search_url(), {"q": "Benghazi"})
    with django_assert_max_num_queries(queries):
        response = client.get(search_url(), {"q": "Benghazi"})
    assert "See all 32 results in Conferences" in response.content.decode()


# --- Keeping the index current ------------------------------------------------------------------------------


def test_an_alias_added_by_an_editor_is_found_and_a_deleted_one_is_not(client, django_capture_on_commit_callbacks):
    person = Person.objects.get(slug="khaled-haftar")
    with django_capture_on_commit_callbacks(execute=True):
        alias = PersonAlias.objects.create(person=person, name="Khalid Hiftar", language="en", script="Latn")
    assert found(client, "Hiftar", "person") == {"khaled-haftar"}
    with django_capture_on_commit_callbacks(execute=True):
        alias.delete()
    assert found(client, "Hiftar", "person") == set()


def test_a_renamed_record_is_found_under_its_new_name_only(client, django_capture_on_commit_callbacks):
    conference = Conference.objects.get(slug="cissa-21")
    conference.name_en = "Twenty-first CISSA summit in Sirte"
    with django_capture_on_commit_callbacks(execute=True):
        conference.save()
    assert found(client, "Sirte", "conference") == {"cissa-21"}
    country = Country.objects.get(code="LY")
    country.name_en = "State of Libya"
    with django_capture_on_commit_callbacks(execute=True):
        country.save()
    html, _content = search(client, "Benghazi", kind="conference")
    assert shows(html, "Benghazi, State of Libya")  # the conferences show their country's new name


def test_a_deleted_record_leaves_the_index(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = Topic.objects.create(slug="piracy", name_ar="القرصنة البحرية", name_en="Maritime piracy")
    assert found(client, "القرصنه", "topic") == {"piracy"}
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert not SearchEntry.objects.filter(kind=SearchKind.TOPIC, slug="piracy").exists()
    assert found(client, "piracy", "topic") == set()


def test_rebuild_writes_one_entry_per_record():
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    from conferences.models import SourceReport
    from organizations.models import Organization

    expected = {
        SearchKind.CONFERENCE: Conference.objects.count(),
        SearchKind.PERSON: Person.objects.count(),
        SearchKind.ORGANIZATION: Organization.objects.count(),
        SearchKind.COUNTRY: Country.objects.count(),
        SearchKind.TOPIC: Topic.objects.count(),
        SearchKind.SOURCE: SourceReport.objects.count(),
    }
    for kind, count in expected.items():
        assert SearchEntry.objects.filter(kind=kind).count() == count, kind
    before = list(SearchEntry.objects.order_by("kind", "object_id").values_list("kind", "object_id", "text"))
    index.rebuild()
    after = list(SearchEntry.objects.order_by("kind", "object_id").values_list("kind", "object_id", "text"))
    assert before == after


def test_generated_records_are_searchable(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_synthetic", conferences=20, force=True, verbosity=0)
    assert SearchEntry.objects.filter(kind=SearchKind.CONFERENCE).count() == Conference.objects.count()
    assert found(client, "Agency 3", "organization") >= {"synthetic-org-3"}
    assert "synthetic-7" in found(client, "Conference 7", "conference")
