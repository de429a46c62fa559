"""A conference's record in the API (/api/v1/conferences/<slug>/, and each of the list's,
/api/v1/conferences/) is what the schema makes of it.

The endpoint builds its answer from plain rows (public/api_records.py); here the same conference is
also loaded as records, Conference.objects.with_rows() and Citation.objects.attach(), and drawn
through the schema, ConferenceOut, as django-ninja would: the two answers are the same bytes, and
carry the same cache tags (core/tags.py). On the real seed data, and on records built for the test
that have what the seeds may lack (no host, no series, no dates, a source in French, a source whose
address is no web address, an attendance for no organization, optional texts left empty).

The tests run in file order: those with built records first, on an empty database, then the one
with the seed data (loaded for the rest of the module).
"""

import json
from collections import Counter

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings

from conferences.models import (
    Attendance,
    Citation,
    Conference,
    ConferenceOrganization,
    Participation,
    SourceReport,
    Topic,
)
from core import tags as cache_tags
from public import api_records
from public.api import api
from public.schemas import ConferenceOut
from tests import factories as make

pytestmark = pytest.mark.django_db

TAG_HEADER = "xkey"
LIST = "/api/v1/conferences/"
# What the list says it lists (public.api.list_conferences).
LISTED = (Conference, Participation, ConferenceOrganization, Attendance, Topic)


def path(slug):
    return f"/api/v1/conferences/{slug}/"


def drawn(request, slugs):
    """The records of the conferences of `slugs`, in that order, as the schema draws them from
    records loaded as the API loaded them."""
    records = {record.slug: record for record in Conference.objects.with_rows().filter(slug__in=slugs)}
    records = Citation.objects.attach([records[slug] for slug in slugs])
    return [ConferenceOut.model_validate(record, context={"request": request}).model_dump() for record in records]


def by_schema(slug):
    """The answer as the schema draws it from records, and the cache tags loading them adds."""
    request = RequestFactory().get(path(slug))
    with cache_tags.collecting() as shown:
        cache_tags.add(cache_tags.about_tag(Conference.objects.get(slug=slug)))
        [data] = drawn(request, [slug])
    return api.renderer.render(request, data, response_status=200).encode(), set(shown)


def list_by_schema(query, page):
    """A page of the conference list as the schema draws its records, from the answer's own count
    and links, and the cache tags of the list and of loading its records."""
    request = RequestFactory().get(LIST, query)
    with cache_tags.collecting() as shown:
        cache_tags.add(*(cache_tags.list_tag(model) for model in LISTED))
        results = drawn(request, [record["slug"] for record in page["results"]])
    data = {"count": page["count"], "next": page["next"], "previous": page["previous"], "results": results}
    return api.renderer.render(request, data, response_status=200).encode(), set(shown)


