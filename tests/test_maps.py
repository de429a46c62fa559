"""The maps of Africa and the Mediterranean: inline SVG drawn on the server (public/maps.py).

The tests read the pages as a browser gets them: the SVG parses as XML, each country of a
conference is drawn in its role and listed beside the map, the shapes link to the country
pages, and the map stays within the page-weight budget.
"""

import gzip
import importlib.util
import json
import re
from pathlib import Path

import pytest
from django.urls import resolve
from django.utils import translation
from lxml import etree

from conferences.models import Participation
from participants.models import Country
from public import maps, previews
from tests import factories as make
from tests.helpers import IN_MOROCCO, IN_WESTERN_SAHARA, get, on_the_map, parse, record_url, text, url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


# --- Records ---------------------------------------------------------------------------------


def malta():
    """Too small for Natural Earth's 1:110m: drawn as a marker (factories.named_country lacks it)."""
    return make.country("MT", "مالطا", "Malta", "europe")


def every_part():
    """Libya hosts; Egypt and Italy take part; Malta (a marker) and Türkiye are announced; Sudan stays away."""
    libya = make.named_country("LY")
    record = make.conference("benghazi-2026", start=make.day("2026-02-10"), host_country=libya)
    make.participation(record, libya, role="host")
    for code in ("EG", "IT"):
        make.participation(record, make.named_country(code))
    make.participation(record, malta(), role="announced")
    make.participation(record, make.named_country("TR"), role="announced")
    make.participation(record, make.named_country("SD"), role="absent")
    return record


def host_only():
    """A conference whose reports name only its host."""
    libya = make.named_country("LY")
    record = make.conference("benghazi-2025", start=make.day("2025-08-25"), host_country=libya)
    make.participation(record, libya, role="host")
    return record


BUILDERS = {"full_conference": make.full_conference, "every_part": every_part, "host_only": host_only}


# --- Reading a map ---------------------------------------------------------------------------


def map_page(client, address):
    """The page (lxml.html), its map parsed as XML, and the map's markup.

    A browser reads inline SVG leniently; the map's own markup is parsed as XML here, so that
    it fails if the markup is not well-formed.
    """
    response = get(client, address)
    content = response.content.decode()
    start = content.index('<svg class="map"')
    markup = content[start:content.index("</svg>", start) + len("</svg>")]
    return parse(response), etree.fromstring(markup), markup


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


def map_text(document):
    """The text beside the map."""
    found = document.xpath('//div[@class="map-layout"]//div[@class="map-text"]')
    assert len(found) == 1
    return found[0]


def text_beside(document):
    """The codes of the country pages the text beside the map links to (beside its references)."""
    pages = [resolve(href) for href in map_text(document).xpath('.//a[not(starts-with(@href, "#"))]/@href')]
    assert {match.view_name for match in pages} <= {"countries:detail"}
    return {match.kwargs["code"] for match in pages}


def legend(document):
    return [text(item) for item in document.xpath('//ul[@class="map-legend"]/li')]


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
    assert make.COUNTRIES.keys() <= maps.SHAPES.keys()
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


@pytest.mark.parametrize("build", list(BUILDERS))
def test_each_country_of_a_conference_is_drawn_in_its_role_and_listed_beside_the_map(client, build):
    conference = BUILDERS[build]()
    document, svg, _markup = map_page(client, record_url(conference, "en"))
    drawn = shapes(svg)
    participations = Participation.objects.filter(conference=conference).select_related("country")
    assert participations
    for row in participations:
        layer, href, title = drawn[row.country.code]
        assert layer == row.role
        assert href == record_url(row.country, "en")
        with translation.override("en"):
            assert title == f"{row.country.name_en} — {maps.LEGENDS['conference'][row.role]}"
    coloured = {code for code, (layer, _href, _title) in drawn.items() if layer in maps.ROLES}
    assert coloured == {row.country.code for row in participations}
    assert text_beside(document) == {code.lower() for code in coloured}


def test_the_map_shows_every_role_with_its_own_mark(client):
    _document, svg, _markup = map_page(client, record_url(every_part(), "en"))
    drawn = shapes(svg)
    assert drawn["LY"][0] == "host"
    assert drawn["EG"][0] == "participant"
    assert drawn["MT"][0] == "announced" and drawn["TR"][0] == "announced"
    assert drawn["SD"][0] == "absent"
    # "Announced" is hatched, not only coloured: the map carries the pattern its style fills with.
    assert [pattern.get("id") for pattern in svg.iter(f"{SVG}pattern")] == [maps.PATTERN_ID]
    css = (ROOT / "static" / "css" / "site.css").read_text()
    announced = re.search(r"\n\.map-announced \{([^}]*)\}", css).group(1)
    assert f"fill: url(#{maps.PATTERN_ID})" in announced
    _document, svg, _markup = map_page(client, record_url(make.full_conference(), "en"))
    assert shapes(svg)["EG"][0] == "absent"


