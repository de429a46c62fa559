"""Template filters over core.dates, the one module for partial dates.

    {% load partial_dates %}
    {{ source.published_on|partial_date:source.published_precision }}
    {{ source.published_on|iso_partial:source.published_precision }}
    {{ conference|date_span }}
"""

from django import template

from core.dates import DatePrecision, format_date_range, format_partial_date, iso_partial_date

register = template.Library()


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
