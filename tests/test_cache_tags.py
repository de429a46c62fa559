"""Every kind of page shows an edit to every record it displays, at once, through the page cache,
and an edit leaves the pages that do not show the record cached (core/tags.py, public/page_cache.py).

On the real seed data: a record counts as displayed by a page when one of its texts, in the
page's language, stands on the page as a whole (an element's text, an attribute, a JSON string).
"""

import itertools
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.html import escape
from modeltranslation.translator import translator

from conferences.models import Conference, Participation, Series, SourceReport, Topic
from core import tags as core_tags
from organizations.models import Organization
from participants.models import Country, Person
from search.models import INDEX_TAG
from tests import factories as make
from tests.helpers import LANGUAGES, record_url, url

pytestmark = pytest.mark.django_db

TAG_HEADER = "xkey"
# The records whose texts pages show, with the texts to look for.
SHOWN = [(model, translator.get_options_for_model(model).fields) for model in translator.get_registered_models()]
# Shorter texts stand on pages as parts of others too often to tell.
SHORTEST = 4


@pytest.fixture(autouse=True)
def page_cache():
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tags",
                            "OPTIONS": {"MAX_ENTRIES": 100_000}}},
        PORTAL_PAGE_CACHE_SECONDS=300,
        PORTAL_CACHE_TAG_HEADER=TAG_HEADER,
    ):
        # Empty, as conftest's empty_cache leaves the cache of the settings: each test rolls the
        # data and its version back, so what an earlier test remembered would pass for current.
        cache.clear()
        yield


def record(kind):
    """The record of each kind that shows the most."""
    return {
        "conference": lambda: Conference.objects.get(slug="cissa-20-benghazi-2025"),
        "country": lambda: Country.objects.get(code="LY"),
        "person": lambda: Person.objects.filter(attendances__isnull=False).order_by("slug").first(),
        "organization": lambda: Organization.objects.filter(conference_roles__isnull=False).order_by("slug").first(),
        "topic": lambda: Topic.objects.filter(conferences__isnull=False).order_by("slug").first(),
        "series": lambda: Series.objects.filter(conferences__isnull=False).order_by("slug").first(),
        "source": lambda: SourceReport.objects.filter(citations__isnull=False).order_by("slug").first(),
    }[kind]()


LIST_PAGES = ["pages:home", "conferences:list", "countries:list", "people:list", "organizations:list",
              "topics:list", "series:list", "sources:list", "feeds:conferences"]
RECORD_PAGES = ["conference", "country", "person", "organization", "topic", "series", "source"]
API = ["conferences/", "conferences/{conference.slug}/", "countries/{country.code}/", "people/{person.slug}/",
       "organizations/{organization.slug}/", "topics/", "sources/"]
# Every kind of page: (what, language).
PAGES = [
    *[(name, language) for language in ("en", "ar") for name in LIST_PAGES + RECORD_PAGES + ["filtered", "search"]],
    *[(f"api:{path}", "en") for path in API],
]


def address(what, language):
    if what in LIST_PAGES:
        return url(what, language)
    if what in RECORD_PAGES:
        return record_url(record(what), language)
    if what == "filtered":
        return url("conferences:list", language) + "?country=LY&role=participant"
    if what == "search":
        return url("pages:search", language) + "?q=" + ("Benghazi" if language == "en" else "بنغازي")
    path = what.removeprefix("api:")
    return "/api/v1/" + path.format(**{kind: record(kind) for kind in ("conference", "country", "person",
                                                                        "organization")})


def pages():
    return [address(what, language) for what, language in PAGES]


# The map's shapes of countries not in the records carry names from the map's data file (public/maps.py).
MAP_DATA_NAMES = re.compile(r'<path d="[^"]*"><title>[^<]*</title></path>')


def stands_on(text, content):
    """Whether `text` is on the page as a whole: an element's text, an attribute, or a JSON string."""
    if len(text) < SHORTEST:
        return False
    if content.lstrip().startswith(("{", "[")):
        return json.dumps(text) in content or json.dumps(text, ensure_ascii=False) in content
    html = re.escape(escape(text))
    return bool(re.search(rf'>\s*{html}\s*<|="{html}"', content))


