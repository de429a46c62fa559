"""The timeline: conferences by year and month, each placed only as far as its dates are known.

A conference known to the day sits in its month, and one that runs into the next month spans
both (into the next year too, when that year is shown). One known only to its month spans
that month and says "month only"; one known only to its year spans the whole year and says
"year only". One with no known start is listed apart under "Date not known", never placed.

What it costs stays the same whatever the number of conferences:

- `bucket_counts` counts the conferences of every (year, month) in one aggregate query; the
  home page reads its total and its year list from the same counts;
- the timeline shows the `years` most recent years that have conferences and, of each month
  (and of each year's year-only conferences, and of the undated ones), the first `per_month`
  by date; the others are a "+N more" link, N read from the counts;
- those few conferences come in one more query (`_fetch`). On PostgreSQL a LATERAL subquery
  reads, for each month shown, the first rows of its range of the start-date index, and
  nothing else; elsewhere a window function ranks the conferences of the years shown.
  In a month, the conferences known to the day come first, then those known only to it.

templates/includes/timeline.html draws each year as a list, laid out on twelve month
columns by classes (tl-s8 tl-e9: from August to September; the Timeline section of
static/css/site.css). Each entry says its dates in words, so the list is its own text
equivalent; the grid's columns follow the page's direction, so time runs right to left in Arabic.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.db.models import Case, Count, DateField, F, IntegerField, Q, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractMonth, ExtractYear, RowNumber
from django.urls import reverse
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

from core.addresses import cached_reverse
from core.dates import MONTH_NAMES, DatePrecision, format_date_range, iso_partial_date

# The month of a bucket whose conferences are known only to the year.
YEAR_ONLY = 0
# The bucket of the conferences whose start is not known.
UNDATED = (None, None)
PLACED_BY_MONTH = [DatePrecision.DAY, DatePrecision.MONTH]
NOTES = {DatePrecision.MONTH: gettext_lazy("month only"), DatePrecision.YEAR: gettext_lazy("year only")}
CSS = {
    DatePrecision.DAY: "tl-bar tl-exact",
    DatePrecision.MONTH: "tl-bar tl-month-only",
    DatePrecision.YEAR: "tl-bar tl-year-only",
}


def bucket_counts(queryset):
    """{(year, month): number of conferences} in one aggregate query.

    `month` is YEAR_ONLY (0) for the conferences known only to their year; the conferences
    with no known start are counted under UNDATED.
    """
    rows = (
        queryset.order_by()
        .annotate(
            timeline_year=ExtractYear("start_date"),
            timeline_month=Case(
                When(start_precision=DatePrecision.YEAR, then=Value(YEAR_ONLY)),
                default=ExtractMonth("start_date"),
                output_field=IntegerField(),
            ),
        )
        .values_list("timeline_year", "timeline_month")
        .annotate(count=Count("*"))
    )
    return {(year, month): count for year, month, count in rows}


def year_counts(counts):
    """The years that have conferences, newest first, as rows {"year", "conference_count"}."""
    years = {}
    for (year, _month), count in counts.items():
        if year is not None:
            years[year] = years.get(year, 0) + count
    return [{"year": year, "conference_count": years[year]} for year in sorted(years, reverse=True)]


@dataclass(slots=True)
class Entry:
    """A conference on a year's row: where its bar starts and ends (css), and what it says."""

    css: str
    url: str
    name: str
    dates: str
    iso: str = ""
    note: str = ""


@dataclass(slots=True)
class More:
    """A "+N more" link: `label` says how many, `when` the month or year, which the grid shows."""

    css: str
    url: str
    label: str
    when: str = ""


@dataclass(slots=True)
class Year:
    """One year's row: its entries and its "+N more" links."""

    year: int
    entries: list = field(default_factory=list)
    more: list = field(default_factory=list)

    @property
    def bars(self):
        return [entry for _key, entry in sorted(self.entries, key=lambda pair: pair[0])]


@dataclass(slots=True)
class Timeline:
    """What templates/includes/timeline.html draws: the years' rows, newest first; the undated
    conferences (Entry, More); how many conferences of earlier years are left out, and where
    to find them (address, link text)."""

    years: list
    undated: list
    earlier: int
    earlier_link: tuple

    @property
    def months(self):
        """The twelve month names, as the site writes them, for the grid's header row."""
        return [str(MONTH_NAMES[month]) for month in range(1, 13)]

    def __bool__(self):
        return bool(self.years or self.undated)


class ListLinks:
    """Where "+N more" leads on the home page: the conference list, filtered to match."""

    def __init__(self):
        self.base = reverse("conferences:list")

    def month(self, year, month):
        return f"{self.base}?year={year}&month={month}"

    def year(self, year):
        return f"{self.base}?year={year}"

    def undated(self):
        # Undated conferences close the list (newest first, unknown dates last).
        return f"{self.base}?page=last"

    def earlier(self):
        return self.base, gettext("All conferences, with filters")


