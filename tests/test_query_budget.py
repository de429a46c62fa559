"""A fixed query budget on every public page and API endpoint, at a handful of conferences and at 10,000.

Guards against N+1 queries and against queries that grow with the data: each address runs
at most BUDGET SQL queries, the same with records built for the test, with the seed data and
with 10,000 synthetic conferences. On PostgreSQL, the plans of the pages' queries at 10,000
conferences use indexes: no sequential scan of a large table.

The tests run in file order: the one with built records first, on an empty database, then the
one with the seed data (loaded for the rest of the module), then those at 10,000 conferences.
"""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from conferences.models import Conference, Series, SourceReport, Topic
from core.models import SiteState
from organizations.models import Organization
from participants.models import Country, Person
from search.models import SearchEntry
from tests import factories as make

BUDGET = 8
SYNTHETIC_CONFERENCES = 10_000
# Tables that stay small whatever the number of conferences; scanning them is the planner's right.
SMALL_TABLES = {model._meta.db_table for model in (SiteState, Country, Topic, Series)}

pytestmark = pytest.mark.django_db


def addresses(conference, country, organization, person, topic, source, series):
    start = conference.start_date or datetime.date(2025, 8, 1)
    pages = [
        "/{lang}/", "/{lang}/conferences/", f"/{{lang}}/conferences/{conference.slug}/",
        f"/{{lang}}/conferences/?country={country.code.lower()}&status=held",
        f"/{{lang}}/conferences/?topic={topic.slug}", f"/{{lang}}/conferences/?organization={organization.slug}",
        f"/{{lang}}/conferences/?year={start.year}", f"/{{lang}}/conferences/?year={start.year}&month={start.month}",
        "/{lang}/series/", f"/{{lang}}/series/{series.slug}/",
        "/{lang}/countries/", f"/{{lang}}/countries/{country.code.lower()}/",
        "/{lang}/organizations/", f"/{{lang}}/organizations/{organization.slug}/",
        "/{lang}/people/", f"/{{lang}}/people/{person.slug}/",
        "/{lang}/topics/", f"/{{lang}}/topics/{topic.slug}/",
        "/{lang}/sources/", f"/{{lang}}/sources/{source.slug}/",
        "/{lang}/search/?q=security", "/{lang}/feeds/conferences.atom",
    ]
    api = [
        "/api/v1/conferences/", f"/api/v1/conferences/{conference.slug}/",
        f"/api/v1/conferences/?country={country.code.lower()}",
        "/api/v1/countries/", f"/api/v1/countries/{country.code.lower()}/",
        "/api/v1/organizations/", f"/api/v1/organizations/{organization.slug}/",
        "/api/v1/people/", f"/api/v1/people/{person.slug}/",
        "/api/v1/topics/", f"/api/v1/topics/{topic.slug}/",
        "/api/v1/sources/", f"/api/v1/sources/{source.slug}/",
        "/sitemap.xml", "/sitemap-conferences.xml", "/robots.txt",
    ]
    return [page.format(lang=lang) for page in pages for lang in ("ar", "en")] + api


def seed_addresses():
    return addresses(
        Conference.objects.get(slug="cissa-20-benghazi-2025"), Country.objects.get(code="LY"),
        Organization.objects.get(slug="cissa"), Person.objects.get(slug="hussein-al-ayeb"),
        Topic.objects.get(slug="terrorism"), SourceReport.objects.get(slug="espacemanager-cissa-20-closing"),
        Series.objects.get(slug="cissa-conferences"),
    )


def synthetic_addresses():
    conference = Conference.objects.get(slug=f"synthetic-{SYNTHETIC_CONFERENCES // 2}")
    return addresses(
        conference, conference.host_country, conference.organization_roles.first().organization,
        conference.attendances.first().person, conference.topics.first(),
        SourceReport.objects.get(slug="synthetic-source-7"), conference.series,
    )


def queries_of(client, path):
    client.get(path)  # first request: whatever is done once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return queries.captured_queries


def over_budget(client, paths):
    return {path: len(queries) for path in paths if len(queries := queries_of(client, path)) > BUDGET}


