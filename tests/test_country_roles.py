"""Conferences by the part a country played: hosting, taking part, announced, absent.

The list page, its API and its CSVs take `country` with a `role`; `country` alone is still the host
country, as links made before `role` mean. The countries index counts each part, announced too.
On the list page the filters fold under a summary that is open while a filter is set.

The records (`world`): Libya hosted a summit (2024, Egypt took part) and a meeting (2025, Egypt
absent); Morocco hosted a forum (2026) with Tunisia as co-host and Egypt announced.
"""

import csv
import io

import pytest

from tests import factories as make
from tests.helpers import LANGUAGES, get, head_links, page, page_text, parse, text, url

pytestmark = pytest.mark.django_db

API = "/api/v1/conferences/"


@pytest.fixture
def world(db):
    libya, morocco = make.named_country("LY"), make.named_country("MA")
    egypt, tunisia = make.named_country("EG"), make.named_country("TN")
    summit = make.conference("summit-2024", start=make.day("2024-05-02"), host_country=libya)
    meeting = make.conference("meeting-2025", start=make.day("2025-03-10"), host_country=libya)
    forum = make.conference("forum-2026", start=make.day("2026-01-20"), host_country=morocco, status="planned")
    make.participation(summit, libya, role="host")
    make.participation(summit, egypt)
    make.participation(meeting, egypt, role="absent")
    make.participation(forum, tunisia, role="host")
    make.participation(forum, egypt, role="announced")
    make.participation(forum, libya, role="announced")


# What each query finds, newest first; the same on the page, in the API and in the CSVs.
BY_ROLE = [
    ("country=eg&role=participant", ["summit-2024"]),
    ("country=eg&role=absent", ["meeting-2025"]),
    ("country=eg&role=announced", ["forum-2026"]),
    ("country=eg&role=host", []),
    ("country=ly&role=host", ["meeting-2025", "summit-2024"]),
    ("country=ly&role=announced", ["forum-2026"]),
    ("country=tn&role=host", ["forum-2026"]),  # a co-host hosted it too, as its country page says
    ("country=ma&role=host", ["forum-2026"]),  # the host country has no row of its own among the countries
    # No role: the host country, as ever.
    ("country=ly", ["meeting-2025", "summit-2024"]),
    ("country=eg", []),
    # Combined with the other filters.
    ("country=ly&role=announced&status=planned", ["forum-2026"]),
    ("country=eg&role=absent&year=2024", []),
]


def listed(client, query, language):
    """The conferences the list page shows, by slug, in their order."""
    document = parse(get(client, f"{url('conferences:list', language)}?{query}"))
    prefix = f"/{language}/conferences/"
    return [
        href.removeprefix(prefix).strip("/")
        for href in document.xpath('//article[@class="card"]//a/@href')
        if href.startswith(prefix)
    ]


def csv_rows(client, name, query):
    response = get(client, f"/api/v1/{name}.csv?{query}")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("query", "expected"), BY_ROLE)
def test_the_list_shows_the_conferences_at_which_a_country_played_a_part(client, world, language, query, expected):
    assert listed(client, query, language) == expected


@pytest.mark.parametrize(("query", "expected"), BY_ROLE)
def test_the_api_filters_by_the_same_part(client, world, query, expected):
    response = get(client, f"{API}?{query}")
    assert [row["slug"] for row in response.json()["results"]] == expected


@pytest.mark.parametrize(("query", "expected"), BY_ROLE)
def test_the_csvs_filter_by_the_same_part(client, world, query, expected):
    assert [row["slug"] for row in csv_rows(client, "conferences", query)] == expected
    assert {row["conference"] for row in csv_rows(client, "participations", query)} == set(expected)


def test_the_participations_csv_gives_every_countrys_part_at_those_conferences(client, world):
    rows = csv_rows(client, "participations", "country=eg&role=announced")
    assert sorted((row["conference"], row["country"], row["role"]) for row in rows) == [
        ("forum-2026", "EG", "announced"), ("forum-2026", "LY", "announced"), ("forum-2026", "TN", "host"),
    ]


def test_the_api_takes_the_country_code_in_either_case(client, world):
    response = get(client, f"{API}?country=EG&role=announced")
    assert [row["slug"] for row in response.json()["results"]] == ["forum-2026"]


@pytest.mark.parametrize("endpoint", [API, "/api/v1/conferences.csv", "/api/v1/participations.csv"])
def test_the_api_refuses_an_unknown_role(client, world, endpoint):
    response = client.get(f"{endpoint}?country=eg&role=guest")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "role" in str(response.json()["detail"])


def test_a_role_without_a_country_filters_nothing_in_the_api(client, world):
    # As on the list page: which part was played says nothing until a country is chosen.
    everything = [row["slug"] for row in get(client, API).json()["results"]]
    assert [row["slug"] for row in get(client, f"{API}?role=absent").json()["results"]] == everything
    assert [row["slug"] for row in csv_rows(client, "conferences", "role=absent&year=2025")] == ["meeting-2025"]


