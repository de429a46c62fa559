"""Bad input never yields a 500, and what a page echoes back is escaped.

Two property-based tests:

- every URL pattern the resolver knows (public pages under every language prefix, short
  links, feeds, the API, the admin as an anonymous visitor), its path parameters filled with
  the slugs and codes of records that exist or with hostile text (NUL and control characters,
  right-to-left overrides, path traversal, invalid UTF-8 percent escapes, 10,000-character
  values, huge numbers), and query strings of the known filter names with hostile, repeated
  values, sent as GET, HEAD, POST, PUT and DELETE;
- schemathesis over the API's OpenAPI schema, calling the Django application in-process
  through WSGI.

Both are bounded (max_examples); they take seconds all the same, and are marked slow. Hypothesis
shrinks whatever it finds to the smallest request that fails.

The records: `world` builds a small set, once for the module (a conference with something of
everything, `factories.full_conference()`, a planned one, a person and an organization with
alternative names, a source in French), so that the fuzz reaches pages that exist too. They live
in a transaction that each test runs inside of and that is rolled back after the module.
"""

import re
from urllib.parse import quote

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from conferences.models import Conference, Series, SourceReport, Topic
from core import state
from core.changes import bulk_write
from organizations.models import Organization
from participants.models import Country, Person
from tests import factories as make
from tests.helpers import page_text, parse

FILTER_NAMES = ["country", "year", "organization", "topic", "status", "page", "q", "page_size", "region", "kind"]
# A fragment that must never come back unescaped in a page.
PROBE = '<b id="probe">'
NASTY = [
    PROBE,
    f'"><script>alert(1)</script>{PROBE}',
    "abc",
    "-1",
    "0",
    str(10**30),
    "20255",
    "1e3",
    "NaN",
    "\x00",
    "a\x00b",
    "\x01\x1f\x7f",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u061c",
    "../../../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%",
    "%zz",
    "'; DROP TABLE conferences_conference; --",
    "ليبيا",
    "x" * 10_000,
    " ",
    "",
]
FUZZ_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def url_patterns(patterns=None, prefix=()):
    """Every leaf pattern as a tuple of parts: route strings, regexes and language prefixes."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part = ("lang",)
        elif isinstance(pattern, RoutePattern):
            part = ("route", str(pattern))
        elif isinstance(pattern, RegexPattern):
            part = ("regex", pattern.regex.pattern)
        else:  # pragma: no cover - Django has no other kind
            raise AssertionError(f"unknown pattern {pattern!r}")
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, (*prefix, part))
        else:
            yield (*prefix, part)


PATTERNS = sorted(set(url_patterns()))


def build_world():
    summit = make.full_conference("summit-2024")
    libya = summit.host_country
    make.conference("summit-2025", status="planned", host_country=libya, series=summit.series, edition=3)
    committee = make.organization("committee", name_ar="لجنة أجهزة الأمن", name_en="Security Services Committee",
                                  acronym="CSS")
    make.organization_alias(committee, "اللجنة", language="ar", script="Arab")
    chair = make.person("salem-ali", name_ar="سالم علي", name_en="Salem Ali", rank_ar="الفريق",
                        rank_en="Lieutenant General", country=make.named_country("TN"))
    make.person_alias(chair, "Salim Ali")
    make.position(chair, committee, key="chair", title_ar="رئيس اللجنة", title_en="Chair of the Committee")
    make.attendance(summit, chair, role="speaker", organization=committee)
    make.source("report-fr", language="fr", published_on=make.day("2024-12-24"))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """build_world(), once for the module; the path values of its records, so the fuzz reaches pages that exist.

    The records live in a transaction opened here and rolled back after the module's last test;
    each test runs in a savepoint of it. They are written as a bulk write (core.changes), and the
    site's version is bumped once, as a commit would.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with bulk_write():
            build_world()
        state.bump()
        slugs = set()
        for model in (Conference, Series, Topic, SourceReport, Organization, Person):
            slugs.update(model.objects.values_list("slug", flat=True)[:20])
        codes = [code.lower() for code in Country.objects.values_list("code", flat=True)[:20]]
        pks = list(Conference.objects.values_list("pk", flat=True)[:5])
        with django_db_blocker.block():
            yield {"slug": sorted(slugs), "code": codes + [code.upper() for code in codes[:3]],
                   "pk": [str(pk) for pk in pks]}
        transaction.set_rollback(True)


