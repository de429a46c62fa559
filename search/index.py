"""Writing the search index: one SearchEntry per conference, series, person, organization, country,
topic and source report.

- `rebuild()` rewrites the whole index in bulk: the rows are built in Python from a few
  queries per kind and written with COPY on PostgreSQL (bulk_create elsewhere). Run by
  `rebuild_search_index`, at the end of `load_seeds` and of `generate_synthetic`.
- `reindex(kind, ids)` rewrites the rows of a few records. When an editor saves or deletes a
  record, one of its alternative names or positions, a conference's attendee, organization or
  citation, or a record whose name other rows hold (a country, person, organization, series or
  source), the receivers below note which rows change; they are rewritten once, after the transaction
  commits (core.changes), not once per save. A bulk write (the seed loader, the synthetic data)
  is followed by a rebuild.
"""

from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from conferences.models import (
    Attendance,
    Citation,
    Conference,
    ConferenceOrganization,
    Participation,
    Series,
    SourceReport,
    Topic,
)
from core import tags
from core.arabic import search_words
from core.changes import after_commit, bulk_written, in_bulk_write
from core.dates import DatePrecision
from organizations.models import Organization, OrganizationAlias, Position
from participants.models import Country, Person, PersonAlias, Region

from .models import INDEX_TAG, SearchEntry, SearchKind, SearchWord
from .query import vocabulary_words

LANGUAGES = ("ar", "en")
BATCH = 2000
# The columns written, in the order COPY takes them.
COLUMNS = [
    "kind", "object_id", "slug", "title_ar", "title_en", "detail_ar", "detail_en", "body_ar", "body_en",
    "aliases", "date", "date_precision", "names", "text",
]


@lru_cache(maxsize=50_000)
def _short_key(text):
    return " ".join(search_words(text))


def _key(text):
    """The search key of one text; short ones (names, places: they repeat) are cached."""
    return _short_key(text) if len(text) <= 200 else " ".join(search_words(text))


def keyed(parts):
    """Search keys of `parts`, each between "| " and " |", without empty or repeated parts."""
    keys = []
    for part in parts:
        key = _key(part) if part else ""
        if key and key not in keys:
            keys.append(key)
    return "| " + " | ".join(keys) + " |" if keys else ""


def per_language(row, field):
    return [row[f"{field}_{language}"] or "" for language in LANGUAGES]


def translated(*fields):
    return [f"{field}_{language}" for field in fields for language in LANGUAGES]


def joined(*parts, separator=" · "):
    return separator.join(part for part in parts if part)


def entry(kind, row, slug, title, *, other_names=(), aliases=(), details=("", ""), bodies=("", ""), extra=(),
          date=None, date_precision=DatePrecision.UNKNOWN):
    """One SearchEntry from a record's values: `title` names the translated field shown as the
    title; `other_names` (short names, acronym, code) and `aliases` (alternative-name rows) are
    names too; `details` and `bodies` are shown per language and searched, `extra` only searched."""
    title_ar, title_en = per_language(row, title)
    others = [name for name in dict.fromkeys([*other_names, *aliases]) if name]
    name_key = keyed([title_ar, title_en, *others])
    other_key = keyed([*details, *bodies, *extra, slug])
    return SearchEntry(
        kind=kind, object_id=row["pk"], slug=slug, title_ar=title_ar[:400], title_en=title_en[:400],
        detail_ar=details[0][:400], detail_en=details[1][:400], body_ar=bodies[0], body_en=bodies[1],
        aliases="\n".join(others), date=date, date_precision=date_precision or DatePrecision.UNKNOWN,
        names=name_key, text=f"{name_key} {other_key}".strip(),
    )


@lru_cache(maxsize=64)
def region_name(region, language):
    with translation.override(language):
        return str(Region(region).label) if region in Region.values else ""


# --- One builder per kind: the rows of the given records (all when ids is None) ---------------
# They read plain values, not model instances: a rebuild reads tens of thousands of records.


def _values(model, ids, *fields):
    queryset = model._default_manager.order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.values("pk", *fields).iterator(chunk_size=BATCH)


def _grouped(model, owner, ids, *fields):
    """{owner id: [values, …]} of a model's rows that belong to the records `ids` (all when None)."""
    queryset = model._default_manager.order_by("pk")
    if ids is not None:
        queryset = queryset.filter(**{f"{owner}__in": ids})
    groups = {}
    for row in queryset.values_list(owner, *fields).iterator(chunk_size=BATCH):
        groups.setdefault(row[0], []).append(row[1:])
    return groups


