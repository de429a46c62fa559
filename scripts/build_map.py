"""Build the portal's map data: Africa and the Mediterranean, one SVG path per country.

Reads Natural Earth's country outlines (public domain) as TopoJSON from the npm package
world-atlas, and writes public/map_shapes.json: the viewBox and, keyed by ISO 3166-1
alpha-2 code, each shape's path and its English and Arabic names. public/maps.py
draws the maps from that file; the portal needs nothing of this script at run time.

    pip install -e '.[maps]'          # pycountry: ISO numeric codes and Arabic names
    python scripts/build_map.py       # fetches world-atlas with `npm pack`
    python scripts/build_map.py --source path/to/world-atlas/package

What it does, in order (docs/maps.md explains the choices):

1. Decodes the 1:110m file's arcs, projects them (Lambert azimuthal equal-area, centred on
   Africa) and simplifies each arc once (Douglas-Peucker), so neighbours keep a common border.
2. Joins each country's arcs into rings; Northern Cyprus goes into Cyprus and Somaliland into
   Somalia (their internationally recognised borders), with the border between them removed.
   Western Sahara is a shape of its own, the whole territory: Natural Earth 4.1 draws Morocco
   down to Mauritania and "W. Sahara" as the strip east of the berm, so the part of Morocco
   south of 27°40' N goes to Western Sahara.
3. Draws the island states that 1:110m leaves out (Malta, Cabo Verde, São Tomé and Príncipe,
   the Comoros, Mauritius, Seychelles) as a circle marker at the centre of their 1:50m outline.
4. Clips everything to the frame, rounds to whole units, and writes relative path commands.
"""

import argparse
import gettext
import json
import math
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "public" / "map_shapes.json"
PACKAGE = "world-atlas@2"

# Projection: Lambert azimuthal equal-area, centred here (degrees).
CENTRE_LON, CENTRE_LAT = 16.0, 6.0
# The frame, in degrees: its corners are found by projecting these points. West: Cabo Verde;
# east: Mauritius; south: the Cape; north: the head of the Adriatic.
FRAME_POINTS = [(-25.8, 15.0), (58.2, -20.3), (20.0, -35.3), (13.5, 47.4), (-10.0, 43.5), (36.0, 37.0)]
WIDTH = 1000  # viewBox width, in units; the height follows from the frame's proportions
MARGIN = 8  # room inside the frame's edge, in units
TOLERANCE = 0.7  # Douglas-Peucker tolerance, in units
MIN_RING_AREA = 6.0  # islands smaller than this (square units) are left out
MARKER_RADIUS = 8

# Natural Earth parts that go into a country (their internationally recognised borders).
MERGED_INTO = {"N. Cyprus": "CY", "Somaliland": "SO"}
# Natural Earth parts with no ISO 3166-1 code, kept as shapes of their own.
UNCODED = {"Kosovo": "XK"}
# Shapes drawn with a dashed border and never coloured: a territory whose status is disputed.
DISPUTED = {"EH"}
# States too small for 1:110m, drawn as markers from the 1:50m file.
MARKERS = {"MT", "CV", "ST", "KM", "MU", "SC"}

# Short names where ISO's are long, formal or untranslated: titles of shapes with no
# Country record. Shapes with a record take its names at run time.
NAMES = {
    "BA": ("Bosnia and Herzegovina", "البوسنة والهرسك"),
    "BF": ("Burkina Faso", "بوركينا فاسو"),
    "CD": ("DR Congo", "الكونغو الديمقراطية"),
    "CG": ("Republic of the Congo", "جمهورية الكونغو"),
    "CI": ("Côte d'Ivoire", "كوت ديفوار"),
    "CV": ("Cabo Verde", "الرأس الأخضر"),
    "EH": ("Western Sahara", "الصحراء الغربية"),
    "GB": ("United Kingdom", "المملكة المتحدة"),
    "HU": ("Hungary", "المجر"),
    "IR": ("Iran", "إيران"),
    "KM": ("Comoros", "جزر القمر"),
    "MD": ("Moldova", "مولدوفا"),
    "ME": ("Montenegro", "الجبل الأسود"),
    "MT": ("Malta", "مالطا"),
    "OM": ("Oman", "عُمان"),
    "PS": ("Palestine", "فلسطين"),
    "RS": ("Serbia", "صربيا"),
    "RU": ("Russia", "روسيا"),
    "SC": ("Seychelles", "سيشل"),
    "ST": ("São Tomé and Príncipe", "ساو تومي وبرينسيب"),
    "SY": ("Syria", "سوريا"),
    "TR": ("Türkiye", "تركيا"),
    "TZ": ("Tanzania", "تنزانيا"),
    "XK": ("Kosovo", "كوسوفو"),
}


