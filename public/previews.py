"""Preview images: the 1200×630 picture a link to a conference, country or series page shows
when it is pasted into an article, a chat or a social network (og:image, Twitter's large card).

Each image is the record's name, in the page's language, over the map of Africa and the
Mediterranean (public/map_shapes.json): a conference's countries by their part in it, a country
itself, the countries that hosted a series' editions. Arabic is shaped and laid out right to left
by Pillow's libraqm layout (FriBiDi and HarfBuzz); without it Pillow would draw the letters
unjoined and in the wrong order, so a warning is logged once.

An image is drawn on the first request and kept in Django's cache under a digest of what it shows
(`Preview.key`): an edit that changes the name or the map draws a new one, any other edit reuses it.
The page links it with the site's version in the address (`?v=`), so a client that keeps images
by address fetches it again after an edit.
"""

import hashlib
import io
import logging
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from core import state

from .maps import ABSENT, ANNOUNCED, HOST, PARTICIPANT, SHAPES, VIEW_BOX, strongest

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
# Moved on whenever the drawing changes, so no cached image of an older design is served.
DESIGN = 2
CACHE_SECONDS = 30 * 24 * 3600

FONT_DIR = Path(__file__).resolve().with_name("fonts")
ARABIC_FONT = FONT_DIR / "NotoNaskhArabic-Bold.ttf"
LATIN_FONT = FONT_DIR / "NotoSans-Bold.ttf"

# The colours of the site's maps (the "Maps" section of static/css/site.css).
PAPER, INK, MUTED, BRAND = "#ffffff", "#1b1f24", "#4d5561", "#123b5d"
SEA, BORDER = "#eef4f9", "#ffffff"
FILLS = {
    "land": ("#d9dee4", BORDER),
    "disputed": ("#eceff2", "#5d6570"),
    ABSENT: ("#f2b96b", "#6b3d00"),
    ANNOUNCED: ("#9ec3e6", "#1f5c99"),
    PARTICIPANT: ("#3b7dbf", BORDER),
    HOST: ("#0b2f4f", "#000000"),
}
LAYERS = ("land", "disputed", ABSENT, ANNOUNCED, PARTICIPANT, HOST)
# The dashes of a disputed territory's border, in pixels: on and off, as the site's maps draw it.
DASH = (5, 4)

ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
LATIN_LETTERS = "A-Za-z\u00c0-\u024f"
# The runs of the other script inside a line, which keep their own direction and face: Latin in an
# Arabic line (with the digits and spaces between its words, as the Unicode bidi algorithm joins
# them), Arabic in an English one.
FOREIGN_RUNS = {
    "rtl": re.compile(f"[{LATIN_LETTERS}](?:[^{ARABIC_LETTERS}]*[{LATIN_LETTERS}0-9])?"),
    "ltr": re.compile(f"[{ARABIC_LETTERS}](?:[^{LATIN_LETTERS}]*[{ARABIC_LETTERS}])?"),
}


@dataclass(frozen=True)
class Preview:
    """What one image shows: a record's name in a language, and the map's countries by role."""

    kind: str
    pk: object
    language: str
    title: str
    roles: tuple = ()

    @property
    def direction(self):
        return "rtl" if self.language == "ar" else "ltr"

    def key(self):
        digest = hashlib.sha256(repr((self.title, self.roles)).encode()).hexdigest()[:32]
        return f"preview:{DESIGN}:{self.kind}:{self.pk}:{self.language}:{digest}"


def _roles(pairs):
    """((code, role), ...), the strongest role of each country, in a fixed order."""
    found = {}
    for code, role in pairs:
        if code:
            found.setdefault(code, []).append(role)
    return tuple(sorted((code, strongest(roles)) for code, roles in found.items()))


def for_conference(conference, language):
    pairs = [(row.country.code, row.role) for row in conference.participations.all()]
    if conference.host_country_id:
        pairs.append((conference.host_country.code, HOST))
    return Preview("conference", conference.pk, language, conference.name, _roles(pairs))


def for_country(country, language):
    return Preview("country", country.pk, language, country.name, ((country.code, HOST),))


def for_series(series, host_codes, language):
    return Preview("series", series.pk, language, series.name, _roles((code, HOST) for code in host_codes))


def for_site(language):
    return Preview("site", "", language, gettext("Security and intelligence conferences in Africa"))


ALT_TEXTS = {
    "conference": gettext_lazy("%(name)s, over a map of the countries at this conference by their part in it"),
    "country": gettext_lazy("%(name)s, over a map of Africa and the Mediterranean with the country marked"),
    "series": gettext_lazy("%(name)s, over a map of the countries that hosted its editions"),
    "site": gettext_lazy("%(name)s, over a map of Africa and the Mediterranean"),
}


