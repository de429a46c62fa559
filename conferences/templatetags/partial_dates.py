"""Dates as the sources give them: a day, a month or a year, or nothing at all.

A partly known date shows only what is known («فبراير 2026», "February 2026"), and
an unknown one says so. Ranges fold what the two ends share: "25–26 August 2025",
"30 August – 2 September 2025". Month names come from the project's own catalogue,
so Arabic pages read «أبريل» and not the older «إبريل» of Django's.

    {% load partial_dates %}
    {{ source.published_on|partial_date:source.published_precision }}
    {{ conference|date_span }}
    {% date_range start start_precision end end_precision %}
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from portal.models import DatePrecision

register = template.Library()

MONTH_NAMES = {
    1: pgettext_lazy("month name", "January"),
    2: pgettext_lazy("month name", "February"),
    3: pgettext_lazy("month name", "March"),
    4: pgettext_lazy("month name", "April"),
    5: pgettext_lazy("month name", "May"),
    6: pgettext_lazy("month name", "June"),
    7: pgettext_lazy("month name", "July"),
    8: pgettext_lazy("month name", "August"),
    9: pgettext_lazy("month name", "September"),
    10: pgettext_lazy("month name", "October"),
    11: pgettext_lazy("month name", "November"),
    12: pgettext_lazy("month name", "December"),
}

# An en dash: bare between plain numbers or words, spaced between compound dates.
DASH = "\u2013"


def not_stated():
    return gettext("date not stated in the source")


def _as_date(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def _known(value, precision):
    return value is not None and precision not in (DatePrecision.UNKNOWN, "", None)


def _month(value):
    return str(MONTH_NAMES[value.month])


def format_partial_date(value, precision=DatePrecision.DAY):
    """One date at its precision: "25 August 2025", "August 2025", "2025", or 'not stated'."""
    if not _known(value, precision):
        return not_stated()
    value = _as_date(value)
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{_month(value)} {value.year}"
    return f"{value.day} {_month(value)} {value.year}"


def format_date_range(start, start_precision, end=None, end_precision=DatePrecision.UNKNOWN):
    """Two dates as one range, folding the month and year they share."""
    start_known, end_known = _known(start, start_precision), _known(end, end_precision)
    if not start_known and not end_known:
        return not_stated()
    if not end_known:
        if start_precision == DatePrecision.DAY:
            # A first day alone would read as a one-day event.
            return gettext("%(date)s (end not stated)") % {"date": format_partial_date(start, start_precision)}
        return format_partial_date(start, start_precision)
    if not start_known:
        return gettext("until %(date)s") % {"date": format_partial_date(end, end_precision)}

    start, end = _as_date(start), _as_date(end)
    if start_precision != end_precision:
        return f"{format_partial_date(start, start_precision)} {DASH} {format_partial_date(end, end_precision)}"

    precision = start_precision
    if precision == DatePrecision.YEAR:
        if start.year == end.year:
            return str(start.year)
        return f"{start.year}{DASH}{end.year}"
    if precision == DatePrecision.MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return format_partial_date(start, precision)
        if start.year == end.year:
            return f"{_month(start)}{DASH}{_month(end)} {end.year}"
        return f"{format_partial_date(start, precision)} {DASH} {format_partial_date(end, precision)}"
    if start == end:
        return format_partial_date(start, precision)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{DASH}{end.day} {_month(end)} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_month(start)} {DASH} {end.day} {_month(end)} {end.year}"
    return f"{format_partial_date(start, precision)} {DASH} {format_partial_date(end, precision)}"


def iso_partial_date(value, precision=DatePrecision.DAY):
    """The machine-readable form for <time datetime>: 2025, 2025-08 or 2025-08-25; '' if unknown."""
    if not _known(value, precision):
        return ""
    value = _as_date(value)
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


@register.filter
def partial_date(value, precision=DatePrecision.DAY):
    return format_partial_date(value, precision)


@register.filter
def iso_partial(value, precision=DatePrecision.DAY):
    return iso_partial_date(value, precision)


@register.filter
def date_span(record):
    """The range of anything with start_date/start_precision and end_date/end_precision."""
    return format_date_range(record.start_date, record.start_precision, record.end_date, record.end_precision)


@register.simple_tag
def date_range(start, start_precision, end=None, end_precision=DatePrecision.UNKNOWN):
    return format_date_range(start, start_precision, end, end_precision)
