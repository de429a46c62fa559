"""The queries compiled once (core/prepared.py) of the conference and country pages and of the
conference list read what the ORM reads: the same rows, in the same order, with the database's
converters applied, for any conference, country or set of filters."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from conferences.models import Attendance, Citation, Conference, ConferenceOrganization, Participation, Topic
from core.prepared import Compiled, Prepared, concrete
from participants.models import Country
from public import conference_page
from public.templatetags.cards import CARD_COLUMNS
from public.views import countries
from public.views.conferences import LIST_CARDS
from tests import factories as make
from tests.test_public_pages import calendar

pytestmark = pytest.mark.django_db


def test_the_rows_query_reads_each_kind_as_the_orm_reads_it_for_each_key():
    """ROWS, one query of the topics, countries, people, organizations' roles and series' editions,
    gives each kind the rows, columns and order that the kind's own query gives."""
    first, second = make.full_conference(), make.conference()
    make.conference("summit-zeta", series=first.series, edition=1, start=datetime.date(2023, 5, 1))
    make.conference("summit-alpha", series=first.series, edition=3)
    make.participation(second, make.named_country("TN"), note_en="A note")
    make.participation(second, make.named_country("DZ"), role="absent")
    common = ("pk", "role", "note_ar", "note_en")
    # Each kind: its query by the ORM, and the columns of ROW_COLUMNS it fills, in the same order.
    kinds = {
        conference_page.TOPIC: (
            Topic.objects.order_by("slug").values_list("pk", "id", "slug", "name_ar", "name_en"),
            ("pk", "record", "slug", "name_ar", "name_en"),
        ),
        conference_page.PARTICIPATION: (
            Participation.objects.order_by("role", "country__code").values_list(
                *common, "country_id", "country__code", "country__name_ar", "country__name_en",
            ),
            ("pk", "role", "note_ar", "note_en", "record", "slug", "name_ar", "name_en"),
        ),
        conference_page.ATTENDANCE: (
            Attendance.objects.order_by("role", "person__slug").values_list(
                *common, "person_id", "person__slug", "person__name_ar", "person__name_en", "person__rank_ar",
                "person__rank_en", "organization_id", "organization__slug", "organization__name_ar",
                "organization__name_en", "organization__acronym",
            ),
            ("pk", "role", "note_ar", "note_en", "record", "slug", "name_ar", "name_en", "rank_ar", "rank_en",
             "organization", "organization_slug", "organization_ar", "organization_en", "acronym"),
        ),
        conference_page.ORGANIZATION_ROLE: (
            ConferenceOrganization.objects.order_by("role", "organization__slug").values_list(
                *common, "organization_id", "organization__slug", "organization__name_ar", "organization__name_en",
                "organization__acronym",
            ),
            ("pk", "role", "note_ar", "note_en", "record", "slug", "name_ar", "name_en", "acronym"),
        ),
        conference_page.EDITION: (
            Conference.objects.order_by("edition", "start_date").values_list(
                "pk", "id", "slug", "short_name_ar", "short_name_en", "edition", "start_date",
            ),
            ("pk", "record", "slug", "name_ar", "name_en", "edition", "date"),
        ),
    }
    of_record = {conference_page.TOPIC: "conferences", conference_page.EDITION: "series__conferences"}
    columns = list(conference_page.ROW_COLUMNS)
    for record in (first, second):
        rows = conference_page.ROWS(record.pk)
        assert [kind for kind, *_ in rows] == sorted(kind for kind, *_ in rows)
        for kind, (query, filled) in kinds.items():
            expected = list(query.filter(**{of_record.get(kind, "conference"): record}))
            positions = [columns.index(f"row_{name}") for name in filled]
            of_kind = [row for row in rows if row[0] == kind]
            assert [tuple(row[position] for position in positions) for row in of_kind] == expected
            # The columns the kind does not fill are empty.
            assert all(
                row[position] is None for row in of_kind for position in range(2, len(columns))
                if position not in positions
            )
        assert {row[0] for row in rows} == (set(kinds) if record == first else {conference_page.PARTICIPATION})


def test_dates_are_read_as_dates_and_each_kind_of_citation_comes_once():
    record = make.full_conference()
    rows = conference_page.CITATIONS(record.pk)
    expected = Citation.objects.filter(
        Q(conference=record) | Q(participation__conference=record) | Q(attendance__conference=record)
        | Q(conference_organization__conference=record)
    ).values_list("pk", flat=True)
    assert sorted(row[0] for row in rows) == sorted(expected)
    published = {row[conference_page.CITATION_FIELDS.index("source__published_on")] for row in rows}
    assert datetime.date(2024, 12, 23) in published


