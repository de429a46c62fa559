"""The queries compiled once (public/prepared.py) of the conference and country pages read what the
ORM reads: the same rows, in the same order, with the database's converters applied, for any
conference or country."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from conferences.models import Citation, Conference, Participation
from participants.models import Country
from public import conference_page
from public.prepared import Prepared, concrete
from public.views import countries
from tests import factories as make

pytestmark = pytest.mark.django_db


def test_a_prepared_query_reads_the_rows_the_orm_reads_for_each_key():
    first, second = make.full_conference(), make.conference()
    make.participation(second, make.named_country("TN"), note_en="A note")
    for record in (first, second):
        expected = list(
            Participation.objects.filter(conference=record).order_by("role", "country__code").values_list(
                "pk", "role", "note_ar", "note_en", "country_id", "country__code", "country__name_ar",
                "country__name_en",
            )
        )
        assert conference_page.PARTICIPATIONS(record.pk) == expected


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

