"""What a conference page shows of the records around the conference, read as plain rows and drawn
in Python.

A conference names dozens of countries, people, organizations and citations. Loading each as a
model instance (its translated fields, timestamps and cache-tag bookkeeping) and drawing each
through template loops cost most of the page's time; here they are read as plain rows of the
columns shown, in two queries (the topics, rows and other editions; the citations), and
each repeated part is drawn in one pass, its labels translated once.

The cache tags (core/tags.py) are added for every record shown, as loading them would: the
countries, people, organizations, topics and sources, and the citations of the rows; the other
editions, shown as links, carry their cards' tags (core.tags.part). The rows themselves
(participations, attendances, organizations' roles) and the citations of the conference point to
the conference, whose page carries its about tag: a change to one of them drops the page through it.
"""

import datetime
import re
from dataclasses import dataclass, field
from html import escape
from operator import itemgetter

from django.db import router
from django.db.models import BigIntegerField, CharField, DateField, F, IntegerField, TextField, Value
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conferences.models import (
    Attendance,
    AttendanceRole,
    Citation,
    Conference,
    ConferenceOrganization,
    Fact,
    OrganizationRole,
    Participation,
    ParticipationRole,
    Series,
    SourceReport,
    Topic,
)
from core import tags as cache_tags
from core.addresses import cached_reverse
from core.prepared import Prepared, concrete, manager_rows
from organizations.models import Organization
from participants.models import Country, Person

from .evidence import Marks, References, shared
from .templatetags.site_tags import isolate_runs


def in_language(ar, en, english):
    """A translated field's text as the models give it: the page's language, else Arabic."""
    return (en if english else None) or ar or ""


# --- The records the page links to ----------------------------------------------------------------

# Stands in for a slug, a key or a code when an address is reversed; any of them may be put in its place
# that the URL converters take as they are (reverse() would quote nothing in them).
STAND_IN = "9072651"
PLAIN = re.compile(r"[-a-zA-Z0-9_]+")


class Addresses:
    """The addresses of the records one page links to, in its language: each kind's address is
    reversed once, for a stand-in, and each record's put in its place."""

    def __init__(self):
        self.parts = {}

    def __call__(self, url_name, name, value):
        if isinstance(value, int):
            value = str(value)
        elif not PLAIN.fullmatch(value):
            return cached_reverse(url_name, **{name: value})
        parts = self.parts.get(url_name)
        if parts is None:
            parts = self.parts[url_name] = cached_reverse(url_name, **{name: STAND_IN}).split(STAND_IN)
        return value.join(parts)


@dataclass(slots=True)
class Linked:
    """A record with a page of its own: its name, its page and its short link (for the JSON-LD)."""

    pk: int
    name: str
    url: str
    short_url: str = ""

    def get_absolute_url(self):
        return self.url

    def get_short_url(self):
        return self.short_url


@dataclass(slots=True)
class PersonLink(Linked):
    rank: str = ""


@dataclass(slots=True)
class OrganizationLink(Linked):
    acronym: str = ""


@dataclass(frozen=True, slots=True)
class CountryLink:
    pk: int
    code: str
    name: str
    url: str

    def get_absolute_url(self):
        return self.url


@dataclass(slots=True)
class Source:
    """A source report as a reference names it."""

    pk: int
    title: str
    outlet: str
    published_on: datetime.date | None
    published_precision: str
    url: str

    def get_absolute_url(self):
        return self.url


@dataclass(slots=True)
class Cited:
    """A citation as the page shows it; `identity` is Citation.identity's, `ref_number` and
    `anchor` are given by public.evidence.References."""

    pk: int
    fact: str
    source: Source
    stance: str
    quote_language: str
    original: str
    quotation: str
    excerpt: str
    claim: str
    attributed_to: str
    note: str
    identity: tuple
    ref_number: int | None = None
    anchor: str | None = None

    @property
    def quote_direction(self):
        return "rtl" if self.quote_language == "ar" else "ltr"

    def get_fact_display(self):
        return Fact(self.fact).label


