"""The CSV downloads open in a spreadsheet with Arabic intact and a column per language.

Each test builds its records (`world`): four conferences in Libya and Morocco, one of them with
something of everything (`factories.full_conference()`), one planned and undated.
"""

import csv
import io

import pytest

from conferences.models import Participation
from public.exports import CONFERENCE_COLUMNS, PARTICIPATION_COLUMNS, csv_response
from tests import factories as make

pytestmark = pytest.mark.django_db

CONFERENCES_CSV = "/api/v1/conferences.csv"
PARTICIPATIONS_CSV = "/api/v1/participations.csv"

NEWEST_FIRST = ["staff-2026", "cissa-20", "agadir-2025", "summit-2024", "cissa-21"]


@pytest.fixture
def world(db):
    summit = make.full_conference("summit-2024")  # Tripoli, December 2024; Egypt absent
    libya = summit.host_country
    morocco = make.named_country("MA")
    terrorism = summit.topics.get(slug="terrorism")
    cissa = make.organization("cissa", name_ar="لجنة أجهزة الأمن والاستخبارات الأفريقية",
                              name_en="Committee of Intelligence and Security Services of Africa", acronym="CISSA")
    partner = make.organization("african-union", name_ar="الاتحاد الأفريقي", name_en="African Union", acronym="AU")
    cissa_20 = make.conference(
        "cissa-20", start=make.day("2025-08-25"), end=make.day("2025-08-26"),
        name_ar="مؤتمر لجنة أجهزة الأمن والاستخبارات الإفريقية «سيسا 20»",
        name_en="20th Conference of the Committee of Intelligence and Security Services of Africa (CISSA 20)",
        short_name_ar="سيسا 20", short_name_en="CISSA 20", city_ar="بنغازي", city_en="Benghazi", host_country=libya,
        theme_ar="الأمن في إفريقيا", theme_en="Security in Africa",
    )
    cissa_20.topics.add(terrorism, make.topic("border-security", "أمن الحدود", "Border security"))
    make.conference_organization(cissa_20, cissa)
    make.conference_organization(cissa_20, partner, role="partner")
    make.participation(cissa_20, libya, role="host", note_ar="البلد المضيف.", note_en="The host country.")
    make.participation(cissa_20, morocco)
    planned = make.conference("cissa-21", status="planned", host_country=libya, short_name_ar="سيسا 21",
                              short_name_en="CISSA 21")
    make.conference_organization(planned, cissa)
    agadir = make.conference("agadir-2025", start=make.day("2025-06-17"), host_country=morocco, city_ar="أكادير",
                             city_en="Agadir")
    make.participation(agadir, morocco, role="host")
    staff = make.conference("staff-2026", start=make.day("2026-02-10"), end=make.day("2026-02-12"),
                            host_country=libya, city_ar="بنغازي", city_en="Benghazi")
    for code, role in (("LY", "host"), ("EG", "participant"), ("TN", "participant"), ("IT", "absent")):
        make.participation(staff, make.named_country(code), role=role)