def displayed(content, language):
    """{text: [(record, field), …]} for each text of a record that stands on the page."""
    texts = {}
    for model, fields in SHOWN:
        for record in model.objects.all():
            for field in fields:
                text = getattr(record, f"{field}_{language}") or ""
                if stands_on(text, content):
                    texts.setdefault(text, []).append((record, f"{field}_{language}"))
    return texts


def covered(record, tags, field):
    """Whether an edit to the record's `field` drops a page with these tags: its own, its kind's
    list or the field's, the search index's, the about tag of a record it points to (when such a
    page shows the field), or the tag of a part of the record that holds the field (core/tags.py)."""
    model = type(record)._meta.model_name
    name = field.removesuffix("_en").removesuffix("_ar")
    about = {
        f"about-{field.related_model._meta.model_name}-{getattr(record, field.attname)}"
        for field in record._meta.concrete_fields if field.many_to_one
    } if core_tags.parents_show(type(record), {name}) else set()
    parts = {
        f"{model}-{record.pk}.{part}" for part, fields in core_tags.parts(type(record)).items()
        if name in fields
    }
    return bool(({f"{model}-{record.pk}", f"{model}-list", f"{model}.{name}", INDEX_TAG} | about | parts) & tags)


def get(client, address):
    response = client.get(address, follow=False)
    assert response.status_code == 200, address
    return response


def shows(response, text):
    return escape(text) in response.content.decode()


def edit(record, field, text, on_commit):
    setattr(record, field, text)
    with on_commit(execute=True):
        record.save()


@pytest.mark.slow
@pytest.mark.parametrize(("what", "language"), PAGES)
def test_every_page_shows_an_edit_to_every_record_it_displays(seeds, client, what, language,
                                                               django_capture_on_commit_callbacks):
    """Each record the page shows carries its tag on the page; and an edit to one record of each kind
    shows on the page's next visit through the cache."""
    address = globals()["address"](what, language)
    first = get(client, address)
    tags = set(first[TAG_HEADER].split())
    texts = displayed(MAP_DATA_NAMES.sub("", first.content.decode()), language)
    assert texts, address
    # A text that several records hold (a report's outlet, an organization's name) is shown by one of them.
    missing = [text for text, holders in texts.items()
               if not any(covered(record, tags, field) for record, field in holders)]
    assert not missing, f"{address} shows texts of records it is not tagged with: {missing}"

    shown = sorted({holders[0] for holders in texts.values() if len(holders) == 1},
                   key=lambda pair: (type(pair[0]).__name__, pair[0].pk))
    for kind, records in itertools.groupby(shown, key=lambda pair: type(pair[0])):
        record, field = next(records)
        get(client, address)  # cached again
        marker = f"Edited {kind.__name__} {record.pk}" if language == "en" else "نص معدل للتجربة"
        edit(record, field, marker, django_capture_on_commit_callbacks)
        after = get(client, address).content.decode()
        assert stands_on(marker, after), f"{address} does not show the edit to {kind.__name__} {record.pk}"


def test_a_hit_is_served_without_the_database(seeds, client):
    address = url("conferences:detail", "en", slug="cissa-20-benghazi-2025")
    get(client, address)
    with CaptureQueriesContext(connection) as queries:
        get(client, address)
    assert len(queries) == 0


def test_an_edit_drops_only_the_pages_that_show_the_record(seeds, client, django_capture_on_commit_callbacks):
    """Warm every page, edit one conference's summary: what shows it or lists conferences misses;
    every other page still hits, the pages about its host country and its series among them (they
    show it as its card)."""
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    addresses = pages()
    tags = {address: set(get(client, address)[TAG_HEADER].split()) for address in addresses}
    edit(conference, "summary_en", "A corrected summary.", django_capture_on_commit_callbacks)
    dropped = []
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            get(client, address)
        if queries:
            dropped.append(address)
    sent = {f"conference-{conference.pk}", "conference-list", "conference.summary", INDEX_TAG}
    assert set(dropped) == {address for address in addresses if tags[address] & sent}
    assert record_url(conference, "en") in dropped
    about = {record_url(record, language) for record in (conference.host_country, conference.series)
             for language in LANGUAGES}
    assert about <= set(addresses) and about.isdisjoint(dropped)
    assert {url("people:list", "en"), url("topics:list", "ar"), "/api/v1/sources/"}.isdisjoint(dropped)