@dataclass(slots=True)
class Row:
    """A participation, attendance or organization's role: its record, role, note and citations."""

    pk: int
    role: str
    note: str
    record: object  # the country, person or organization
    # An organization's role: the organization; an attendance: the one they represented, if stated.
    organization: OrganizationLink | None = None
    cited: list = field(default_factory=list)

    # The names the template tags and the JSON-LD read.
    @property
    def country(self):
        return self.record

    @property
    def person(self):
        return self.record


# --- Loading ------------------------------------------------------------------------------------


def role_order(choices):
    """Sort key for rows by the order of their role's choices (not alphabetically)."""
    rank = {value: index for index, value in enumerate(choices.values)}
    return lambda row: rank.get(row.role, len(rank))


@dataclass
class Rows:
    topics: list
    participations: list
    attendances: list
    organization_roles: list
    other_editions: list
    facts: dict  # the conference's own citations by fact's name ("conference_dates")


# The conference by its slug, with its host country and series, as whole records (the page shows
# most of their fields): what Conference.objects.with_host_and_series() reads.
RELATED = (("host_country", Country), ("series", Series))
CONFERENCE = Prepared(Conference, lambda rows, key: rows.filter(slug=key).values_list(
    *concrete(Conference), *(f"{name}__{attname}" for name, model in RELATED for attname in concrete(model)),
))


def conference(slug):
    """The conference of `slug` as a record, its host country and series in its field cache as
    select_related() leaves them; None if no conference has it now."""
    found = CONFERENCE(slug)
    if not found:
        return None
    alias = router.db_for_read(Conference)
    values = found[0]
    names = concrete(Conference)
    record = Conference.from_db(alias, names, values[: len(names)])
    start = len(names)
    for name, model in RELATED:
        names = concrete(model)
        related = values[start: start + len(names)]
        start += len(names)
        # A conference with no host country or series: its columns are all empty.
        Conference._meta.get_field(name).set_cached_value(
            record, model.from_db(alias, names, related) if related[0] is not None else None
        )
    return record


# The page's queries, by the conference's key, compiled once (core/prepared.py).
#
# The topics, the rows (countries, people, organizations' roles) and the editions of the
# conference's series are one query, a UNION of one part for each kind: a query costs the worker
# and PostgreSQL more than the rows it reads. Each row is led by its kind and has the columns of
# ROW_COLUMNS, empty where its kind has none; each kind comes in its model's order (a topic's
# slug; a row's role, then its country's code, person's slug or organization's slug; an edition's
# number, then its start date).
TOPIC, PARTICIPATION, ATTENDANCE, ORGANIZATION_ROLE, EDITION = range(5)
# Each column, with the type of its NULL in the parts that leave it empty (every part gives the first two).
ROW_COLUMNS = {
    "row_kind": None, "row_pk": None, "row_role": CharField(), "row_note_ar": TextField(),
    "row_note_en": TextField(), "row_record": BigIntegerField(), "row_slug": CharField(),
    "row_name_ar": CharField(), "row_name_en": CharField(), "row_rank_ar": CharField(), "row_rank_en": CharField(),
    # An attendance: the organization the person represented; an organization's role: its acronym.
    "row_organization": BigIntegerField(), "row_organization_slug": CharField(),
    "row_organization_ar": CharField(), "row_organization_en": CharField(), "row_acronym": CharField(),
    # An edition: its number and start date, by which the editions are ordered.
    "row_edition": IntegerField(), "row_date": DateField(),
}


def shaped(rows, kind, **columns):
    """`rows` as the part of ROWS of `kind`: the given fields in their columns, typed NULLs in the
    others (PostgreSQL matches the types of a UNION's columns part by part)."""
    given = {"row_kind": Value(kind), **{f"row_{name}": F(value) for name, value in columns.items()}}
    return rows.annotate(**{
        name: given[name] if name in given else Cast(Value(None), output_field)
        for name, output_field in ROW_COLUMNS.items()
    }).order_by().values_list(*ROW_COLUMNS)