def _country_names(row, prefix="country"):
    return [row[f"{prefix}__name_{language}"] or "" for language in LANGUAGES]


def _aliases(model, owner, owners):
    """{owner id: [alternative names]} of the records `owners` (a queryset of ids; all when None)."""
    queryset = model._default_manager.order_by("pk")
    if owners is not None:
        queryset = queryset.filter(**{f"{owner}__in": owners})
    groups = {}
    for owner_id, name in queryset.values_list(owner, "name").iterator(chunk_size=BATCH):
        groups.setdefault(owner_id, []).append(name)
    return groups


def _conference_related(ids):
    """{conference id: [texts]}: the names (in both languages, with their alternative names) of the
    people and organizations at each conference, and the titles of the reports cited for it."""
    attendances = Attendance.objects.order_by("pk")
    roles = ConferenceOrganization.objects.order_by("pk")
    citations = Citation.objects.order_by("pk")
    people = organizations = None
    if ids is not None:
        attendances = attendances.filter(conference__in=ids)
        roles = roles.filter(conference__in=ids)
        # Each of what a citation may be about, by the citation's own indexed column: one condition
        # on the joined tables made PostgreSQL read every citation (seconds, for one edit).
        citations = citations.filter(
            Q(conference__in=ids)
            | Q(attendance__in=list(attendances.values_list("pk", flat=True)))
            | Q(participation__in=list(Participation.objects.filter(conference__in=ids).values_list("pk", flat=True)))
            | Q(conference_organization__in=list(roles.values_list("pk", flat=True)))
        )
        people = attendances.values("person")
        organizations = (
            Organization.objects.filter(Q(attendances__conference__in=ids) | Q(conference_roles__conference__in=ids))
            .values("pk")
        )
    person_aliases = _aliases(PersonAlias, "person_id", people)
    organization_aliases = _aliases(OrganizationAlias, "organization_id", organizations)
    texts = {}
    organization_names = ("organization__name_ar", "organization__name_en", "organization__acronym")
    for conference, person, *names in attendances.values_list(
        "conference_id", "person_id", "person__name_ar", "person__name_en", "organization_id", *organization_names
    ).iterator(chunk_size=BATCH):
        person_ar, person_en, organization, *organization_texts = names
        texts.setdefault(conference, []).extend(
            [person_ar, person_en, *person_aliases.get(person, []), *organization_texts,
             *organization_aliases.get(organization, [])]
        )
    for conference, organization, *organization_texts in roles.values_list(
        "conference_id", "organization_id", *organization_names
    ).iterator(chunk_size=BATCH):
        texts.setdefault(conference, []).extend([*organization_texts, *organization_aliases.get(organization, [])])
    for *conferences, title_ar, title_en in citations.values_list(
        "conference_id", "attendance__conference_id", "participation__conference_id",
        "conference_organization__conference_id", "source__title_ar", "source__title_en",
    ).iterator(chunk_size=BATCH):
        conference = next((pk for pk in conferences if pk is not None), None)
        texts.setdefault(conference, []).extend([title_ar, title_en])
    return texts


def conference_entries(ids=None):
    related = _conference_related(ids)
    rows = _values(
        Conference, ids, "slug", "start_date", "start_precision", "host_country__name_ar", "host_country__name_en",
        "series__name_ar", "series__name_en",
        *translated("name", "short_name", "city", "theme", "summary", "outcomes"),
    )
    for row in rows:
        places = [
            joined(city, country, separator="، " if language == "ar" else ", ")
            for language, city, country in zip(
                LANGUAGES, per_language(row, "city"), _country_names(row, "host_country"), strict=True
            )
        ]
        bodies = [
            joined(theme, summary, outcomes, separator="\n")
            for theme, summary, outcomes in zip(
                per_language(row, "theme"), per_language(row, "summary"), per_language(row, "outcomes"), strict=True
            )
        ]
        yield entry(
            SearchKind.CONFERENCE, row, row["slug"], "name", other_names=per_language(row, "short_name"),
            details=places, bodies=bodies, extra=[*per_language(row, "series__name"), *related.get(row["pk"], [])],
            date=row["start_date"], date_precision=row["start_precision"],
        )


def series_entries(ids=None):
    rows = _values(Series, ids, "slug", "organization__acronym", *translated("name", "organization__name"))
    for row in rows:
        details = [joined(name, row["organization__acronym"]) for name in per_language(row, "organization__name")]
        yield entry(SearchKind.SERIES, row, row["slug"], "name", details=details)


