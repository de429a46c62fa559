"""The public URLs: stable permalinks under /ar/ and /en/, and site-wide guards on every page."""

import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils import translation

from conferences.models import SourceReport, Topic
from organizations.models import Organization
from participants.models import Country, Person
from tests import factories as make
from tests.helpers import EXAMPLES, LANGUAGES, PAGES, get, page, parse, record_url

PUBLIC_NAMESPACES = (
    "pages", "conferences", "series", "topics", "sources", "countries", "people", "organizations", "feeds",
)


def public_url_names():
    """Every named URL of the public apps, as the URL configuration declares them."""
    names = set()
    resolver = get_resolver()
    for namespace in PUBLIC_NAMESPACES:
        _prefix, sub_resolver = resolver.namespace_dict[namespace]
        names.update(
            f"{namespace}:{name}" for name in sub_resolver.reverse_dict if isinstance(name, str)
        )
    return names


def test_every_public_url_has_an_example():
    assert public_url_names() == set(EXAMPLES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_reverse_and_resolve_round_trip(name, language):
    kwargs, path = EXAMPLES[name]
    with translation.override(language):
        address = reverse(name, kwargs=kwargs)
        assert address == f"/{language}/{path}"
        match = resolve(address)
    assert match.view_name == name
    assert match.kwargs == kwargs


def test_slugs_are_the_same_in_both_languages():
    for name, (kwargs, _path) in EXAMPLES.items():
        if name.startswith("feeds:"):
            continue
        with translation.override("ar"):
            arabic = reverse(name, kwargs=kwargs)
        with translation.override("en"):
            english = reverse(name, kwargs=kwargs)
        assert arabic.removeprefix("/ar/") == english.removeprefix("/en/")


@pytest.mark.django_db
def test_models_link_to_their_pages():
    make.full_conference("tripoli-chiefs-2024")
    expected = {
        make.conference("next-summit", status="planned"): "/en/conferences/next-summit/",
        Country.objects.get(code="LY"): "/en/countries/ly/",
        Person.objects.get(slug="mahmoud-hamza"): "/en/people/mahmoud-hamza/",
        Organization.objects.get(slug="military-intelligence"): "/en/organizations/military-intelligence/",
        Topic.objects.get(slug="terrorism"): "/en/topics/terrorism/",
        SourceReport.objects.get(slug="report-en"): "/en/sources/report-en/",
    }
    for record, address in expected.items():
        assert record_url(record, "en") == address


# --- The root picks a language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [
        ("", "/ar/"),
        ("ar", "/ar/"),
        ("ar-LY,ar;q=0.9,en;q=0.5", "/ar/"),
        ("en-US,en;q=0.9", "/en/"),
        ("en-GB,en;q=0.8,ar;q=0.5", "/en/"),
        ("fr-FR,fr;q=0.9", "/ar/"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "/en/"),
    ],
)
def test_root_redirects_by_accept_language(client, accept_language, target):
    response = get(client, "/", status=302, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response["Location"] == target
    assert "Accept-Language" in response["Vary"]


def test_root_is_read_only(client):
    assert client.post("/").status_code == 405


# --- Site-wide guards --------------------------------------------------------------------------

LANDMARKS = ("//header", "//nav", '//main[@id="main"]', "//footer", '//a[@class="skip-link"][@href="#main"]')
HEADINGS = "//h1 | //h2 | //h3 | //h4 | //h5 | //h6"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_with_landmarks_one_h1_and_ordered_headings(client, name, language):
    make.full_conference()  # every example's record, and rows for each page to show
    kwargs, _path = EXAMPLES[name]
    document = page(client, name, language, **kwargs)
    for landmark in LANDMARKS:
        assert document.xpath(landmark), f"{name} lacks {landmark}"
    assert document.get("lang") == language
    levels = [int(heading.tag[1]) for heading in document.xpath(HEADINGS)]
    assert levels.count(1) == 1, f"{name} has {levels.count(1)} <h1>"
    assert levels[0] == 1, f"{name} starts with <h{levels[0]}>"
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, f"{name} jumps from <h{previous}> to <h{level}>"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_error_page_has_one_h1(client, language):
    document = parse(get(client, f"/{language}/conferences/no-such-conference/", status=404))
    assert len(document.xpath("//h1")) == 1
