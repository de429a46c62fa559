"""Dates as the sources give them: a day, a month or a year, or nothing at all.

The one module for partial dates. A date is stored with its precision and never invented:
a month-precise date on the 1st, a year-precise one on 1 January, an unknown one empty.

- In the models: `DatePrecision`, `partial_date_constraint` (the database's rule) and
  `clean_partial_date` (the same rule, said to the editor), `normalise_partial_date`.
- In words: `format_partial_date` («فبراير 2026», "February 2026") and `format_date_range`,
  which folds what the two ends share ("25–26 August 2025"); month names come from the
  project's own catalogue, so Arabic pages read «أبريل» and not the older «إبريل» of Django's.
- For machines: `iso_partial_date` ("2025-08-25", "2025-08", "2025", or '' when unknown),
  for <time datetime>, the API, the CSV downloads and JSON-LD; `iso_or_none` where an unknown
  date is left out (null in JSON).
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    UNKNOWN = "unknown", _("unknown")


# --- In the models ------------------------------------------------------------------------------


def partial_date_constraint(date_field, precision_field, name):
    """A date is empty exactly when its precision is unknown: no invented days."""
    return models.CheckConstraint(
        condition=(
            models.Q(**{f"{precision_field}": DatePrecision.UNKNOWN, f"{date_field}__isnull": True})
            | (
                ~models.Q(**{precision_field: DatePrecision.UNKNOWN})
                & models.Q(**{f"{date_field}__isnull": False})
            )
        ),
        name=name,
        violation_error_message=_("A date is empty exactly when its precision is unknown."),
    )


def clean_partial_date(date_value, precision, field_name):
    """Mirror of partial_date_constraint, with the message on the editor's field."""
    if precision == DatePrecision.UNKNOWN and date_value is not None:
        return {field_name: _("Clear the date, or give its precision (day, month or year).")}
    if precision != DatePrecision.UNKNOWN and date_value is None:
        return {field_name: _("Give the date, or set its precision to unknown.")}
    return {}


def normalise_partial_date(date_value, precision):
    """Store a month-precise date on the 1st and a year-precise one on 1 January."""
    if date_value is None:
        return None
    if precision == DatePrecision.MONTH:
        return date_value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return date_value.replace(month=1, day=1)
    return date_value


def clean_date_span(record, end_before_start):
    """clean()'s share for a record with start_date/start_precision and end_date/end_precision:
    both dates stored at their precision, each consistent with it, the end not before the start."""
    record.start_date = normalise_partial_date(record.start_date, record.start_precision)
    record.end_date = normalise_partial_date(record.end_date, record.end_precision)
    errors = clean_partial_date(record.start_date, record.start_precision, "start_date")
    errors.update(clean_partial_date(record.end_date, record.end_precision, "end_date"))
    if record.start_date and record.end_date and record.end_date < record.start_date:
        errors["end_date"] = end_before_start
    return errors


def month_range(year, month):
    """The first day of a month and the first day of the next one (None after December 9999)."""
    first = datetime.date(year, month, 1)
    if (year, month) == (datetime.MAXYEAR, 12):
        return first, None
    return first, datetime.date(year + month // 12, month % 12 + 1, 1)


# --- In words -----------------------------------------------------------------------------------

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


def as_date(value):
    """A date from a date or a datetime (an aware one in the site's time zone)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def is_known(value, precision):
    return value is not None and precision not in (DatePrecision.UNKNOWN, "", None)


def _month(value):
    return str(MONTH_NAMES[value.month])


def format_partial_date(value, precision=DatePrecision.DAY):
    """One date at its precision: "25 August 2025", "August 2025", "2025", or 'not stated'."""
    if not is_known(value, precision):
        return not_stated()
    value = as_date(value)
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{_month(value)} {value.year}"
    return f"{value.day} {_month(value)} {value.year}"


def format_date_range(start, start_precision, end=None, end_precision=DatePrecision.UNKNOWN):
    """Two dates as one range, folding the month and year they share."""
    start_known, end_known = is_known(start, start_precision), is_known(end, end_precision)
    if not start_known and not end_known:
        return not_stated()
    if not end_known:
        if start_precision == DatePrecision.DAY:
            # A first day alone would read as a one-day event.
            return gettext("%(date)s (end not stated)") % {"date": format_partial_date(start, start_precision)}
        return format_partial_date(start, start_precision)
    if not start_known:
        return gettext("until %(date)s") % {"date": format_partial_date(end, end_precision)}

    start, end = as_date(start), as_date(end)
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


# --- For machines -------------------------------------------------------------------------------


def iso_partial_date(value, precision=DatePrecision.DAY):
    """ISO 8601 only as far as the date is known: 2025, 2025-08 or 2025-08-25; '' when unknown."""
    if not is_known(value, precision):
        return ""
    value = as_date(value)
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def iso_or_none(value, precision=DatePrecision.DAY):
    """As iso_partial_date, with None for a date that is not known."""
    return iso_partial_date(value, precision) or None
