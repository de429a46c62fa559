"""The partial-date helper: a date shows only what the source gives, in the page's language."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import (
    DatePrecision,
    format_date_range,
    format_partial_date,
    iso_partial_date,
)

DAY, MONTH, YEAR, UNKNOWN = (
    DatePrecision.DAY,
    DatePrecision.MONTH,
    DatePrecision.YEAR,
    DatePrecision.UNKNOWN,
)
D = datetime.date


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def arabic():
    with translation.override("ar"):
        yield


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (D(2025, 8, 25), DAY, "25 August 2025"),
        (D(2026, 2, 1), MONTH, "February 2026"),
        (D(2005, 1, 1), YEAR, "2005"),
        (None, UNKNOWN, "date not stated in the source"),
        # A stored date with an unknown precision is still not stated: never invent it.
        (D(2025, 1, 1), UNKNOWN, "date not stated in the source"),
        (None, DAY, "date not stated in the source"),
    ],
)
def test_one_date_in_english(english, value, precision, expected):
    assert format_partial_date(value, precision) == expected


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (D(2025, 8, 25), DAY, "25 أغسطس 2025"),
        (D(2026, 2, 1), MONTH, "فبراير 2026"),
        (D(2025, 4, 3), DAY, "3 أبريل 2025"),
        (D(2024, 12, 21), DAY, "21 ديسمبر 2024"),
        (D(2005, 1, 1), YEAR, "2005"),
        (None, UNKNOWN, "التاريخ غير مذكور في المصدر"),
    ],
)
def test_one_date_in_arabic(arabic, value, precision, expected):
    assert format_partial_date(value, precision) == expected


def test_every_month_has_an_arabic_name(arabic):
    names = [format_partial_date(D(2025, month, 1), MONTH).removesuffix(" 2025") for month in range(1, 13)]
    assert names == [
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ]


@pytest.mark.parametrize(
    ("start", "start_precision", "end", "end_precision", "expected"),
    [
        # Same month: the days share the month and year.
        (D(2025, 8, 25), DAY, D(2025, 8, 26), DAY, "25–26 August 2025"),
        (D(2026, 2, 10), DAY, D(2026, 2, 12), DAY, "10–12 February 2026"),
        # Across months, across years.
        (D(2025, 8, 30), DAY, D(2025, 9, 2), DAY, "30 August – 2 September 2025"),
        (D(2025, 12, 30), DAY, D(2026, 1, 2), DAY, "30 December 2025 – 2 January 2026"),
        # One day, or the same day twice.
        (D(2025, 6, 17), DAY, D(2025, 6, 17), DAY, "17 June 2025"),
        # Month and year ranges.
        (D(2025, 6, 1), MONTH, D(2025, 7, 1), MONTH, "June–July 2025"),
        (D(2025, 6, 1), MONTH, D(2025, 6, 1), MONTH, "June 2025"),
        (D(2025, 11, 1), MONTH, D(2026, 1, 1), MONTH, "November 2025 – January 2026"),
        (D(2024, 1, 1), YEAR, D(2025, 1, 1), YEAR, "2024–2025"),
        (D(2025, 1, 1), YEAR, D(2025, 1, 1), YEAR, "2025"),
        # Mixed precision: each end at its own precision.
        (D(2025, 6, 30), DAY, D(2025, 7, 1), MONTH, "30 June 2025 – July 2025"),
        # What is unknown stays unknown.
        (None, UNKNOWN, None, UNKNOWN, "date not stated in the source"),
        (None, UNKNOWN, D(2025, 8, 26), DAY, "until 26 August 2025"),
        # A first day whose last is unknown does not pass for a one-day event.
        (D(2025, 6, 17), DAY, None, UNKNOWN, "17 June 2025 (end not stated)"),
    ],
)
def test_ranges_in_english(english, start, start_precision, end, end_precision, expected):
    assert format_date_range(start, start_precision, end, end_precision) == expected


@pytest.mark.parametrize(
    ("start", "start_precision", "end", "end_precision", "expected"),
    [
        (D(2025, 8, 25), DAY, D(2025, 8, 26), DAY, "25–26 أغسطس 2025"),
        (D(2024, 12, 21), DAY, D(2024, 12, 22), DAY, "21–22 ديسمبر 2024"),
        (D(2025, 8, 30), DAY, D(2025, 9, 2), DAY, "30 أغسطس – 2 سبتمبر 2025"),
        (D(2026, 2, 1), MONTH, None, UNKNOWN, "فبراير 2026"),
        (None, UNKNOWN, None, UNKNOWN, "التاريخ غير مذكور في المصدر"),
        (None, UNKNOWN, D(2025, 8, 26), DAY, "حتى 26 أغسطس 2025"),
        (D(2025, 6, 17), DAY, None, UNKNOWN, "17 يونيو 2025 (لم يُذكر تاريخ الختام)"),
    ],
)
def test_ranges_in_arabic(arabic, start, start_precision, end, end_precision, expected):
    assert format_date_range(start, start_precision, end, end_precision) == expected


def test_a_timestamp_shows_as_its_day(english):
    moment = datetime.datetime(2025, 11, 3, 23, 30, tzinfo=datetime.UTC)
    assert format_partial_date(moment, DAY) == "3 November 2025"


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (D(2025, 8, 25), DAY, "2025-08-25"),
        (D(2026, 2, 1), MONTH, "2026-02"),
        (D(2005, 1, 1), YEAR, "2005"),
        (None, UNKNOWN, ""),
    ],
)
def test_machine_readable_form_keeps_the_precision(value, precision, expected):
    assert iso_partial_date(value, precision) == expected


class Span:
    def __init__(self, start_date, start_precision, end_date, end_precision):
        self.start_date, self.start_precision = start_date, start_precision
        self.end_date, self.end_precision = end_date, end_precision


def render(source, **context):
    return Template("{% load partial_dates %}" + source).render(Context(context)).strip()


def test_template_filters_and_tag_in_both_languages():
    conference = Span(D(2025, 8, 25), DAY, D(2025, 8, 26), DAY)
    with translation.override("en"):
        assert render("{{ c|date_span }}", c=conference) == "25–26 August 2025"
        assert render('{{ d|partial_date:"month" }}', d=D(2026, 2, 1)) == "February 2026"
        first_day_only = render("{{ c|date_span }}", c=Span(D(2025, 6, 17), DAY, None, UNKNOWN))
        assert first_day_only == "17 June 2025 (end not stated)"
        assert render('{{ d|iso_partial:"month" }}', d=D(2026, 2, 1)) == "2026-02"
    with translation.override("ar"):
        assert render("{{ c|date_span }}", c=conference) == "25–26 أغسطس 2025"
        assert render('{{ d|partial_date:"month" }}', d=D(2026, 2, 1)) == "فبراير 2026"
        assert render('{{ d|partial_date:"unknown" }}', d=None) == "التاريخ غير مذكور في المصدر"
