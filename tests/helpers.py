"""What many test modules share: fetching a page as a reader does and reading it with a real HTML parser.

    document = page(client, "conferences:detail", "en", slug=conference.slug)
    text(document.xpath("//h1")[0])
    links(document)                     # every <a href>
    head_links(document, "alternate")   # <link rel="alternate"> in the head
    json_ld(document)                   # the page's schema.org data
"""

import json

from django.urls import reverse
from django.utils import translation
from lxml import html

LANGUAGES = ("ar", "en")


def url(name, language, **kwargs):
    """The address of a named page in a language."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def record_url(record, language):
    with translation.override(language):
        return record.get_absolute_url()


def parse(response):
    """The document of an HTML response."""
    return html.fromstring(response.content.decode(response.charset or "utf-8"))


def get(client, address, status=200, **headers):
    response = client.get(address, **headers)
    assert response.status_code == status, (address, response.status_code)
    return response


def page(client, name, language, status=200, **kwargs):
    """The parsed page of a URL name in a language, after checking its status."""
    return parse(get(client, url(name, language, **kwargs), status))


def record_page(client, record, language, status=200):
    return parse(get(client, record_url(record, language), status))


def text(element):
    """An element's text as a reader reads it: whitespace folded."""
    return " ".join(element.text_content().split())


def page_text(document):
    return text(document.xpath("//body")[0])


def links(document):
    return [anchor.get("href") for anchor in document.xpath("//a[@href]")]


def head_links(document, rel):
    return document.xpath(f'//head/link[@rel="{rel}"]')


def meta(document, key):
    """The content of <meta name=key> or <meta property=key>, or None."""
    found = document.xpath(f'//head/meta[@name="{key}" or @property="{key}"]/@content')
    return found[0] if found else None


def json_ld(document):
    blocks = document.xpath('//script[@type="application/ld+json"]/text()')
    assert len(blocks) <= 1
    return json.loads(blocks[0]) if blocks else None