def test_the_links_go_to_country_pages_and_the_other_shapes_are_named(client):
    _document, svg, _markup = map_page(client, record_url(host_only(), "ar"))
    drawn = shapes(svg)
    hrefs = [href for _layer, href, _title in drawn.values() if href]
    assert hrefs == ["/ar/countries/ly/"]
    assert client.get(hrefs[0]).status_code == 200
    # A country with no part in this conference, or no record at all: named, in Arabic, no link.
    assert drawn["أنغولا"] == ("land", None, "أنغولا")
    assert drawn["الصحراء الغربية"] == ("disputed", None, "الصحراء الغربية")
    # Every shape has an accessible name, and the map has its own.
    assert len(drawn) == len(maps.SHAPES)
    assert svg.find(f"{SVG}title").text
    assert svg.get("aria-labelledby") == svg.find(f"{SVG}title").get("id")


def test_the_legend_is_in_the_pages_language(client):
    conference = host_only()
    arabic, svg, _markup = map_page(client, record_url(conference, "ar"))
    for label in ("البلد المضيف", "مشارك", "أُعلنت مشاركته", "غائب"):
        assert any(label in entry for entry in legend(arabic)), label
    assert shapes(svg)["LY"][2] == "ليبيا — البلد المضيف"
    english, _svg, _markup = map_page(client, record_url(conference, "en"))
    for label in ("Host country", "Taking part", "Announced as taking part", "Reported absent"):
        assert label in legend(english)


def test_the_map_is_the_same_geography_in_both_directions(client):
    conference = make.full_conference()
    arabic = map_page(client, record_url(conference, "ar"))[1]
    english = map_page(client, record_url(conference, "en"))[1]
    paths = [[path.get("d") for path in svg.iter(f"{SVG}path")] for svg in (arabic, english)]
    assert paths[0] == paths[1]
    assert all(svg.get("transform") is None and svg.get("viewBox") == maps.VIEW_BOX for svg in (arabic, english))


def test_the_map_needs_nothing_the_content_security_policy_forbids(client):
    _document, svg, _markup = map_page(client, record_url(every_part(), "en"))
    assert svg.xpath("//@style") == []
    assert svg.xpath("//*[local-name() = 'style' or local-name() = 'script']") == []
    # The namespace is the only address in it, and it asks for nothing: the links are the site's own pages.
    assert svg.nsmap == {None: SVG[1:-1]}
    assert [value for value in svg.xpath("//@*") if "//" in value or value.startswith("url(")] == []
    assert all(href.startswith("/en/countries/") for href in svg.xpath("//@href"))


def test_every_layer_has_a_style_on_screen_and_in_print():
    css = (ROOT / "static" / "css" / "site.css").read_text()
    screen, print_rules = css.split("/* --- Maps", 1)[1].split("@media print", 1)
    for layer in maps.LAYERS:
        assert f".map-{layer}" in screen and f".map-{layer}" in print_rules, layer


