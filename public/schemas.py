"""The shapes of the JSON API (public/api.py), with how each field is read from a record.

- A translated field is an object with both languages: "name": {"ar": "…", "en": "…"}.
- Every record carries "url": {"ar": …, "en": …}, the absolute addresses of its pages,
  and "short_url", its short link that never changes.
- A partly known date stays partly known: ISO 8601 at its precision ("2025-08-25",
  "2025-08", "2025") or null, next to its precision (day, month, year, unknown).
"""

from datetime import datetime
from typing import Literal

from django.utils import translation
from ninja import Field, Schema

from conferences.models import (
    AttendanceRole,
    ConferenceStatus,
    Fact,
    OrganizationRole,
    ParticipationRole,
    SourceKind,
    Stance,
)
from core.dates import DatePrecision, iso_or_none
from core.models import Language
from organizations.models import OrganizationKind
from participants.models import Region

from .security import web_address

LANGUAGES = ("ar", "en")

Precision = Literal[tuple(DatePrecision.values)]
PartialDate = str | None
PARTIAL_DATE_DESCRIPTION = "ISO 8601 at the precision given beside it: YYYY-MM-DD, YYYY-MM or YYYY; null when unknown."


def text(record, field):
    """A translated field in both languages (empty strings for an empty optional field)."""
    return {language: getattr(record, f"{field}_{language}") or "" for language in LANGUAGES}


def bilingual(field):
    """A schema's resolver for a translated field: `resolve_name = bilingual("name")`."""
    return staticmethod(lambda obj: text(obj, field))


def page_urls(request, record):
    """The absolute addresses of a record's page, in each language."""
    urls = {}
    for language in LANGUAGES:
        with translation.override(language):
            urls[language] = request.build_absolute_uri(record.get_absolute_url())
    return urls


def short_link(request, record):
    return request.build_absolute_uri(record.get_short_url())


def country_code(record):
    return record.code if record is not None else None


def by_role(rows, choices, tie_breaker):
    """Rows in the order of their role's choices (host before participant…), then by name."""
    rank = {value: index for index, value in enumerate(choices.values)}
    return sorted(rows, key=lambda row: (rank.get(row.role, len(rank)), tie_breaker(row)))


class Text(Schema):
    ar: str
    en: str


class Urls(Schema):
    ar: str = Field(description="The page in Arabic (absolute URL).")
    en: str = Field(description="The page in English (absolute URL).")


class Error(Schema):
    detail: str | list = Field(description="What was wrong with the request.")


class Endpoint(Schema):
    url: str = Field(description="Its address; a {parameter} stands for a slug or code.")
    description: str


class ApiIndex(Schema):
    title: str
    version: str
    openapi: str = Field(description="The OpenAPI schema.")
    docs: str = Field(description="The browsable documentation.")
    endpoints: list[Endpoint]


# --- Small references to other records ----------------------------------------------


def record_urls(obj, context):
    return page_urls(context["request"], obj)


def record_short_url(obj, context):
    return short_link(context["request"], obj)


class Linked(Schema):
    """A record's pages in both languages, from the record itself."""

    resolve_url = staticmethod(record_urls)


class Permalinked(Linked):
    """…and its short link, which never changes."""

    resolve_short_url = staticmethod(record_short_url)


class TopicRef(Linked):
    slug: str
    name: Text
    url: Urls

    resolve_name = bilingual("name")


class OrganizationRef(Linked):
    slug: str
    name: Text
    acronym: str
    url: Urls

    resolve_name = bilingual("name")


class SeriesRef(Schema):
    slug: str
    name: Text

    resolve_name = bilingual("name")


class SourceRef(Linked):
    slug: str
    title: Text
    outlet: Text
    address: str = Field(description="The original article's http or https address, when known.")
    url: Urls

    resolve_title = bilingual("title")
    resolve_outlet = bilingual("outlet")

    @staticmethod
    def resolve_address(obj):
        return web_address(obj.url)


# --- A conference and the rows that hang from it ---------------------------------------


class CountryAtConference(Schema):
    """A Participation row: a country's part in the conference."""

    code: str = Field(description="ISO 3166-1 alpha-2 code.")
    role: Literal[tuple(ParticipationRole.values)]
    name: Text
    note: Text
    url: Urls

    @staticmethod
    def resolve_code(obj):
        return obj.country.code

    @staticmethod
    def resolve_name(obj):
        return text(obj.country, "name")

    resolve_note = bilingual("note")

    @staticmethod
    def resolve_url(obj, context):
        return page_urls(context["request"], obj.country)


