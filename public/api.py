"""The read-only JSON API, /api/v1/, with django-ninja.

Its OpenAPI schema is at /api/v1/openapi.json and its browsable docs at /api/v1/docs
(Swagger UI from our own static files: "ninja" is in INSTALLED_APPS).

- Lists answer {"count", "next", "previous", "results"}, with absolute next/previous links,
  and take the same filters as the pages (conferences: country and the role it played, year,
  month, organization, topic, status).
- A record is found by slug (a country by its ISO code); an old slug answers 301 to
  the record's current address, as the pages do.
- /api/v1/ lists every endpoint's address.
- A bad parameter gets 400 with {"detail": …}, never a 500; an unknown address 404, a method
  other than GET or HEAD 405, and an address too long to serve 414, all with {"detail": …}
  (public/api_http.py, public/security.py).
- HEAD is answered as GET, without the body (public/api_http.py); the schema lists GET only.
- Every endpoint runs a fixed number of SQL queries (tests/test_api.py pins them).

The CSV downloads (public/exports.py) live here too, at /api/v1/conferences.csv and
/api/v1/participations.csv, with the conference list's filters.
"""

from functools import wraps
from math import ceil
from typing import Any, Literal

from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase, paginate

from conferences.models import (
    Attendance,
    Conference,
    ConferenceOrganization,
    ConferenceStatus,
    Participation,
    ParticipationRole,
    SourceKind,
    SourceReport,
    Topic,
)
from core import tags as cache_tags
from core.models import Language
from core.tags import about_tag, list_tag
from organizations.models import Organization, OrganizationAlias, OrganizationKind, Position
from participants.models import Country, Person, PersonAlias, Region

from . import api_records, conference_page, exports
from .addresses import absolute_url, page_query
from .schemas import (
    ApiIndex,
    ConferenceOut,
    CountryOut,
    Error,
    OrganizationOut,
    PersonOut,
    SourceOut,
    TopicOut,
)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
SLUG = r"^[-a-zA-Z0-9_]+$"
COUNTRY_CODE = r"^[A-Za-z]{2}$"