def fetch_world_atlas(directory):
    """Download and unpack world-atlas from the npm registry; return the package folder."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=directory, check=True, stdout=subprocess.DEVNULL)
    (archive,) = Path(directory).glob("world-atlas-*.tgz")
    with tarfile.open(archive) as tar:
        tar.extractall(directory, filter="data")
    return Path(directory) / "package"


def project(lon, lat):
    """Lambert azimuthal equal-area, in units of the Earth's radius; y grows northwards."""
    lam, phi = math.radians(lon - CENTRE_LON), math.radians(lat)
    phi0 = math.radians(CENTRE_LAT)
    k = math.sqrt(2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)))
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


class Frame:
    """From projected coordinates to viewBox units: x to the east, y downwards (north up)."""

    def __init__(self, points):
        xs, ys = zip(*(project(lon, lat) for lon, lat in points), strict=True)
        self.x0, self.y1 = min(xs), max(ys)
        self.scale = (WIDTH - 2 * MARGIN) / (max(xs) - self.x0)
        self.width = WIDTH
        self.height = round((self.y1 - min(ys)) * self.scale + 2 * MARGIN)

    def __call__(self, lon, lat):
        x, y = project(lon, lat)
        return (x - self.x0) * self.scale + MARGIN, (self.y1 - y) * self.scale + MARGIN


def absolute(arc):
    """A TopoJSON arc's quantized points, from its deltas."""
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((x, y))
    return points


def deltas(points):
    return [[x - px, y - py] for (px, py), (x, y) in zip([(0, 0), *points], points, strict=False)]


def separate_western_sahara(topology):
    """Give Western Sahara the whole territory, Morocco what lies north of their border.

    Natural Earth 4.1's Morocco runs down the coast to Mauritania, and its "W. Sahara" is only
    the strip east of the berm, the arc both share. The border is the parallel (27°40' N) through
    the point where Morocco, Algeria and Western Sahara meet: Morocco's coast is cut where it
    crosses it, the berm is dropped, and the part south of the parallel goes to Western Sahara.
    """
    geometries = {g["properties"]["name"]: g for g in topology["objects"]["countries"]["geometries"]}
    (morocco,), (sahara,) = geometries["Morocco"]["arcs"], geometries["W. Sahara"]["arcs"]
    (berm,) = [index for index in sahara if ~index in morocco]
    at = morocco.index(~berm)
    coast = morocco[(at + 1) % len(morocco)]
    if coast < 0:
        sys.exit("Morocco's coast is not drawn as Natural Earth 4.1 draws it")
    arcs = topology["arcs"]
    tripoint = absolute(arcs[berm])[-1]
    points = absolute(arcs[coast])
    (north,) = [i for i in range(1, len(points)) if points[i - 1][1] < tripoint[1] <= points[i][1]]
    (x0, y0), (x1, y1) = points[north - 1], points[north]
    crossing = (round(x0 + (x1 - x0) * (tripoint[1] - y0) / (y1 - y0)), tripoint[1])
    south_coast, north_coast, border = len(arcs), len(arcs) + 1, len(arcs) + 2
    arcs += [
        deltas([*points[:north], crossing]),
        deltas([crossing, *points[north:]]),
        deltas([tripoint, crossing]),
    ]
    morocco[at:at + 2] = [border, north_coast]
    place = sahara.index(berm)
    sahara[place:place + 1] = [south_coast, ~border]


def decode_arcs(topology, frame):
    """The topology's arcs as lists of points in viewBox units."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(frame(x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def douglas_peucker(points, tolerance):
    """The points of a line that stray from it by more than `tolerance`, its ends always kept."""
    if len(points) < 3:
        return points
    if points[0] == points[-1]:
        # A closed arc (an island): split it at its farthest point so both halves have ends.
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        return douglas_peucker(points[: far + 1], tolerance)[:-1] + douglas_peucker(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        best, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def arc_points(arcs, index):
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def rings_of(geometries, arcs):
    """The rings of a country's geometries, as lists of points.

    When several geometries make one country, the arcs they share (their common border)
    are dropped and the rest are stitched, end to start, into the merged outline.
    """
    ring_arcs = [ring for geometry in geometries for polygon in polygons_of(geometry) for ring in polygon]
    if len(geometries) == 1:
        return [[point for index in ring for point in arc_points(arcs, index)[:-1]] for ring in ring_arcs]
    uses = {}
    for ring in ring_arcs:
        for index in ring:
            uses[unsigned(index)] = uses.get(unsigned(index), 0) + 1
    by_start = {}
    for ring in ring_arcs:
        for index in ring:
            if uses[unsigned(index)] == 1:
                piece = arc_points(arcs, index)
                by_start.setdefault(piece[0], []).append(piece)
    rings = []
    while by_start:
        point = next(iter(by_start))
        ring = []
        while point in by_start:
            piece = by_start[point].pop()
            if not by_start[point]:
                del by_start[point]
            ring.extend(piece[:-1])
            point = piece[-1]
        rings.append(ring)
    return rings


def unsigned(index):
    """An arc's number, whichever way the ring walks it (~i is arc i reversed)."""
    return index if index >= 0 else ~index


