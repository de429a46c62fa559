"""The maps of Africa and the Mediterranean: inline SVG drawn on the server (participants/maps.py).

The tests read the pages as a browser gets them: the SVG parses as XML, each country of a
conference is drawn in its role and listed beside the map, the shapes link to the country
pages, and the map stays within the page-weight budget.
"""

import gzip
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from conferences.models import Conference, Participation
from participants.models import Country
from public import maps

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
SEED_CONFERENCES = [
    "cissa-20-benghazi-2025", "cissa-21", "tripoli-military-intelligence-chiefs-2024",
    "benghazi-chiefs-of-staff-2026", "marrakech-platform-4-agadir-2025",
]


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def get(client, name, language, **kwargs):
    response = client.get(url(name, language, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


def svg_of(content):
    """The page's map, parsed as XML: it fails here if the markup is not well-formed."""
    match = re.search(r'<svg class="map".*?</svg>', content, re.S)
    assert match, "no map on the page"
    return ET.fromstring(match.group(0)), match.group(0)


def shapes(svg):
    """{ISO code or title: (layer, href, title)} of every shape on the map."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        layer = group.get("class").removeprefix("map-")
        for child in group:
            if child.tag == f"{SVG}a":
                href = child.get("href")
                code = resolve(href).kwargs["code"].upper()
                found[code] = (layer, href, child.find(f"{SVG}title").text)
            else:
                title = child.find(f"{SVG}title").text
                found[title] = (layer, None, title)
    return found


def text_beside(content):
    """The country pages the text beside the map links to, by the heading or term above them."""
    layout = content.split('class="map-layout"', 1)[1]
    text = layout.split('class="map-text"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'href="/\w\w/countries/(\w\w)/"', text))


# --- The data file ---------------------------------------------------------------------------


def test_the_data_file_is_small_compact_and_keyed_by_iso_code():
    assert maps.DATA_FILE.stat().st_size < 150 * 1024
    data = json.loads(maps.DATA_FILE.read_text(encoding="utf-8"))
    assert data["viewBox"][:2] == [0, 0]
    for code, shape in data["shapes"].items():
        assert re.fullmatch(r"[A-Z]{2}", code)
        # Whole numbers and relative commands only, after the first move of each path.
        assert re.fullmatch(r"M-?\d+ -?\d+[lmaz0-9 \-]*", shape["d"]), code
        assert shape["en"] and shape["ar"] and re.search(r"[\u0600-\u06ff]", shape["ar"])


def test_every_seeded_country_is_drawn():
    seeded = {row["fields"]["code"] for row in json.loads((ROOT / "seeds" / "01_countries.json").read_text())}
    assert seeded <= maps.SHAPES.keys()
    assert maps.SHAPES["MT"].marker  # too small for Natural Earth's 1:110m: a marker


def test_western_sahara_is_its_own_disputed_shape():
    assert maps.SHAPES["EH"].disputed
    assert maps.SHAPES["EH"].d != maps.SHAPES["MA"].d
    assert not any(shape.disputed for code, shape in maps.SHAPES.items() if code != "EH")


def test_the_build_script_writes_relative_whole_unit_paths():
    spec = importlib.util.spec_from_file_location("build_map", ROOT / "scripts" / "build_map.py")
    build_map = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_map)
    square = [(10.2, 10.4), (20.0, 10.0), (20.0, 19.6), (10.0, 20.0)]
    assert build_map.path_data([square]) == "M10 10l10 0 0 10-10 0z"
    # A border shared by two countries is simplified once, so both keep the same line.
    line = [(0, 0), (5, 0.3), (10, 0)]
    assert build_map.douglas_peucker(line, 1) == [(0, 0), (10, 0)]
    assert build_map.douglas_peucker(line[::-1], 1) == [(10, 0), (0, 0)]


# --- The conference page -----------------------------------------------------------------------


@pytest.mark.parametrize("slug", SEED_CONFERENCES)
def test_each_country_of_a_conference_is_drawn_in_its_role_and_listed_beside_the_map(client, slug):
    content = get(client, "conferences:detail", "en", slug=slug)
    svg, _markup = svg_of(content)
    drawn = shapes(svg)
    participations = Participation.objects.filter(conference__slug=slug).select_related("country")
    assert participations
    for row in participations:
        layer, href, title = drawn[row.country.code]
        assert layer == row.role
        assert href == row.country.get_absolute_url()
        assert title == f"{row.country.name} — {maps.LEGENDS['conference'][row.role]}"
    coloured = {code for code, (layer, _href, _title) in drawn.items() if layer in maps.ROLES}
    assert coloured == {row.country.code for row in participations}
    assert text_beside(content) == {code.lower() for code in coloured}


def test_the_map_shows_every_role_with_its_own_mark(client):
    content = get(client, "conferences:detail", "en", slug="benghazi-chiefs-of-staff-2026")
    drawn = shapes(svg_of(content)[0])
    assert drawn["LY"][0] == "host"
    assert drawn["EG"][0] == "participant"
    assert drawn["MT"][0] == "announced" and drawn["TR"][0] == "announced"
    assert "hatch" in content  # "announced" is hatched, not only coloured
    content = get(client, "conferences:detail", "en", slug="tripoli-military-intelligence-chiefs-2024")
    assert shapes(svg_of(content)[0])["EG"][0] == "absent"


def test_the_links_go_to_country_pages_and_the_other_shapes_are_named(client):
    content = get(client, "conferences:detail", "ar", slug="cissa-20-benghazi-2025")
    svg, markup = svg_of(content)
    drawn = shapes(svg)
    links = [href for _layer, href, _title in drawn.values() if href]
    assert links == ["/ar/countries/ly/"]
    assert client.get(links[0]).status_code == 200
    # A country with no part in this conference, or no record at all: named, in Arabic, no link.
    assert drawn["أنغولا"] == ("land", None, "أنغولا")
    assert drawn["الصحراء الغربية"] == ("disputed", None, "الصحراء الغربية")
    # Every shape has an accessible name, and the map has its own.
    assert len(drawn) == len(maps.SHAPES)
    assert svg.find(f"{SVG}title").text
    assert svg.get("aria-labelledby") == svg.find(f"{SVG}title").get("id")


def test_the_legend_is_in_the_pages_language(client):
    arabic = get(client, "conferences:detail", "ar", slug="cissa-20-benghazi-2025")
    legend = arabic.split('class="map-legend"', 1)[1].split("</ul>", 1)[0]
    for label in ("البلد المضيف", "مشارك", "أُعلنت مشاركته", "غائب"):
        assert label in legend
    assert "ليبيا — البلد المضيف" in arabic
    english = get(client, "conferences:detail", "en", slug="cissa-20-benghazi-2025")
    legend = english.split('class="map-legend"', 1)[1].split("</ul>", 1)[0]
    for label in ("Host country", "Taking part", "Announced as taking part", "Reported absent"):
        assert label in legend


def test_the_map_is_the_same_geography_in_both_directions(client):
    arabic = svg_of(get(client, "conferences:detail", "ar", slug="cissa-21"))[0]
    english = svg_of(get(client, "conferences:detail", "en", slug="cissa-21"))[0]
    paths = [[path.get("d") for path in svg.iter(f"{SVG}path")] for svg in (arabic, english)]
    assert paths[0] == paths[1]
    assert all(svg.get("transform") is None and svg.get("viewBox") == maps.VIEW_BOX for svg in (arabic, english))


def test_the_map_needs_nothing_the_content_security_policy_forbids(client):
    _svg, markup = svg_of(get(client, "conferences:detail", "en", slug="benghazi-chiefs-of-staff-2026"))
    assert " style=" not in markup and "<style" not in markup and "<script" not in markup
    assert re.findall(r"https?://[^\"]+", markup) == ["http://www.w3.org/2000/svg"]  # the namespace, no request


def test_every_layer_has_a_style_on_screen_and_in_print():
    css = (ROOT / "static" / "css" / "site.css").read_text()
    screen, print_rules = css.split("/* --- Maps", 1)[1].split("@media print", 1)
    for layer in maps.LAYERS:
        assert f".map-{layer}" in screen and f".map-{layer}" in print_rules, layer


def test_the_inline_map_keeps_the_conference_page_within_its_weight_budget(client):
    content = get(client, "conferences:detail", "en", slug="cissa-20-benghazi-2025")
    _svg, markup = svg_of(content)
    assert len(gzip.compress(markup.encode())) <= 12 * 1024
    with translation.override("ar"):
        path = reverse("conferences:detail", kwargs={"slug": "cissa-20-benghazi-2025"})
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 30 * 1024


def test_a_conference_with_no_country_recorded_still_has_its_map(client):
    conference = Conference.objects.get(slug="cissa-21")
    conference.participations.all().delete()
    content = get(client, "conferences:detail", "en", slug="cissa-21")
    assert not [layer for layer, _href, _title in shapes(svg_of(content)[0]).values() if layer in maps.ROLES]
    assert "No country's part in this conference is recorded yet." in content


# --- Country pages and the index ---------------------------------------------------------------------


def test_a_country_page_maps_where_its_conferences_were_held(client):
    content = get(client, "countries:detail", "en", code="eg")
    drawn = shapes(svg_of(content)[0])
    # Egypt took part in one conference in Libya and stayed away from another: taking part wins.
    assert drawn["LY"][:2] == ("participant", "/en/countries/ly/")
    assert drawn["EG"][:2] == ("current", "/en/countries/eg/")
    assert 'aria-current="page"><title>Egypt</title>' in content
    assert text_beside(content) == {"ly"}
    assert "Where it took part" in content.split('class="map-text"', 1)[1]


def test_a_host_country_page_shows_it_as_host(client):
    content = get(client, "countries:detail", "ar", code="ly")
    drawn = shapes(svg_of(content)[0])
    assert drawn["LY"][0] == "host"
    assert text_beside(content) == {"ly"}


def test_the_countries_index_maps_every_record_by_its_strongest_part(client):
    content = get(client, "countries:list", "en")
    drawn = shapes(svg_of(content)[0])
    assert drawn["LY"][0] == "host" and drawn["MA"][0] == "host"
    assert drawn["EG"][0] == "participant"  # took part once, absent once
    assert drawn["FR"][0] == "announced"
    assert drawn["GA"][:2] == ("land", "/en/countries/ga/")  # a record with no conference yet
    linked = {code for code, (_layer, href, _title) in drawn.items() if href}
    assert linked == set(Country.objects.values_list("code", flat=True))
    assert text_beside(content) == {code.lower() for code in linked}


def test_a_shape_links_once_a_country_record_exists(client):
    Country.objects.create(code="AO", name_ar="أنغولا", name_en="Angola", region="southern-africa")
    Country.objects.create(code="EH", name_ar="الصحراء الغربية", name_en="Western Sahara", region="north-africa")
    drawn = shapes(svg_of(get(client, "countries:list", "en"))[0])
    assert drawn["AO"][:2] == ("land", "/en/countries/ao/")
    assert drawn["EH"][:2] == ("disputed", "/en/countries/eh/")  # linked, never coloured