class AnchorLinks:
    """Where "+N more" leads on a page that lists every conference of the timeline itself."""

    def __init__(self, anchor, label):
        self.anchor, self.label = anchor, label

    def month(self, year, month):
        return self.anchor

    def year(self, year):
        return self.anchor

    def undated(self):
        return self.anchor

    def earlier(self):
        return self.anchor, str(self.label)


def build(queryset, counts, years, per_month, links):
    """The timeline of the conferences of `queryset`, whose `bucket_counts` are `counts`.

    One query, none when there is nothing to show.
    """
    shown_years = sorted({year for year, _month in counts if year is not None}, reverse=True)[:years]
    buckets = [(year, month) for year in shown_years for month in range(13) if counts.get((year, month))]
    rows = _fetch(queryset, buckets, bool(counts.get(UNDATED)), per_month)

    rows_by_year = {year: Year(year) for year in shown_years}
    undated = []
    for slug, name, start, start_precision, end, end_precision in rows:
        start, end = _as_date(start), _as_date(end)
        url = cached_reverse("conferences:detail", slug=slug)
        dates = format_date_range(start, start_precision, end, end_precision)
        if start is None:
            # "until 5 May 2025" says something; "date not stated" would repeat the heading.
            undated.append((slug, Entry("", url, name, dates if end else "")))
            continue
        note = str(NOTES.get(start_precision, ""))
        first, last = _span(start, start_precision, end, end_precision)
        for year in range(first[0], last[0] + 1):
            row = rows_by_year.get(year)
            if row is None:
                continue
            start_month = first[1] if year == first[0] else 1
            end_month = last[1] if year == last[0] else 12
            css = f"{CSS[start_precision]} tl-s{start_month} tl-e{end_month}"
            if year > first[0]:
                css += " tl-runs-in"
            if year < last[0]:
                css += " tl-runs-on"
            # Year-only entries first (they span the row), then by first month: in a month, the
            # exact dates by date, then those known only to the month.
            key = (
                start_precision != DatePrecision.YEAR, start_month if year == first[0] else 0,
                start_precision == DatePrecision.MONTH, start, slug,
            )
            row.entries.append((key, Entry(css, url, name, dates, iso_partial_date(start, start_precision), note)))

    for row in rows_by_year.values():
        hidden = counts.get((row.year, YEAR_ONLY), 0) - per_month
        if hidden > 0:
            label = ngettext("+%(counter)s more (year only)", "+%(counter)s more (year only)", hidden)
            row.more.append(More("tl-s1 tl-e12", links.year(row.year), label % {"counter": hidden},
                                 _when(row.year)))
        for month in range(1, 13):
            hidden = counts.get((row.year, month), 0) - per_month
            if hidden > 0:
                label = ngettext("+%(counter)s more", "+%(counter)s more", hidden)
                row.more.append(More(f"tl-s{month} tl-e{month}", links.month(row.year, month),
                                     label % {"counter": hidden}, _when(f"{MONTH_NAMES[month]} {row.year}")))

    undated = [entry for _slug, entry in sorted(undated, key=lambda pair: pair[0])]
    hidden = counts.get(UNDATED, 0) - per_month
    if hidden > 0:
        label = ngettext("+%(counter)s more with no known date", "+%(counter)s more with no known date", hidden)
        undated.append(More("tl-rest", links.undated(), label % {"counter": hidden}))
    earlier = sum(count for (year, _month), count in counts.items() if year is not None and year not in rows_by_year)
    return Timeline(list(rows_by_year.values()), undated, earlier, links.earlier())


def _columns():
    language = get_language()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return ["slug", f"short_name_{language}", "start_date", "start_precision", "end_date", "end_precision"]