def test_the_api_documents_the_role(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {parameter["name"]: parameter for parameter in schema["paths"]["/api/v1/conferences/"]["get"][
        "parameters"]}
    role = parameters["role"]
    assert set(role["schema"]["anyOf"][0]["enum"]) == {"host", "participant", "announced", "absent"}
    assert "country" in role["description"] and "absent" in role["description"]
    assert "role" in parameters["country"]["description"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_role_without_a_country_changes_nothing_on_the_page(client, world, language):
    everything = listed(client, "", language)
    assert everything == ["forum-2026", "meeting-2025", "summit-2024"]
    assert listed(client, "role=absent", language) == everything


def test_the_form_offers_the_role_beside_the_country_and_keeps_the_choice(client, world):
    document = parse(get(client, url("conferences:list", "en") + "?country=eg&role=absent"))
    (form,) = document.xpath('//details[@class="filter-panel"]/form')
    labels = [text(label) for label in form.xpath(".//label")]
    assert labels[:2] == ["Country", "Role"]
    # Every country that played a part can be chosen, not only the hosts.
    assert {"eg", "tn", "ly", "ma"} <= set(form.xpath('.//select[@name="country"]/option/@value'))
    options = form.xpath('.//select[@name="role"]/option')
    assert [(option.get("value"), text(option)) for option in options] == [
        ("", "Hosted"), ("participant", "Took part"), ("announced", "Announced"), ("absent", "Absent"),
    ]
    assert form.xpath('.//select[@name="country"]/option[@selected]/@value') == ["eg"]
    assert form.xpath('.//select[@name="role"]/option[@selected]/@value') == ["absent"]
    # The downloads take the role with the country.
    downloads = document.xpath('//p[@class="downloads"]/a/@href')
    assert downloads and all("country=eg" in href and "role=absent" in href for href in downloads)


def test_the_form_is_in_arabic_on_the_arabic_page(client, world):
    document = parse(get(client, url("conferences:list", "ar") + "?country=eg&role=participant"))
    (form,) = document.xpath('//details[@class="filter-panel"]/form')
    assert [text(label) for label in form.xpath(".//label")][:2] == ["الدولة", "الدور"]
    assert [text(option) for option in form.xpath('.//select[@name="role"]/option')] == [
        "استضافت", "شاركت", "أُعلنت مشاركتها", "غابت",
    ]


def test_the_canonical_address_keeps_the_role(client, world):
    address = url("conferences:list", "en")
    document = parse(get(client, f"{address}?country=eg&role=absent&utm_source=mail"))
    assert [link.get("href") for link in head_links(document, "canonical")] == [
        f"http://testserver{address}?country=eg&role=absent"
    ]


def filter_panel(client, query, language="en"):
    (panel,) = parse(get(client, f"{url('conferences:list', language)}{query}")).xpath(
        '//details[@class="filter-panel"][form]'
    )
    return panel


@pytest.mark.parametrize(
    ("query", "is_open"),
    [
        ("", False),
        ("?page=1", False),
        ("?utm_source=mail", False),
        ("?country=&year=&month=&organization=&topic=&status=&role=", False),  # the form sent empty
        ("?role=absent", False),  # a role alone filters nothing
        ("?country=eg&role=absent", True),
        ("?country=ly", True),
        ("?year=2025", True),
        ("?status=planned", True),
        ("?country=zz", True),  # an invalid value: its error must be seen
    ],
)
def test_the_filters_fold_under_a_summary_open_only_while_one_is_set(client, world, query, is_open):
    panel = filter_panel(client, query)
    assert ("open" in panel.attrib) is is_open
    assert text(panel.xpath("./summary")[0]) == "Filter the conferences"


def test_the_summary_is_in_the_pages_language(client, world):
    assert text(filter_panel(client, "", "ar").xpath("./summary")[0]) == "تصفية المؤتمرات"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_countries_index_counts_announced_parts(client, world, language):
    document = page(client, "countries:list", language)
    headings = [text(cell) for cell in document.xpath("//section//table/thead/tr")[0].xpath("./th")]
    assert headings == (
        ["Country", "Hosted", "Took part", "Announced", "Absent"] if language == "en"
        else ["الدولة", "استضافت", "شاركت", "أُعلنت مشاركتها", "غابت"]
    )

    def counts(code):  # hosted, took part, announced, absent
        return [text(cell) for cell in document.xpath(f'//tr[th/a[@href="/{language}/countries/{code}/"]]/td')]

    assert counts("eg") == ["0", "1", "1", "1"]
    assert counts("ly") == ["2", "0", "1", "0"]
    assert counts("ma") == ["1", "0", "0", "0"]
    assert "was announced for" in page_text(page(client, "countries:list", "en"))
