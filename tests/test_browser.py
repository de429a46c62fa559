"""The portal in a real browser: headless Chromium (Debian's package) driven by Playwright.

The screenshots are of the real pages, so these tests load the real seed data. They run on
pytest-django's live server, which needs a transactional database, flushed after each test:
the module-scoped `seeds` fixture would be gone after the first test, so each test loads the
seeds itself (`seeded_live_server`). pytest-django runs transactional tests after the others,
so the flush cannot take records from a later plain test.
"""


import pytest
from django.core.management import call_command

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def seeded_live_server(live_server, transactional_db):
    call_command("load_seeds", verbosity=0)
    return live_server


@pytest.fixture
def browser(seeded_live_server):
    """Chromium, started after the seeds are loaded and closed before the database is flushed.

    Playwright's synchronous API runs an event loop in this thread while it is open, and
    Django refuses database work from a thread with a running loop.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_arabic_conference_page_reads_right_to_left_and_switches_to_english(seeded_live_server, browser):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{seeded_live_server.url}/ar/conferences/cissa-20-benghazi-2025/")
    page.evaluate("document.fonts.ready.then(() => true)")

    # Right to left, from the document down to the heading.
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    assert page.locator("h1").inner_text().strip().startswith("مؤتمر")

    # The self-hosted Arabic face is loaded and is the one the text asks for.
    faces = page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Noto Naskh Arabic')).map(f => f.status)"
    )
    assert faces and "loaded" in faces
    assert page.evaluate("document.fonts.check('18px \"Noto Naskh Arabic\"', 'مؤتمر')")
    family = page.evaluate("getComputedStyle(document.querySelector('main p, main dd')).fontFamily")
    assert family.startswith('"Noto Naskh Arabic"')

    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(SCREENSHOTS / "conference-ar-390.png"), full_page=True)

    # The page's own language switch leads to the same conference in English, left to right.
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url == f"{seeded_live_server.url}/en/conferences/cissa-20-benghazi-2025/"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "ltr"
    assert "25–26 August 2025" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(SCREENSHOTS / "conference-en-390.png"), full_page=True)

    # A wide desktop, in both languages.
    page.set_viewport_size({"width": 1280, "height": 900})
    for language in ("ar", "en"):
        page.goto(f"{seeded_live_server.url}/{language}/")
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.screenshot(path=str(SCREENSHOTS / f"home-{language}-1280.png"), full_page=True)
    page.close()


@pytest.mark.django_db(transaction=True)
def test_conference_map_keeps_its_geography_in_both_directions(seeded_live_server, browser):
    """The inline SVG map on a phone and on a desktop, in Arabic and in English.

    The geography is the same in both directions (Egypt east of Libya, Morocco west of it);
    the legend follows the page's direction; each linked country is a link named by its
    <title>; the map never widens the page. Screenshots are saved for review, and one in print.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    names = {"ar": ("ليبيا — البلد المضيف", "مصر — مشارك"), "en": ("Libya — Host country", "Egypt — Taking part")}
    for width, height in ((390, 844), (1280, 900)):
        page = browser.new_page(viewport={"width": width, "height": height})
        for language in ("ar", "en"):
            page.goto(f"{seeded_live_server.url}/{language}/conferences/benghazi-chiefs-of-staff-2026/")
            page.evaluate("document.fonts.ready.then(() => true)")
            host, participant = names[language]
            libya = page.get_by_role("link", name=host, exact=True).bounding_box()
            egypt = page.get_by_role("link", name=participant, exact=True).bounding_box()
            morocco = page.locator(f'svg.map a[href="/{language}/countries/ma/"]').bounding_box()
            assert morocco["x"] < libya["x"] < egypt["x"]
            legend_direction = page.evaluate("getComputedStyle(document.querySelector('.map-legend')).direction")
            assert legend_direction == ("rtl" if language == "ar" else "ltr")
            figure = page.locator(".map-figure").bounding_box()
            assert figure["width"] <= width
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            section = page.locator("section", has=page.locator(".map-figure"))
            section.screenshot(path=str(SCREENSHOTS / f"map-conference-{language}-{width}.png"))
        page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{seeded_live_server.url}/en/conferences/tripoli-military-intelligence-chiefs-2024/")
    page.emulate_media(media="print")
    page.locator(".map-figure").screenshot(path=str(SCREENSHOTS / "map-conference-en-print.png"))
    for language in ("ar", "en"):
        page.emulate_media(media="screen")
        page.goto(f"{seeded_live_server.url}/{language}/conferences/cissa-20-benghazi-2025/")
        page.screenshot(path=str(SCREENSHOTS / f"conference-{language}-1280.png"), full_page=True)
    page.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_people_table_stacks_and_reference_numbers_are_big_enough_to_tap(seeded_live_server, browser):
    """At 390 px the conference's people table is one block per person, each cell the row's full
    width under its column's name, not three narrow columns; every reference number is a target of
    at least 24 × 24 px, and no two overlap ([8][9] side by side). On a desktop it stays a table."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    labels = {"ar": ["الشخص", "الدور", "الجهة الممثَّلة"], "en": ["Person", "Role", "Representing"]}
    for language in ("ar", "en"):
        page.goto(f"{seeded_live_server.url}/{language}/conferences/cissa-20-benghazi-2025/")
        rows = page.evaluate("""() => [...document.querySelectorAll('#people-heading ~ * tbody tr')].map(row =>
            [...row.cells].map(cell => ({
                width: cell.getBoundingClientRect().width,
                rowWidth: row.getBoundingClientRect().width,
                label: getComputedStyle(cell, '::before').content.slice(1, -1),
            })))""")
        assert rows
        for cells in rows:
            assert [cell["label"] for cell in cells] == labels[language]
            assert all(cell["width"] == cell["rowWidth"] > 300 for cell in cells)
        targets = page.evaluate("""() => [...document.querySelectorAll('sup.ref a')].map(a => {
            const box = a.getBoundingClientRect();
            return {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
        })""")
        assert len(targets) > 10
        for box in targets:
            assert box["right"] - box["left"] >= 24 and box["bottom"] - box["top"] >= 24
        for one, other in zip(targets, targets[1:], strict=False):
            overlap = min(one["right"], other["right"]) - max(one["left"], other["left"])
            assert overlap <= 0 or min(one["bottom"], other["bottom"]) <= max(one["top"], other["top"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{seeded_live_server.url}/en/conferences/cissa-20-benghazi-2025/")
    assert page.evaluate("getComputedStyle(document.querySelector('#people-heading ~ * tbody td')).display") == (
        "table-cell"
    )
    page.close()