def download(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith("\ufeff".encode())  # the byte-order mark spreadsheets look for
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return reader.fieldnames, rows


def test_the_conference_list_as_csv(client, world):
    columns, rows = download(client, CONFERENCES_CSV)

    assert columns == CONFERENCE_COLUMNS
    assert {"name_ar", "name_en", "short_name_ar", "short_name_en", "city_ar", "city_en"} <= set(columns)
    assert [row["slug"] for row in rows] == NEWEST_FIRST  # as on the list page
    cissa = next(row for row in rows if row["slug"] == "cissa-20")
    assert cissa["short_name_ar"] == "سيسا 20"
    assert cissa["short_name_en"] == "CISSA 20"
    assert cissa["name_ar"] == "مؤتمر لجنة أجهزة الأمن والاستخبارات الإفريقية «سيسا 20»"
    assert (cissa["city_ar"], cissa["city_en"]) == ("بنغازي", "Benghazi")
    assert (cissa["theme_ar"], cissa["theme_en"]) == ("الأمن في إفريقيا", "Security in Africa")
    assert (cissa["host_country"], cissa["host_country_name_ar"]) == ("LY", "ليبيا")
    assert (cissa["start_date"], cissa["end_date"], cissa["start_precision"]) == ("2025-08-25", "2025-08-26", "day")
    assert cissa["topics"].split(";") == ["border-security", "terrorism"]
    assert cissa["organizations"].split(";") == ["african-union:partner", "cissa:organizer"]
    assert cissa["url_ar"] == "http://testserver/ar/conferences/cissa-20/"
    assert cissa["url_en"] == "http://testserver/en/conferences/cissa-20/"
    summit = next(row for row in rows if row["slug"] == "summit-2024")
    assert (summit["series"], summit["edition"]) == ("intelligence-chiefs", "2")


def test_an_unknown_date_is_left_empty(client, world):
    _columns, rows = download(client, CONFERENCES_CSV)
    planned = next(row for row in rows if row["slug"] == "cissa-21")
    assert (planned["start_date"], planned["start_precision"]) == ("", "unknown")
    assert (planned["end_date"], planned["end_precision"]) == ("", "unknown")


def test_the_csv_takes_the_filters_of_the_list_page(client, world):
    _columns, rows = download(client, CONFERENCES_CSV, country="ly", year="2025")
    assert [row["slug"] for row in rows] == ["cissa-20"]
    _columns, rows = download(client, CONFERENCES_CSV, status="planned")
    assert [row["slug"] for row in rows] == ["cissa-21"]
    _columns, rows = download(client, CONFERENCES_CSV, year="2025", month="8")
    assert [row["slug"] for row in rows] == ["cissa-20"]
    _columns, rows = download(client, CONFERENCES_CSV, topic="no-such-topic")
    assert rows == []


def test_the_participations_as_csv(client, world):
    columns, rows = download(client, PARTICIPATIONS_CSV)

    assert columns == PARTICIPATION_COLUMNS
    assert len(rows) == Participation.objects.count() == 12
    egypt = next(row for row in rows if row["conference"] == "summit-2024" and row["country"] == "EG")
    assert egypt["role"] == "absent"
    assert (egypt["country_name_ar"], egypt["country_name_en"]) == ("مصر", "Egypt")
    assert (egypt["note_ar"], egypt["note_en"]) == ("غابت مصر.", "Egypt stayed away.")
    assert egypt["conference_short_name_ar"] == "قادة الاستخبارات 2024"
    assert egypt["conference_url_en"] == "http://testserver/en/conferences/summit-2024/"
    host = next(row for row in rows if row["conference"] == "cissa-20")
    assert (host["country"], host["role"], host["note_ar"] != "") == ("LY", "host", True)


def test_the_participations_csv_takes_the_conference_filters(client, world):
    _columns, rows = download(client, PARTICIPATIONS_CSV, country="ly", year=2026)
    assert {row["conference"] for row in rows} == {"staff-2026"}
    assert len(rows) == Participation.objects.filter(conference__slug="staff-2026").count() == 4


def test_a_bad_filter_is_refused_with_400(client):
    response = client.get(CONFERENCES_CSV, {"year": "twenty"})
    assert response.status_code == 400
    assert response.json()["detail"]


FORMULAS = {
    "name_en": '=HYPERLINK("http://attacker.example/","Click")',
    "short_name_en": "@SUM(1+1)*cmd|' /C calc'!A0",
    "theme_en": "-5 people",
    "city_en": "+216 71 000 000",
    "short_name_ar": "\tسيسا",
    "city_ar": "\rبنغازي",
}


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(client, world):
    series = make.series("cissa")
    conference = make.conference("formula-2025", start=make.day("2025-03-01"), series=series, edition=3, **FORMULAS)
    make.participation(conference, make.named_country("MA"), note_en="=1+1", note_ar="-")
    _columns, rows = download(client, CONFERENCES_CSV)
    row = next(row for row in rows if row["slug"] == "formula-2025")
    for column, value in FORMULAS.items():
        assert row[column] == "'" + value
    # Numbers and dates are not text: they stay as they are.
    assert row["id"] == str(conference.pk)
    assert (row["edition"], row["start_date"]) == ("3", "2025-03-01")
    # Text that only contains such a character elsewhere is left alone.
    assert row["name_ar"] == conference.name_ar

    _columns, rows = download(client, PARTICIPATIONS_CSV)
    row = next(row for row in rows if row["conference"] == "formula-2025")
    assert (row["note_en"], row["note_ar"], row["conference_name_en"]) == ("'=1+1", "'-", "'" + FORMULAS["name_en"])
    assert row["conference_start_date"] == "2025-03-01"


def test_a_negative_number_is_not_neutralised():
    response = csv_response("numbers.csv", ["count", "day", "text"], [[-5, make.day("2025-03-01"), "-5"]])
    assert response.content.decode("utf-8-sig").splitlines() == ["count,day,text", "-5,2025-03-01,'-5"]
