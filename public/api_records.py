"""A conference's record in the JSON API (/api/v1/conferences/<slug>/), read as plain rows and
built as the dicts its schema, public.schemas.ConferenceOut, describes.

Loading a conference's dozens of rows as model instances and passing each through the schema's
resolvers and django-ninja's validation cost some four times the CPU of the conference page,
which reads the same rows as values (public/conference_page.py). Here the record is read with
that page's queries, compiled once (public/prepared.py), plus one for the citations with what
the API shows of them; the answer is built in the schema's field order and written by the API's
renderer, as django-ninja writes a validated answer: the same bytes (tests/test_api_conference.py
compares them with what the schema draws from the records).

The cache tags (core/tags.py) are those loading the records would add: the conference, its
host country and series (loaded as records here too), its topics, the countries, people and
organizations of its rows, the sources of its citations and the citations of its rows. The rows
themselves and the conference's own citations point to the conference, whose about tag the
answer carries.
"""

import re

from django.utils import translation

from conferences.models import AttendanceRole, Citation, OrganizationRole, ParticipationRole, SourceReport, Topic
from core import tags as cache_tags
from core.addresses import cached_reverse
from core.dates import iso_or_none
from organizations.models import Organization
from participants.models import Country, Person

from .conference_page import ATTENDANCES, ORGANIZATION_ROLES, PARTICIPATIONS, PLAIN, STAND_IN, TOPICS
from .prepared import Prepared
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

CITATION_FIELDS = (
    "key", "fact", "quote_language", "original", "stance", "excerpt_ar", "excerpt_en", "claim_ar", "claim_en",
    "attributed_to_ar", "attributed_to_en", "pk", "participation_id", "attendance_id", "conference_organization_id",
    "source_id", "source__slug", "source__title_ar", "source__title_en", "source__outlet_ar", "source__outlet_en",
    "source__url",
)
ROW_TARGETS = ("participation", "attendance", "conference_organization")
# The citations of the conference and of its rows, with their sources: one part per kind, each by an index.
CITATIONS = Prepared(Citation, lambda rows, key: rows.filter(conference=key).order_by().values_list(
    *CITATION_FIELDS
).union(
    *(rows.filter(**{f"{target}__conference": key}).order_by().values_list(*CITATION_FIELDS)
      for target in ROW_TARGETS),
    all=True,
))


def conference_record(request, conference):
    """The API's record of `conference` (from public.conference_page.conference(), with its host
    country and series), as ConferenceOut would give it; adds the tags of the records it shows."""
    pk = conference.pk
    urls = PageUrls(request)

    countries, participations = set(), {}
    rows = []
    for row_pk, role, note_ar, note_en, country_id, code, name_ar, name_en in PARTICIPATIONS(pk):
        countries.add(country_id)
        participations[row_pk] = code
        rows.append(((PARTICIPATION_RANK.get(role, len(PARTICIPATION_RANK)), code), {
            "code": code,
            "role": role,
            "name": both(name_ar, name_en),
            "note": both(note_ar, note_en),
            "url": urls("countries:detail", "code", code.lower()),
        }))
    rows.sort(key=first)
    country_rows = [row for _, row in rows]

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
    rows = []
    for (
        row_pk, role, _note_ar, _note_en, person_id, slug, name_ar, name_en, _rank_ar, _rank_en,
        organization_id, organization_slug, organization_ar, organization_en, acronym,
    ) in ATTENDANCES(pk):
        people.add(person_id)
        attendances[row_pk] = slug
        represented = None
        if organization_id is not None:
            represented = organization(organization_id, organization_slug, organization_ar, organization_en, acronym)
        rows.append(((ATTENDANCE_RANK.get(role, len(ATTENDANCE_RANK)), slug), {
            "slug": slug,
            "name": both(name_ar, name_en),
            "role": role,
            "organization": represented,
            "url": urls("people:detail", "slug", slug),
        }))
    rows.sort(key=first)
    person_rows = [row for _, row in rows]

    organization_roles = {}
    rows = []
    for row_pk, role, _note_ar, _note_en, organization_id, slug, name_ar, name_en, acronym in ORGANIZATION_ROLES(pk):
        reference = organization(organization_id, slug, name_ar, name_en, acronym)
        organization_roles[row_pk] = slug
        rows.append(((ORGANIZATION_RANK.get(role, len(ORGANIZATION_RANK)), slug), {
            "slug": slug,
            "name": reference["name"],
            "acronym": acronym,
            "role": role,
            "url": reference["url"],
        }))
    rows.sort(key=first)
    organization_rows = [row for _, row in rows]

    topics = []
    topic_rows = []
    for topic_pk, slug, name_ar, name_en in TOPICS(pk):
        topics.append(topic_pk)
        topic_rows.append({"slug": slug, "name": both(name_ar, name_en), "url": urls("topics:detail", "slug", slug)})

    sources, citations, row_citations = {}, [], []
    subjects = (participations, attendances, organization_roles)
    for (
        key, fact, quote_language, original, stance, excerpt_ar, excerpt_en, claim_ar, claim_en, attributed_ar,
        attributed_en, citation_pk, *row_ids, source_id, source_slug, title_ar, title_en, outlet_ar, outlet_en,
        address,
    ) in CITATIONS(pk):
        if source_id not in sources:
            sources[source_id] = {
                "slug": source_slug,
                "title": both(title_ar, title_en),
                "outlet": both(outlet_ar, outlet_en),
                "address": web_address(address),
                "url": urls("sources:detail", "slug", source_slug),
            }
        # The record at the conference the citation is about (CitationOut.resolve_subject).
        subject = None
        for found, row_id in zip(subjects, row_ids, strict=True):
            if row_id:
                subject = found[row_id]
                break
        if any(row_ids):
            row_citations.append(citation_pk)
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