def alt_text(kind, name):
    """The image's description (og:image:alt), in the active language."""
    return str(ALT_TEXTS[kind]) % {"name": name}


def address(request, view_name, **kwargs):
    """The image's address for a page: in the active language, with the site's version."""
    return f"{reverse(view_name, kwargs=kwargs)}?v={state.current(request).version}"


def page_image(request, kind, record, **kwargs):
    """The PageMeta arguments of a record's page: its image and the image's description."""
    return {"image": address(request, f"{kind}:preview", **kwargs), "image_alt": alt_text(KINDS[kind], record.name)}


KINDS = {"conferences": "conference", "countries": "country", "series": "series"}


# --- Drawing ---------------------------------------------------------------------------------


def image_bytes(preview):
    """The PNG of `preview`, from the cache or drawn now and kept."""
    key = preview.key()
    data = django_cache.get(key)
    if data is None:
        data = render(preview)
        django_cache.set(key, data, CACHE_SECONDS)
    return data


@cache
def _layout():
    if features.check("raqm"):
        return ImageFont.Layout.RAQM
    logger.warning(
        "Pillow has no libraqm layout (it needs the system's FriBiDi): Arabic in the preview images "
        "is drawn unshaped. On Debian, install libfribidi0 and libraqm0."
    )
    return ImageFont.Layout.BASIC


@cache
def _font(path, size):
    return ImageFont.truetype(str(path), size, layout_engine=_layout())


def _subpaths(d):
    """The closed outlines of an SVG path of map_shapes.json (M, m, l, z; a marker's a is a circle)."""
    tokens = re.findall(r"[MmLlAaZz]|-?\d*\.?\d+", d)
    outlines, points, x, y, command, index = [], [], 0.0, 0.0, "M", 0
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command in "Zz":
                if points:
                    outlines.append(points)
                    # After a close, the pen is back at the start of the outline.
                    x, y = points[0] if points[0][0] != "circle" else (x, y)
                points = []
            continue
        if command in "Aa":
            rx = float(token)
            dx, dy = float(tokens[index + 5]), float(tokens[index + 6])
            index += 7
            end = (dx, dy) if command == "a" else (dx - x, dy - y)
            cx, cy = x + end[0] / 2, y + end[1] / 2
            points = [("circle", cx, cy, rx)]
            x, y = x + end[0], y + end[1]
            continue
        value_x, value_y = float(token), float(tokens[index + 1])
        index += 2
        if command in "Mm":
            if points:
                outlines.append(points)
            x, y = (value_x, value_y) if command == "M" else (x + value_x, y + value_y)
            points = [(x, y)]
            command = "L" if command == "M" else "l"
        else:
            x, y = (value_x, value_y) if command == "L" else (x + value_x, y + value_y)
            points.append((x, y))
    if points:
        outlines.append(points)
    return outlines


@cache
def _outlines():
    return {code: _subpaths(shape.d) for code, shape in SHAPES.items()}


def draw_map(image, box, roles):
    """The countries of `roles` ({code: role}) coloured on the map, fitted in `box` (x, y, w, h)."""
    _min_x, _min_y, view_width, view_height = (float(n) for n in VIEW_BOX.split())
    left, top, width, height = box
    scale = min(width / view_width, height / view_height)
    left += (width - view_width * scale) / 2
    top += (height - view_height * scale) / 2
    draw = ImageDraw.Draw(image)
    layers = {layer: [] for layer in LAYERS}
    for code, shape in SHAPES.items():
        layer = "disputed" if shape.disputed else roles.get(code, "land")
        layers[layer].append(code)
    outlines = _outlines()
    for layer in LAYERS:
        fill, outline = FILLS[layer]
        line_width = 3 if layer == HOST else 1
        for code in layers[layer]:
            polygons = []
            for points in outlines[code]:
                if points and points[0][0] == "circle":
                    _kind, cx, cy, radius = points[0]
                    cx, cy, radius = left + cx * scale, top + cy * scale, max(radius * scale, 4)
                    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill, outline, line_width)
                elif len(points) > 2:
                    polygons.append([(left + px * scale, top + py * scale) for px, py in points])
            if layer == "disputed":
                for polygon in polygons:
                    draw.polygon(polygon, fill=fill)
                    _dashed(draw, polygon, outline, line_width)
            elif len(polygons) == 1:
                draw.polygon(polygons[0], fill=fill, outline=outline, width=line_width)
            elif polygons:
                # Even-odd, as SVG fills them: an enclave (Lesotho in South Africa) is a hole.
                mask = Image.new("1", image.size)
                for polygon in polygons:
                    ring = Image.new("1", image.size)
                    ImageDraw.Draw(ring).polygon(polygon, fill=1)
                    mask = ImageChops.logical_xor(mask, ring)
                image.paste(fill, mask=mask)
                for polygon in polygons:
                    draw.polygon(polygon, outline=outline, width=line_width)


