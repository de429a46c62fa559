"""The JSON API: its shape, its pagination, its filters, its errors, its schema and its cost.

The records: `world` builds, once for the module, five conferences in three countries (one with
something of everything, `factories.full_conference()`; one planned and undated), with their
countries, people, organizations, topics, sources and citations. They live in a transaction that
each test runs inside of and that is rolled back after the module. The API reads no search index:
none is built.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from conferences.models import Citation, Conference, SourceReport, Topic
from core import state
from core.changes import bulk_write
from organizations.models import Organization
from participants.models import Country, Person
from tests import factories as make
from tests.helpers import parse

pytestmark = pytest.mark.django_db

API = "/api/v1"
BASE = "http://testserver"

# Newest first, as on the list page; the planned conference, undated, last.
NEWEST_FIRST = ["staff-2026", "cissa-20", "agadir-2025", "summit-2024", "cissa-21"]


def build_world():
    summit = make.full_conference("summit-2024")  # Tripoli, Libya, December 2024: every kind of row
    libya = summit.host_country
    morocco = make.named_country("MA")
    make.named_country("IT")
    make.country("FR", "فرنسا", "France", "europe")
    terrorism = Topic.objects.get(slug="terrorism")

    cissa = make.organization("cissa", name_ar="لجنة أجهزة الأمن والاستخبارات الأفريقية",
                              name_en="Committee of Intelligence and Security Services of Africa", acronym="CISSA")
    make.organization_alias(cissa, "سيسا", language="ar", script="Arab")
    make.organization_alias(cissa, "Committee of Intelligence and Security Services")
    service = make.organization("libyan-intelligence-service", name_ar="جهاز المخابرات الليبية",
                                name_en="Libyan Intelligence Service", acronym="LIS", kind="intelligence-service",
                                country=libya)
    make.organization("lis-external", name_ar="إدارة العمليات الخارجية", name_en="External Operations Department",
                      kind="intelligence-service", country=libya, parent=service)
    dgsn = make.organization("dgsn", name_ar="المديرية العامة للأمن الوطني",
                             name_en="General Directorate of National Security", acronym="DGSN", kind="police",
                             country=morocco)
    al_ayeb = make.person("hussein-al-ayeb", name_ar="حسين محمد خليفة العائب",
                          name_en="Hussein Mohammed Khalifa al-Ayeb", rank_ar="الفريق أول", rank_en="General",
                          country=libya)
    make.person_alias(al_ayeb, "العايب", language="ar", script="Arab")
    make.person_alias(al_ayeb, "Hussein al-Ayeb")
    make.position(al_ayeb, service, key="director", title_ar="رئيس جهاز المخابرات الليبية",
                  title_en="Head of the Libyan Intelligence Service", start_date=make.day("2021-01-01"),
                  start_precision="year")
    hammouchi = make.person("abdellatif-hammouchi", name_ar="عبد اللطيف الحموشي", name_en="Abdellatif Hammouchi",
                            rank_ar="السيد", rank_en="Mr", country=morocco)
    make.position(hammouchi, dgsn, key="director-general", title_ar="المدير العام", title_en="Director General")

    series = make.series("cissa-conferences", name_ar="مؤتمرات سيسا", name_en="CISSA conferences",
                         organization=cissa)
    cissa_20 = make.conference(
        "cissa-20", start=make.day("2025-08-25"), end=make.day("2025-08-26"),
        name_ar="مؤتمر لجنة أجهزة الأمن والاستخبارات الإفريقية «سيسا 20»",
        name_en="20th Conference of the Committee of Intelligence and Security Services of Africa (CISSA 20)",
        short_name_ar="سيسا 20", short_name_en="CISSA 20", city_ar="بنغازي", city_en="Benghazi",
        host_country=libya, series=series, edition=20,
    )
    cissa_20.topics.add(terrorism)
    report = make.source("cissa-report", published_on=make.day("2025-08-26"))
    make.citation(report, conference=cissa_20, fact="conference-dates", excerpt_ar="يومي 25 و26 أغسطس",
                  excerpt_en="on 25 and 26 August")
    host = make.participation(cissa_20, libya, role="host", note_ar="البلد المضيف.", note_en="The host country.")
    make.citation(report, participation=host, excerpt_ar="تستضيف ليبيا", excerpt_en="Libya hosts")
    chair = make.attendance(cissa_20, al_ayeb, role="chair", organization=service)
    make.citation(report, attendance=chair, excerpt_ar="ترأس الفريق أول حسين العائب",
                  excerpt_en="General Hussein al-Ayeb chaired")
    organizer = make.conference_organization(cissa_20, cissa)
    make.citation(report, conference_organization=organizer, excerpt_ar="تنظمه سيسا", excerpt_en="organized by CISSA")
    cissa_21 = make.conference("cissa-21", status="planned", series=series, edition=21, host_country=libya,
                               short_name_ar="سيسا 21", short_name_en="CISSA 21")
    make.conference_organization(cissa_21, cissa)
    agadir = make.conference("agadir-2025", start=make.day("2025-06-17"), host_country=morocco, city_ar="أكادير",
                             city_en="Agadir")
    agadir.topics.add(make.topic("border-security", "أمن الحدود", "Border security"))
    make.participation(agadir, morocco, role="host")
    make.conference("staff-2026", start=make.day("2026-02-10"), end=make.day("2026-02-12"), host_country=libya,
                    city_ar="بنغازي", city_en="Benghazi")
    make.source("alwihda-appointment", language="fr", published_on=make.day("2025-08-20"),
                url="https://www.alwihdainfo.com/appointment", title_ar="تعيين", title_en="An appointment")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """build_world(), once for the module.

    The records live in a transaction opened here and rolled back after the module's last test;
    each test runs in a savepoint of it, so what a test changes is undone. They are written as a
    bulk write (core.changes): no work after a commit is left waiting for a commit that never comes;
    what a commit would then do for the API, bump the site's version, is done here.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with bulk_write():
            build_world()
        state.bump()  # the site's version row, as any write leaves it (the pins below count reading it once)
        with django_db_blocker.block():
            yield
        transaction.set_rollback(True)