def hostile_text():
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=20).map(lambda text: text + PROBE),
    )


def encoded(text_strategy, safe=""):
    """Percent-encoded, as a browser sends it; sometimes raw bytes that are not UTF-8 at all."""
    return st.one_of(
        text_strategy.map(lambda text: quote(text.encode("utf-8"), safe=safe)),
        st.binary(min_size=1, max_size=12).map(lambda raw: quote(raw, safe="")),
    )


@st.composite
def paths(draw, real):
    pattern = draw(st.sampled_from(PATTERNS))
    path = "/"
    for part in pattern:
        if part[0] == "lang":
            path += draw(st.sampled_from(["ar/", "en/", "fr/", "AR/", "xx-yy/", "../", ""]))
        elif part[0] == "regex":
            generated = draw(st.from_regex(part[1], fullmatch=True))
            path += quote(generated.encode("utf-8"), safe="/")
        else:
            route = part[1]
            position = 0
            for match in CONVERTER.finditer(route):
                path += route[position : match.start()]
                name, converter = match["parameter"], match["converter"]
                values = real.get(name) or (real["pk"] if converter == "int" else real["slug"])
                choices = [st.sampled_from(values), encoded(hostile_text()), encoded(hostile_text(), safe="/")]
                if converter in ("int", "path") or name in ("pk", "object_id", "content_type_id"):
                    choices.append(st.integers(min_value=-(10**30), max_value=10**30).map(str))
                path += draw(st.one_of(*choices))
                position = match.end()
            path += route[position:]
    return path


@st.composite
def query_strings(draw):
    names = draw(st.lists(st.one_of(st.sampled_from(FILTER_NAMES), st.text(max_size=8)), max_size=5))
    pairs = []
    for name in names:
        # Repeated parameters too: ?page=1&page=abc.
        for value in draw(st.lists(encoded(hostile_text()), min_size=1, max_size=3)):
            pairs.append(f"{quote(name.encode('utf-8'), safe='')}={value}")
    return "&".join(pairs)


LANGUAGES = st.sampled_from(["", "ar", "en", "fr", "en-GB,en;q=0.9", "*", "ar;q=abc", "x" * 300, "\u202e"])


def check_escaped(response):
    if response.get("Content-Type", "").startswith("text/html"):
        assert PROBE.encode() not in response.content, "input was echoed unescaped"
        if response.content.strip():
            assert not parse(response).xpath('//*[@id="probe"]'), "input was echoed as markup"


@pytest.mark.slow
@pytest.mark.django_db
def test_no_address_or_query_gives_a_server_error(world):
    client = Client()

    @FUZZ_SETTINGS
    @given(
        path=paths(world),
        query=query_strings(),
        language=LANGUAGES,
    )
    def get(path, query, language):
        url = f"{path}?{query}" if query else path
        headers = {"accept-language": language.encode("utf-8").decode("latin-1")} if language else {}
        response = client.get(url, headers=headers)
        assert response.status_code < 500, (url, response.status_code)
        check_escaped(response)

    get()


