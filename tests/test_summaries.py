"""The summaries drawn once and kept (core.state.remember: the home page's counts, timeline and ways
in, the countries index, the list's filters): never older than an edit that changes what they
show, and kept through an edit that does not.

With a shared cache, as in production, they are kept under the tokens of the cache tags of what
they read (core.tags.reads): run on local memory (one process shares it) and on Redis.
"""

import uuid
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from core import tags
from public import forms
from public.views.conferences import HomeView
from public.views.countries import CountryListView
from tests import factories as make
from tests.helpers import parse, text
from tests.test_page_cache import backend, forget_redis_keys

pytestmark = pytest.mark.django_db

HOME, COUNTRIES, LIST = "/en/", "/en/countries/", "/en/conferences/"


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request):
    prefix = f"summaries-{uuid.uuid4().hex}"
    with override_settings(
        CACHES={"default": backend(request.param, prefix)}, PORTAL_PAGE_CACHE_SECONDS=300,
        PORTAL_PAGE_CACHE_SHARED=True,
    ):
        yield request.param
    if request.param == "redis":
        forget_redis_keys(prefix)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """An editor's transaction, committed: its tags are dropped then."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def drawn(monkeypatch):
    """How many times each summary was drawn."""
    calls = Counter()

    def spy(owner, name, label):
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            calls[label] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    spy(HomeView, "summary", "home")
    spy(CountryListView, "counted", "countries index")
    spy(forms, "draw_filter_menus", "filter menus")
    for name, (rows, label) in forms.FILTER_VALUES.items():
        monkeypatch.setitem(forms.FILTER_VALUES, name, (lambda rows=rows, name=name: (
            calls.update([f"{name} filter"]), rows())[1], label))
    return calls


@pytest.fixture
def world(commit):
    with commit():
        libya, egypt, tunisia = (make.named_country(code) for code in ("LY", "EG", "TN"))
        conference = make.conference("cissa-20", host_country=libya, start=make.day("2024-08-25"),
                                     short_name_en="CISSA 20")
        make.participation(conference, egypt)
        make.conference_organization(conference, make.organization("cissa", name_en="CISSA"))
    return {"conference": conference, "libya": libya, "egypt": egypt, "tunisia": tunisia}


def ways_in(client, heading):
    """The home page's ways in under `heading` (by-country, by-organization, by-topic, by-year), as texts."""
    page = parse(client.get(HOME))
    return [text(item) for item in page.xpath(f"//section[h3[@id='{heading}']]//li")]


def country_counts(client, code):
    """(hosted, took part, announced, stayed away) of a country on the countries index."""
    page = parse(client.get(COUNTRIES))
    row = page.xpath(f"//tr[th/a[contains(@href, '/countries/{code}/')]]")[0]
    return tuple(int(text(cell)) for cell in row.xpath("td"))


def options(client, name):
    page = parse(client.get(LIST))
    return [value for value in page.xpath(f"//select[@name='{name}']/option/@value") if value]


def timeline(client):
    return [text(link) for link in parse(client.get(HOME)).xpath("//*[contains(@class, 'tl-bar')]//a")]


def warm(client):
    for path in (HOME, COUNTRIES, LIST):
        assert client.get(path).status_code == 200


def test_an_edit_of_what_no_summary_shows_keeps_them_all(client, shared_cache, world, drawn, commit):
    warm(client)
    assert drawn["countries index"] == drawn["home"] == drawn["filter menus"] == 1
    drawn.clear()
    conference = world["conference"]
    conference.summary_en = "Corrected."
    with commit():
        conference.save()
    warm(client)
    assert drawn == {}


def test_a_new_host_country_shows_at_once(client, shared_cache, world, drawn, commit):
    warm(client)
    assert ways_in(client, "by-country") == ["Libya (1)"]
    conference = world["conference"]
    conference.host_country = world["tunisia"]
    with commit():
        conference.save()
    assert ways_in(client, "by-country") == ["Tunisia (1)"]
    assert country_counts(client, "tn")[0] == 1 and country_counts(client, "ly")[0] == 0
    assert "tn" in options(client, "country") and "ly" not in options(client, "country")


def test_a_new_participation_shows_at_once(client, shared_cache, world, commit):
    warm(client)
    assert country_counts(client, "tn") == (0, 0, 0, 0) and "tn" not in options(client, "country")
    with commit():
        make.participation(world["conference"], world["tunisia"], role="absent")
    assert country_counts(client, "tn") == (0, 0, 0, 1)
    assert "tn" in options(client, "country")


def test_a_change_of_role_shows_at_once(client, shared_cache, world, commit):
    warm(client)
    assert country_counts(client, "eg") == (0, 1, 0, 0)
    participation = world["conference"].participations.get()
    participation.role = "announced"
    with commit():
        participation.save()
    assert country_counts(client, "eg") == (0, 0, 1, 0)