def rows_of(topics, key):
    """ROWS' query: the topics, countries, people, organizations' roles and series' editions of the
    conference `key`."""

    def part(model, kind, record, slug, **columns):
        return shaped(
            manager_rows(model, topics.db).filter(conference=key), kind, pk="pk", role="role", note_ar="note_ar",
            note_en="note_en", record=f"{record}_id", slug=f"{record}__{slug}", name_ar=f"{record}__name_ar",
            name_en=f"{record}__name_en", **columns,
        )

    return shaped(
        topics.filter(conferences=key), TOPIC, pk="pk", record="pk", slug="slug", name_ar="name_ar", name_en="name_en",
    ).union(
        part(Participation, PARTICIPATION, "country", "code"),
        part(
            Attendance, ATTENDANCE, "person", "slug", rank_ar="person__rank_ar", rank_en="person__rank_en",
            organization="organization_id", organization_slug="organization__slug",
            organization_ar="organization__name_ar", organization_en="organization__name_en",
            acronym="organization__acronym",
        ),
        part(ConferenceOrganization, ORGANIZATION_ROLE, "organization", "slug", acronym="organization__acronym"),
        shaped(
            manager_rows(Conference, topics.db).filter(series__conferences=key), EDITION, pk="pk", record="pk",
            slug="slug", name_ar="short_name_ar", name_en="short_name_en", edition="edition", date="start_date",
        ),
        all=True,
    ).order_by("row_kind", "row_role", "row_edition", "row_date", "row_slug")


ROWS = Prepared(Topic, rows_of)
CITATION_FIELDS = (
    "pk", "fact", "source_id", "quote_language", "original", "stance", "excerpt_ar", "excerpt_en", "claim_ar",
    "claim_en", "attributed_to_ar", "attributed_to_en", "note_ar", "note_en",
    "conference_id", "participation_id", "attendance_id", "conference_organization_id",
    "source__slug", "source__title_ar", "source__title_en", "source__outlet_ar", "source__outlet_en",
    "source__published_on", "source__published_precision",
)
ROW_TARGETS = ("participation", "attendance", "conference_organization")
# The citations of the conference and of its rows: one part per kind, each by an index.
CITATIONS = Prepared(Citation, lambda rows, key: rows.filter(conference=key).order_by().values_list(
    *CITATION_FIELDS
).union(
    *(rows.filter(**{f"{target}__conference": key}).order_by().values_list(*CITATION_FIELDS)
      for target in ROW_TARGETS),
    all=True,
))


def load(conference):
    """The conference's topics, countries, people, organizations, other editions and citations, in
    the active language, in two queries; adds the tags of the records they show."""
    english = translation.get_language() == "en"
    address = Addresses()
    topics, countries, people, organizations = [], {}, {}, {}
    participations, attendances, organization_roles, other_editions = [], [], [], []

    def organization(pk, slug, name_ar, name_en, acronym):
        if pk is None:
            return None
        found = organizations.get(pk)
        if found is None:
            found = organizations[pk] = OrganizationLink(
                pk, in_language(name_ar, name_en, english), address("organizations:detail", "slug", slug),
                address("short:organization", "pk", pk), acronym,
            )
        return found

    for (
        kind, pk, role, note_ar, note_en, record_id, slug, name_ar, name_en, rank_ar, rank_en,
        organization_id, organization_slug, organization_ar, organization_en, acronym, _edition, _date,
    ) in ROWS(conference.pk):
        if kind == TOPIC:
            topics.append(Linked(
                pk, in_language(name_ar, name_en, english), address("topics:detail", "slug", slug),
                address("short:topic", "pk", pk),
            ))
        elif kind == PARTICIPATION:
            country = countries.get(record_id)
            if country is None:
                country = countries[record_id] = CountryLink(
                    record_id, slug, in_language(name_ar, name_en, english),
                    address("countries:detail", "code", slug.lower()),
                )
            participations.append(Row(pk, role, in_language(note_ar, note_en, english), country))
        elif kind == ATTENDANCE:
            person = people.get(record_id)
            if person is None:
                person = people[record_id] = PersonLink(
                    record_id, in_language(name_ar, name_en, english),
                    address("people:detail", "slug", slug), address("short:person", "pk", record_id),
                    in_language(rank_ar, rank_en, english),
                )
            attendances.append(Row(
                pk, role, in_language(note_ar, note_en, english), person,
                organization(organization_id, organization_slug, organization_ar, organization_en, acronym),
            ))
        elif kind == ORGANIZATION_ROLE:
            found = organization(record_id, slug, name_ar, name_en, acronym)
            organization_roles.append(Row(pk, role, in_language(note_ar, note_en, english), found, found))
        elif pk != conference.pk:
            other_editions.append(Linked(
                pk, in_language(name_ar, name_en, english), address("conferences:detail", "slug", slug),
            ))
    attendances.sort(key=role_order(AttendanceRole))
    organization_roles.sort(key=role_order(OrganizationRole))

    facts, sources, row_citations = cite(
        conference, participations, attendances, organization_roles, english, address
    )
    shown = (
        (Topic, [topic.pk for topic in topics]),
        (Country, countries),
        (Person, people),
        (Organization, organizations),
        (SourceReport, sources),
        (Citation, row_citations),
    )
    cache_tags.add(*(tag for model, pks in shown for tag in cache_tags.tags_of(model, pks)))
    # The other editions show their links alone: an edit of one's summary leaves this page.
    cache_tags.add(*cache_tags.part_tags(Conference, [edition.pk for edition in other_editions], "card"))
    return Rows(topics, participations, attendances, organization_roles, other_editions, facts)