api = NinjaAPI(
    title="Security Conferences in Africa: open data",
    version="1",
    description=(
        "Read-only data of the portal: conferences, the countries, organizations and people "
        "at them, their topics, and the sources every fact is cited from. Translated texts "
        'come in both languages, {"ar": …, "en": …}; every record gives the addresses of its '
        "pages in both languages. Free to reuse; please cite the portal."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# Documented error answers: a bad parameter, an address too long to serve
# (public.security.RejectLongAddressMiddleware), and a record that does not exist.
BAD_REQUEST = {400: Error, 414: Error}
NOT_FOUND = {**BAD_REQUEST, 404: Error}


@api.exception_handler(ValidationError)
def bad_request(request, exc):
    """Bad parameters are the client's mistake: 400, with what was wrong (ninja says 422)."""
    return api.create_response(request, {"detail": exc.errors}, status=400)


def listing(*models):
    """The answer lists records of these kinds: any change to one of them drops it (core.tags)."""
    cache_tags.add(*(list_tag(model) for model in models))

# --- Pagination --------------------------------------------------------------------


class PageInput(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Records per page.")


class PagePagination(PaginationBase):
    """Pages of `page_size` records, with absolute links to the next and previous pages."""

    Input = PageInput

    class Output(Schema):
        count: int = Field(description="How many records match, on all pages.")
        next: str | None = Field(description="The next page (absolute URL), or null on the last.")
        previous: str | None = Field(description="The previous page (absolute URL), or null on the first.")
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination, request, **params):
        count = self._items_count(queryset)
        page, size = pagination.page, pagination.page_size
        offset = (page - 1) * size
        last_page = max(1, ceil(count / size))
        return {
            "count": count,
            "next": page_link(request, page + 1) if offset + size < count else None,
            # Past the end, "previous" leads back to the last page that has records.
            "previous": page_link(request, min(page - 1, last_page)) if page > 1 else None,
            "results": queryset[offset : offset + size],
        }


class EvidencedPagination(PagePagination):
    """Pages of conferences (Conference.objects.with_host_and_series()), each built as ConferenceOut
    draws it, with its rows and citations read for the whole page in five queries more
    (public/api_records.py)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        records = list(page["results"])
        rows = api_records.rows_of_page(records)
        urls = api_records.PageUrls(request)
        page["results"] = [
            api_records.conference_record(request, record, rows[record.pk], urls, listed=True) for record in records
        ]
        return page


def as_built(view):
    """A view whose answer is built as its schema draws it (public/api_records.py) is written as it
    is, without a validation of what is built right; the schema still documents it."""

    @wraps(view)
    def answer(request, **kwargs):
        return api.create_response(request, view(request, **kwargs), status=200)

    return answer


def page_link(request, page):
    query = request.GET.copy()
    query["page"] = str(page)
    return absolute_url(request, f"{request.path}?{page_query(query)}")


def get_or_redirect(request, queryset, url_name, **lookup):
    """The record, or a 301 to its current address if this was its slug before, or 404."""
    record = queryset.filter(**lookup).first()
    if record is not None:
        cache_tags.add(about_tag(record))
        return record
    if "slug" in lookup:
        return moved(request, queryset.model, url_name, lookup["slug"])
    raise Http404


def moved(request, model, url_name, slug):
    """A 301 to the current address of the record of `model` that had `slug` before, or 404."""
    current = model.objects.that_had(slug).first()
    if current is None:
        raise Http404
    url = reverse(f"api:{url_name}", kwargs={"slug": current.slug})
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(url)


# --- The index ---------------------------------------------------------------------


@api.get("/", response={200: ApiIndex, 414: Error}, url_name="index", tags=["index"])
def index(request):
    """What the API holds: the address of every endpoint (with its {parameters}), its schema and its docs."""
    root = request.build_absolute_uri(reverse("api:index"))
    endpoints = [
        {"url": root + path.lstrip("/"), "description": operation.description or operation.summary}
        for path, path_view in api.default_router.path_operations.items()
        for operation in path_view.operations
        if path != "/" and operation.include_in_schema
    ]
    return {
        "title": api.title,
        "version": api.version,
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "endpoints": endpoints,
    }


# --- Conferences -------------------------------------------------------------------


class ConferenceFilters(Schema):
    """The conference list's filters, as on the list page. They combine."""

    country: str | None = Field(
        None, pattern=COUNTRY_CODE,
        description="A country, ISO code (ly or LY): the host country, or the country that played `role`.",
    )
    role: Literal[tuple(ParticipationRole.values)] | None = Field(
        None,
        description=(
            "The part `country` played: host (the default), participant, announced (announced as taking part) "
            "or absent (reported absent). Without `country` it filters nothing, as on the list page."
        ),
    )
    year: int | None = Field(None, ge=1, le=9999, description="Year the conference started.")
    month: int | None = Field(
        None, ge=1, le=12,
        description="Month the conference started (1–12); conferences known only by their year are left out.",
    )
    organization: str | None = Field(None, max_length=100, pattern=SLUG, description="Slug of an organization.")
    topic: str | None = Field(None, max_length=100, pattern=SLUG, description="Slug of a topic.")
    status: Literal[tuple(ConferenceStatus.values)] | None = Field(None, description="held, announced or planned.")

    def apply(self, queryset):
        return queryset.filtered(**self.model_dump())


@api.get("/conferences/", response={200: list[ConferenceOut], **BAD_REQUEST}, tags=["conferences"])
@as_built
@paginate(EvidencedPagination)
def list_conferences(request, filters: Query[ConferenceFilters]):
    """Conferences, newest first."""
    listing(Conference, Participation, ConferenceOrganization, Attendance, Topic)
    return filters.apply(Conference.objects.with_host_and_series().newest_first())


@api.get(
    "/conferences/{slug}/", response={200: ConferenceOut, **NOT_FOUND}, url_name="conference", tags=["conferences"]
)
def get_conference(request, slug: str):
    """One conference, with its countries, people, organizations, topics, sources and citations."""
    # Read as plain rows and built as ConferenceOut draws it, without a validation of what is
    # built right (public/api_records.py; tests/test_api_conference.py compares the two).
    found = conference_page.conference(slug)
    if found is None:
        return moved(request, Conference, "conference", slug)
    cache_tags.add(about_tag(found))
    record = api_records.conference_record(request, found, api_records.rows_of(found))
    return api.create_response(request, record, status=200)


CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "A CSV file (UTF-8 with a byte-order mark), one column per language for texts.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@api.get("/conferences.csv", response=BAD_REQUEST, tags=["downloads"], openapi_extra=CSV_RESPONSE)
def conferences_csv(request, filters: Query[ConferenceFilters]):
    """The conference list as CSV, with the list's filters."""
    listing(Conference, Participation, ConferenceOrganization, Attendance, Topic)
    return exports.conferences_csv(request, filters.apply(Conference.objects.with_host_and_series().newest_first()))


@api.get("/participations.csv", response=BAD_REQUEST, tags=["downloads"], openapi_extra=CSV_RESPONSE)
def participations_csv(request, filters: Query[ConferenceFilters]):
    """Which country took which part in which conference, as CSV, with the conference list's filters."""
    listing(Conference, Participation, ConferenceOrganization, Attendance, Topic)
    return exports.participations_csv(request, filters.apply(Conference.objects.all()))


# --- Countries ---------------------------------------------------------------------


def countries():
    return Country.objects.prefetch_related(
        Prefetch("hosted_conferences", queryset=Conference.objects.order_by("slug")),
        Prefetch("participations", queryset=Participation.objects.select_related("conference")),
    ).order_by("code")


class CountryFilters(Schema):
    region: Literal[tuple(Region.values)] | None = None


@api.get("/countries/", response={200: list[CountryOut], **BAD_REQUEST}, tags=["countries"])
@paginate(PagePagination)
def list_countries(request, filters: Query[CountryFilters]):
    """Countries, by ISO code."""
    listing(Country, Conference, Participation)
    queryset = countries()
    if filters.region:
        queryset = queryset.filter(region=filters.region)
    return queryset


@api.get("/countries/{code}/", response={200: CountryOut, **NOT_FOUND}, url_name="country", tags=["countries"])
def get_country(request, code: str):
    """One country, by its ISO code (ly or LY), with the conferences it hosted or took part in."""
    # Of a conference it shows the address only, a part of its card (core.tags.about_parents).
    with cache_tags.shown_as(Conference, "card"):
        return get_or_redirect(request, countries(), "country", code=code.upper())


# --- Organizations -------------------------------------------------------------------


def organizations():
    return (
        Organization.objects.with_relations()
        .prefetch_related(Prefetch("aliases", queryset=OrganizationAlias.objects.order_by("language", "name")))
        .order_by("slug")
    )


class OrganizationFilters(Schema):
    country: str | None = Field(None, pattern=COUNTRY_CODE, description="ISO code of its country.")
    kind: Literal[tuple(OrganizationKind.values)] | None = None


@api.get("/organizations/", response={200: list[OrganizationOut], **BAD_REQUEST}, tags=["organizations"])
@paginate(PagePagination)
def list_organizations(request, filters: Query[OrganizationFilters]):
    """Organizations, by slug."""
    listing(Organization)
    queryset = organizations()
    if filters.country:
        queryset = queryset.filter(country__code=filters.country.upper())
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset


@api.get(
    "/organizations/{slug}/", response={200: OrganizationOut, **NOT_FOUND}, url_name="organization",
    tags=["organizations"],
)
def get_organization(request, slug: str):
    """One organization, by its slug, with its other names."""
    return get_or_redirect(request, organizations(), "organization", slug=slug)


# --- People ------------------------------------------------------------------------


def people():
    return (
        Person.objects.select_related("country")
        .prefetch_related(
            Prefetch("aliases", queryset=PersonAlias.objects.order_by("language", "name")),
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("organization").order_by(
                    F("start_date").asc(nulls_first=True), "key"
                ),
            ),
        )
        .order_by("slug")
    )


class PersonFilters(Schema):
    country: str | None = Field(None, pattern=COUNTRY_CODE, description="ISO code of the person's country.")
    organization: str | None = Field(
        None, max_length=100, pattern=SLUG, description="Slug of an organization the person held a post in."
    )


@api.get("/people/", response={200: list[PersonOut], **BAD_REQUEST}, tags=["people"])
@paginate(PagePagination)
def list_people(request, filters: Query[PersonFilters]):
    """People, by slug."""
    listing(Person, Position)
    queryset = people()
    if filters.country:
        queryset = queryset.filter(country__code=filters.country.upper())
    if filters.organization:
        queryset = queryset.filter(
            pk__in=Position.objects.filter(organization__slug=filters.organization).values("person_id")
        )
    return queryset


@api.get("/people/{slug}/", response={200: PersonOut, **NOT_FOUND}, url_name="person", tags=["people"])
def get_person(request, slug: str):
    """One person, by their slug, with their other names and posts."""
    return get_or_redirect(request, people(), "person", slug=slug)


# --- Topics ------------------------------------------------------------------------


def topics():
    return Topic.objects.annotate(conference_count=Count("conferences")).order_by("slug")


@api.get("/topics/", response={200: list[TopicOut], **BAD_REQUEST}, tags=["topics"])
@paginate(PagePagination)
def list_topics(request):
    """Topics, by slug, with how many conferences discussed each."""
    listing(Topic)
    return topics()


@api.get("/topics/{slug}/", response={200: TopicOut, **NOT_FOUND}, url_name="topic", tags=["topics"])
def get_topic(request, slug: str):
    """One topic, by its slug, with how many conferences discussed it."""
    return get_or_redirect(request, topics(), "topic", slug=slug)


# --- Sources -----------------------------------------------------------------------


def sources():
    return SourceReport.objects.order_by("slug")


class SourceFilters(Schema):
    language: Literal[tuple(Language.values)] | None = None
    kind: Literal[tuple(SourceKind.values)] | None = None
    year: int | None = Field(None, ge=1, le=9999, description="Year of publication.")


@api.get("/sources/", response={200: list[SourceOut], **BAD_REQUEST}, tags=["sources"])
@paginate(PagePagination)
def list_sources(request, filters: Query[SourceFilters]):
    """Sources, by slug."""
    listing(SourceReport)
    queryset = sources()
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year:
        queryset = queryset.filter(published_on__year=filters.year)
    return queryset


@api.get("/sources/{slug}/", response={200: SourceOut, **NOT_FOUND}, url_name="source", tags=["sources"])
def get_source(request, slug: str):
    """One source, by its slug."""
    return get_or_redirect(request, sources(), "source", slug=slug)