def test_every_address_stays_within_the_budget_with_records_built_for_the_test(
    client, django_capture_on_commit_callbacks
):
    """A conference with something of everything, and a second one in its series: committed, so
    the search index and the site version are as a reader finds them."""
    with django_capture_on_commit_callbacks(execute=True):
        conference = make.full_conference("summit-2025")
        make.conference("summit-2026", start=make.day("2026-02-10"), end=make.day("2026-02-12"),
                        series=conference.series, edition=3, host_country=make.named_country("TN"))
    report = SourceReport.objects.get(slug="report-ar")
    paths = addresses(
        conference, conference.host_country, conference.series.organization,
        conference.attendances.get().person, conference.topics.get(slug="terrorism"), report, conference.series,
    )
    assert over_budget(client, paths) == {}


@pytest.mark.slow
@pytest.mark.usefixtures("seeds")
def test_every_address_stays_within_the_budget_with_the_seed_data(client):
    assert over_budget(client, seed_addresses()) == {}


@pytest.fixture(scope="module")
def ten_thousand_conferences(django_db_setup, django_db_blocker):
    """10,000 synthetic conferences (beside the seeds, when the test before loaded them), rolled
    back when the module ends.

    What follows a bulk write's commit (the search index rebuilt, the site version moved on) is run
    here, inside the transaction that never commits. The deferred constraints of the new rows are
    checked once here too: otherwise each test's teardown, which checks them, would check them all
    again (some twenty seconds a test on PostgreSQL).
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("generate_synthetic", conferences=SYNTHETIC_CONFERENCES, force=True, verbosity=0)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            connection.check_constraints()
            yield
            transaction.set_rollback(True)


@pytest.mark.slow
def test_every_address_stays_within_the_same_budget_at_ten_thousand_conferences(client, ten_thousand_conferences):
    assert Conference.objects.filter(slug__startswith="synthetic-").count() == SYNTHETIC_CONFERENCES
    # The search searches them all.
    assert SearchEntry.objects.filter(slug__startswith="synthetic-").count() >= SYNTHETIC_CONFERENCES
    assert over_budget(client, synthetic_addresses()) == {}


def sequential_scans(plan, found):
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") not in SMALL_TABLES:
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        sequential_scans(child, found)
    return found


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
@pytest.mark.parametrize(
    "page",
    ["/en/conferences/", "/en/conferences/?country={country}&status=held",
     "/en/conferences/?country={country}&role=participant", "/en/countries/{country}/",
     "/en/conferences/{conference}/", "/en/search/?q={person}", "/en/conferences/?year={year}&month={month}",
     "/en/series/", "/en/series/{series}/"],
)
def test_the_pages_queries_use_indexes_at_ten_thousand_conferences(client, ten_thousand_conferences, page):
    conference = Conference.objects.get(slug=f"synthetic-{SYNTHETIC_CONFERENCES // 2}")
    person = conference.attendances.first().person.name_en  # a name: what readers search for
    start = conference.start_date or datetime.date(2025, 8, 1)
    path = page.format(
        country=conference.host_country.code.lower(), conference=conference.slug, person=person,
        year=start.year, month=start.month, series=conference.series.slug,
    )
    assert scans(queries_of(client, path)) == set(), path


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
def test_the_home_pages_timeline_uses_indexes_at_ten_thousand_conferences(client, ten_thousand_conferences):
    """The home page's other lists read whole tables; its timeline reads a few rows of an index,
    when it is drawn: once for each version of the data, on the first request (core.state.remember)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/").status_code == 200
    timeline = [query for query in queries.captured_queries if "LATERAL" in query["sql"]]
    assert len(timeline) == 1
    assert scans(timeline) == set()


def scans(queries):
    """The large tables the plans of these queries read sequentially."""
    scanned = set()
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"].lstrip().upper()
            # Counting a whole table (the paginator's total) reads every row whatever the plan.
            if not sql.lstrip("(").startswith("SELECT") or (sql.startswith("SELECT COUNT(*)") and " WHERE " not in sql):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {query['sql']}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            sequential_scans(plan[0]["Plan"], scanned)
    return scanned
