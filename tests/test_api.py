"""The JSON API: its shape, its pagination, its filters, its errors, its schema and its cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from conferences.models import Citation, Conference, Participation, SourceReport, Topic
from organizations.models import Organization
from participants.models import Country, Person

pytestmark = pytest.mark.django_db

API = "/api/v1"
BASE = "http://testserver"


def get(client, path, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- A conference -------------------------------------------------------------------------


def test_a_conference_in_both_languages_with_everything_around_it(client):
    data = get(client, "/conferences/cissa-20-benghazi-2025/")
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")

    assert data["slug"] == "cissa-20-benghazi-2025"
    assert data["name"] == {"ar": conference.name_ar, "en": conference.name_en}
    assert "سيسا" in data["name"]["ar"] and "CISSA 20" in data["name"]["en"]
    assert data["short_name"] == {"ar": "سيسا 20", "en": "CISSA 20"}
    assert data["url"] == {
        "ar": f"{BASE}/ar/conferences/cissa-20-benghazi-2025/",
        "en": f"{BASE}/en/conferences/cissa-20-benghazi-2025/",
    }
    assert data["short_url"] == f"{BASE}/c/{conference.pk}/"
    assert data["status"] == "held"
    assert (data["start_date"], data["end_date"]) == ("2025-08-25", "2025-08-26")
    assert data["date_precision"] == data["start_precision"] == data["end_precision"] == "day"
    assert data["city"] == {"ar": "بنغازي", "en": "Benghazi"}
    assert data["host_country"] == "LY"
    assert data["series"]["slug"] == "cissa-conferences"
    assert data["edition"] == 20
    assert data["summary"]["ar"] and data["summary"]["en"]
    updated_at = datetime.datetime.fromisoformat(data["updated_at"])  # ISO 8601, to the millisecond
    assert abs(updated_at - conference.updated_at) < datetime.timedelta(milliseconds=1)

    libya = data["countries"][0]
    assert libya["code"] == "LY" and libya["role"] == "host"
    assert libya["name"] == {"ar": "ليبيا", "en": "Libya"}
    assert libya["url"]["en"] == f"{BASE}/en/countries/ly/"

    chair = next(person for person in data["people"] if person["slug"] == "hussein-al-ayeb")
    assert chair["role"] == "chair"
    assert chair["name"]["ar"] == "حسين محمد خليفة العائب"
    assert chair["organization"]["slug"] == "libyan-intelligence-service"
    assert chair["url"]["ar"] == f"{BASE}/ar/people/hussein-al-ayeb/"

    assert {"slug": "cissa", "role": "organizer"}.items() <= next(
        organization for organization in data["organizations"] if organization["slug"] == "cissa"
    ).items()
    assert "terrorism" in [topic["slug"] for topic in data["topics"]]
    assert all(set(topic["name"]) == {"ar", "en"} for topic in data["topics"])


def test_a_conference_carries_its_citations_and_their_sources(client):
    data = get(client, "/conferences/cissa-20-benghazi-2025/")
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    expected = Citation.objects.filter(conference=conference).count() + sum(
        Citation.objects.filter(**{f"{row}__conference": conference}).count()
        for row in ("participation", "attendance", "conference_organization")
    )

    assert len(data["citations"]) == expected > 0
    source_slugs = {source["slug"] for source in data["sources"]}
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


def test_a_disputed_or_attributed_citation_says_so(client):
    data = get(client, "/conferences/tripoli-military-intelligence-chiefs-2024/")
    assert any(citation["attributed_to"]["en"] for citation in data["citations"])
    egypt = next(country for country in data["countries"] if country["code"] == "EG")
    assert egypt["role"] == "absent"


def test_partly_known_dates_stay_partly_known(client):
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


def test_an_unknown_record_is_404_json(client):
    for path in ("/conferences/nothing/", "/countries/zz/", "/people/nobody/", "/organizations/none/"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404
        assert "detail" in response.json()


# --- Lists and pagination ----------------------------------------------------------------------


def test_a_list_has_count_next_previous_and_results(client):
    total = Conference.objects.count()
    first = get(client, "/conferences/", page_size=2)

    assert first["count"] == total
    assert first["previous"] is None
    assert first["next"] == f"{BASE}{API}/conferences/?page_size=2&page=2"
    assert [row["slug"] for row in first["results"]] == [
        "benghazi-chiefs-of-staff-2026", "cissa-20-benghazi-2025"
    ]  # newest first, as on the list page

    second = client.get(first["next"]).json()
    assert second["previous"] == f"{BASE}{API}/conferences/?page_size=2&page=1"
    assert [row["slug"] for row in second["results"]] == [
        "marrakech-platform-4-agadir-2025", "tripoli-military-intelligence-chiefs-2024"
    ]
    last = client.get(second["next"]).json()
    assert last["next"] is None
    assert [row["slug"] for row in last["results"]] == ["cissa-21"]  # undated, last


def test_a_list_item_is_the_whole_conference(client):
    listed = get(client, "/conferences/", country="MA")["results"][0]
    assert listed == get(client, "/conferences/marrakech-platform-4-agadir-2025/")


def test_a_page_past_the_end_is_empty(client):
    data = get(client, "/conferences/", page=500)
    assert data["results"] == [] and data["next"] is None
    assert data["previous"] == f"{BASE}{API}/conferences/?page=1"


def test_the_next_link_keeps_the_filters(client):
    data = get(client, "/conferences/", country="ly", page_size=1)
    assert data["next"] == f"{BASE}{API}/conferences/?country=ly&page_size=1&page=2"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "ly"}, ["benghazi-chiefs-of-staff-2026", "cissa-20-benghazi-2025",
                             "tripoli-military-intelligence-chiefs-2024", "cissa-21"]),
        ({"country": "MA"}, ["marrakech-platform-4-agadir-2025"]),
        ({"year": 2025}, ["cissa-20-benghazi-2025", "marrakech-platform-4-agadir-2025"]),
        ({"status": "planned"}, ["cissa-21"]),
        ({"status": "planned"}, ["cissa-21"]),
        ({"organization": "cissa"}, ["cissa-20-benghazi-2025", "cissa-21"]),
        ({"topic": "border-security"}, ["tripoli-military-intelligence-chiefs-2024"]),
        ({"country": "ly", "year": 2025, "topic": "terrorism"}, ["cissa-20-benghazi-2025"]),
        ({"year": 2025, "month": 6}, ["marrakech-platform-4-agadir-2025"]),
        ({"month": 8}, ["cissa-20-benghazi-2025"]),
        ({"country": "eg"}, []),
        ({"topic": "no-such-topic"}, []),
    ],
)
def test_conference_filters_mirror_the_list_page(client, params, expected):
    data = get(client, "/conferences/", **params)
    assert [row["slug"] for row in data["results"]] == expected
    assert data["count"] == len(expected)


def test_countries_by_iso_code(client):
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
    assert {"slug": "tripoli-military-intelligence-chiefs-2024", "role": "absent"}.items() <= next(
        row for row in egypt["conferences"] if row["slug"] == "tripoli-military-intelligence-chiefs-2024"
    ).items()
    assert {row["code"] for row in get(client, "/countries/", region="europe")["results"]} >= {"FR", "IT"}


def test_organizations(client):
    data = get(client, "/organizations/", page_size=100)
    assert data["count"] == Organization.objects.count() == len(data["results"])
    cissa = get(client, "/organizations/cissa/")
    assert cissa["acronym"] == "CISSA"
    assert set(cissa["name"]) == {"ar", "en"} and cissa["name"]["ar"]
    assert cissa["url"]["en"] == f"{BASE}/en/organizations/cissa/"
    assert any(alias["script"] == "Arab" for alias in cissa["aliases"])
    libyan = get(client, "/organizations/", country="ly", page_size=100)["results"]
    assert libyan and all(row["country"] == "LY" for row in libyan)
    kinds = get(client, "/organizations/", kind="intergovernmental", page_size=100)["results"]
    assert kinds and all(row["kind"] == "intergovernmental" for row in kinds)


def test_people(client):
    data = get(client, "/people/")
    assert data["count"] == Person.objects.count()
    person = get(client, "/people/hussein-al-ayeb/")
    assert person["name"]["en"] == "Hussein Mohammed Khalifa al-Ayeb"
    assert person["country"] == "LY"
    assert person["positions"] and person["positions"][0]["organization"]
    assert {alias["language"] for alias in person["aliases"]} >= {"ar"}
    at_lis = get(client, "/people/", organization="libyan-intelligence-service")["results"]
    assert "hussein-al-ayeb" in [row["slug"] for row in at_lis]
    assert all(row["country"] == "MA" for row in get(client, "/people/", country="ma")["results"])


def test_topics_and_sources(client):
    topics = get(client, "/topics/", page_size=100)
    assert topics["count"] == Topic.objects.count()
    terrorism = get(client, "/topics/terrorism/")
    assert terrorism["conference_count"] == Conference.objects.filter(topics__slug="terrorism").count()
    assert terrorism["name"]["ar"] and terrorism["url"]["ar"] == f"{BASE}/ar/topics/terrorism/"

    sources = get(client, "/sources/", page_size=100)
    assert sources["count"] == SourceReport.objects.count()
    source = get(client, "/sources/alwihda-khaled-haftar-appointment/")
    assert (source["published_on"], source["published_precision"], source["language"]) == ("2025-08-20", "day", "fr")
    assert source["url"]["en"] == f"{BASE}/en/sources/alwihda-khaled-haftar-appointment/"
    assert source["address"] == SourceReport.objects.get(slug="alwihda-khaled-haftar-appointment").url
    arabic = get(client, "/sources/", language="ar", page_size=100)["results"]
    assert arabic and all(row["language"] == "ar" for row in arabic)
    assert [row["slug"] for row in get(client, "/sources/", year=2025, page_size=100)["results"]] == sorted(
        SourceReport.objects.filter(published_on__year=2025).values_list("slug", flat=True)
    )


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
    assert set(listing["responses"]) == {"200", "400"}
    assert set(schema["paths"][f"{API}/conferences/{{slug}}/"]["get"]["responses"]) == {"200", "400", "404"}
    assert "text/csv" in schema["paths"][f"{API}/conferences.csv"]["get"]["responses"]["200"]["content"]
    page = schema["components"]["schemas"]["PagedConferenceOut"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}


def test_the_docs_are_served_from_our_own_static_files(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


# --- A fixed number of queries -----------------------------------------------------------------

# Each endpoint and the most SQL queries it may run, whatever the data.
QUERIES = [
    ("/conferences/", 8),
    ("/conferences/cissa-20-benghazi-2025/", 7),
    ("/countries/", 5),
    ("/countries/ly/", 4),
    ("/organizations/", 4),
    ("/organizations/cissa/", 3),
    ("/people/", 5),
    ("/people/hussein-al-ayeb/", 4),
    ("/topics/", 3),
    ("/topics/terrorism/", 2),
    ("/sources/", 3),
    ("/sources/cissa-about/", 2),
    ("/conferences.csv", 4),
    ("/participations.csv", 2),
]


@pytest.mark.parametrize(("path", "queries"), QUERIES)
def test_query_count_is_pinned(client, django_assert_num_queries, path, queries):
    """Guards against N+1 queries: each endpoint runs a fixed number of queries."""
    with django_assert_num_queries(queries):
        assert client.get(f"{API}{path}").status_code == 200


def test_query_count_does_not_grow_with_the_rows(client):
    """Guards against N+1 queries: more countries and citations cost no more queries."""
    path = f"{API}/conferences/"
    client.get(path)
    with CaptureQueriesContext(connection) as before:
        client.get(path)
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    source = SourceReport.objects.first()
    taken = conference.participations.values_list("country_id", flat=True)
    for index, country in enumerate(Country.objects.exclude(pk__in=taken)[:4]):
        participation = Participation.objects.create(conference=conference, country=country, role="participant")
        Citation.objects.create(
            key=f"extra-{index}", source=source, fact="participation", participation=participation,
            excerpt_ar="مقتطف", excerpt_en="excerpt",
        )
    with CaptureQueriesContext(connection) as after:
        data = client.get(path).json()
    assert len(after) == len(before)
    cissa = next(row for row in data["results"] if row["slug"] == "cissa-20-benghazi-2025")
    assert len(cissa["countries"]) == 5
    assert {citation["subject"] for citation in cissa["citations"] if citation["key"].startswith("extra-")} == {
        country["code"] for country in cissa["countries"] if country["role"] == "participant"
    }
