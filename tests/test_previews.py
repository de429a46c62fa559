"""Preview images (og:image, Twitter's large card), the favicon, and the feed's announcement:
what a chat, a social network, a browser or a feed reader finds when it reads a page's head."""

import io
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.template import loader
from lxml import html
from PIL import Image, features

from public import maps, previews
from tests import factories
from tests.helpers import (
    IN_MOROCCO,
    IN_WESTERN_SAHARA,
    LANGUAGES,
    get,
    head_links,
    links,
    on_the_map,
    page,
    parse,
    record_page,
    record_url,
    url,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
SIZE = (1200, 630)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def meta_values(document):
    """Every <meta> of the head as {name or property: [content, ...]}, as an Open Graph reader sees it."""
    found = {}
    for element in document.xpath("//head/meta[@content]"):
        key = element.get("property") or element.get("name")
        if key:
            found.setdefault(key, []).append(element.get("content"))
    return found


def preview_of(document):
    """The head's image, checked as a card reader checks it, and its address on this site."""
    values = meta_values(document)
    assert len(values["og:image"]) == 1
    image = values["og:image"][0]
    assert image.startswith(BASE + "/"), image
    assert values["og:image:width"] == ["1200"]
    assert values["og:image:height"] == ["630"]
    assert values["og:image:type"] == ["image/png"]
    assert values["twitter:card"] == ["summary_large_image"]
    assert values["twitter:image"] == [image]
    assert values["og:image:alt"][0]
    return image.removeprefix(BASE), values["og:image:alt"][0]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def fetch_image(client, address):
    response = get(client, address)
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(body(response)))
    assert image.format == "PNG"
    assert image.size == SIZE
    return response, image.convert("RGB")


def records():
    libya = factories.country("LY", "ليبيا", "Libya")
    egypt = factories.country("EG", "مصر", "Egypt")
    series = factories.series(name_ar="مؤتمرات سيسا", name_en="CISSA conferences")
    conference = factories.conference(
        name_ar="مؤتمر بنغازي", name_en="Benghazi conference", host_country=libya, series=series
    )
    factories.participation(conference, libya, "host")
    factories.participation(conference, egypt, "participant")
    return {"conference": conference, "country": egypt, "series": series}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["conference", "country", "series"])
def test_record_pages_show_their_own_preview_image(client, kind, language):
    record = records()[kind]
    document = record_page(client, record, language)
    address, alt = preview_of(document)
    path = urlsplit(address).path
    assert path == record_url(record, language) + "preview.png"
    with_language = record.name_ar if language == "ar" else record.name_en
    assert with_language in alt

    response, _image = fetch_image(client, address)
    # The address the page gives always shows the same picture: clients may keep it.
    assert "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_other_pages_show_the_sites_image_in_their_language(client, language):
    for name in ("pages:home", "conferences:list", "countries:list", "sources:list"):
        document = page(client, name, language)
        address, alt = preview_of(document)
        assert address == f"/static/previews/site-{language}.png"
        assert ("مؤتمرات" in alt) == (language == "ar")
    fetch_image(client, f"/static/previews/site-{language}.png")


def test_a_missing_page_has_the_sites_image_and_icon(client):
    document = parse(get(client, "/en/conferences/no-such-conference/", 404))
    assert preview_of(document)[0] == "/static/previews/site-en.png"
    assert [link.get("href") for link in head_links(document, "icon")] == ["/favicon.ico"]


def test_arabic_and_english_images_differ_and_read_from_their_start(client):
    conference = records()["conference"]
    images = {}
    for language in LANGUAGES:
        address, _alt = preview_of(record_page(client, conference, language))
        assert f"/{language}/" in address
        images[language] = fetch_image(client, address)[1]
    assert images["ar"].tobytes() != images["en"].tobytes()
    # The title starts where its language starts a line: the right half in Arabic, the left in English.
    assert ink_columns(images["ar"], 620, 1200) and not ink_columns(images["ar"], 0, 560)
    assert ink_columns(images["en"], 0, 580) and not ink_columns(images["en"], 640, 1200)


INK = (0x1B, 0x1F, 0x24)


def is_ink(pixel):
    return sum(abs(a - b) for a, b in zip(pixel, INK, strict=True)) < 24