def test_the_inline_map_keeps_the_conference_page_within_its_weight_budget(client):
    conference = make.full_conference()
    _document, _svg, markup = map_page(client, record_url(conference, "en"))
    assert len(gzip.compress(markup.encode())) <= 12 * 1024
    response = client.get(record_url(conference, "ar"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 30 * 1024


def test_a_conference_with_no_country_recorded_still_has_its_map(client, django_capture_on_commit_callbacks):
    conference = make.full_conference()
    with django_capture_on_commit_callbacks(execute=True):
        conference.participations.all().delete()
    document, svg, _markup = map_page(client, record_url(conference, "en"))
    assert not [layer for layer, _href, _title in shapes(svg).values() if layer in maps.ROLES]
    assert text(map_text(document)) == "No country's part in this conference is recorded yet."


# --- Country pages and the index ---------------------------------------------------------------------


def test_a_country_page_maps_where_its_conferences_were_held(client):
    make.full_conference()  # in Libya: Egypt stayed away
    every_part()  # in Libya: Egypt took part
    document, svg, _markup = map_page(client, url("countries:detail", "en", code="eg"))
    drawn = shapes(svg)
    # Taking part wins over staying away.
    assert drawn["LY"][:2] == ("participant", "/en/countries/ly/")
    assert drawn["EG"][:2] == ("current", "/en/countries/eg/")
    assert [anchor.find(f"{SVG}title").text for anchor in svg.iter(f"{SVG}a") if anchor.get("aria-current")] == [
        "Egypt"
    ]
    assert text_beside(document) == {"ly"}
    assert "Where it took part" in [text(term) for term in map_text(document).xpath(".//dt")]


def test_a_host_country_page_shows_it_as_host(client):
    make.full_conference()
    every_part()
    document, svg, _markup = map_page(client, url("countries:detail", "ar", code="ly"))
    assert shapes(svg)["LY"][0] == "host"
    assert text_beside(document) == {"ly"}


def test_the_countries_index_maps_every_record_by_its_strongest_part(client):
    make.full_conference()  # in Libya: Egypt absent, Mali announced
    every_part()  # in Libya: Egypt taking part
    morocco = make.named_country("MA")
    agadir = make.conference("agadir-2025", start=make.day("2025-06-17"), host_country=morocco)
    make.participation(agadir, morocco, role="host")
    make.participation(agadir, make.country("FR", "فرنسا", "France", "europe"), role="announced")
    make.named_country("GA")  # a record with no conference yet
    document, svg, _markup = map_page(client, url("countries:list", "en"))
    drawn = shapes(svg)
    assert drawn["LY"][0] == "host" and drawn["MA"][0] == "host"
    assert drawn["EG"][0] == "participant"  # took part once, absent once
    assert drawn["FR"][0] == "announced"
    assert drawn["SD"][0] == "absent"
    assert drawn["GA"][:2] == ("land", "/en/countries/ga/")  # a record with no conference yet
    linked = {code for code, (_layer, href, _title) in drawn.items() if href}
    assert linked == set(Country.objects.values_list("code", flat=True))
    assert text_beside(document) == {code.lower() for code in linked}


def test_a_shape_links_once_a_country_record_exists(client):
    make.country("AO", "أنغولا", "Angola", "southern-africa")
    make.country("EH", "الصحراء الغربية", "Western Sahara", "north-africa")
    _document, svg, _markup = map_page(client, url("countries:list", "en"))
    drawn = shapes(svg)
    assert drawn["AO"][:2] == ("land", "/en/countries/ao/")
    assert drawn["EH"][:2] == ("disputed", "/en/countries/eh/")  # linked, never coloured


# --- Western Sahara ----------------------------------------------------------------------------


def covers(d, point):
    """Whether the shape of path `d` covers `point`, filled even-odd as the previews fill it."""
    x, y = point
    inside = False
    for outline in previews._subpaths(d):
        for (x0, y0), (x1, y1) in zip(outline, outline[1:] + outline[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (x1 - x0) * (y - y0) / (y1 - y0):
                inside = not inside
    return inside


def drawn_paths(svg):
    """{title: (layer, classes of the groups around it, path data)} of every shape on the map."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        for path in group.iter(f"{SVG}path"):
            title = path.find(f"{SVG}title")
            if title is None:
                title = path.getparent().find(f"{SVG}title")
            found[title.text.split(" — ")[0]] = (group.get("class").removeprefix("map-"), path.get("d"))
    return found


def morocco_hosts():
    morocco = make.named_country("MA")
    agadir = make.conference("agadir-2025", start=make.day("2025-06-17"), host_country=morocco)
    make.participation(agadir, morocco, role="host")
    make.participation(agadir, make.named_country("LY"))
    return agadir


@pytest.mark.parametrize("page", ["conference", "country", "index"])
def test_western_sahara_stays_neutral_where_morocco_hosts(client, page):
    agadir = morocco_hosts()
    address = {
        "conference": record_url(agadir, "en"),
        "country": url("countries:detail", "en", code="ma"),
        "index": url("countries:list", "en"),
    }[page]
    _document, svg, _markup = map_page(client, address)
    drawn = drawn_paths(svg)
    layer, sahara = drawn["Western Sahara"]
    assert layer == "disputed"
    host, morocco = drawn["Morocco"]
    assert host == "host"
    for town, place in IN_WESTERN_SAHARA.items():
        point = on_the_map(*place)
        assert covers(sahara, point), town
        assert not covers(morocco, point), town
        # Nothing coloured by a role covers it, whatever is drawn over it.
        assert [title for title, (layer, d) in drawn.items() if layer in maps.ROLES and covers(d, point)] == []
    for town, place in IN_MOROCCO.items():
        assert covers(morocco, on_the_map(*place)) and not covers(sahara, on_the_map(*place)), town
