"""{% load cards %}{% conference_card conference 3 %}: one conference in a list, as a card.

A list shows twenty cards, a country page up to eighty: drawn by a template included per card,
they took most of those pages' time. So the card is drawn here, in Python, once per conference:
its title (linked; a heading of the given level, 2 unless told), its status and dates, and its
place when one is known.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from core.dates import format_date_range, iso_partial_date

register = template.Library()


def dates(conference):
    """The card's dates, in a <time> when the start is known."""
    span = format_date_range(
        conference.start_date, conference.start_precision, conference.end_date, conference.end_precision
    )
    if not conference.start_date:
        return format_html("{}", span)
    iso = iso_partial_date(conference.start_date, conference.start_precision)
    return format_html('<time datetime="{}">{}</time>', iso, span)


def place(conference):
    """The city and host country, each isolated in its own direction; "" when neither is known."""
    city, country = conference.city, conference.host_country
    if not city and not country:
        return ""
    parts = []
    if city:
        parts.append(format_html("<bdi>{}</bdi>", city))
        if country:
            parts.append(format_html("{} ", gettext(",")))
    if country:
        parts.append(format_html("<bdi>{}</bdi>", country.name))
    return format_html('\n  <p class="meta">{}</p>', format_html("".join(["{}"] * len(parts)), *parts))


@register.simple_tag
def conference_card(conference, level=2):
    return format_html(
        '<article class="card">\n'
        '  <h{level}><a href="{url}">{name}</a></h{level}>\n'
        '  <p class="meta">\n'
        '    <span class="status status-{status}">{status_label}</span>\n'
        "    {dates}\n"
        "  </p>{place}\n"
        "</article>",
        level=int(level),
        url=conference.get_absolute_url(),
        name=conference.name,
        status=conference.status,
        status_label=conference.get_status_display(),
        dates=dates(conference),
        place=place(conference),
    )