def answered(client, slug, query=None):
    with override_settings(PORTAL_CACHE_TAG_HEADER=TAG_HEADER):
        response = client.get(path(slug) if slug else LIST, query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.content, set(response[TAG_HEADER].split())


def assert_same_as_by_schema(client, slug):
    content, tags = answered(client, slug)
    expected_content, expected_tags = by_schema(slug)
    assert content == expected_content, slug
    assert tags == expected_tags, slug


def assert_list_same_as_by_schema(client, query):
    content, tags = answered(client, None, query)
    expected_content, expected_tags = list_by_schema(query, json.loads(content))
    assert content == expected_content, query
    assert tags == expected_tags, query
    return json.loads(content)


def test_a_conference_with_everything_and_one_with_nothing_are_answered_as_the_schema_draws_them(client):
    full = make.full_conference("summit-2025")
    french = make.source("report-fr", language="fr", url="javascript:alert(1)", outlet_ar="", outlet_en="")
    make.citation(french, conference=full, fact="conference-name", quote_language="fr",
                  original="La première conférence", excerpt_ar="المؤتمر الأول", excerpt_en="The first conference")
    nobody = make.person("nobody-in-particular", rank_ar="", rank_en="")
    row = make.attendance(full, nobody, role="attendee", note_ar="", note_en="")
    make.citation(french, attendance=row, quote_language="fr", original="Un participant",
                  excerpt_ar="مشارك", excerpt_en="A participant")
    make.conference_organization(full, make.organization("no-acronym", acronym=""), role="participant")
    bare = make.conference("bare-conference", status="planned", host_country=None, series=None,
                           city_ar="", city_en="", theme_ar="", theme_en="")
    for conference in (full, bare):
        assert_same_as_by_schema(client, conference.slug)


def test_a_page_of_the_list_is_answered_as_the_schema_draws_its_records(client):
    full = make.full_conference("summit-2025")
    make.conference("bare-conference", status="planned", host_country=None, series=None, city_ar="", city_en="")
    make.conference("in-the-series", series=full.series, edition=3, host_country=full.host_country)
    assert len(assert_list_same_as_by_schema(client, {})["results"]) == 3
    assert assert_list_same_as_by_schema(client, {"page_size": 1, "page": 2})["previous"]
    assert len(assert_list_same_as_by_schema(client, {"country": "ly"})["results"]) == 2
    assert assert_list_same_as_by_schema(client, {"page": 50})["results"] == []


def test_an_old_slug_still_redirects_and_an_unknown_one_is_404(client):
    conference = make.full_conference("summit-2025")
    conference.slug = "summit-2025-tripoli"
    conference.save()
    response = client.get(path("summit-2025") + "?page=2")
    assert response.status_code == 301
    assert response["Location"] == path("summit-2025-tripoli") + "?page=2"
    missing = client.get(path("no-such-conference"))
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found"}


def test_a_record_reads_its_rows_in_two_queries_and_the_same_rows_as_a_list_page():
    """The topics and rows in the conference page's one query (public.conference_page.ROWS), the
    citations in another; each kind's rows are those a list page reads for the conference."""
    conference = make.full_conference("summit-2025")
    with CaptureQueriesContext(connection) as queries:
        rows = api_records.rows_of(conference)
    assert len(queries) == 2
    page = api_records.rows_of_page([conference])[conference.pk]
    for kind in ("participations", "attendances", "organization_roles", "topics", "citations"):
        assert getattr(rows, kind), kind
        assert Counter(getattr(rows, kind)) == Counter(getattr(page, kind)), kind


def test_a_citation_of_a_row_added_after_the_rows_were_read_is_left_out():
    """Each query reads what is committed when it runs: a row and its citation added between the
    query of the rows and that of the citations leave the answer as it was, not a 500."""
    conference = make.full_conference("summit-2025")
    request = RequestFactory().get(path(conference.slug))
    rows, page = api_records.rows_of(conference), api_records.rows_of_page([conference])[conference.pk]
    before = api_records.conference_record(request, conference, rows)
    late = make.participation(conference, make.named_country("MA"))
    make.citation(SourceReport.objects.get(slug="report-ar"), participation=late, excerpt_en="and Morocco")
    rows.citations = api_records.CITATIONS(conference.pk)
    assert api_records.conference_record(request, conference, rows) == before
    page.citations = api_records.rows_of_page([conference])[conference.pk].citations
    assert api_records.conference_record(request, conference, page) == before


def test_the_schema_still_documents_both_answers_as_conference_out(client):
    schema = client.get("/api/v1/openapi.json").json()
    detail = schema["paths"]["/api/v1/conferences/{slug}/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert detail["schema"] == {"$ref": "#/components/schemas/ConferenceOut"}
    page = schema["components"]["schemas"]["PagedConferenceOut"]["properties"]["results"]
    assert page["items"] == {"$ref": "#/components/schemas/ConferenceOut"}


@pytest.mark.usefixtures("seeds")
def test_every_seed_conference_is_answered_as_the_schema_draws_it(client):
    slugs = list(Conference.objects.order_by("slug").values_list("slug", flat=True))
    assert slugs
    for slug in slugs:
        assert_same_as_by_schema(client, slug)
    assert len(assert_list_same_as_by_schema(client, {"page_size": 100})["results"]) == len(slugs)
    assert_list_same_as_by_schema(client, {"page_size": 3, "page": 2, "topic": "terrorism"})