def test_the_conference_comes_with_its_host_country_and_series_and_no_other_query():
    record = make.full_conference()
    found = conference_page.conference(record.slug)
    stored = Conference.objects.with_host_and_series().get(pk=record.pk)
    assert [getattr(found, name) for name in concrete(Conference)] == [
        getattr(stored, name) for name in concrete(Conference)
    ]
    with CaptureQueriesContext(connection) as queries:
        assert (found.host_country.name, found.series.name) == (stored.host_country.name, stored.series.name)
    assert not queries
    assert conference_page.conference("no-such-conference") is None


def test_a_conference_with_no_host_country_or_series_has_none():
    record = make.conference()
    found = conference_page.conference(record.slug)
    with CaptureQueriesContext(connection) as queries:
        assert found.host_country is None and found.series is None
    assert not queries


def test_a_prepared_query_is_filtered_by_its_key():
    unkeyed = Prepared(Participation, lambda rows, key: rows.values_list("pk"))
    with pytest.raises(ValueError):
        unkeyed(1)


def test_the_country_page_reads_its_country_whole_as_the_orm_does():
    country = make.named_country("TN")
    found = Country.from_db("default", concrete(Country), countries.COUNTRY("TN")[0])
    stored = Country.objects.get(code="TN")
    assert [getattr(found, name) for name in concrete(Country)] == [getattr(stored, name) for name in concrete(Country)]
    assert (found.pk, found.name) == (country.pk, stored.name)
    assert countries.COUNTRY("ZZ") == []


def test_a_query_by_keys_reads_the_cards_the_orm_reads_for_any_number_of_keys():
    records = [make.conference(host_country=make.named_country("TN") if number % 2 else None) for number in range(7)]
    by_keys = Prepared(
        Conference, lambda rows, keys: rows.filter(pk__in=keys).order_by().values_list(*CARD_COLUMNS), slots=3
    )
    for chosen in ([], records[:1], records[:3], records[1:6], records):  # none, fewer than, as many as, more
        expected = list(Conference.objects.filter(pk__in=[r.pk for r in chosen]).values_list(*CARD_COLUMNS))
        assert sorted(by_keys([record.pk for record in chosen])) == sorted(expected)
    # The country page's: a page of each group at once.
    assert sorted(countries.CARDS([record.pk for record in records])) == sorted(
        Conference.objects.values_list(*CARD_COLUMNS)
    )


def test_a_query_by_keys_takes_each_of_its_keys():
    one_slot_lost = Prepared(Conference, lambda rows, keys: rows.filter(pk__in=keys[1:]).values_list("pk"), slots=2)
    with pytest.raises(ValueError):
        one_slot_lost([1])


# Sets of the conference list's filters, as the form gives them: each branch of filtered().
FILTER_SETS = [
    {},
    {"country": "ly"},  # hosting: the host country, or a host among the countries
    {"country": "eg", "role": "absent"},
    {"country": "eg", "role": "participant"},
    {"year": 2025},
    {"year": 2025, "month": 8},
    {"month": 12},
    {"organization": "intelligence-committee"},
    {"topic": "organized-crime"},
    {"status": "held"},
    {"country": "ly", "year": 2025, "topic": "organized-crime", "status": "held"},
    {"country": "zz"},
]


@pytest.mark.parametrize("filters", FILTER_SETS, ids=lambda filters: "&".join(map(str, filters.items())) or "none")
def test_the_lists_compiled_query_reads_and_counts_what_the_orm_does(filters):
    calendar()
    libya = make.named_country("LY")
    for number in range(7):
        make.conference(f"extra-{number}", start=make.day(f"2025-08-{number + 1:02d}"), host_country=libya)
    expected = Conference.objects.newest_first().filtered(**filters)
    assert LIST_CARDS.count(**filters) == expected.count()
    for offset, limit in ((0, 5), (5, 5), (10, 5)):
        assert LIST_CARDS.rows(offset, limit, **filters) == list(
            expected.values_list(*CARD_COLUMNS)[offset: offset + limit]
        )


def test_a_compiled_query_keeps_the_sets_of_filters_used_last():
    compiled = Compiled(Conference, lambda rows, **filters: rows.filtered(**filters).order_by("slug"), ["slug"], size=2)
    make.conference("held-one"), make.conference("planned-one", status="planned")
    assert compiled.rows(0, 5, status="held") == [("held-one",)]
    assert compiled.rows(0, 5, status="planned") == [("planned-one",)]
    assert compiled.count() == 2
    # Three sets (each counted or read), two kept: the first used is the one dropped.
    assert compiled.compiled.cache_info().currsize == 2
    misses = compiled.compiled.cache_info().misses
    assert compiled.rows(0, 5, status="planned") == [("planned-one",)]
    assert compiled.compiled.cache_info().misses == misses
    assert compiled.rows(0, 5, status="held") == [("held-one",)]
    assert compiled.compiled.cache_info().misses == misses + 1
