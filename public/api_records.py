"""The conferences of the JSON API, the record (/api/v1/conferences/<slug>/) and each of the list's
(/api/v1/conferences/), read as plain rows and built as the dicts their schema,
public.schemas.ConferenceOut, describes.

Loading a conference's dozens of rows as model instances and passing each through the schema's
resolvers and django-ninja's validation cost several times the CPU of the conference page, which
reads the same rows as values (public/conference_page.py). Here a record's rows are read with
queries compiled once (core/prepared.py), in two: its topics and rows in the conference page's
query, its citations in another; a list page's are read for all its conferences at once, one
query per kind. The answer is built in the schema's field order and written by the API's renderer,
as django-ninja writes a validated answer: the same bytes (tests/test_api_conference.py compares
them with what the schema draws from the records).

The cache tags (core/tags.py) are those loading the records would add: the conference, its host
country and series (loaded as records here too), its topics, the countries, people and
organizations of its rows, the sources of its citations and the citations of its rows. The rows
themselves and the conference's own citations point to the conference, whose about tag the
record's answer carries; a list carries no about tag, so it carries theirs too.
"""

import re
from dataclasses import dataclass, field

from django.utils import translation

from conferences.models import (
    Attendance,
    AttendanceRole,
    Citation,
    Conference,
    ConferenceOrganization,
    OrganizationRole,
    Participation,
    ParticipationRole,
    SourceReport,
    Topic,
)
from core import tags as cache_tags
from core.addresses import cached_reverse
from core.dates import iso_or_none
from core.prepared import Prepared
from organizations.models import Organization
from participants.models import Country, Person

from .conference_page import ATTENDANCE, ORGANIZATION_ROLE, PARTICIPATION, PLAIN, ROWS, STAND_IN, TOPIC
from .schemas import LANGUAGES, text
from .security import web_address

# An address that request.build_absolute_uri() would only put after the scheme and host: a path
# of ASCII letters, digits, "-", "_" and "/", not starting with "//".
SIMPLE_PATH = re.compile(r"/(?:[-\w][-/\w]*)?", re.ASCII)


class PageUrls:
    """{"ar": …, "en": …}, the absolute addresses of a record's page in each language, as
    public.schemas.page_urls gives them: each kind's address is reversed once per language, for
    a stand-in, and each record's put in its place."""

    def __init__(self, request):
        self.request = request
        # What build_absolute_uri() puts before a simple path.
        self.root = request.build_absolute_uri("/")[:-1]
        self.parts = {}

    def absolute(self, path):
        if SIMPLE_PATH.fullmatch(path):
            return self.root + path
        return self.request.build_absolute_uri(path)

    def __call__(self, url_name, name, value):
        if isinstance(value, int):
            value = str(value)
        if not PLAIN.fullmatch(value):
            return {language: self.absolute(self.reverse(language, url_name, name, value)) for language in LANGUAGES}
        parts = self.parts.get(url_name)
        if parts is None:
            parts = self.parts[url_name] = {
                language: self.reverse(language, url_name, name, STAND_IN).split(STAND_IN) for language in LANGUAGES
            }
        return {language: self.absolute(value.join(parts[language])) for language in LANGUAGES}

    @staticmethod
    def reverse(language, url_name, name, value):
        with translation.override(language):
            return cached_reverse(url_name, **{name: value})


def both(ar, en):
    """A translated field in both languages, as public.schemas.text gives it."""
    return {"ar": ar or "", "en": en or ""}


def ranks(choices):
    return {value: index for index, value in enumerate(choices.values)}


PARTICIPATION_RANK = ranks(ParticipationRole)
ATTENDANCE_RANK = ranks(AttendanceRole)
ORGANIZATION_RANK = ranks(OrganizationRole)

# The columns read of each kind of row, in the order conference_record() takes them.
PARTICIPATION_FIELDS = ("pk", "role", "note_ar", "note_en", "country_id", "country__code", "country__name_ar",
                        "country__name_en")
ATTENDANCE_FIELDS = ("pk", "role", "person_id", "person__slug", "person__name_ar", "person__name_en",
                     "organization_id", "organization__slug", "organization__name_ar", "organization__name_en",
                     "organization__acronym")
ORGANIZATION_ROLE_FIELDS = ("pk", "role", "organization_id", "organization__slug", "organization__name_ar",
                            "organization__name_en", "organization__acronym")
TOPIC_FIELDS = ("pk", "slug", "name_ar", "name_en")
CITATION_FIELDS = (
    "key", "fact", "quote_language", "original", "stance", "excerpt_ar", "excerpt_en", "claim_ar", "claim_en",
    "attributed_to_ar", "attributed_to_en", "pk", "conference_id", "participation_id", "attendance_id",
    "conference_organization_id", "source_id", "source__slug", "source__title_ar", "source__title_en",
    "source__outlet_ar", "source__outlet_en", "source__url",
)
ROW_TARGETS = ("participation", "attendance", "conference_organization")
CONFERENCE_COLUMN = CITATION_FIELDS.index("conference_id")
CITATION_PK = CITATION_FIELDS.index("pk")