def cite(conference, participations, attendances, organization_roles, english, address):
    """Gives each row its `cited` list, in the citations' order (as Citation.objects.attach).
    Returns the conference's own citations by fact's name, the sources by key, and the keys of
    the rows' citations."""
    targets = (
        {row.pk: row for row in participations},
        {row.pk: row for row in attendances},
        {row.pk: row for row in organization_roles},
    )
    facts, sources, row_citations, fact_names = {}, {}, [], {}
    for (
        pk, fact, source_id, quote_language, original, stance, excerpt_ar, excerpt_en, claim_ar, claim_en,
        attributed_ar, attributed_en, note_ar, note_en, conference_id, *row_ids,
        slug, title_ar, title_en, outlet_ar, outlet_en, published_on, precision,
    ) in sorted(CITATIONS(conference.pk), key=itemgetter(0)):
        source = sources.get(source_id)
        if source is None:
            source = sources[source_id] = Source(
                source_id, in_language(title_ar, title_en, english), in_language(outlet_ar, outlet_en, english),
                published_on, precision, address("sources:detail", "slug", slug),
            )
        # The source's own words (Citation.quotation).
        quotation = {"ar": excerpt_ar, "en": excerpt_en}.get(quote_language, original)
        cited = Cited(
            pk, fact, source, stance, quote_language, original, quotation or "",
            in_language(excerpt_ar, excerpt_en, english), in_language(claim_ar, claim_en, english),
            in_language(attributed_ar, attributed_en, english), in_language(note_ar, note_en, english),
            # Citation.identity
            (fact, source_id, quote_language, original, stance, excerpt_ar, excerpt_en, claim_ar, claim_en,
             attributed_ar, attributed_en, note_ar, note_en),
        )
        if conference_id is not None:
            name = fact_names.get(fact)
            if name is None:
                name = fact_names[fact] = Fact(fact).name.lower()
            facts.setdefault(name, []).append(cited)
            continue
        row_citations.append(pk)
        for rows, row_id in zip(targets, row_ids, strict=True):
            row = rows.get(row_id)
            if row is not None:
                row.cited.append(cited)
                break
    return facts, sources, row_citations


# --- Drawing ------------------------------------------------------------------------------------

# Headings of the country groups on a conference page, in the order they are shown.
PARTICIPATION_GROUPS = [
    (ParticipationRole.HOST, _("Host")),
    (ParticipationRole.PARTICIPANT, _("Taking part")),
    (ParticipationRole.ANNOUNCED, _("Announced as taking part")),
    (ParticipationRole.ABSENT, _("Reported absent")),
]
# The facts about the conference itself that the page shows before its rows, in its order; the
# outcomes come after the rows.
FACTS_BEFORE_ROWS = (
    "conference_name", "conference_status", "conference_dates", "conference_preparations", "conference_place",
    "conference_country_count", "conference_theme", "conference_background", "conference_topics",
)
FACTS_AFTER_ROWS = ("conference_outcomes",)