def test_a_new_conference_shows_on_every_list(seeds, client, django_capture_on_commit_callbacks):
    lists = [url("pages:home", "en"), url("conferences:list", "en"), url("feeds:conferences", "en"),
             "/api/v1/conferences/", "/sitemap-conferences.xml"]
    for address in lists:
        get(client, address)
    with django_capture_on_commit_callbacks(execute=True):
        make.conference("a-new-meeting", name_en="A new meeting of chiefs", name_ar="اجتماع جديد للرؤساء")
    for address in lists:
        assert "a-new-meeting" in get(client, address).content.decode(), address


def test_a_country_added_to_a_conference_shows_on_its_pages(seeds, client, django_capture_on_commit_callbacks):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    country = Country.objects.exclude(participations__conference=conference).exclude(
        hosted_conferences=conference).order_by("code").first()
    country_page, conference_page = record_url(country, "en"), record_url(conference, "en")
    filtered = url("conferences:list", "en") + f"?country={country.code}&role=participant"
    for address in (country_page, conference_page, filtered):
        get(client, address)
    with django_capture_on_commit_callbacks(execute=True):
        Participation.objects.create(conference=conference, country=country, role="participant")
    assert shows(get(client, country_page), conference.name_en)
    assert shows(get(client, conference_page), country.name_en)
    assert shows(get(client, filtered), conference.name_en)


def test_a_topic_linked_and_unlinked_shows_on_both_pages(seeds, client, django_capture_on_commit_callbacks):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    topic = Topic.objects.exclude(conferences=conference).order_by("slug").first()
    topic_page, conference_page = record_url(topic, "en"), record_url(conference, "en")
    for address in (topic_page, conference_page):
        get(client, address)
    with django_capture_on_commit_callbacks(execute=True):
        conference.topics.add(topic)
    assert shows(get(client, topic_page), conference.name_en)
    assert shows(get(client, conference_page), topic.name_en)
    with django_capture_on_commit_callbacks(execute=True):
        conference.topics.clear()
    assert not shows(get(client, topic_page), conference.name_en)


def test_a_participation_moved_to_another_country_changes_both_countries_pages(
        seeds, client, django_capture_on_commit_callbacks):
    participation = Participation.objects.exclude(role="host").order_by("pk").first()
    conference = participation.conference
    before = participation.country
    after = Country.objects.exclude(participations__conference=conference).exclude(
        hosted_conferences=conference).order_by("code").first()
    pages_of = {country: record_url(country, "en") for country in (before, after)}
    assert shows(get(client, pages_of[before]), conference.name_en)
    assert not shows(get(client, pages_of[after]), conference.name_en)
    participation.country = after
    with django_capture_on_commit_callbacks(execute=True):
        participation.save()
    assert shows(get(client, pages_of[after]), conference.name_en)
    assert not shows(get(client, pages_of[before]), conference.name_en)


def test_the_page_about_a_country_keeps_the_tag_of_a_whole_conference_it_shows(seeds):
    """A page about a country that showed more of a conference it hosted than its card would keep
    that conference's tag: an edit of its summary sends no about tag (core.tags.about_parents). The
    tag of a record whose every edit drops the page about its country, a participation, goes."""
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    participation = Participation.objects.exclude(role="host").order_by("pk").first()
    with core_tags.collecting() as shown:
        core_tags.add(core_tags.about_tag(conference.host_country), core_tags.about_tag(participation.country))
        Conference.objects.get(pk=conference.pk)
        Participation.objects.get(pk=participation.pk)
    assert f"conference-{conference.pk}" in shown
    assert f"participation-{participation.pk}" not in shown