def person_entries(ids=None):
    aliases = _grouped(PersonAlias, "person_id", ids, "name")
    positions = _grouped(Position, "person_id", ids, *translated("title"))
    rows = _values(
        Person, ids, "slug", "country__name_ar", "country__name_en", *translated("name", "rank", "description")
    )
    for row in rows:
        details = [
            joined(rank, country)
            for rank, country in zip(per_language(row, "rank"), _country_names(row), strict=True)
        ]
        yield entry(
            SearchKind.PERSON, row, row["slug"], "name",
            aliases=[name for (name,) in aliases.get(row["pk"], [])],
            details=details, bodies=per_language(row, "description"),
            extra=[title for titles in positions.get(row["pk"], []) for title in titles if title],
        )


def organization_entries(ids=None):
    aliases = _grouped(OrganizationAlias, "organization_id", ids, "name")
    rows = _values(
        Organization, ids, "slug", "acronym", "country__name_ar", "country__name_en", *translated("name", "description")
    )
    for row in rows:
        details = [joined(row["acronym"], country) for country in _country_names(row)]
        yield entry(
            SearchKind.ORGANIZATION, row, row["slug"], "name", other_names=[row["acronym"]],
            aliases=[name for (name,) in aliases.get(row["pk"], [])],
            details=details, bodies=per_language(row, "description"),
        )


def country_entries(ids=None):
    for row in _values(Country, ids, "code", "region", *translated("name")):
        yield entry(
            SearchKind.COUNTRY, row, row["code"].lower(), "name", other_names=[row["code"]],
            details=[region_name(row["region"], language) for language in LANGUAGES],
        )


def topic_entries(ids=None):
    for row in _values(Topic, ids, "slug", *translated("name", "description")):
        yield entry(SearchKind.TOPIC, row, row["slug"], "name", bodies=per_language(row, "description"))


def source_entries(ids=None):
    rows = _values(
        SourceReport, ids, "slug", "published_on", "published_precision",
        *translated("title", "outlet", "author", "summary"),
    )
    for row in rows:
        details = [
            joined(outlet, author)
            for outlet, author in zip(per_language(row, "outlet"), per_language(row, "author"), strict=True)
        ]
        yield entry(
            SearchKind.SOURCE, row, row["slug"], "title", details=details, bodies=per_language(row, "summary"),
            date=row["published_on"], date_precision=row["published_precision"],
        )


BUILDERS = {
    SearchKind.CONFERENCE: conference_entries,
    SearchKind.SERIES: series_entries,
    SearchKind.PERSON: person_entries,
    SearchKind.ORGANIZATION: organization_entries,
    SearchKind.COUNTRY: country_entries,
    SearchKind.TOPIC: topic_entries,
    SearchKind.SOURCE: source_entries,
}


# --- Writing ------------------------------------------------------------------------------------


def _write(rows):
    """Insert rows fast: COPY on PostgreSQL, bulk_create elsewhere. Returns how many.

    `rows` is a list, built in full before: the builders query the database, which the
    connection cannot do in the middle of a COPY.
    """
    if connection.vendor != "postgresql":
        return len(SearchEntry.objects.bulk_create(rows, batch_size=BATCH))
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(SearchEntry._meta.get_field(name).column) for name in COLUMNS)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([getattr(row, name) for name in COLUMNS])
    return len(rows)


def _words(rows):
    """The vocabulary of "did you mean": {key: [word as written, how many rows' names hold it]}."""
    words = {}
    for row in rows:
        for key, display in dict(vocabulary_words([row.title_ar, row.title_en, *row.aliases.splitlines()])).items():
            if key in words:
                words[key][1] += 1
            else:
                words[key] = [display, 1]
    return words


# --- PostgreSQL's index of words (search migrations 0005 and 0006; search.query reads it) -------
# `search_term`: every distinct word of the entries' `text`; `search_posting`: (term, entry, the
# entry's kind and date) for each word of each entry, deleted with the entry (a trigger);
# `search_term_total`: how many entries of each kind hold each word, kept with the postings.