def citations_of(rows, key, lookup="exact"):
    """The citations of the conference(s) `key` and of their rows, with their sources: one part per
    kind, each by an index."""
    return rows.filter(**{f"conference__{lookup}": key}).order_by().values_list(*CITATION_FIELDS).union(
        *(rows.filter(**{f"{target}__conference__{lookup}": key}).order_by().values_list(*CITATION_FIELDS)
          for target in ROW_TARGETS),
        all=True,
    )


# A conference's citations, compiled once (core/prepared.py).
CITATIONS = Prepared(Citation, citations_of)


@dataclass
class Rows:
    """What hangs from one conference, as conference_record() takes it: tuples of the fields above."""

    participations: list = field(default_factory=list)
    attendances: list = field(default_factory=list)
    organization_roles: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    citations: list = field(default_factory=list)


def rows_of(conference):
    """The rows of one conference, in two queries: its topics and rows, read with the conference
    page's (public.conference_page.ROWS: one query for every kind), then its citations. The other
    editions of its series, which that query reads for the page, are left out: the record does not
    show them."""
    found = Rows()
    for (
        kind, pk, role, note_ar, note_en, record_id, slug, name_ar, name_en, _rank_ar, _rank_en,
        organization_id, organization_slug, organization_ar, organization_en, acronym, _edition, _date,
    ) in ROWS(conference.pk):
        if kind == PARTICIPATION:
            found.participations.append((pk, role, note_ar, note_en, record_id, slug, name_ar, name_en))
        elif kind == ATTENDANCE:
            found.attendances.append((
                pk, role, record_id, slug, name_ar, name_en,
                organization_id, organization_slug, organization_ar, organization_en, acronym,
            ))
        elif kind == ORGANIZATION_ROLE:
            found.organization_roles.append((pk, role, record_id, slug, name_ar, name_en, acronym))
        elif kind == TOPIC:
            found.topics.append((pk, slug, name_ar, name_en))
    found.citations = CITATIONS(conference.pk)
    return found


def plain(model):
    """The model's records without modeltranslation's rewriting of field names (as core/prepared.py)."""
    rows = model._default_manager.all()
    return rows.rewrite(False) if hasattr(rows, "rewrite") else rows


def rows_of_page(conferences):
    """{key: Rows} of a page of conferences, in five queries for all."""
    keys = [conference.pk for conference in conferences]
    found = {key: Rows() for key in keys}
    if not keys:
        return found
    conference_of = {}
    for kind, model, fields in (
        ("participations", Participation, PARTICIPATION_FIELDS),
        ("attendances", Attendance, ATTENDANCE_FIELDS),
        ("organization_roles", ConferenceOrganization, ORGANIZATION_ROLE_FIELDS),
    ):
        of_kind = conference_of[model] = {}
        for conference_id, *row in plain(model).filter(conference__in=keys).order_by().values_list(
            "conference_id", *fields
        ):
            getattr(found[conference_id], kind).append(tuple(row))
            of_kind[row[0]] = conference_id
    links = Conference.topics.through.objects.filter(conference_id__in=keys).order_by("topic__slug").values_list(
        "conference_id", *(f"topic__{name}" for name in TOPIC_FIELDS)
    )
    for conference_id, *row in links:
        found[conference_id].topics.append(tuple(row))
    row_models = (Participation, Attendance, ConferenceOrganization)
    for row in citations_of(plain(Citation), keys, "in"):
        conference_id, *row_ids = row[CONFERENCE_COLUMN: CONFERENCE_COLUMN + 4]
        if conference_id is None:
            # A row's citation; its row may have been added after the rows were read: left out.
            conference_id = next(
                (conference_of[model].get(row_id) for model, row_id in zip(row_models, row_ids, strict=True)
                 if row_id),
                None,
            )
        if conference_id is not None:
            found[conference_id].citations.append(row)
    return found


