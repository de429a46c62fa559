"""The About page, in both languages, and the link to it in the footer of every page."""

import pytest
from django.template import loader
from django.test import override_settings
from django.utils import translation
from lxml import etree, html

from tests import factories as make
from tests.helpers import EXAMPLES, LANGUAGES, PAGES, get, page, page_text, parse, record_page, text, url

pytestmark = pytest.mark.django_db

SECTIONS = [
    "covers-heading", "not-covered-heading", "sources-heading", "disputes-heading", "dates-heading",
    "corrections-heading", "licence-heading",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_about_page_answers_in_each_language_with_its_sections(client, language):
    document = page(client, "pages:about", language)
    assert document.get("lang") == language
    assert document.get("dir") == ("rtl" if language == "ar" else "ltr")
    assert len(document.xpath("//h1")) == 1
    assert [heading.get("id") for heading in document.xpath("//main//h2")] == SECTIONS
    hrefs = document.xpath("//main//a/@href")
    assert "https://creativecommons.org/licenses/by/4.0/" in hrefs
    assert f"/{language}/conferences/" in hrefs
    assert f"/{language}/feeds/conferences.atom" in hrefs
    assert "/api/v1/" in hrefs
    # The other language's version of the same page.
    other = "en" if language == "ar" else "ar"
    assert document.xpath(f'//a[@rel="alternate"][@hreflang="{other}"]/@href')[0].endswith(f"/{other}/about/")


def test_the_english_about_page_says_what_the_portal_covers_and_how(client):
    body = page_text(page(client, "pages:about", "en"))
    for words in (
        "CISSA 20", "in Benghazi", "the Tripoli meeting of the military intelligence chiefs",
        "chiefs of staff of Mediterranean and Sub-Saharan countries", "the Agadir meeting of the Marrakech Platform",
        "CISSA 21", "quoted word for word", "Disputed", "side by side", "“August 2025”", "CC BY 4.0",
        "MIT licence",
    ):
        assert words in body, words


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_contact_address_no_address_is_shown(client, language):
    document = page(client, "pages:about", language)
    assert not document.xpath('//a[starts-with(@href, "mailto:")]')
    assert not document.xpath('//*[@class="contact"]')


@override_settings(PORTAL_CONTACT_EMAIL="corrections@example.org")
@pytest.mark.parametrize("language", LANGUAGES)
def test_corrections_go_to_the_configured_address(client, language):
    document = page(client, "pages:about", language)
    section = document.xpath('//section[@aria-labelledby="corrections-heading"]')[0]
    mail = section.xpath('.//a[starts-with(@href, "mailto:")]')
    assert [(link.get("href"), text(link)) for link in mail] == [
        ("mailto:corrections@example.org", "corrections@example.org")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_links_to_the_about_page_from_its_footer(client, name, language):
    make.full_conference()
    kwargs, _path = EXAMPLES[name]
    document = page(client, name, language, **kwargs)
    footer_links = document.xpath("//footer//a/@href")
    assert url("pages:about", language) in footer_links, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_error_pages_link_to_the_about_page_too(client, language):
    missing = parse(get(client, f"/{language}/conferences/no-such-conference/", status=404))
    assert f"/{language}/about/" in missing.xpath("//footer//a/@href")
    # The bare page shown when the database is out of reach.
    with translation.override(language):
        bare = html.fromstring(loader.render_to_string("503.html"))
    assert f"/{language}/about/" in bare.xpath("//footer//a/@href")


def test_the_about_page_is_in_the_sitemap_in_both_languages(client):
    root = etree.fromstring(get(client, "/sitemap-pages.xml").content)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in root.iter(f"{namespace}loc")]
    assert "http://testserver/ar/about/" in locations
    assert "http://testserver/en/about/" in locations


def test_the_footer_link_marks_the_about_page_as_current(client):
    document = page(client, "pages:about", "en")
    assert document.xpath('//footer//a[@href="/en/about/"]/@aria-current') == ["page"]
    other = record_page(client, make.full_conference(), "en")
    assert other.xpath('//footer//a[@href="/en/about/"]/@aria-current') == []
