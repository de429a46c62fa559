"""The map of Africa and the Mediterranean, with its legend (public/maps.py).

    {% load country_maps %}
    {% participation_map conference.participations.all %}
    {% country_map map_roles "country" map_countries current=country.code %}
    {% country_links group.countries %}

A conference page hands in its participations (each with `.country` and `.role`); the other
pages hand in {ISO code: role} and the Country records they have loaded, which the map links.
Either way the answer is one SVG and one small template, and no query. `country_links` writes
the countries of a group beside the map as links, in Python: the index names hundreds.
"""

from html import escape

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from public import maps

register = template.Library()


def draw(roles, kind, countries, current=None, current_name=""):
    svg = maps.render_map(roles, kind, countries, current=current)
    return get_template("includes/map.html").render(
        {"svg": svg, "legend": maps.legend(kind, roles, current, current_name)}
    )


@register.simple_tag
def participation_map(participations):
    """The map of a conference: each country coloured by its part in it, and linked."""
    roles, countries = {}, []
    for row in participations:
        roles.setdefault(row.country.code, []).append(row.role)
        countries.append(row.country)
    return draw({code: maps.strongest(found) for code, found in roles.items()}, "conference", countries)


@register.simple_tag
def country_map(roles, kind, countries, current=None, current_name=""):
    """A map of roles per ISO code: kind "country" (a country page) or "index" (the countries)."""
    return draw(roles, kind, countries, current, current_name)


@register.simple_tag
def country_links(countries):
    """Links to the countries' pages, their names isolated, separated by the language's comma."""
    separator = f"{escape(gettext(','))} "
    # Every piece is escaped (html.escape, as Django's escape).
    return mark_safe(separator.join(
        f'<a href="{escape(country.get_absolute_url())}"><bdi>{escape(country.name)}</bdi></a>' for country in countries
    ))