TERMS_SQL = """
    INSERT INTO search_term (key)
    SELECT DISTINCT word FROM {entries} AS entry, string_to_table(entry.text, ' ') AS word
    WHERE word NOT IN ('', '|') {where}
    ON CONFLICT (md5(key)) DO NOTHING
"""
POSTINGS_SQL = """
    INSERT INTO {postings} (term_id, entry_id, kind, date)
    SELECT term.id, entry.id, entry.kind, entry.date
    FROM {entries} AS entry
    CROSS JOIN LATERAL (SELECT DISTINCT word FROM string_to_table(entry.text, ' ') AS word) AS words
    {terms}
    WHERE true {where}
"""
# Every entry's words (a rebuild): joined with the whole vocabulary at once.
ALL_TERMS = "JOIN search_term AS term ON md5(term.key) = md5(words.word) AND term.key = words.word"
# A few entries' words (an edit): each looked up by the index on md5(key). PostgreSQL cannot tell
# how few words string_to_table gives, and joined them as above, reading and hashing the whole
# vocabulary for every edit (about 75 ms at 10,000 conferences); LIMIT 1 makes it a lookup for each word.
EACH_TERM = """CROSS JOIN LATERAL (
        SELECT id FROM search_term AS term WHERE md5(term.key) = md5(words.word) AND term.key = words.word LIMIT 1
    ) AS term"""
# An edit's postings, added to their words' totals as they are written (the trigger that deletes
# an entry's postings takes them off).
ADD_TO_TOTALS = """
    WITH posted AS ({insert} RETURNING term_id, kind)
    INSERT INTO search_term_total (term_id, kind, total)
    SELECT term_id, kind, COUNT(*) FROM posted GROUP BY term_id, kind
    ON CONFLICT (term_id, kind) DO UPDATE SET total = search_term_total.total + excluded.total
"""
POSTING_INDEXES = [
    "CREATE UNIQUE INDEX {prefix}_term ON {postings} (term_id, kind, date DESC NULLS LAST, entry_id)",
    "CREATE INDEX {prefix}_entry ON {postings} (entry_id)",
]


# The entries of some records of one kind: `where` of _write_words, with [kind, ids].
RECORDS = "AND entry.kind = %s AND entry.object_id = ANY(%s)"


def postings_sql(postings="search_posting", where=""):
    """The INSERT of the postings of the entries `where` selects (all of them without it)."""
    entries = connection.ops.quote_name(SearchEntry._meta.db_table)
    return POSTINGS_SQL.format(entries=entries, postings=postings, where=where,
                               terms=EACH_TERM if where else ALL_TERMS)


def _write_words(cursor, postings="search_posting", where="", params=()):
    """Add the words of the entries (those `where` selects) to search_term, and their postings;
    an edit's (`where`) to the totals too (a rebuild counts them once all are written)."""
    entries = connection.ops.quote_name(SearchEntry._meta.db_table)
    cursor.execute(TERMS_SQL.format(entries=entries, where=where), params)
    insert = postings_sql(postings, where)
    cursor.execute(ADD_TO_TOTALS.format(insert=insert) if where else insert, params)


def _rebuild_words(cursor):
    """Write the postings of every entry anew: into a new table, indexed once filled (at 10,000
    conferences, a million rows inserted one by one into the indexes took 40 s), which then replaces the old one.
    Searches keep reading the old table until the rebuild commits; the swap at its very end
    locks them out only until then. Words no entry holds any more leave the vocabulary."""
    cursor.execute("DROP TABLE IF EXISTS search_posting_new")
    cursor.execute("CREATE TABLE search_posting_new (LIKE search_posting INCLUDING DEFAULTS)")
    _write_words(cursor, postings="search_posting_new")
    for statement in POSTING_INDEXES:
        cursor.execute(statement.format(prefix="search_posting_new", postings="search_posting_new"))
    cursor.execute("DROP TABLE search_posting")
    cursor.execute("ALTER TABLE search_posting_new RENAME TO search_posting")
    for suffix in ("term", "entry"):
        cursor.execute(f"ALTER INDEX search_posting_new_{suffix} RENAME TO search_posting_{suffix}")
    cursor.execute(
        "DELETE FROM search_term AS term"
        " WHERE NOT EXISTS (SELECT FROM search_posting AS posting WHERE posting.term_id = term.id)"
    )
    cursor.execute("DELETE FROM search_term_total")
    cursor.execute(
        "INSERT INTO search_term_total (term_id, kind, total)"
        " SELECT term_id, kind, COUNT(*) FROM search_posting GROUP BY term_id, kind"
    )
    for table in ("search_term", "search_posting", "search_term_total"):
        cursor.execute(f"ANALYZE {table}")