def link(record):
    return f'<a href="{escape(record.get_absolute_url())}"><bdi>{escape(record.name)}</bdi></a>'


def note(row):
    return f'<span class="evidence-note">{isolate_runs(row.note)}</span>' if row.note else ""


class Drawing:
    """The parts of a conference page drawn in Python, in the page's order, so that the references
    are numbered as the page shows them. Translated texts are trusted as a template trusts them;
    every value is escaped."""

    def __init__(self, rows):
        self.rows = rows
        self.references = References()
        self.marks = Marks(self.references)
        self.role_labels = {}

    def draw(self):
        """{name: markup} of every mark of a fact and of every list the template shows."""
        facts = self.rows.facts
        drawn = {name: self.marks(facts.get(name)) for name in FACTS_BEFORE_ROWS}
        drawn["organizations"] = self.organizations()
        drawn["countries"] = self.countries()
        drawn["people"] = self.people()
        drawn.update((name, self.marks(facts.get(name))) for name in FACTS_AFTER_ROWS)
        drawn["topics"] = SafeString("".join(f"<li>{link(topic)}</li>\n" for topic in self.rows.topics))
        separator = gettext(",") + " "
        drawn["other_editions"] = SafeString(separator.join(link(edition) for edition in self.rows.other_editions))
        return drawn

    def role(self, choices, value):
        label = self.role_labels.get((choices, value))
        if label is None:
            label = self.role_labels[choices, value] = escape(str(dict(choices.choices).get(value, value)))
        return label

    def organizations(self):
        parts = []
        for row in self.rows.organization_roles:
            organization = row.record
            acronym = f" (<bdi>{escape(organization.acronym)}</bdi>)" if organization.acronym else ""
            parts.append(
                f"<li>\n{link(organization)}{acronym}\n— {self.role(OrganizationRole, row.role)}"
                f"{self.marks(row.cited)}\n{note(row)}\n</li>\n"
            )
        return SafeString("".join(parts))

    def countries(self):
        """The countries by their part, each group under its heading; a group whose rows all say the
        same thing says it once (public.evidence.shared)."""
        participations = self.rows.participations
        parts = []
        for role, heading in PARTICIPATION_GROUPS:
            rows = [row for row in participations if row.role == role]
            if not rows:
                continue
            parts.append(f"<h3>{heading}</h3>\n")
            first = shared(rows).get("shared")
            if first is not None:
                count = len(rows)
                counted = ngettext("%(counter)s country", "%(counter)s countries", count) % {"counter": count}
                parts.append(
                    f'<p class="group-evidence">{counted}{self.marks(first.cited)}\n{note(first)}</p>\n'
                    '<ul class="inline-list">\n'
                    + "".join(f"<li>{link(row.country)}</li>" for row in rows)
                    + "\n</ul>\n"
                )
            else:
                parts.append('<ul class="plain-list">\n')
                parts.extend(
                    f"<li>\n{link(row.country)}{self.marks(row.cited)}\n{note(row)}\n</li>\n" for row in rows
                )
                parts.append("</ul>\n")
        if not parts:
            none = gettext("No country's part in this conference is recorded yet.")
            parts.append(f'<p class="meta">{none}</p>\n')
        return SafeString("".join(parts))

    def people(self):
        """The rows of the people table."""
        person_label = escape(gettext("Person"))
        role_label = escape(gettext("Role"))
        representing_label = escape(gettext("Representing"))
        not_stated = gettext("not stated")
        not_stated = f'<span class="meta">{not_stated}</span>'
        parts = []
        for row in self.rows.attendances:
            person = row.person
            rank = f"<bdi>{escape(person.rank)}</bdi> " if person.rank else ""
            representing = link(row.organization) if row.organization else not_stated
            parts.append(
                f'<tr>\n<td data-label="{person_label}">\n{rank}{link(person)}{self.marks(row.cited)}\n{note(row)}\n'
                f'</td>\n<td data-label="{role_label}">{self.role(AttendanceRole, row.role)}</td>\n'
                f'<td data-label="{representing_label}">{representing}</td>\n</tr>\n'
            )
        return SafeString("".join(parts))
