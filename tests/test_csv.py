"""The CSV downloads open in a spreadsheet with Arabic intact and a column per language."""

import csv
import io

import pytest

from conferences.models import Conference, Participation
from public.exports import CONFERENCE_COLUMNS, PARTICIPATION_COLUMNS

pytestmark = pytest.mark.django_db

CONFERENCES_CSV = "/api/v1/conferences.csv"
PARTICIPATIONS_CSV = "/api/v1/participations.csv"


def download(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith("\ufeff".encode())  # the byte-order mark spreadsheets look for
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return reader.fieldnames, rows


def test_the_conference_list_as_csv(client):
    columns, rows = download(client, CONFERENCES_CSV)

    assert columns == CONFERENCE_COLUMNS
    assert {"name_ar", "name_en", "short_name_ar", "short_name_en", "city_ar", "city_en"} <= set(columns)
    assert [row["slug"] for row in rows] == list(
        Conference.objects.with_host_and_series().newest_first().values_list("slug", flat=True)
    )
    cissa = next(row for row in rows if row["slug"] == "cissa-20-benghazi-2025")
    assert cissa["short_name_ar"] == "سيسا 20"
    assert cissa["short_name_en"] == "CISSA 20"
    assert cissa["name_ar"] == Conference.objects.get(slug="cissa-20-benghazi-2025").name_ar
    assert (cissa["city_ar"], cissa["city_en"]) == ("بنغازي", "Benghazi")
    assert (cissa["host_country"], cissa["host_country_name_ar"]) == ("LY", "ليبيا")
    assert (cissa["start_date"], cissa["end_date"], cissa["start_precision"]) == ("2025-08-25", "2025-08-26", "day")
    assert "terrorism" in cissa["topics"].split(";")
    assert "cissa:organizer" in cissa["organizations"].split(";")
    assert cissa["url_ar"] == "http://testserver/ar/conferences/cissa-20-benghazi-2025/"
    assert cissa["url_en"] == "http://testserver/en/conferences/cissa-20-benghazi-2025/"


def test_an_unknown_date_is_left_empty(client):
    _columns, rows = download(client, CONFERENCES_CSV)
    planned = next(row for row in rows if row["slug"] == "cissa-21")
    assert (planned["start_date"], planned["start_precision"]) == ("", "unknown")


def test_the_csv_takes_the_filters_of_the_list_page(client):
    _columns, rows = download(client, CONFERENCES_CSV, country="ly", year="2025")
    assert [row["slug"] for row in rows] == ["cissa-20-benghazi-2025"]
    _columns, rows = download(client, CONFERENCES_CSV, status="planned")
    assert [row["slug"] for row in rows] == ["cissa-21"]
    _columns, rows = download(client, CONFERENCES_CSV, year="2025", month="8")
    assert [row["slug"] for row in rows] == ["cissa-20-benghazi-2025"]
    _columns, rows = download(client, CONFERENCES_CSV, topic="no-such-topic")
    assert rows == []


def test_the_participations_as_csv(client):
    columns, rows = download(client, PARTICIPATIONS_CSV)

    assert columns == PARTICIPATION_COLUMNS
    assert len(rows) == Participation.objects.count()
    egypt = next(
        row for row in rows
        if row["conference"] == "tripoli-military-intelligence-chiefs-2024" and row["country"] == "EG"
    )
    assert egypt["role"] == "absent"
    assert (egypt["country_name_ar"], egypt["country_name_en"]) == ("مصر", "Egypt")
    assert egypt["conference_short_name_ar"]
    assert egypt["conference_url_en"] == "http://testserver/en/conferences/tripoli-military-intelligence-chiefs-2024/"
    host = next(row for row in rows if row["conference"] == "cissa-20-benghazi-2025")
    assert (host["country"], host["role"], host["note_ar"] != "") == ("LY", "host", True)


def test_the_participations_csv_takes_the_conference_filters(client):
    _columns, rows = download(client, PARTICIPATIONS_CSV, country="ly", year=2026)
    assert {row["conference"] for row in rows} == {"benghazi-chiefs-of-staff-2026"}
    assert len(rows) == Participation.objects.filter(conference__slug="benghazi-chiefs-of-staff-2026").count()


def test_a_bad_filter_is_refused_with_400(client):
    response = client.get(CONFERENCES_CSV, {"year": "twenty"})
    assert response.status_code == 400
    assert response.json()["detail"]