# The index's lock on PostgreSQL (an advisory lock, for a transaction), held by a rebuild and by
# an edit's rewrite of some rows, each alone. Without it, an edit committed while a rebuild ran
# rewrote its rows beside the rebuild's, which held what the rebuild had read before the edit: its
# insert waited for the rebuild and then failed on the row the rebuild had written, and the index
# held the record as it was until its next save. With it, the edit's rewrite waits for the rebuild
# to commit and replaces that row; a rebuild waits for the rewrite under way. Two edits' rewrites
# wait for each other too: each changes the totals of the words it adds or removes
# (search_term_total), and two at once could each hold a total the other waits for.
# (SQLite runs one writing transaction at a time.)
INDEX_LOCK = 0x5EA4C4_1DE8  # any number of the portal's own


def _lock_index():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INDEX_LOCK])


@transaction.atomic
def rebuild():
    """Rewrite the whole index and its vocabulary; returns the number of rows."""
    _lock_index()
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        with connection.cursor() as cursor:
            # All at once, rather than by the trigger on each DELETE of entries.
            cursor.execute("DELETE FROM search_posting")
    SearchEntry.objects.all().delete()
    SearchWord.objects.all().delete()
    rows = [row for builder in BUILDERS.values() for row in builder()]
    _write(rows)
    words = _words(rows)
    SearchWord.objects.bulk_create(
        [SearchWord(key=key, display=display, frequency=frequency) for key, (display, frequency) in words.items()],
        batch_size=BATCH,
    )
    if postgresql:
        with connection.cursor() as cursor:
            for model in (SearchEntry, SearchWord):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            _rebuild_words(cursor)
    return len(rows)


def vacuum_words():
    """After a rebuild, VACUUM the index's tables (PostgreSQL; outside a transaction, else nothing).

    Until then, or until autovacuum does it, the postings' index is read with a look at the table
    for each row (a new table has no visibility map), and the GIN indexes of the entries and words
    are read with the rows just written still in their pending lists.
    """
    if connection.vendor == "postgresql" and connection.get_autocommit() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for table in ("search_posting", SearchEntry._meta.db_table, "search_term", "search_term_total"):
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


@transaction.atomic
def reindex(kind, ids):
    """Rewrite the rows of the records `ids` of `kind` (a record that no longer exists loses its row),
    and add the words they bring to the vocabulary (a rebuild counts them all anew)."""
    ids = list(ids)
    if not ids:
        return
    _lock_index()
    SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()  # their postings with them (a trigger)
    rows = list(BUILDERS[kind](ids))
    _write(rows)
    if connection.vendor == "postgresql" and rows:
        with connection.cursor() as cursor:
            _write_words(cursor, where=RECORDS, params=[kind, ids])
    words = _words(rows)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(key=key, display=display) for key, (display, _frequency) in words.items()],
            ignore_conflicts=True,
        )


# --- Keeping it current -------------------------------------------------------------------------

# Not a kind of row: the rows that show or hold something of a record of this model, which
# the model's own row (if any) does not cover: a country's name shows under its conferences,
# people and organizations; a conference's row holds the names of its series, people and
# organizations and the titles of the reports cited for it; a series' row its organization's name.
SHOWN_BY = "shown-by"


def _citing(sources):
    """Conferences for which, or for one of whose rows, one of `sources` is cited."""
    return (
        Q(citations__source__in=sources) | Q(attendances__citations__source__in=sources)
        | Q(participations__citations__source__in=sources) | Q(organization_roles__citations__source__in=sources)
    )


SHOWN_BY_MODEL = {
    Country: lambda pks: {
        SearchKind.CONFERENCE: Conference.objects.filter(host_country__in=pks),
        SearchKind.PERSON: Person.objects.filter(country__in=pks),
        SearchKind.ORGANIZATION: Organization.objects.filter(country__in=pks),
    },
    Person: lambda pks: {SearchKind.CONFERENCE: Conference.objects.filter(attendances__person__in=pks)},
    Organization: lambda pks: {
        SearchKind.CONFERENCE: Conference.objects.filter(
            Q(attendances__organization__in=pks) | Q(organization_roles__organization__in=pks)
        ),
        SearchKind.SERIES: Series.objects.filter(organization__in=pks),
    },
    Series: lambda pks: {SearchKind.CONFERENCE: Conference.objects.filter(series__in=pks)},
    SourceReport: lambda pks: {SearchKind.CONFERENCE: Conference.objects.filter(_citing(pks))},
    # A citation of a conference's row: the conference holds the report's title.
    Attendance: lambda pks: {SearchKind.CONFERENCE: Conference.objects.filter(attendances__in=pks)},
    Participation: lambda pks: {SearchKind.CONFERENCE: Conference.objects.filter(participations__in=pks)},
    ConferenceOrganization: lambda pks: {
        SearchKind.CONFERENCE: Conference.objects.filter(organization_roles__in=pks)
    },
}
SHOWN_BY_LABEL = {model._meta.label: rows for model, rows in SHOWN_BY_MODEL.items()}