def clip(ring, frame):
    """Sutherland-Hodgman against a rectangle a little larger than the frame."""
    low_x, low_y, high_x, high_y = -2, -2, frame.width + 2, frame.height + 2
    edges = [
        (lambda p: p[0] >= low_x, lambda a, b: cut_x(a, b, low_x)),
        (lambda p: p[0] <= high_x, lambda a, b: cut_x(a, b, high_x)),
        (lambda p: p[1] >= low_y, lambda a, b: cut_y(a, b, low_y)),
        (lambda p: p[1] <= high_y, lambda a, b: cut_y(a, b, high_y)),
    ]
    for inside, cut in edges:
        if not ring:
            break
        points, ring = ring, []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    ring.append(cut(previous, point))
                ring.append(point)
            elif inside(previous):
                ring.append(cut(previous, point))
            previous = point
    return ring


def cut_x(a, b, x):
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def cut_y(a, b, y):
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def area(ring):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def centroid(rings):
    """The area-weighted centre of a country's rings."""
    total = cx = cy = 0.0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if not total:
        xs, ys = zip(*(point for ring in rings for point in ring), strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return cx / (3 * total), cy / (3 * total)


def path_data(rings):
    """Whole units, relative commands: `M x y l dx dy … z m dx dy l … z`."""
    parts = []
    current = None
    for ring in rings:
        points = []
        for x, y in ring:
            point = (round(x), round(y))
            if not points or point != points[-1]:
                points.append(point)
        while len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(points) < 3:
            continue
        (x, y), rest = points[0], points[1:]
        parts.append(f"M{x} {y}" if current is None else "m" + join_numbers([x - current[0], y - current[1]]))
        deltas = []
        for px, py in rest:
            deltas += [px - x, py - y]
            x, y = px, py
        parts.append("l" + join_numbers(deltas) + "z")
        current = points[0]
    return "".join(parts)


def join_numbers(values):
    """Numbers separated by a space, or by nothing before a minus sign."""
    text = ""
    for value in values:
        item = str(value)
        text += item if not text or item.startswith("-") else " " + item
    return text


def circle(x, y, r):
    x, y = round(x), round(y)
    return f"M{x - r} {y}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0z"


def plain_arabic(text):
    """ISO's Arabic names carry some vowel marks and shaddas the site's text does not."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def names_of(code, pycountry, arabic):
    if code in NAMES:
        return NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    english = getattr(country, "common_name", None) or country.name
    return english, plain_arabic(arabic.gettext(country.name))


def code_of(geometry, pycountry):
    name = geometry["properties"]["name"]
    if name in MERGED_INTO:
        return MERGED_INTO[name]
    if name in UNCODED:
        return UNCODED[name]
    country = pycountry.countries.get(numeric=geometry["id"]) if "id" in geometry else None
    return country.alpha_2 if country else None


def build(source):
    try:
        import pycountry
    except ImportError:
        sys.exit("This script needs pycountry: pip install -e '.[maps]'")
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    frame = Frame(FRAME_POINTS)

    coarse = json.loads((source / "countries-110m.json").read_text())
    separate_western_sahara(coarse)
    arcs = [douglas_peucker(arc, TOLERANCE) for arc in decode_arcs(coarse, frame)]
    groups = {}
    for geometry in coarse["objects"]["countries"]["geometries"]:
        code = code_of(geometry, pycountry)
        if code:
            groups.setdefault(code, []).append(geometry)

    shapes = {}
    for code, geometries in groups.items():
        rings = [clip(ring, frame) for ring in rings_of(geometries, arcs)]
        rings = [ring for ring in rings if len(ring) >= 3 and area(ring) >= MIN_RING_AREA]
        d = path_data(rings)
        if d:
            shapes[code] = {"d": d}

    fine = json.loads((source / "countries-50m.json").read_text())
    fine_arcs = decode_arcs(fine, frame)
    for geometry in fine["objects"]["countries"]["geometries"]:
        code = code_of(geometry, pycountry)
        if code in MARKERS:
            x, y = centroid(rings_of([geometry], fine_arcs))
            shapes[code] = {"d": circle(x, y, MARKER_RADIUS), "marker": True}

    missing = MARKERS - shapes.keys()
    if missing:
        sys.exit(f"No 1:50m outline for {sorted(missing)}")
    for code, shape in shapes.items():
        shape["en"], shape["ar"] = names_of(code, pycountry, arabic)
        if code in DISPUTED:
            shape["disputed"] = True

    package = json.loads((source / "package.json").read_text())
    return {
        "source": (
            f"Natural Earth 1:110m and 1:50m country outlines (public domain), from world-atlas "
            f"{package['version']}; built by scripts/build_map.py"
        ),
        "viewBox": [0, 0, frame.width, frame.height],
        "shapes": dict(sorted(shapes.items())),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="an unpacked world-atlas package (default: fetch it with npm)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        source = args.source or fetch_world_atlas(directory)
        data = build(source)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One shape a line, so a rebuild's diff shows which countries changed.
    text = text.replace(',"shapes":{', ',"shapes":{\n').replace('},"', '},\n"')
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{args.output}: {len(data['shapes'])} shapes, {args.output.stat().st_size / 1024:.1f} KB")


if __name__ == "__main__":
    main()