def ink_columns(image, left, right, top=150, bottom=600):
    """How many columns of the band hold the title's ink (a colour the map does not use)."""
    crop = image.crop((left, top, right, bottom))
    width, height = crop.size
    pixels = crop.load()
    return sum(1 for x in range(width) if any(is_ink(pixels[x, y]) for y in range(height)))


def dark_shapes(image, box):
    """The separate dark marks in `box`: joined letters make one mark, unjoined ones one each."""
    crop = image.crop(box).convert("L")
    width, height = crop.size
    pixels = crop.load()
    seen = set()
    shapes = 0
    for start_x in range(width):
        for start_y in range(height):
            if (start_x, start_y) in seen or pixels[start_x, start_y] >= 128:
                continue
            size, queue = 0, deque([(start_x, start_y)])
            seen.add((start_x, start_y))
            while queue:
                x, y = queue.popleft()
                size += 1
                for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                    if 0 <= nx < width and 0 <= ny < height and (nx, ny) not in seen and pixels[nx, ny] < 128:
                        seen.add((nx, ny))
                        queue.append((nx, ny))
            if size > 30:
                shapes += 1
    return shapes


def test_arabic_names_are_drawn_with_their_letters_joined(client):
    """«مصر» is three letters that join into one mark; unshaped, they would be three."""
    assert features.check("raqm"), "Pillow needs libraqm (Debian: libfribidi0) to shape Arabic"
    egypt = factories.country("EG", "مصر", "Egypt")
    address, _alt = preview_of(record_page(client, egypt, "ar"))
    image = fetch_image(client, address)[1]
    assert dark_shapes(image, (620, 150, 1150, 600)) == 1


def test_an_edit_gives_a_new_address_and_a_new_picture(client, django_capture_on_commit_callbacks):
    # Each write as its own committed transaction, as an editor's are: the site's version moves on.
    with django_capture_on_commit_callbacks(execute=True):
        conference = records()["conference"]
    before, _alt = preview_of(record_page(client, conference, "en"))
    first = fetch_image(client, before)[1]

    with django_capture_on_commit_callbacks(execute=True):
        conference.name_en = "The Tripoli meeting of intelligence chiefs"
        conference.save()

    after, alt = preview_of(record_page(client, conference, "en"))
    assert after != before
    assert "The Tripoli meeting" in alt
    second = fetch_image(client, after)[1]
    assert second.tobytes() != first.tobytes()
    # The old address now shows the current picture, and for a short while only.
    response, old = fetch_image(client, before)
    assert old.tobytes() == second.tobytes()
    assert "max-age=300" in response["Cache-Control"]


def test_a_change_to_the_map_draws_a_new_picture(client):
    conference = records()["conference"]
    before = fetch_image(client, preview_of(record_page(client, conference, "ar"))[0])[1]
    factories.participation(conference, factories.country("TN", "تونس", "Tunisia"), "participant")
    after = fetch_image(client, preview_of(record_page(client, conference, "ar"))[0])[1]
    assert after.tobytes() != before.tobytes()