def _shown_by(model, pk):
    return (SHOWN_BY, model._meta.label, pk)


def _affected(instance):
    """The rows that show something of `instance`, read from the instance alone: (kind, id) for
    a row, (SHOWN_BY, model label, id) for the rows that hold a record's name."""
    if isinstance(instance, Conference):
        return [(SearchKind.CONFERENCE, instance.pk)]
    if isinstance(instance, Series):
        return [(SearchKind.SERIES, instance.pk), _shown_by(Series, instance.pk)]
    if isinstance(instance, Person):
        return [(SearchKind.PERSON, instance.pk), _shown_by(Person, instance.pk)]
    if isinstance(instance, PersonAlias):
        return [(SearchKind.PERSON, instance.person_id), _shown_by(Person, instance.person_id)]
    if isinstance(instance, Position):
        return [(SearchKind.PERSON, instance.person_id)]
    if isinstance(instance, Organization):
        return [(SearchKind.ORGANIZATION, instance.pk), _shown_by(Organization, instance.pk)]
    if isinstance(instance, OrganizationAlias):
        return [(SearchKind.ORGANIZATION, instance.organization_id), _shown_by(Organization, instance.organization_id)]
    if isinstance(instance, Attendance | ConferenceOrganization):
        return [(SearchKind.CONFERENCE, instance.conference_id)]
    if isinstance(instance, Citation):
        if instance.conference_id:
            return [(SearchKind.CONFERENCE, instance.conference_id)]
        for model, field in ((Attendance, "attendance_id"), (Participation, "participation_id"),
                             (ConferenceOrganization, "conference_organization_id")):
            if getattr(instance, field):
                return [_shown_by(model, getattr(instance, field))]
        return []
    if isinstance(instance, Topic):
        return [(SearchKind.TOPIC, instance.pk)]
    if isinstance(instance, SourceReport):
        return [(SearchKind.SOURCE, instance.pk), _shown_by(SourceReport, instance.pk)]
    if isinstance(instance, Country):
        return [(SearchKind.COUNTRY, instance.pk), _shown_by(Country, instance.pk)]
    return []


def _reindex_changed(items):
    """After a commit: rewrite the rows of every record noted during the transaction (a record
    that no longer exists loses its row), and the rows that hold the names of those noted as shown."""
    ids, shown = {}, {}
    for item in items:
        if item[0] == SHOWN_BY:
            shown.setdefault(item[1], set()).add(item[2])
        else:
            ids.setdefault(item[0], set()).add(item[1])
    for label, pks in shown.items():
        for kind, queryset in SHOWN_BY_LABEL[label](pks).items():
            ids.setdefault(kind, set()).update(queryset.values_list("pk", flat=True))
    for kind, pks in ids.items():
        reindex(kind, pks)
    # Last, once the index holds the change: results pages carry this tag (search.display).
    tags.invalidated.send(sender=None, tags=frozenset({INDEX_TAG}))


def record_changed(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    # Fixtures loaded with loaddata (raw) may point at rows not there yet: rebuild after.
    if raw or in_bulk_write():
        return
    items = _affected(instance)
    if items:
        after_commit(_reindex_changed, *items, using=using)


def bulk_write_finished(sender, **kwargs):
    rebuild()
    vacuum_words()


SENDERS = (
    Conference, Series, Person, Organization, Topic, SourceReport, Country, PersonAlias, OrganizationAlias, Position,
    Attendance, ConferenceOrganization, Citation,
)


def connect_signals():
    for sender in SENDERS:
        post_save.connect(record_changed, sender=sender, dispatch_uid=f"search-index-save-{sender._meta.label}")
        post_delete.connect(record_changed, sender=sender, dispatch_uid=f"search-index-delete-{sender._meta.label}")
    bulk_written.connect(bulk_write_finished, dispatch_uid="search-index-bulk")
