"""The map of Africa and the Mediterranean, with its legend (public/maps.py).

    {% load country_maps %}
    {% participation_map conference.participations.all %}
    {% country_map map_roles "country" map_countries current=country.code %}

A conference page hands in its participations (each with `.country` and `.role`); the other
pages hand in {ISO code: role} and the Country records they have loaded, which the map links.
Either way the answer is one SVG and one small template, and no query.
"""

from django import template
from django.template.loader import get_template

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
