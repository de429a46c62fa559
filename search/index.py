"""Writing the search index: one SearchEntry per conference, person, organization, country,
topic and source report.

- `rebuild()` rewrites the whole index in bulk: the rows are built in Python from a few
  queries per kind and written with COPY on PostgreSQL (bulk_create elsewhere). Run by
  `rebuild_search_index`, at the end of `load_seeds` and of `generate_synthetic`.
- `reindex(kind, ids)` rewrites the rows of a few records. When an editor saves or deletes a
  record, one of its alternative names or positions, or a country whose name other records show,
  the receivers below note which rows change; they are rewritten once, after the transaction
  commits (core.changes), not once per save. A bulk write (the seed loader, the synthetic data)
  is followed by a rebuild.
"""

from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from conferences.models import Conference, SourceReport, Topic
from core.arabic import search_words
from core.changes import after_commit, bulk_written, in_bulk_write
from core.dates import DatePrecision
from organizations.models import Organization, OrganizationAlias, Position
from participants.models import Country, Person, PersonAlias, Region

from .models import SearchEntry, SearchKind, SearchWord
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


def conference_entries(ids=None):
    rows = _values(
        Conference, ids, "slug", "start_date", "start_precision", "host_country__name_ar", "host_country__name_en",
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
            details=places, bodies=bodies, date=row["start_date"], date_precision=row["start_precision"],
        )


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


@transaction.atomic
def rebuild():
    """Rewrite the whole index and its vocabulary; returns the number of rows."""
    SearchEntry.objects.all().delete()
    SearchWord.objects.all().delete()
    rows = [row for builder in BUILDERS.values() for row in builder()]
    _write(rows)
    words = _words(rows)
    SearchWord.objects.bulk_create(
        [SearchWord(key=key, display=display, frequency=frequency) for key, (display, frequency) in words.items()],
        batch_size=BATCH,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (SearchEntry, SearchWord):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return len(rows)


@transaction.atomic
def reindex(kind, ids):
    """Rewrite the rows of the records `ids` of `kind` (a record that no longer exists loses its row),
    and add the words they bring to the vocabulary (a rebuild counts them all anew)."""
    ids = list(ids)
    if not ids:
        return
    SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
    rows = list(BUILDERS[kind](ids))
    _write(rows)
    words = _words(rows)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(key=key, display=display) for key, (display, _frequency) in words.items()],
            ignore_conflicts=True,
        )


# --- Keeping it current -------------------------------------------------------------------------

# Not a kind of row: a country's name shows under its conferences, people and organizations.
COUNTRY_SHOWN_BY = "country-shown-by"


def _affected(instance):
    """(kind, id) pairs whose rows show something of `instance`, read from the instance alone."""
    if isinstance(instance, Conference):
        return [(SearchKind.CONFERENCE, instance.pk)]
    if isinstance(instance, Person):
        return [(SearchKind.PERSON, instance.pk)]
    if isinstance(instance, PersonAlias | Position):
        return [(SearchKind.PERSON, instance.person_id)]
    if isinstance(instance, Organization):
        return [(SearchKind.ORGANIZATION, instance.pk)]
    if isinstance(instance, OrganizationAlias):
        return [(SearchKind.ORGANIZATION, instance.organization_id)]
    if isinstance(instance, Topic):
        return [(SearchKind.TOPIC, instance.pk)]
    if isinstance(instance, SourceReport):
        return [(SearchKind.SOURCE, instance.pk)]
    if isinstance(instance, Country):
        return [(SearchKind.COUNTRY, instance.pk), (COUNTRY_SHOWN_BY, instance.pk)]
    return []


def _reindex_changed(items):
    """After a commit: rewrite the rows of every record noted during the transaction (a record
    that no longer exists loses its row)."""
    ids = {}
    for kind, pk in items:
        if kind == COUNTRY_SHOWN_BY:
            country = Country.objects.filter(pk=pk)
            ids.setdefault(SearchKind.CONFERENCE, set()).update(
                Conference.objects.filter(host_country__in=country).values_list("pk", flat=True)
            )
            ids.setdefault(SearchKind.PERSON, set()).update(
                Person.objects.filter(country__in=country).values_list("pk", flat=True)
            )
            ids.setdefault(SearchKind.ORGANIZATION, set()).update(
                Organization.objects.filter(country__in=country).values_list("pk", flat=True)
            )
        else:
            ids.setdefault(kind, set()).add(pk)
    for kind, pks in ids.items():
        reindex(kind, pks)


def record_changed(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    # Fixtures loaded with loaddata (raw) may point at rows not there yet: rebuild after.
    if raw or in_bulk_write():
        return
    items = _affected(instance)
    if items:
        after_commit(_reindex_changed, *items, using=using)


def bulk_write_finished(sender, **kwargs):
    rebuild()


SENDERS = (Conference, Person, Organization, Topic, SourceReport, Country, PersonAlias, OrganizationAlias, Position)


def connect_signals():
    for sender in SENDERS:
        post_save.connect(record_changed, sender=sender, dispatch_uid=f"search-index-save-{sender._meta.label}")
        post_delete.connect(record_changed, sender=sender, dispatch_uid=f"search-index-delete-{sender._meta.label}")
    bulk_written.connect(bulk_write_finished, dispatch_uid="search-index-bulk")
