"""The public URLs: stable permalinks under /ar/ and /en/, and site-wide guards on every page."""

import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils import translation

from tests.test_public_pages import Page

PUBLIC_NAMESPACES = (
    "pages", "conferences", "series", "topics", "sources", "countries", "people", "organizations", "feeds",
)

# One example of each public URL, with the path it must keep (permalinks do not move).
EXAMPLES = {
    "pages:home": ({}, ""),
    "conferences:list": ({}, "conferences/"),
    "conferences:detail": ({"slug": "cissa-20-benghazi-2025"}, "conferences/cissa-20-benghazi-2025/"),
    "topics:list": ({}, "topics/"),
    "topics:detail": ({"slug": "terrorism"}, "topics/terrorism/"),
    "sources:list": ({}, "sources/"),
    "pages:search": ({}, "search/"),
    "series:list": ({}, "series/"),
    "series:detail": ({"slug": "cissa-conferences"}, "series/cissa-conferences/"),
    "sources:detail": (
        {"slug": "espacemanager-cissa-20-closing"},
        "sources/espacemanager-cissa-20-closing/",
    ),
    "countries:list": ({}, "countries/"),
    "countries:detail": ({"code": "ly"}, "countries/ly/"),
    "people:list": ({}, "people/"),
    "people:detail": ({"slug": "hussein-al-ayeb"}, "people/hussein-al-ayeb/"),
    "organizations:list": ({}, "organizations/"),
    "organizations:detail": ({"slug": "cissa"}, "organizations/cissa/"),
    "feeds:conferences": ({}, "feeds/conferences.atom"),
}


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


@pytest.mark.parametrize("language", ["ar", "en"])
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


def test_models_link_to_their_pages(db):
    from conferences.models import Conference, SourceReport, Topic
    from organizations.models import Organization
    from participants.models import Country, Person

    with translation.override("en"):
        assert Conference.objects.get(slug="cissa-21").get_absolute_url() == "/en/conferences/cissa-21/"
        assert Country.objects.get(code="LY").get_absolute_url() == "/en/countries/ly/"
        assert Person.objects.get(slug="khaled-haftar").get_absolute_url() == "/en/people/khaled-haftar/"
        assert Organization.objects.get(slug="cissa").get_absolute_url() == "/en/organizations/cissa/"
        assert Topic.objects.get(slug="terrorism").get_absolute_url() == "/en/topics/terrorism/"
        source = SourceReport.objects.get(slug="espacemanager-cissa-20-closing")
        assert source.get_absolute_url() == "/en/sources/espacemanager-cissa-20-closing/"


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
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Accept-Language" in response["Vary"]


def test_root_is_read_only(client):
    assert client.post("/").status_code == 405


# --- Site-wide guards --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("name", sorted(name for name in EXAMPLES if not name.startswith("feeds:")))
def test_every_page_renders_with_landmarks_one_h1_and_ordered_headings(client, name, language):
    kwargs, _path = EXAMPLES[name]
    with translation.override(language):
        address = reverse(name, kwargs=kwargs)
    response = client.get(address)
    assert response.status_code == 200
    content = response.content.decode()
    for landmark in ("<header", "<nav", '<main id="main"', "<footer", 'class="skip-link" href="#main"'):
        assert landmark in content, f"{address} lacks {landmark}"
    page = Page(response.content)
    assert page.html["lang"] == language
    levels = [level for level, _text in page.headings]
    assert levels.count(1) == 1, f"{address} has {levels.count(1)} <h1>"
    assert levels[0] == 1, f"{address} starts with <h{levels[0]}>"
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, f"{address} jumps from <h{previous}> to <h{level}>"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
def test_error_page_has_one_h1(client, language):
    page = Page(client.get(f"/{language}/conferences/no-such-conference/").content)
    assert len(page.h1()) == 1