def get(client, path, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- A conference -------------------------------------------------------------------------


def test_a_conference_in_both_languages_with_everything_around_it(client, world):
    data = get(client, "/conferences/summit-2024/")
    conference = Conference.objects.get(slug="summit-2024")

    assert data["slug"] == "summit-2024"
    assert data["name"] == {"ar": conference.name_ar, "en": conference.name_en}
    assert "الاستخبارات" in data["name"]["ar"] and "Intelligence" in data["name"]["en"]
    assert data["short_name"] == {"ar": "قادة الاستخبارات 2024", "en": "Intelligence chiefs 2024"}
    assert data["url"] == {
        "ar": f"{BASE}/ar/conferences/summit-2024/",
        "en": f"{BASE}/en/conferences/summit-2024/",
    }
    assert data["short_url"] == f"{BASE}/c/{conference.pk}/"
    assert data["status"] == "held"
    assert (data["start_date"], data["end_date"]) == ("2024-12-21", "2024-12-22")
    assert data["date_precision"] == data["start_precision"] == data["end_precision"] == "day"
    assert data["city"] == {"ar": "طرابلس", "en": "Tripoli"}
    assert data["host_country"] == "LY"
    assert data["series"]["slug"] == "intelligence-chiefs"
    assert data["edition"] == 2
    assert data["summary"]["ar"] and data["summary"]["en"]
    updated_at = datetime.datetime.fromisoformat(data["updated_at"])  # ISO 8601, to the millisecond
    assert abs(updated_at - conference.updated_at) < datetime.timedelta(milliseconds=1)

    libya = data["countries"][0]
    assert libya["code"] == "LY" and libya["role"] == "host"
    assert libya["name"] == {"ar": "ليبيا", "en": "Libya"}
    assert libya["url"]["en"] == f"{BASE}/en/countries/ly/"

    opener = next(person for person in data["people"] if person["slug"] == "mahmoud-hamza")
    assert opener["role"] == "opening-speaker"
    assert opener["name"]["ar"] == "محمود حمزة"
    assert opener["organization"]["slug"] == "military-intelligence"
    assert opener["url"]["ar"] == f"{BASE}/ar/people/mahmoud-hamza/"

    assert {"slug": "military-intelligence", "role": "organizer"}.items() <= next(
        organization for organization in data["organizations"] if organization["slug"] == "military-intelligence"
    ).items()
    assert "terrorism" in [topic["slug"] for topic in data["topics"]]
    assert all(set(topic["name"]) == {"ar", "en"} for topic in data["topics"])


def test_a_conference_carries_its_citations_and_their_sources(client, world):
    data = get(client, "/conferences/summit-2024/")
    conference = Conference.objects.get(slug="summit-2024")
    expected = Citation.objects.filter(conference=conference).count() + sum(
        Citation.objects.filter(**{f"{row}__conference": conference}).count()
        for row in ("participation", "attendance", "conference_organization")
    )

    assert len(data["citations"]) == expected > 0
    source_slugs = {source["slug"] for source in data["sources"]}
    assert source_slugs == {"report-ar", "report-en"}
    for citation in data["citations"]:
        assert citation["source"] in source_slugs
        assert citation["stance"] in {"supports", "contradicts"}
        assert set(citation["excerpt"]) == {"ar", "en"} and citation["excerpt"]["ar"]
        assert set(citation) >= {"key", "fact", "subject", "claim", "attributed_to"}
    about_people = [citation for citation in data["citations"] if citation["fact"] == "attendance"]
    assert about_people and all(citation["subject"] for citation in about_people)
    source = data["sources"][0]
    assert source["url"]["en"].startswith(f"{BASE}/en/sources/")
    assert set(source["title"]) == {"ar", "en"}


def test_a_disputed_or_attributed_citation_says_so(client, world):
    data = get(client, "/conferences/summit-2024/")
    assert any(citation["attributed_to"]["en"] for citation in data["citations"])
    assert any(citation["stance"] == "contradicts" and citation["claim"]["en"] for citation in data["citations"])
    egypt = next(country for country in data["countries"] if country["code"] == "EG")
    assert egypt["role"] == "absent"


def test_partly_known_dates_stay_partly_known(client, world):
    undated = get(client, "/conferences/cissa-21/")
    assert undated["start_date"] is None and undated["end_date"] is None
    assert undated["date_precision"] == "unknown"

    conference = Conference.objects.get(slug="cissa-21")
    conference.start_date, conference.start_precision = datetime.date(2026, 5, 1), "month"
    conference.end_date, conference.end_precision = datetime.date(2027, 1, 1), "year"
    conference.save()
    data = get(client, "/conferences/cissa-21/")
    assert (data["start_date"], data["date_precision"]) == ("2026-05", "month")
    assert (data["end_date"], data["end_precision"]) == ("2027", "year")


def test_an_unknown_record_is_404_json(client, world):
    for path in ("/conferences/nothing/", "/countries/zz/", "/people/nobody/", "/organizations/none/"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404
        assert "detail" in response.json()


# --- Lists and pagination ----------------------------------------------------------------------


def test_a_list_has_count_next_previous_and_results(client, world):
    first = get(client, "/conferences/", page_size=2)

    assert first["count"] == Conference.objects.count() == len(NEWEST_FIRST)
    assert first["previous"] is None
    assert first["next"] == f"{BASE}{API}/conferences/?page_size=2&page=2"
    assert [row["slug"] for row in first["results"]] == NEWEST_FIRST[:2]  # newest first, as on the list page

    second = client.get(first["next"]).json()
    assert second["previous"] == f"{BASE}{API}/conferences/?page_size=2&page=1"
    assert [row["slug"] for row in second["results"]] == NEWEST_FIRST[2:4]
    last = client.get(second["next"]).json()
    assert last["next"] is None
    assert [row["slug"] for row in last["results"]] == ["cissa-21"]  # undated, last


def test_a_list_item_is_the_whole_conference(client, world):
    listed = get(client, "/conferences/", country="MA")["results"][0]
    assert listed == get(client, "/conferences/agadir-2025/")


def test_a_page_past_the_end_is_empty(client, world):
    data = get(client, "/conferences/", page=500)
    assert data["results"] == [] and data["next"] is None
    assert data["previous"] == f"{BASE}{API}/conferences/?page=1"


def test_the_next_link_keeps_the_filters(client, world):
    data = get(client, "/conferences/", country="ly", page_size=1)
    assert data["next"] == f"{BASE}{API}/conferences/?country=ly&page_size=1&page=2"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "ly"}, ["staff-2026", "cissa-20", "summit-2024", "cissa-21"]),
        ({"country": "MA"}, ["agadir-2025"]),
        ({"year": 2025}, ["cissa-20", "agadir-2025"]),
        ({"status": "planned"}, ["cissa-21"]),
        ({"organization": "cissa"}, ["cissa-20", "cissa-21"]),
        ({"topic": "border-security"}, ["agadir-2025"]),
        ({"topic": "terrorism"}, ["cissa-20", "summit-2024"]),
        ({"country": "ly", "year": 2025, "topic": "terrorism"}, ["cissa-20"]),
        ({"year": 2025, "month": 6}, ["agadir-2025"]),
        ({"month": 8}, ["cissa-20"]),
        ({"country": "eg"}, []),  # Egypt hosted none, though it was at one
        ({"topic": "no-such-topic"}, []),
    ],
)
def test_conference_filters_mirror_the_list_page(client, world, params, expected):
    data = get(client, "/conferences/", **params)
    assert [row["slug"] for row in data["results"]] == expected
    assert data["count"] == len(expected)