@pytest.mark.slow
@pytest.mark.django_db
def test_public_pages_refuse_writes_without_a_server_error(world):
    client = Client()
    public = [pattern for pattern in PATTERNS if pattern[0] == ("lang",)] + [
        pattern for pattern in PATTERNS if pattern[0][0] == "route" and not pattern[0][1].startswith("admin/")
    ]

    @FUZZ_SETTINGS
    @given(
        pattern_path=paths(world),
        query=query_strings(),
        method=st.sampled_from(["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
        body=st.binary(max_size=200),
    )
    def write(pattern_path, query, method, body):
        url = f"{pattern_path}?{query}" if query else pattern_path
        response = client.generic(method, url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, (method, url, response.status_code)
        check_escaped(response)

    write()
    assert public  # the resolver knows public patterns at all


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "path", ["/ar/", "/en/conferences/", "/en/conferences/summit-2024/", "/ar/countries/ly/",
             "/en/people/", "/en/organizations/", "/en/topics/", "/en/sources/", "/api/v1/conferences/"],
)
def test_writes_to_a_public_page_answer_405(client, world, method, path):
    response = client.generic(method, path, data="a=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        # A page number that is not one is "no such page", as Django's ListView says.
        ("/en/conferences/?page=abc", 404),
        ("/en/conferences/?page=-1", 404),
        (f"/en/conferences/?page={10**30}", 404),
        # A side list on a detail page shows the nearest page instead.
        ("/en/topics/terrorism/?page=abc", 200),
        ("/en/topics/terrorism/?page=99999", 200),
        # Filters that match nothing, or hold nonsense, show an empty or unfiltered list.
        ("/en/conferences/?year=20255", 200),
        ("/en/conferences/?year=2025&year=abc", 200),
        ("/en/conferences/?country=" + "x" * 1_000, 200),
        # An address longer than PORTAL_MAX_URL_LENGTH is refused, with a clear 414.
        ("/en/conferences/?country=" + "x" * 10_000, 414),
        ("/api/v1/conferences/?country=" + "x" * 10_000, 414),
        ("/en/conferences/?topic=%ff%fe", 200),
        # A NUL anywhere in the address is refused before any view sees it.
        ("/en/conferences/?q=%00", 400),
        ("/en/people/?page=%00", 400),
        ("/en/countries/%00/", 400),
        ("/k/%00/", 400),
        ("/api/v1/countries/%00/", 400),
        ("/en/conferences/no-such-conference/", 404),
        ("/en/countries/zz/", 404),
        ("/fr/conferences/", 404),
        ("/en/conferences/%ff/", 404),
        ("/en/conferences/..%2f..%2fetc%2fpasswd/", 404),
        ("/en/conferences/%E2%80%AEevil/", 404),
        ("/api/v1/conferences/?page=abc", 400),
        (f"/api/v1/conferences/?page={10**30}", 400),
        ("/api/v1/conferences/?year=20255", 400),
        ("/c/99999999999999999999999999999/", 404),
    ],
)
def test_bad_input_gets_a_clear_answer(client, world, url, status):
    assert client.get(url).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/en/conferences/", {"country": PROBE, "year": PROBE, "topic": PROBE}),
        ("/ar/conferences/", {"organization": PROBE, "status": PROBE}),
        ("/en/search/", {"q": PROBE}),
        ("/ar/search/", {"q": f"ليبيا {PROBE}"}),
    ],
)
def test_reflected_input_is_escaped_on_the_page(client, world, path, parameters):
    response = client.get(path, parameters)
    assert response.status_code == 200
    assert PROBE.encode() not in response.content
    document = parse(response)
    assert not document.xpath('//*[@id="probe"]')  # never markup
    # It is shown, as text: in the search box and the results' heading, in the list's filter errors.
    assert PROBE in page_text(document)


# --- The API, from its OpenAPI schema ------------------------------------------------------


# Invalid data may also be refused as too long an address (414, documented on every operation).
SCHEMATHESIS_CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": [
    "400", "401", "403", "404", "405", "406", "409", "414", "415", "422", "428", "429", "5xx",
]}}})


@pytest.fixture
def api_schema(db, world):
    """The schema as the API serves it, loaded through the WSGI application.

    Django's test client stops request_started/finished from closing the connection (it would
    end the test's transaction); calls through WSGI need the same.
    """
    from portal.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=SCHEMATHESIS_CONFIG)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_never_answers_with_a_server_error(case):
    """Every schemathesis check: no 5xx, and status codes, content types and bodies as documented.

    The WSGI transport does not undo gzip, so the answers are asked for uncompressed.
    """
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