def _ranges(buckets):
    """Each bucket as the range of start dates it covers: [first, following)."""
    months, years = [], []
    for year, month in buckets:
        if month == YEAR_ONLY:
            # A year-only date is stored on 1 January.
            years.append((datetime.date(year, 1, 1), datetime.date(year, 1, 2)))
        else:
            months.append((datetime.date(year, month, 1), datetime.date(year + month // 12, month % 12 + 1, 1)))
    return months, years


def _fetch(queryset, buckets, undated, per_month):
    """The first `per_month` conferences of each bucket, and of the undated ones, in one query:
    (slug, short name, start, start precision, end, end precision) rows.

    Within a month, the conferences known to the day come first, by date; those known only
    to the month (stored on the 1st) follow them, as the day they started is not known.
    """
    if not buckets and not undated:
        return []
    if connections[queryset.db].vendor == "postgresql":
        rows = _fetch_lateral(queryset, buckets, undated, per_month)
    else:
        rows = _fetch_window(queryset, buckets, undated, per_month)
    kept, taken = [], {}
    for row in sorted(rows, key=_order):
        bucket = _bucket(row)
        taken[bucket] = taken.get(bucket, 0) + 1
        if taken[bucket] <= per_month:
            kept.append(row)
    return kept


def _bucket(row):
    start, precision = _as_date(row[2]), row[3]
    if start is None:
        return UNDATED
    return start.year, YEAR_ONLY if precision == DatePrecision.YEAR else start.month


def _order(row):
    """Within a bucket: known to the day first, then by start and slug; undated ones by slug."""
    start = _as_date(row[2])
    return (row[3] == DatePrecision.MONTH, start or datetime.date.min, row[0])


def _fetch_window(queryset, buckets, undated, per_month):
    """Rank the conferences of the years shown within their bucket; keep the first few."""
    condition = Q(start_date__isnull=True) if undated else Q(pk__in=[])
    if buckets:
        # The years shown are the most recent that have conferences: none lies between them
        # without being shown, so one range covers them all.
        first = min(year for year, _month in buckets)
        last = max(year for year, _month in buckets)
        condition |= Q(start_date__gte=datetime.date(first, 1, 1), start_date__lt=datetime.date(last + 1, 1, 1))
    bucket = Case(
        When(start_precision=DatePrecision.YEAR, then=Value(YEAR_ONLY)),
        default=ExtractMonth("start_date"),
        output_field=IntegerField(),
    )
    month_only_last = Case(When(start_precision=DatePrecision.MONTH, then=Value(1)), default=Value(0))
    return list(
        queryset.filter(condition)
        .annotate(
            timeline_rank=Window(
                RowNumber(),
                partition_by=[ExtractYear("start_date"), bucket],
                order_by=[month_only_last.asc(), F("start_date").asc(), F("slug").asc()],
            )
        )
        .filter(timeline_rank__lte=per_month)
        .values_list(*_columns())
    )


def _fetch_lateral(queryset, buckets, undated, per_month):
    """PostgreSQL: for each bucket, the first rows of its range of the start-date index.

    A LATERAL subquery runs once per range (unnest of the ranges' bounds), reading only the
    rows it keeps; the query is planned once whatever the number of buckets.
    """
    connection = connections[queryset.db]
    columns = _columns()
    # Named, in order: a subquery's own SELECT list may come in another order.
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    bound = {
        "start_date__gte": RawSQL("timeline_range.first", (), output_field=DateField()),
        "start_date__lt": RawSQL("timeline_range.following", (), output_field=DateField()),
    }
    months, years = _ranges(buckets)
    parts = []
    # Known to the day and known to the month apart, so that each reads its index range in order
    # and stops after a few rows; _fetch keeps the first of each month.
    for ranges, precision in ((months, DatePrecision.DAY), (months, DatePrecision.MONTH), (years, DatePrecision.YEAR)):
        if ranges:
            inner = queryset.filter(**bound, start_precision=precision)
            sql, params = _sql(inner.order_by("start_date", "slug").values_list(*columns)[:per_month])
            parts.append((
                f"SELECT {names} FROM unnest(%s::date[], %s::date[]) AS timeline_range(first, following) "
                f"CROSS JOIN LATERAL ({sql}) AS part",
                ([first for first, _following in ranges], [following for _first, following in ranges], *params),
            ))
    if undated:
        sql, params = _sql(
            queryset.filter(start_date__isnull=True).order_by("start_date", "slug").values_list(*columns)[:per_month]
        )
        parts.append((f"SELECT {names} FROM ({sql}) AS part", params))
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"({sql})" for sql, _params in parts),
            [param for _sql, params in parts for param in params],
        )
        return cursor.fetchall()


def _sql(queryset):
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _as_date(value):
    # SQLite may hand the dates of a compound query back as text.
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _span(start, start_precision, end, end_precision):
    """The first and last (year, month) a conference covers, as far as its dates say.

    A year-only start covers its whole year. An end extends the span only when its month is
    known (an end known only to its year says nothing about the month), or, for a year-only
    conference, when it is a later year.
    """
    if start_precision == DatePrecision.YEAR:
        first, last = (start.year, 1), (start.year, 12)
        if end is not None and end.year > start.year:
            last = (end.year, end.month if end_precision in PLACED_BY_MONTH else 12)
        return first, last
    first = last = (start.year, start.month)
    if end is not None and end_precision in PLACED_BY_MONTH:
        last = max(first, (end.year, end.month))
    return first, last


def _when(when):
    """The month or year a "+N more" link is about: the grid's column shows it, screen readers read it."""
    return gettext("in %(when)s") % {"when": when}
