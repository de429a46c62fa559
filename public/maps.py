"""Maps of Africa and the Mediterranean, drawn on the server as inline SVG.

Each country is a shape coloured by a role: host, participant, announced or absent. The
shapes come from map_shapes.json, built once by scripts/build_map.py from Natural Earth
(docs/maps.md): a path per ISO 3166-1 alpha-2 code, with English and Arabic names. The
path data is read once, at import; a map is one pass over about a hundred shapes.

The caller hands in the Country records its page has already loaded (a conference's
participants, a country page's places, every record on the index): their shapes link to their
pages and carry their names. The other shapes carry the name from the data file and no link.
So a map costs no query of its own, however the data changes.

Callers hand in roles per ISO code (ParticipationRole values).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy

from conferences.models import ParticipationRole

DATA_FILE = Path(__file__).resolve().with_name("map_shapes.json")

HOST, PARTICIPANT, ANNOUNCED, ABSENT = (
    ParticipationRole.HOST, ParticipationRole.PARTICIPANT, ParticipationRole.ANNOUNCED, ParticipationRole.ABSENT
)
# The strongest part first: when a country has several, the map shows the first.
ROLES = (HOST, PARTICIPANT, ANNOUNCED, ABSENT)
# Drawing order, bottom to top: the heavy outlines of hosts go over their neighbours' borders.
LAYERS = ("land", "disputed", ABSENT, ANNOUNCED, PARTICIPANT, HOST, "current")
# The hatching that tells "announced" apart without colour (see the Maps section of site.css).
PATTERN_ID = "map-hatch"


@dataclass(frozen=True)
class Shape:
    code: str
    d: str
    names: dict
    marker: bool = False
    disputed: bool = False
    # The markup of the shape unlinked and uncoloured, in each language: most of every map.
    plain: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        plain = {}
        for language, name in self.names.items():
            plain[language] = f'<path d="{self.d}"><title>{escape(name)}</title></path>'
        object.__setattr__(self, "plain", plain)


def load_shapes(path=DATA_FILE):
    data = json.loads(path.read_text(encoding="utf-8"))
    shapes = {
        code: Shape(
            code, item["d"], {"ar": item["ar"], "en": item["en"]},
            item.get("marker", False), item.get("disputed", False),
        )
        for code, item in data["shapes"].items()
    }
    return " ".join(str(number) for number in data["viewBox"]), shapes


VIEW_BOX, SHAPES = load_shapes()


# The legends: what each role means on each kind of page, in the page's language.
LEGENDS = {
    # A conference page: the countries by their part in it.
    "conference": {
        HOST: pgettext_lazy("map legend", "Host country"),
        PARTICIPANT: pgettext_lazy("map legend", "Taking part"),
        ANNOUNCED: pgettext_lazy("map legend", "Announced as taking part"),
        ABSENT: pgettext_lazy("map legend", "Reported absent"),
    },
    # A country page: the countries where its conferences were held, by its part in them.
    "country": {
        HOST: pgettext_lazy("map legend", "This country, as host"),
        PARTICIPANT: pgettext_lazy("map legend", "Where it took part"),
        ANNOUNCED: pgettext_lazy("map legend", "Where it was announced as taking part"),
        ABSENT: pgettext_lazy("map legend", "Where it was reported absent"),
    },
    # The countries index: every country by the strongest part it had in any conference.
    "index": {
        HOST: pgettext_lazy("map legend", "Hosted a conference"),
        PARTICIPANT: pgettext_lazy("map legend", "Took part in a conference"),
        ANNOUNCED: pgettext_lazy("map legend", "Announced as taking part, no more"),
        ABSENT: pgettext_lazy("map legend", "Reported absent, no more"),
    },
}
TITLES = {
    "conference": pgettext_lazy("map title", "Map of the countries at this conference, by their part in it"),
    "country": pgettext_lazy("map title", "Map of where this country's conferences were held, by its part in them"),
    "index": pgettext_lazy("map title", "Map of the countries in the records, by their strongest part in a conference"),
}
CURRENT_LABEL = pgettext_lazy("map legend", "This country")
LAND_LABEL = pgettext_lazy("map legend", "No part recorded")
DISPUTED_LABEL = pgettext_lazy("map legend", "Territory of disputed status")


# --- Drawing ---------------------------------------------------------------------------


def strongest(roles):
    """The strongest of several roles (host, then participant, announced, absent)."""
    return min(roles, key=ROLES.index)


def legend(kind, roles=None, current=None, current_name=""):
    """The legend's entries: (layer, label), all four roles always, then the rest."""
    labels = LEGENDS[kind]
    entries = [(role, labels[role]) for role in ROLES]
    if current and current in SHAPES and (roles or {}).get(current) != HOST:
        entries.append(("current", current_name or CURRENT_LABEL))
    entries.append(("land", LAND_LABEL))
    entries.append(("disputed", DISPUTED_LABEL))
    return entries


def render_map(roles, kind, countries=(), *, current=None, language=None):
    """The map as inline SVG markup.

    roles: {ISO code: role} of the shapes to colour; codes with no shape are left out.
    kind: "conference", "country" or "index", for the shapes' titles and the map's own.
    countries: Country records already loaded; their shapes link to their pages.
    current: the code of the country whose page this is, outlined even with no role.
    """
    language = language or get_language() or "ar"
    language = "en" if language.startswith("en") else "ar"
    records = {country.code: country for country in countries}
    labels = LEGENDS[kind]
    layers = {layer: [] for layer in LAYERS}
    for code, shape in SHAPES.items():
        role = roles.get(code)
        if shape.disputed:
            layer, role = "disputed", None
        elif role in labels:
            layer = role
        else:
            layer, role = ("current" if code == current else "land"), None
        record = records.get(code)
        if record is None and role is None:
            layers[layer].append(shape.plain[language])
            continue
        name = record.name if record else shape.names[language]
        title = escape(f"{name} — {labels[role]}" if role else name)
        if record:
            url = escape(record.get_absolute_url())
            current_page = ' aria-current="page"' if code == current else ""
            layers[layer].append(f'<a href="{url}"{current_page}><title>{title}</title><path d="{shape.d}"/></a>')
        else:
            layers[layer].append(f'<path d="{shape.d}"><title>{title}</title></path>')
    parts = [
        f'<svg class="map" viewBox="{VIEW_BOX}" aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title">{escape(TITLES[kind])}</title>',
        f'<defs><pattern id="{PATTERN_ID}" width="11" height="11" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="map-hatch-paper" width="11" height="11"/>'
        '<rect class="map-hatch-ink" width="5" height="11"/></pattern></defs>',
        '<rect class="map-sea" width="100%" height="100%"/>',
    ]
    for layer in LAYERS:
        if layers[layer]:
            parts.append(f'<g class="map-{layer}">{"".join(layers[layer])}</g>')
    parts.append("</svg>")
    # The paths come from our own data file; every name and title is escaped above.
    return mark_safe("".join(parts))
