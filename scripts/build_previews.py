"""Draw the site's own images: the default preview image of every page that has none of its own
(static/previews/site-ar.png, site-en.png) and the icons browsers ask for at the root
(public/root/favicon.ico, apple-touch-icon.png, served by WhiteNoise: WHITENOISE_ROOT).

    .venv/bin/python scripts/build_previews.py

The preview images come from the same drawing as the records' own (public/previews.py), with
the site's name in each language over the map. The icon is Africa, in white on the site's blue.
Run it again after changing that drawing, the map data or the site's name.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from public import previews  # noqa: E402

# The countries of Africa on the map (ISO 3166-1 alpha-2), Western Sahara included.
AFRICA = set(
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU "
    "MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW EH".split()
)
ICON_SIZE = 512


def site_previews():
    for language in ("ar", "en"):
        with translation.override(language):
            data = previews.render(previews.for_site(language))
        path = BASE_DIR / "static" / "previews" / f"site-{language}.png"
        path.write_bytes(data)
        print(path.relative_to(BASE_DIR))


def icon():
    """Africa's outline filled white on a rounded blue square, drawn large and scaled down."""
    outlines = previews._outlines()
    points = [
        point for code in AFRICA if code in outlines
        for outline in outlines[code] for point in outline if point[0] != "circle"
    ]
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    left, top, width, height = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
    margin = ICON_SIZE * 0.12
    scale = (ICON_SIZE - 2 * margin) / max(width, height)
    offset_x = (ICON_SIZE - width * scale) / 2
    offset_y = (ICON_SIZE - height * scale) / 2
    africa = Image.new("L", (ICON_SIZE, ICON_SIZE), 0)
    draw = ImageDraw.Draw(africa)
    for code in AFRICA:
        for outline in outlines.get(code, []):
            if outline[0][0] == "circle" or len(outline) < 3:
                continue
            xy = [(offset_x + (x - left) * scale, offset_y + (y - top) * scale) for x, y in outline]
            draw.polygon(xy, fill=255, outline=255, width=4)
    root = BASE_DIR / "public" / "root"
    # The favicon with rounded corners; the touch icon square and opaque (the phone rounds it).
    favicon = Image.new("RGBA", (ICON_SIZE, ICON_SIZE), (0, 0, 0, 0))
    ImageDraw.Draw(favicon).rounded_rectangle(
        (0, 0, ICON_SIZE - 1, ICON_SIZE - 1), radius=ICON_SIZE // 8, fill=previews.BRAND
    )
    favicon.paste("#ffffff", mask=africa)
    favicon.save(root / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    touch = Image.new("RGB", (ICON_SIZE, ICON_SIZE), previews.BRAND)
    touch.paste("#ffffff", mask=africa)
    touch.resize((180, 180), Image.LANCZOS).save(root / "apple-touch-icon.png", optimize=True)
    print("public/root/favicon.ico", "public/root/apple-touch-icon.png", sep="\n")


if __name__ == "__main__":
    site_previews()
    icon()