def test_countries_by_iso_code(client, world):
    data = get(client, "/countries/")
    assert data["count"] == Country.objects.count()
    assert [row["code"] for row in data["results"]] == sorted(row["code"] for row in data["results"])

    libya = get(client, "/countries/ly/")
    assert libya == get(client, "/countries/LY/")
    assert libya["name"] == {"ar": "ليبيا", "en": "Libya"}
    assert libya["url"]["ar"] == f"{BASE}/ar/countries/ly/"
    assert libya["short_url"] == f"{BASE}/k/ly/"
    hosted = {row["slug"] for row in libya["conferences"] if row["role"] == "host"}
    assert hosted == set(Conference.objects.filter(host_country__code="LY").values_list("slug", flat=True))
    egypt = get(client, "/countries/eg/")
    assert {"slug": "summit-2024", "role": "absent"}.items() <= next(
        row for row in egypt["conferences"] if row["slug"] == "summit-2024"
    ).items()
    assert {row["code"] for row in get(client, "/countries/", region="europe")["results"]} == {"FR", "IT"}


def test_organizations(client, world):
    data = get(client, "/organizations/", page_size=100)
    assert data["count"] == Organization.objects.count() == len(data["results"])
    cissa = get(client, "/organizations/cissa/")
    assert cissa["acronym"] == "CISSA"
    assert set(cissa["name"]) == {"ar", "en"} and cissa["name"]["ar"]
    assert cissa["url"]["en"] == f"{BASE}/en/organizations/cissa/"
    assert any(alias["script"] == "Arab" for alias in cissa["aliases"])
    libyan = get(client, "/organizations/", country="ly", page_size=100)["results"]
    assert libyan and all(row["country"] == "LY" for row in libyan)
    assert next(row for row in libyan if row["slug"] == "lis-external")["parent"] == "libyan-intelligence-service"
    assert len(libyan) < data["count"]
    kinds = get(client, "/organizations/", kind="intergovernmental", page_size=100)["results"]
    assert kinds and all(row["kind"] == "intergovernmental" for row in kinds)
    assert len(kinds) < data["count"]


