"""{% load cards %}{% conference_card conference 3 %}: one conference in a list, as a card.

A list shows twenty cards, a country page up to eighty: drawn by a template included per card,
they took most of those pages' time. So the card is drawn here, in Python, once per conference:
its title (linked; a heading of the given level, 2 unless told), its status and dates, and its
place when one is known. Every text is escaped (html.escape, as Django's escape).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from conferences.models import ConferenceStatus
from core.dates import format_date_range, iso_partial_date

register = template.Library()

STATUS_LABELS = dict(ConferenceStatus.choices)


def dates(conference):
    """The card's dates, in a <time> when the start is known."""
    span = escape(format_date_range(
        conference.start_date, conference.start_precision, conference.end_date, conference.end_precision
    ))
    if not conference.start_date:
        return span
    iso = escape(iso_partial_date(conference.start_date, conference.start_precision))
    return f'<time datetime="{iso}">{span}</time>'


def place(conference):
    """The city and host country, each isolated in its own direction; "" when neither is known."""
    city, country = conference.city, conference.host_country
    if not city and not country:
        return ""
    parts = []
    if city:
        parts.append(f"<bdi>{escape(city)}</bdi>")
        if country:
            parts.append(f"{escape(gettext(','))} ")
    if country:
        parts.append(f"<bdi>{escape(country.name)}</bdi>")
    return f'\n  <p class="meta">{"".join(parts)}</p>'


@register.simple_tag
def conference_card(conference, level=2):
    level = int(level)
    status = escape(conference.status)
    label = escape(str(STATUS_LABELS.get(conference.status, conference.status)))
    return mark_safe(
        '<article class="card">\n'
        f'  <h{level}><a href="{escape(conference.get_absolute_url())}">{escape(conference.name)}</a></h{level}>\n'
        '  <p class="meta">\n'
        f'    <span class="status status-{status}">{label}</span>\n'
        f"    {dates(conference)}\n"
        f"  </p>{place(conference)}\n"
        "</article>"
    )