def test_a_new_date_shows_at_once(client, shared_cache, world, commit):
    warm(client)
    assert ways_in(client, "by-year") == ["2024 (1)"] and options(client, "year") == ["2024"]
    conference = world["conference"]
    conference.start_date = make.day("2023-05-02")
    with commit():
        conference.save()
    assert ways_in(client, "by-year") == ["2023 (1)"] and options(client, "year") == ["2023"]
    assert timeline(client) == ["CISSA 20"]


def test_a_new_short_name_shows_in_the_timeline_and_keeps_the_others(client, shared_cache, world, drawn, commit):
    warm(client)
    assert timeline(client) == ["CISSA 20"]
    drawn.clear()
    conference = world["conference"]
    conference.short_name_en = "CISSA XX"
    with commit():
        conference.save()
    assert timeline(client) == ["CISSA XX"]
    warm(client)
    assert drawn["home"] == 1 and drawn["countries index"] == drawn["filter menus"] == 0


def test_new_links_and_records_show_at_once(client, shared_cache, world, commit):
    warm(client)
    assert ways_in(client, "by-topic") == []
    with commit():
        world["conference"].topics.add(make.topic("piracy", name_en="Piracy"))
    assert ways_in(client, "by-topic") == ["Piracy (1)"]
    with commit():
        make.conference("cissa-21", host_country=world["libya"], start=make.day("2025-08-25"))
    assert ways_in(client, "by-country") == ["Libya (2)"] and options(client, "year") == ["2025", "2024"]
    with commit():
        world["conference"].organization_roles.get().delete()
    assert ways_in(client, "by-organization") == [] and options(client, "organization") == []
    with commit():
        world["conference"].delete()
    assert ways_in(client, "by-country") == ["Libya (1)"] and country_counts(client, "eg") == (0, 0, 0, 0)


def test_a_renamed_country_shows_at_once(client, shared_cache, world, commit):
    warm(client)
    libya = world["libya"]
    libya.name_en = "State of Libya"
    with commit():
        libya.save()
    assert ways_in(client, "by-country") == ["State of Libya (1)"]


@pytest.fixture
def sent(monkeypatch):
    found = set()
    monkeypatch.setattr(tags, "_send", found.update)
    return found


def test_a_save_sends_the_tags_of_the_fields_it_changed(world, sent, commit):
    conference = world["conference"]
    conference.summary_en = "Corrected."
    with commit():
        conference.save()
    assert "conference.summary" in sent and "conference-list" in sent
    assert not {"conference-rows", "conference.host_country", "conference.start_date"} & sent
    sent.clear()
    conference.host_country = world["egypt"]
    with commit():
        conference.save()
    assert "conference.host_country" in sent and "conference.summary" not in sent


def test_a_save_of_a_record_not_loaded_sends_what_it_changed(world, sent, commit):
    from conferences.models import Conference

    stale = Conference(pk=world["conference"].pk)
    stale.__dict__.update({field.attname: getattr(world["conference"], field.attname)
                           for field in Conference._meta.concrete_fields})
    stale._state.adding = False
    stale.start_date = make.day("2020-01-01")
    with commit():
        stale.save()
    assert "conference.start_date" in sent and "conference.host_country" not in sent


def test_new_and_deleted_records_and_links_send_their_rows_tags(world, sent, commit):
    with commit():
        topic = make.topic("piracy")
    assert "topic-rows" in sent
    sent.clear()
    with commit():
        world["conference"].topics.add(topic)
    assert tags.rows_tag(world["conference"].topics.through) in sent
    sent.clear()
    with commit():
        world["conference"].participations.get().delete()
    assert "participation-rows" in sent


def test_a_summary_kept_by_another_release_is_drawn_again(client, shared_cache, world, drawn, monkeypatch):
    """A deployment may shape a summary otherwise while the data stays the same: what the release
    before it kept is not read."""
    from core import state
    from public import middleware

    warm(client)
    drawn.clear()
    for module in (state, middleware):
        monkeypatch.setattr(module, "code_release", lambda: "the-next-release")
    warm(client)
    assert drawn["home"] == drawn["countries index"] == drawn["filter menus"] == 1


def list_count(client, path=LIST):
    """The list's «N conferences»."""
    return text(parse(client.get(path)).xpath("//p[@role='status']")[0])


def test_the_count_of_every_conference_is_kept_and_shows_a_new_or_deleted_one_at_once(
    client, shared_cache, world, commit
):
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):  # each answer drawn: the count's own cache
        assert list_count(client) == "1 conference"
        with CaptureQueriesContext(connection) as queries:
            assert list_count(client) == "1 conference"
        assert queries.captured_queries
        assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
        conference = world["conference"]
        conference.summary_en = "Corrected."
        with commit():
            conference.save()
            second = make.conference("cissa-21", host_country=world["tunisia"])
        assert list_count(client) == "2 conferences"
        # A filtered list is counted for its filters, each time.
        assert list_count(client, f"{LIST}?country=tn") == "1 conference"
        with commit():
            second.delete()
        assert list_count(client) == "1 conference"