def test_people(client, world):
    data = get(client, "/people/")
    assert data["count"] == Person.objects.count()
    person = get(client, "/people/hussein-al-ayeb/")
    assert person["name"]["en"] == "Hussein Mohammed Khalifa al-Ayeb"
    assert person["country"] == "LY"
    assert person["positions"] and person["positions"][0]["organization"]
    assert person["positions"][0]["start_date"] == "2021"
    assert {alias["language"] for alias in person["aliases"]} >= {"ar"}
    at_lis = get(client, "/people/", organization="libyan-intelligence-service")["results"]
    assert [row["slug"] for row in at_lis] == ["hussein-al-ayeb"]
    moroccans = get(client, "/people/", country="ma")["results"]
    assert moroccans and all(row["country"] == "MA" for row in moroccans)


def test_topics_and_sources(client, world):
    topics = get(client, "/topics/", page_size=100)
    assert topics["count"] == Topic.objects.count()
    terrorism = get(client, "/topics/terrorism/")
    assert terrorism["conference_count"] == Conference.objects.filter(topics__slug="terrorism").count() == 2
    assert terrorism["name"]["ar"] and terrorism["url"]["ar"] == f"{BASE}/ar/topics/terrorism/"

    sources = get(client, "/sources/", page_size=100)
    assert sources["count"] == SourceReport.objects.count()
    source = get(client, "/sources/alwihda-appointment/")
    assert (source["published_on"], source["published_precision"], source["language"]) == ("2025-08-20", "day", "fr")
    assert source["url"]["en"] == f"{BASE}/en/sources/alwihda-appointment/"
    assert source["address"] == SourceReport.objects.get(slug="alwihda-appointment").url
    arabic = get(client, "/sources/", language="ar", page_size=100)["results"]
    assert arabic and all(row["language"] == "ar" for row in arabic)
    published_2025 = [row["slug"] for row in get(client, "/sources/", year=2025, page_size=100)["results"]]
    assert published_2025 == sorted(
        SourceReport.objects.filter(published_on__year=2025).values_list("slug", flat=True)
    ) == ["alwihda-appointment", "cissa-report"]