class PersonAtConference(Schema):
    """An Attendance row: a person's role at the conference."""

    slug: str
    name: Text
    role: Literal[tuple(AttendanceRole.values)]
    organization: OrganizationRef | None = Field(description="The organization the person represented.")
    url: Urls

    @staticmethod
    def resolve_slug(obj):
        return obj.person.slug

    @staticmethod
    def resolve_name(obj):
        return text(obj.person, "name")

    @staticmethod
    def resolve_url(obj, context):
        return page_urls(context["request"], obj.person)


class OrganizationAtConference(Schema):
    """A ConferenceOrganization row: an organization's role at the conference."""

    slug: str
    name: Text
    acronym: str
    role: Literal[tuple(OrganizationRole.values)]
    url: Urls

    @staticmethod
    def resolve_slug(obj):
        return obj.organization.slug

    @staticmethod
    def resolve_name(obj):
        return text(obj.organization, "name")

    @staticmethod
    def resolve_acronym(obj):
        return obj.organization.acronym

    @staticmethod
    def resolve_url(obj, context):
        return page_urls(context["request"], obj.organization)


class CitationOut(Schema):
    key: str
    fact: Literal[tuple(Fact.values)]
    subject: str | None = Field(
        description="For a fact about a country, person or organization at the conference: its ISO code or slug."
    )
    source: str = Field(description="The slug of the source (see `sources`).")
    quote_language: Literal[tuple(Language.values)] = Field(
        description="The language of the source's own words; the excerpt in any other language is our translation."
    )
    excerpt: Text
    original: str = Field(description="The quotation in its own language when that is neither Arabic nor English.")
    claim: Text = Field(description="What the source says, when it differs or is disputed.")
    attributed_to: Text = Field(description="Whose view this is, when the source reports an opinion.")
    stance: Literal[tuple(Stance.values)]

    @staticmethod
    def resolve_subject(obj):
        if obj.participation_id:
            return obj.participation.country.code
        if obj.attendance_id:
            return obj.attendance.person.slug
        if obj.conference_organization_id:
            return obj.conference_organization.organization.slug
        return None

    @staticmethod
    def resolve_source(obj):
        return obj.source.slug

    resolve_excerpt = bilingual("excerpt")
    resolve_claim = bilingual("claim")
    resolve_attributed_to = bilingual("attributed_to")


def conference_citations(conference):
    """Every citation about the conference and its rows, as Citation.objects.attach() gave them.

    An attached citation points back at its row, so `subject` costs no query.
    """
    citations = list(conference.cited)
    for rows in (conference.organization_roles.all(), conference.participations.all(), conference.attendances.all()):
        for row in rows:
            citations.extend(row.cited)
    return citations


class ConferenceOut(Permalinked):
    id: int
    slug: str
    url: Urls
    short_url: str
    name: Text
    short_name: Text
    status: Literal[tuple(ConferenceStatus.values)]
    start_date: PartialDate = Field(description=PARTIAL_DATE_DESCRIPTION)
    end_date: PartialDate = Field(description=PARTIAL_DATE_DESCRIPTION)
    date_precision: Precision = Field(description="The precision of the start date.")
    start_precision: Precision
    end_precision: Precision
    city: Text
    host_country: str | None = Field(description="ISO 3166-1 alpha-2 code of the host country.")
    series: SeriesRef | None
    edition: int | None
    theme: Text
    preparations: Text = Field(description="Meetings before the conference, as a source states them.")
    country_count: int | None = Field(description="How many countries took part, when a source states the number.")
    summary: Text
    background: Text
    outcomes: Text
    countries: list[CountryAtConference]
    people: list[PersonAtConference]
    organizations: list[OrganizationAtConference]
    topics: list[TopicRef]
    sources: list[SourceRef]
    citations: list[CitationOut]
    updated_at: datetime

    resolve_name = bilingual("name")
    resolve_short_name = bilingual("short_name")

    @staticmethod
    def resolve_start_date(obj):
        return iso_or_none(obj.start_date, obj.start_precision)

    @staticmethod
    def resolve_end_date(obj):
        return iso_or_none(obj.end_date, obj.end_precision)

    @staticmethod
    def resolve_date_precision(obj):
        return obj.start_precision

    resolve_city = bilingual("city")

    @staticmethod
    def resolve_host_country(obj):
        return country_code(obj.host_country)

    resolve_theme = bilingual("theme")
    resolve_preparations = bilingual("preparations")
    resolve_summary = bilingual("summary")
    resolve_background = bilingual("background")
    resolve_outcomes = bilingual("outcomes")

    @staticmethod
    def resolve_countries(obj):
        return by_role(obj.participations.all(), ParticipationRole, lambda row: row.country.code)

    @staticmethod
    def resolve_people(obj):
        return by_role(obj.attendances.all(), AttendanceRole, lambda row: row.person.slug)

    @staticmethod
    def resolve_organizations(obj):
        return by_role(obj.organization_roles.all(), OrganizationRole, lambda row: row.organization.slug)

    @staticmethod
    def resolve_sources(obj):
        sources = {}
        for citation in conference_citations(obj):
            sources.setdefault(citation.source_id, citation.source)
        return sorted(sources.values(), key=lambda source: source.slug)

    @staticmethod
    def resolve_citations(obj):
        return sorted(conference_citations(obj), key=lambda citation: (citation.fact, citation.key))