def conference_record(request, conference, rows, urls=None, listed=False):
    """The API's record of `conference` (a record, with its host country and series loaded), with
    its `rows`, as ConferenceOut would give it; adds the tags of the records it shows. `urls` may
    be shared by the records of one answer; `listed`: the answer lists conferences, and carries no
    conference's about tag, so it carries the tags of the rows and of every citation too."""
    pk = conference.pk
    urls = urls or PageUrls(request)

    countries, participations = set(), {}
    ordered = []
    for row_pk, role, note_ar, note_en, country_id, code, name_ar, name_en in rows.participations:
        countries.add(country_id)
        participations[row_pk] = code
        ordered.append(((PARTICIPATION_RANK.get(role, len(PARTICIPATION_RANK)), code), {
            "code": code,
            "role": role,
            "name": both(name_ar, name_en),
            "note": both(note_ar, note_en),
            "url": urls("countries:detail", "code", code.lower()),
        }))
    ordered.sort(key=first)
    country_rows = [row for _, row in ordered]

    organizations, organization_refs = set(), {}

    def organization(organization_pk, slug, name_ar, name_en, acronym):
        found = organization_refs.get(organization_pk)
        if found is None:
            organizations.add(organization_pk)
            found = organization_refs[organization_pk] = {
                "slug": slug, "name": both(name_ar, name_en), "acronym": acronym,
                "url": urls("organizations:detail", "slug", slug),
            }
        return found

    people, attendances = set(), {}
    ordered = []
    for (
        row_pk, role, person_id, slug, name_ar, name_en,
        organization_id, organization_slug, organization_ar, organization_en, acronym,
    ) in rows.attendances:
        people.add(person_id)
        attendances[row_pk] = slug
        represented = None
        if organization_id is not None:
            represented = organization(organization_id, organization_slug, organization_ar, organization_en, acronym)
        ordered.append(((ATTENDANCE_RANK.get(role, len(ATTENDANCE_RANK)), slug), {
            "slug": slug,
            "name": both(name_ar, name_en),
            "role": role,
            "organization": represented,
            "url": urls("people:detail", "slug", slug),
        }))
    ordered.sort(key=first)
    person_rows = [row for _, row in ordered]

    organization_roles = {}
    ordered = []
    for row_pk, role, organization_id, slug, name_ar, name_en, acronym in rows.organization_roles:
        reference = organization(organization_id, slug, name_ar, name_en, acronym)
        organization_roles[row_pk] = slug
        ordered.append(((ORGANIZATION_RANK.get(role, len(ORGANIZATION_RANK)), slug), {
            "slug": slug,
            "name": reference["name"],
            "acronym": acronym,
            "role": role,
            "url": reference["url"],
        }))
    ordered.sort(key=first)
    organization_rows = [row for _, row in ordered]

    topics = []
    topic_rows = []
    for topic_pk, slug, name_ar, name_en in rows.topics:
        topics.append(topic_pk)
        topic_rows.append({"slug": slug, "name": both(name_ar, name_en), "url": urls("topics:detail", "slug", slug)})

    sources, citations, row_citations = {}, [], []
    subjects = (participations, attendances, organization_roles)
    for (
        key, fact, quote_language, original, stance, excerpt_ar, excerpt_en, claim_ar, claim_en, attributed_ar,
        attributed_en, citation_pk, _conference_id, *row_ids, source_id, source_slug, title_ar, title_en, outlet_ar,
        outlet_en, address,
    ) in rows.citations:
        # The record at the conference the citation is about (CitationOut.resolve_subject).
        subject = None
        for found, row_id in zip(subjects, row_ids, strict=True):
            if row_id:
                subject = found.get(row_id)
                break
        if any(row_ids):
            if subject is None:
                # Its row was added after the rows were read (each query reads what is committed
                # then): left out, as the citations of the rows read are all that are shown.
                continue
            row_citations.append(citation_pk)
        if source_id not in sources:
            sources[source_id] = {
                "slug": source_slug,
                "title": both(title_ar, title_en),
                "outlet": both(outlet_ar, outlet_en),
                "address": web_address(address),
                "url": urls("sources:detail", "slug", source_slug),
            }
        citations.append({
            "key": key,
            "fact": fact,
            "subject": subject,
            "source": source_slug,
            "quote_language": quote_language,
            "excerpt": both(excerpt_ar, excerpt_en),
            "original": original,
            "claim": both(claim_ar, claim_en),
            "attributed_to": both(attributed_ar, attributed_en),
            "stance": stance,
        })
    citations.sort(key=lambda citation: (citation["fact"], citation["key"]))

    shown = (
        (Topic, topics), (Country, countries), (Person, people), (Organization, organizations),
        (SourceReport, sources), (Citation, row_citations),
    )
    if listed:
        shown += (
            (Participation, participations), (Attendance, attendances), (ConferenceOrganization, organization_roles),
            (Citation, [citation[CITATION_PK] for citation in rows.citations]),
        )
    cache_tags.add(*(tag for model, pks in shown for tag in cache_tags.tags_of(model, pks)))

    host, series = conference.host_country, conference.series
    return {
        "id": pk,
        "slug": conference.slug,
        "url": urls("conferences:detail", "slug", conference.slug),
        "short_url": urls.absolute(conference.get_short_url()),
        "name": text(conference, "name"),
        "short_name": text(conference, "short_name"),
        "status": conference.status,
        "start_date": iso_or_none(conference.start_date, conference.start_precision),
        "end_date": iso_or_none(conference.end_date, conference.end_precision),
        "date_precision": conference.start_precision,
        "start_precision": conference.start_precision,
        "end_precision": conference.end_precision,
        "city": text(conference, "city"),
        "host_country": host.code if host is not None else None,
        "series": {"slug": series.slug, "name": text(series, "name")} if series is not None else None,
        "edition": conference.edition,
        "theme": text(conference, "theme"),
        "preparations": text(conference, "preparations"),
        "country_count": conference.country_count,
        "summary": text(conference, "summary"),
        "background": text(conference, "background"),
        "outcomes": text(conference, "outcomes"),
        "countries": country_rows,
        "people": person_rows,
        "organizations": organization_rows,
        "topics": topic_rows,
        "sources": sorted(sources.values(), key=lambda source: source["slug"]),
        "citations": citations,
        "updated_at": conference.updated_at,
    }


def first(pair):
    return pair[0]