# --- Bad parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=abc", "page=-1", "page=0", "page=99999999999999999999", "page_size=0", "page_size=100000",
        "year=20255", "year=abc", "year=-3", "status=cancelled", "country=LYX", "country=1", "topic=a%20b",
        "organization=" + "x" * 101,
    ],
)
def test_bad_parameters_get_400_with_a_json_error(client, query):
    response = client.get(f"{API}/conferences/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/countries/?region=mars", "/organizations/?kind=club", "/sources/?language=xx", "/sources/?year=0",
             "/people/?page=x", "/topics/?page_size=-5", "/conferences.csv?year=abc",
             "/conferences/?month=13"],
)
def test_bad_parameters_of_other_endpoints_get_400(client, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_api_is_read_only(client):
    assert client.post(f"{API}/conferences/").status_code == 405


@pytest.mark.parametrize("path", ["/nothing/", "/conferences/summit-2024/more/", "/conferences.xlsx"])
def test_an_unknown_address_under_the_api_is_404_json(client, world, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("address", ["/api/", "/api/v2/conferences/"])
def test_an_address_of_no_version_of_the_api_is_404_json(client, address):
    response = client.get(address)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/conferences/", "/conferences/summit-2024/", "/conferences.csv"])
def test_a_method_the_api_does_not_take_is_405_json(client, world, method, path):
    response = client.generic(method, f"{API}{path}", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Method not allowed"}
    assert {allowed.strip() for allowed in response["Allow"].split(",")} == {"GET", "HEAD"}


# --- The index ---------------------------------------------------------------------------------


def test_the_index_lists_every_endpoint(client, world):
    index = get(client, "/")
    schema = get(client, "/openapi.json")
    assert index["version"] == "1"
    assert index["openapi"] == f"{BASE}{API}/openapi.json"
    assert index["docs"] == f"{BASE}{API}/docs"
    urls = [endpoint["url"] for endpoint in index["endpoints"]]
    assert set(urls) == {f"{BASE}{path}" for path in schema["paths"] if path != f"{API}/"}
    assert f"{BASE}{API}/conferences/{{slug}}/" in urls
    assert all(endpoint["description"] for endpoint in index["endpoints"])
    for url in urls:
        if "{" not in url:
            assert client.get(url.removeprefix(BASE)).status_code == 200, url
    assert client.get(urls[urls.index(f"{BASE}{API}/conferences/{{slug}}/")].removeprefix(BASE).format(
        slug="summit-2024")).status_code == 200


# --- The schema and the docs -------------------------------------------------------------------


def test_the_openapi_schema_is_valid_and_describes_every_endpoint(client):
    schema = get(client, "/openapi.json")
    validate(schema)
    paths = set(schema["paths"])
    for kind in ("conferences", "countries", "organizations", "people", "topics", "sources"):
        assert f"{API}/{kind}/" in paths
    assert f"{API}/conferences/{{slug}}/" in paths and f"{API}/countries/{{code}}/" in paths
    assert f"{API}/conferences.csv" in paths
    listing = schema["paths"][f"{API}/conferences/"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} >= {
        "country", "year", "organization", "topic", "status", "page", "page_size"
    }
    assert set(listing["responses"]) == {"200", "400", "414"}
    assert set(schema["paths"][f"{API}/conferences/{{slug}}/"]["get"]["responses"]) == {"200", "400", "404", "414"}
    assert "text/csv" in schema["paths"][f"{API}/conferences.csv"]["get"]["responses"]["200"]["content"]
    page = schema["components"]["schemas"]["PagedConferenceOut"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}


def test_every_operation_is_a_get_that_documents_414(client):
    """HEAD is answered but not listed; an address too long to serve may meet any endpoint."""
    schema = get(client, "/openapi.json")
    assert f"{API}/" in schema["paths"]
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path
        assert operations["get"]["responses"]["414"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }, path


def test_the_docs_are_served_from_our_own_static_files(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    document = parse(response)
    scripts = document.xpath("//script/@src")
    assert "/static/ninja/swagger-ui-bundle.js" in scripts
    assert all(address.startswith("/static/") for address in scripts + document.xpath("//link/@href"))
    assert "cdn" not in response.content.decode().lower()  # nor in the inline script that starts the viewer


# --- A fixed number of queries -----------------------------------------------------------------

# Each endpoint and the most SQL queries it may run, whatever the data: on `world`, each list has
# several records, each with several rows of each kind, so a query per record or per row would show.
QUERIES = [
    ("/conferences/", 8),
    ("/conferences/summit-2024/", 4),
    ("/countries/", 5),
    ("/countries/ly/", 4),
    ("/organizations/", 4),
    ("/organizations/cissa/", 3),
    ("/people/", 5),
    ("/people/hussein-al-ayeb/", 4),
    ("/topics/", 3),
    ("/topics/terrorism/", 2),
    ("/sources/", 3),
    ("/sources/report-ar/", 2),
    ("/conferences.csv", 4),
    ("/participations.csv", 2),
]


@pytest.mark.parametrize(("path", "queries"), QUERIES)
def test_query_count_is_pinned(client, world, django_assert_num_queries, path, queries):
    """Guards against N+1 queries: each endpoint runs a fixed number of queries."""
    with django_assert_num_queries(queries):
        assert client.get(f"{API}{path}").status_code == 200


def test_query_count_does_not_grow_with_the_rows(client, world):
    """Guards against N+1 queries: more countries and citations cost no more queries."""
    path = f"{API}/conferences/"
    client.get(path)
    with CaptureQueriesContext(connection) as before:
        client.get(path)
    conference = Conference.objects.get(slug="cissa-20")
    source = SourceReport.objects.get(slug="cissa-report")
    taken = conference.participations.values_list("country_id", flat=True)
    for country in Country.objects.exclude(pk__in=taken)[:4]:
        participation = make.participation(conference, country)
        make.citation(source, participation=participation, key=f"extra-{country.code.lower()}",
                      excerpt_ar="مقتطف", excerpt_en="excerpt")
    with CaptureQueriesContext(connection) as after:
        data = client.get(path).json()
    assert len(after) == len(before)
    cissa = next(row for row in data["results"] if row["slug"] == "cissa-20")
    assert len(cissa["countries"]) == 5
    assert {citation["subject"] for citation in cissa["citations"] if citation["key"].startswith("extra-")} == {
        country["code"] for country in cissa["countries"] if country["role"] == "participant"
    }


# --- HEAD --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", *(path for path, _queries in QUERIES), "/conferences/?country=ly"])
def test_head_answers_as_get_does_without_the_body(client, world, path):
    """What link checkers ask: the same status and headers as GET, and no body."""
    got = client.get(f"{API}{path}")
    response = client.head(f"{API}{path}")
    assert response.status_code == got.status_code == 200
    assert response.content == b""
    for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert response[header] == got[header], header
    assert int(response["Content-Length"]) == len(got.content)


def test_head_to_an_unknown_record_is_404(client, world):
    assert client.head(f"{API}/conferences/nothing/").status_code == 404
    assert client.head(f"{API}/conferences/?year=abc").status_code == 400


def test_head_to_an_old_slug_redirects(client, world):
    conference = Conference.objects.get(slug="agadir-2025")
    conference.slug = "agadir-meeting-2025"
    conference.save()
    response = client.head(f"{API}/conferences/agadir-2025/")
    assert response.status_code == 301
    assert response["Location"] == f"{API}/conferences/agadir-meeting-2025/"