def _dashed(draw, polygon, colour, width):
    """The closed outline `polygon` drawn dashed (DASH), the dashes running on from side to side."""
    on, off = DASH
    position = 0.0  # how far along one dash and its gap the pen is
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while done < length:
            step = min((on if position < on else on + off) - position, length - done)
            if position < on:
                start, end = done / length, (done + step) / length
                draw.line(
                    (x0 + (x1 - x0) * start, y0 + (y1 - y0) * start, x0 + (x1 - x0) * end, y0 + (y1 - y0) * end),
                    fill=colour, width=width,
                )
            done += step
            position = (position + step) % (on + off)


def _direction(direction):
    """The direction argument of Pillow's text calls, which only the libraqm layout takes."""
    return {"direction": direction} if _layout() == ImageFont.Layout.RAQM else {}


def _runs(line, direction):
    """The line's runs in visual order, left to right: (text, font face, run direction)."""
    own, other = (ARABIC_FONT, LATIN_FONT) if direction == "rtl" else (LATIN_FONT, ARABIC_FONT)
    other_direction = "ltr" if direction == "rtl" else "rtl"
    runs, start = [], 0
    for match in FOREIGN_RUNS[direction].finditer(line):
        if match.start() > start:
            runs.append((line[start:match.start()], own, direction))
        runs.append((match.group(), other, other_direction))
        start = match.end()
    if start < len(line):
        runs.append((line[start:], own, direction))
    return runs[::-1] if direction == "rtl" else runs


def _text_width(draw, line, direction, size):
    return sum(
        draw.textlength(text, font=_font(face, size), **_direction(run_direction))
        for text, face, run_direction in _runs(line, direction)
    )


def _wrap(draw, text, direction, size, width):
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _text_width(draw, candidate, direction, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def draw_text(draw, text, direction, size, box, colour, max_lines=None):
    """`text` wrapped in `box` (x, y, w), aligned to the start of its direction; the height used."""
    left, top, width = box
    lines = _wrap(draw, text, direction, size, width)
    if max_lines and len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    line_height = round(size * (1.75 if direction == "rtl" else 1.3))
    for number, line in enumerate(lines):
        runs = _runs(line, direction)
        widths = [draw.textlength(t, font=_font(face, size), **_direction(d)) for t, face, d in runs]
        x = left + width - sum(widths) if direction == "rtl" else left
        y = top + number * line_height
        for (run_text, face, run_direction), run_width in zip(runs, widths, strict=True):
            font = _font(face, size)
            draw.text((x, y), run_text, font=font, fill=colour, **_direction(run_direction))
            x += run_width
    return len(lines) * line_height


def _title_size(draw, text, direction, width, height):
    """The largest size, from 64 px down, at which the title fits in the text column."""
    for size in range(64, 30, -4):
        lines = _wrap(draw, text, direction, size, width)
        if len(lines) * size * (1.75 if direction == "rtl" else 1.3) <= height:
            return size
    return 32


def render(preview):
    """The PNG bytes of a preview: the map on one side, the name on the side the text starts."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    map_width = 600
    rtl = preview.direction == "rtl"
    map_left = 0 if rtl else WIDTH - map_width
    draw.rectangle((map_left, 0, map_left + map_width, HEIGHT), fill=SEA)
    draw_map(image, (map_left + 10, 10, map_width - 20, HEIGHT - 20), dict(preview.roles))

    margin = 56
    text_left = map_width + margin if rtl else margin
    text_width = WIDTH - map_width - 2 * margin
    draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=BRAND)
    site = gettext("Security Conferences in Africa")
    top = 48
    top += draw_text(draw, site, preview.direction, 28, (text_left, top, text_width), MUTED, max_lines=2)
    # A short rule under the site's name, at the start of the line.
    rule_left = text_left + text_width - 96 if rtl else text_left
    draw.rectangle((rule_left, top + 12, rule_left + 96, top + 18), fill=BRAND)
    top += 48
    size = _title_size(draw, preview.title, preview.direction, text_width, HEIGHT - top - 60)
    draw_text(draw, preview.title, preview.direction, size, (text_left, top, text_width), INK, max_lines=6)

    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()