def test_the_image_answers_head_and_refuses_other_methods(client):
    conference = records()["conference"]
    address = url("conferences:preview", "en", slug=conference.slug)
    response = client.head(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client.post(address).status_code == 405


def test_images_of_unknown_records_are_not_found(client):
    get(client, "/en/conferences/no-such-conference/preview.png", 404)
    get(client, "/en/countries/zz/preview.png", 404)
    get(client, "/en/countries/LY/preview.png", 404)
    get(client, "/ar/series/no-such-series/preview.png", 404)


def test_an_old_slug_redirects_to_the_image_under_the_new_one(client):
    conference = records()["conference"]
    old = conference.slug
    conference.slug = "benghazi-2025"
    conference.save()
    response = get(client, f"/en/conferences/{old}/preview.png", 301)
    assert response["Location"] == "/en/conferences/benghazi-2025/preview.png"


# --- The favicon ----------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["/favicon.ico", "/apple-touch-icon.png"])
def test_the_icons_answer_at_the_root(client, address):
    response = client.get(address)
    assert response.status_code == 200
    image = Image.open(io.BytesIO(body(response)))
    assert image.format in ("ICO", "PNG")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_names_the_icon(client, language):
    document = page(client, "pages:home", language)
    assert [link.get("href") for link in head_links(document, "icon")] == ["/favicon.ico"]
    assert [link.get("href") for link in head_links(document, "apple-touch-icon")] == ["/apple-touch-icon.png"]


def test_the_error_pages_name_the_icon():
    for name in ("500.html", "503.html"):
        document = html.fromstring(loader.get_template(name).render())
        assert [link.get("href") for link in head_links(document, "icon")] == ["/favicon.ico"]


# --- The feed -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_announces_and_links_the_feed_in_its_language(client, language):
    conference = records()["conference"]
    feed = f"/{language}/feeds/conferences.atom"
    for document in (page(client, "pages:home", language), record_page(client, conference, language)):
        announced = [
            link for link in head_links(document, "alternate") if link.get("type") == "application/atom+xml"
        ]
        assert [link.get("href") for link in announced] == [feed]
        assert announced[0].get("title")
        footer_links = document.xpath('//footer//a[@type="application/atom+xml"]')
        assert [link.get("href") for link in footer_links] == [feed]
        assert footer_links[0].text_content().strip()
        assert feed in links(document)
    response = get(client, feed)
    assert response["Content-Type"].startswith("application/atom+xml")


# --- Western Sahara ------------------------------------------------------------------------------


def map_pixel_position(language, point):
    """Where a point of the map (in its viewBox's units) is drawn in the picture.

    The map takes the 600 pixels of the side where the text does not start (the left in Arabic,
    the right in English), less 10 of margin, and is centred in them."""
    _x, _y, view_width, view_height = (float(n) for n in maps.VIEW_BOX.split())
    left, top, width, height = (0 if language == "ar" else 600) + 10, 10, 580, 610
    scale = min(width / view_width, height / view_height)
    left += (width - view_width * scale) / 2
    top += (height - view_height * scale) / 2
    x, y = point
    return round(left + x * scale), round(top + y * scale)


def map_pixel(image, language, point):
    """The colour of the picture where a point of the map is drawn."""
    return image.getpixel(map_pixel_position(language, point))


def dashes(image, language):
    """How many separate marks of the disputed border's colour there are around Western Sahara."""
    corners = [map_pixel_position(language, on_the_map(lon, lat)) for lon, lat in ((-18, 28.5), (-8, 20.5))]
    (left, top), (right, bottom) = corners
    pixels = image.load()
    ink = colour(previews.FILLS["disputed"][1])
    todo = {(x, y) for x in range(left, right) for y in range(top, bottom) if pixels[x, y] == ink}
    marks = 0
    while todo:
        marks += 1
        queue = [todo.pop()]
        while queue:
            x, y = queue.pop()
            for near in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                if near in todo:
                    todo.remove(near)
                    queue.append(near)
    return marks


def colour(hex_colour):
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def morocco_and_its_series():
    morocco = factories.country("MA", "المغرب", "Morocco")
    series = factories.series(name_ar="منصة مراكش", name_en="Marrakech Platform")
    agadir = factories.conference(
        name_ar="اجتماع أكادير", name_en="Agadir meeting", host_country=morocco, series=series
    )
    factories.participation(agadir, morocco, "host")
    return {"conference": agadir, "country": morocco, "series": series}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["conference", "country", "series", "site"])
def test_western_sahara_stays_neutral_in_every_preview(client, kind, language):
    if kind == "site":
        address = f"/static/previews/site-{language}.png"
        morocco = previews.FILLS["land"][0]
    else:
        address = preview_of(record_page(client, morocco_and_its_series()[kind], language))[0]
        morocco = previews.FILLS[previews.HOST][0]
    image = fetch_image(client, address)[1]
    for town, place in IN_WESTERN_SAHARA.items():
        assert map_pixel(image, language, on_the_map(*place)) == colour(previews.FILLS["disputed"][0]), town
    for town, place in IN_MOROCCO.items():
        assert map_pixel(image, language, on_the_map(*place)) == colour(morocco), town
    # Its border is dashed, as on the pages' maps: many short marks, not one line.
    assert dashes(image, language) > 10