# --- Countries, organizations, people, topics, sources ---------------------------------


class ConferenceOfCountry(Schema):
    slug: str
    role: Literal[tuple(ParticipationRole.values)]
    url: Urls


class CountryOut(Permalinked):
    code: str = Field(description="ISO 3166-1 alpha-2 code.")
    url: Urls
    short_url: str
    name: Text
    region: Literal[tuple(Region.values)]
    conferences: list[ConferenceOfCountry] = Field(description="Conferences it hosted, took part in, or missed.")
    updated_at: datetime

    resolve_name = bilingual("name")

    @staticmethod
    def resolve_conferences(obj, context):
        request = context["request"]
        roles = {}
        for conference in obj.hosted_conferences.all():
            roles[conference.pk] = (conference, ParticipationRole.HOST)
        for participation in obj.participations.all():
            roles.setdefault(participation.conference_id, (participation.conference, participation.role))
        return [
            {"slug": conference.slug, "role": role, "url": page_urls(request, conference)}
            for conference, role in sorted(roles.values(), key=lambda pair: pair[0].slug)
        ]


class Alias(Schema):
    name: str
    language: str
    script: str


class OrganizationOut(Permalinked):
    slug: str
    url: Urls
    short_url: str
    name: Text
    acronym: str
    kind: Literal[tuple(OrganizationKind.values)]
    country: str | None = Field(description="ISO code; null for international bodies.")
    parent: str | None = Field(description="The slug of the parent organization.")
    founding_year: int | None
    description: Text
    aliases: list[Alias]
    updated_at: datetime

    resolve_name = bilingual("name")

    @staticmethod
    def resolve_country(obj):
        return country_code(obj.country)

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.slug if obj.parent_id else None

    resolve_description = bilingual("description")


class PositionOut(Schema):
    organization: str = Field(description="The organization's slug.")
    title: Text
    start_date: PartialDate = Field(description=PARTIAL_DATE_DESCRIPTION)
    start_precision: Precision
    end_date: PartialDate = Field(description=PARTIAL_DATE_DESCRIPTION)
    end_precision: Precision

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.slug

    resolve_title = bilingual("title")

    @staticmethod
    def resolve_start_date(obj):
        return iso_or_none(obj.start_date, obj.start_precision)

    @staticmethod
    def resolve_end_date(obj):
        return iso_or_none(obj.end_date, obj.end_precision)


class PersonOut(Permalinked):
    slug: str
    url: Urls
    short_url: str
    name: Text
    rank: Text
    country: str | None
    description: Text
    aliases: list[Alias]
    positions: list[PositionOut]
    updated_at: datetime

    resolve_name = bilingual("name")
    resolve_rank = bilingual("rank")

    @staticmethod
    def resolve_country(obj):
        return country_code(obj.country)

    resolve_description = bilingual("description")


class TopicOut(Permalinked):
    slug: str
    url: Urls
    short_url: str
    name: Text
    description: Text
    conference_count: int
    updated_at: datetime

    resolve_name = bilingual("name")
    resolve_description = bilingual("description")


class SourceOut(Permalinked):
    slug: str
    url: Urls
    short_url: str
    title: Text
    outlet: Text
    author: Text
    kind: Literal[tuple(SourceKind.values)]
    language: Literal[tuple(Language.values)]
    published_on: PartialDate = Field(description=PARTIAL_DATE_DESCRIPTION)
    published_precision: Precision
    address: str = Field(description="The original article's http or https address, when known.")
    summary: Text
    updated_at: datetime

    resolve_title = bilingual("title")
    resolve_outlet = bilingual("outlet")
    resolve_author = bilingual("author")

    @staticmethod
    def resolve_published_on(obj):
        return iso_or_none(obj.published_on, obj.published_precision)

    @staticmethod
    def resolve_address(obj):
        return web_address(obj.url)

    resolve_summary = bilingual("summary")
