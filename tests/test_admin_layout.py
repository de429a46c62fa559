"""The admin's conference form on a 1280 px screen, in a real browser (headless Chromium, Debian's
package, driven by Playwright, as in tests/test_browser.py): in Arabic and in English it fits the
screen, with nothing cut off, from the site's title to the inlines' last column.
"""

import pytest
from django.core.management import call_command

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

PASSWORD = "a long passphrase for the layout test"
WIDTH, HEIGHT = 1280, 800
CONFERENCE = "cissa-20-benghazi-2025"


@pytest.fixture
def admin_server(live_server, transactional_db, monkeypatch):
    """The live server with the seeds, whose CISSA 20 has countries, people, organizations and citations."""
    call_command("load_seeds", verbosity=0)
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "amina", verbosity=0)
    return live_server


@pytest.fixture
def browser(admin_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def conference_form(admin_server, browser, language):
    """The conference's change form, as an editor whose browser asks for `language` sees it."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale=language)
    page = context.new_page()
    page.goto(f"{admin_server.url}/admin/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()
    page.wait_for_url(f"{admin_server.url}/admin/")
    page.goto(f"{admin_server.url}/admin/conferences/conference/?q={CONFERENCE}")
    page.locator("#result_list tbody a").first.click()
    page.wait_for_selector("#participations-group, .inline-group")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("document.documentElement.lang") == language
    return page


def outside(page, selector):
    """The elements matching `selector` that reach past either edge of the screen."""
    return page.evaluate(
        """([selector, width]) => [...document.querySelectorAll(selector)]
            .filter(e => e.getClientRects().length)
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, box]) => box.left < 0 || box.right > width)
            .map(([e, box]) => `${e.tagName}.${e.className} ${Math.round(box.left)}..${Math.round(box.right)}`)""",
        [selector, WIDTH],
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_conference_form_fits_a_1280_px_screen(admin_server, browser, language):
    page = conference_form(admin_server, browser, language)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-conference-{language}-1280.png"), full_page=True)

    # No horizontal scrolling: the page is as wide as the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert page.evaluate("document.body.scrollWidth") <= WIDTH

    # The site's title, the links above the form and the menu beside it are all on the screen.
    assert outside(page, "#site-name a, #user-tools a, .breadcrumbs a, #nav-sidebar, #nav-sidebar a") == []

    # Every column of the tabular inlines is on the screen, their note and delete columns included.
    tables = page.locator(".inline-group .tabular table")
    assert tables.count() >= 3
    assert outside(page, ".inline-group .tabular th, .inline-group .tabular td") == []
    # The note (its Arabic and English tabs) and the delete box of each row, as an editor reaches them.
    notes = page.locator(f'.inline-group .tabular tr.has_original td:has([name$="-note_{language}"])')
    deletes = page.locator('.inline-group .tabular tr.has_original td.delete input[type="checkbox"]')
    assert notes.count() >= 3 and deletes.count() >= 3
    for cells in (notes, deletes):
        for index in range(cells.count()):
            box = cells.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
