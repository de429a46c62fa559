"""What a query means, and which index entries it finds, in which order.

A query is cleaned (control characters out, at most MAX_QUERY_LENGTH characters) and cut
into keys by core.arabic.query_keys: the same folding as the indexed text, so every
spelling of a name meets the others. An entry matches when each key occurs in its
normalised text (`SearchEntry.text`).

On PostgreSQL:
- the substring match goes through the index of words (search migration 0005): each key is
  looked up among the distinct words of the entries (`search_term`, GIN trigram index), and
  their entries read from `search_posting` with their kind and date (`_by_words`); the same
  entries as LIKE on `text`, which a phrase is still checked with;
- ranking adds ts_rank over the `document` column (a tsvector the database generates from
  the display text with the `arabic` and `english` configurations; migration 0002) to the
  name bonuses below;
- when no entry holds the keys, full-text search finds those whose words share a stem
  with the query (`matching(by_stem=True)`);
- "did you mean" finds the nearest words of the records' names with pg_trgm's distance
  (SearchWord, GiST trigram index).

On SQLite the substring match and the name bonuses alone give the same results on the
seed data; there are no stems, and "did you mean" compares the words with difflib.
"""

import contextlib
import difflib
import re
import unicodedata
from collections import namedtuple
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from core.arabic import query_keys, search_words

MAX_QUERY_LENGTH = 200
MAX_KEYS = 8
# Keys shorter than this match only at the start of a word: «un» finds "United", not "fund".
SHORT_KEY = 3
# Up to this many matches, PostgreSQL's index of words reads each match's row to rank it (its
# name points and full-text rank); above, only the few that can be among the best (search.query).
FEW_MATCHES = 2000
# The bonus of a record whose name (or one of its names) is the whole query.
NAME_POINTS = 8.0
# difflib's ratio a word of the index must reach to be suggested for a query word.
SUGGESTION_CUTOFF = 0.7

_SPACE = re.compile(r"\s+")
# A displayed word, for highlighting and suggestions: a run of anything but spaces and punctuation.
DISPLAY_WORD = re.compile(r"[^\s()\[\]{}«»\"“”„‹›,،;؛:!?؟|/<>&]+")


# The entries that hold a query's keys, as SearchEntryQuerySet._by_words finds them.
Words = namedtuple("Words", "sql params at_most one_word")
# How many entries of each kind hold a word (PostgreSQL's index of words: search migration 0006).
TOTALS_OF_WORD = 'SELECT "kind", "total" AS "kind_total" FROM search_term_total WHERE term_id = %s AND "total" > 0'


def clean(raw):
    """The query as the page shows it: no control or format characters, spaces collapsed, cut short."""
    text = str(raw or "")[: MAX_QUERY_LENGTH * 4]
    text = "".join(
        " " if char.isspace() else char for char in text if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    return _SPACE.sub(" ", text).strip()[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Query:
    text: str  # cleaned, as typed
    keys: tuple  # what is matched: normalised words and "phrases"
    name: str = ""  # the whole query as a name's search key, its words unstemmed

    @classmethod
    def parse(cls, raw):
        text = clean(raw)
        return cls(text=text, keys=tuple(query_keys(text)[:MAX_KEYS]), name=" ".join(search_words(text)))

    def __bool__(self):
        return bool(self.keys)

    @property
    def words(self):
        """The keys' single words (a phrase gives each of its words)."""
        return [word for key in self.keys for word in key.split()]


def _run_unprepared(execute, sql, params, many, context):
    raw = context["connection"].connection
    threshold = getattr(raw, "prepare_threshold", None)
    if threshold is None:
        return execute(sql, params, many, context)
    raw.prepare_threshold = None
    try:
        return execute(sql, params, many, context)
    finally:
        raw.prepare_threshold = threshold


@contextlib.contextmanager
def planned_for_each_query():
    """Within the block, no statement is prepared (portal/settings.py, DJANGO_DB_PREPARE_THRESHOLD):
    each is planned for the words searched. A prepared statement is planned once for any words
    after a few runs, and that plan read the search index a quarter slower for a common name
    («Hamza», at 10,000 conferences); planning is a few percent of a search."""
    with contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(_run_unprepared))
        yield


def _vendor(queryset):
    return connections[queryset.db].vendor


def _held(keys, at_word_start=False):
    """What a column must hold for each key: the key; after a space (at the start of a word) if
    asked, or if the key is short (every word of a key column follows a space, so « or» finds
    "or…" but not "for")."""
    return [f"{' ' if at_word_start or len(key) < SHORT_KEY else ''}{key}" for key in keys]


def _all_contain(column, keys, at_word_start=False):
    """Every key occurs in `column` (see _held)."""
    condition = Q()
    for held in _held(keys, at_word_start):
        condition &= Q(**{f"{column}__contains": held})
    return condition


def _name_bonuses(query):
    """The names' part of the rank, as (points, what `names` must all hold to earn them): the whole
    query as a name, every key, every key at the start of a word (which the second implies)."""
    return [
        (NAME_POINTS, [f"| {query.name} |"]),
        (4.0, _held(query.keys)),
        (2.0, _held(query.keys, at_word_start=True)),
    ]


def _names_sql(query, column):
    """(tier, named): SearchEntryQuerySet.tier(), and the condition that it is above 0, as SQL
    of PostgreSQL on `column` (the quoted `names`), each with its parameters. The ranking by
    words writes them itself: compiling the ORM's expressions cost more than running the query."""
    bonuses = []
    for points, held in _name_bonuses(query):
        patterns = [f"%{_like(text)}%" for text in held]
        bonuses.append((" AND ".join(f"{column} LIKE %s" for _pattern in patterns), patterns, points))
    tier = " + ".join(f"CASE WHEN ({holds}) THEN %s ELSE %s END" for holds, _patterns, _points in bonuses)
    tier_params = [param for _holds, patterns, points in bonuses for param in (*patterns, points, 0.0)]
    # The third bonus implies the second: the names earn points when they earn either of the first two.
    named = " OR ".join(f"({holds})" for holds, _patterns, _points in bonuses[:2])
    named_params = [pattern for _holds, patterns, _points in bonuses[:2] for pattern in patterns]
    return (tier, tier_params), (named, named_params)


def _like(key):
    """`key` as a literal part of a LIKE pattern (search keys hold letters and digits only: a guard)."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _document(model):
    """The tsvector column that only PostgreSQL has (a generated column: see the migration)."""
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(model._meta.db_table)
    return RawSQL(f'{table}."document"', [], output_field=SearchVectorField())


def _ts_query(query):
    return SearchQuery(query.text, config="english") | SearchQuery(query.text, config="arabic")


class SearchEntryQuerySet(models.QuerySet):
    def matching(self, query, by_stem=False):
        """Entries in which every key of `query` occurs.

        On PostgreSQL the entries are found through the words they hold (`_by_words`), on
        SQLite by LIKE on `text` (`containing`): the same entries.

        `by_stem`: instead, the entries whose words share a stem with the query's (PostgreSQL's
        full-text search; none on SQLite). The search asks for these only when no entry holds
        the keys: «المؤتمرات» then finds «مؤتمر». Each way uses its own index; one query with
        both conditions OR-ed would make PostgreSQL read the whole table (docs/search.md).
        """
        if not query:
            return self.none()
        if by_stem:
            if _vendor(self) != "postgresql":
                return self.none()
            return self.alias(document=_document(self.model)).filter(document=_ts_query(query))
        if _vendor(self) == "postgresql":
            found = self._by_words(query)
            if found is None:
                return self.none()
            sql, params = found.sql, found.params
            # "id" = ANY(ARRAY(…)) rather than IN (…): a bitmap scan of the primary key for the
            # matches, where IN made PostgreSQL read every row of a kind to join them.
            table = connections[self.db].ops.quote_name(self.model._meta.db_table)
            return self.filter(RawSQL(
                f'{table}."id" = ANY(ARRAY(SELECT "pk" FROM ({sql}) AS "matched"))', params,
                output_field=models.BooleanField(),
            ))
        return self.containing(query)

    def containing(self, query):
        """Entries whose `text` holds every key of `query` (LIKE), on every database."""
        return self.filter(_all_contain("text", query.keys)) if query else self.none()

    def _by_words(self, query):
        """Words(sql, params, at most, one word) of the entries that hold every key of `query`, as
        rows (pk, kind, date), read from PostgreSQL's index of words (search migration 0005) rather
        than from `text`; an upper bound of their number (the postings of the narrowest key's
        words, from their totals: `search_term_total`, migration 0006); and the word's id when they
        are the postings of one word. None when a key is in no word (then no entry holds it).

        `text` is its words separated by single spaces (a part's bounds, "|", are not words),
        so a key of one word occurs in it exactly when it occurs in one of its words, and a
        short key at the start of a word exactly when one of its words starts with it. Each key
        is first looked up among the distinct words (`search_term`, trigram index: a small
        table), in one query; the entries are then read from `search_posting`, whose index
        holds their kind and date: neither `text` nor the entries' rows are read. A phrase
        finds the entries that hold each of its words; their `text` is then checked for the
        phrase itself.
        """
        patterns, phrases = [], []
        for key in query.keys:
            if " " in key:
                phrases.append(key)
            for word in key.split(" "):
                pattern = f"{_like(word)}%" if len(key) < SHORT_KEY else f"%{_like(word)}%"
                if pattern not in patterns:
                    patterns.append(pattern)
        # Each key's words, and how many postings they have (OFFSET 0: the words are looked up
        # once, not once for each use).
        looked_up = ", ".join(
            f"(SELECT ids, (SELECT COALESCE(SUM(total), 0) FROM search_term_total WHERE term_id = ANY(ids))"
            f" FROM (SELECT ARRAY(SELECT id FROM search_term WHERE key LIKE %s ORDER BY id) AS ids OFFSET 0) AS term)"
            f" AS key{number}"
            for number, _pattern in enumerate(patterns)
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT * FROM {looked_up}", patterns)
            row = cursor.fetchone()
        terms, postings = row[0::2], row[1::2]
        if not all(terms):
            return None
        at_most = min(postings)
        select = "SELECT entry_id AS pk, kind, date FROM search_posting"
        if len(terms) == 1 and len(terms[0]) == 1:
            # One word: its entries in the index's order (by kind, then newest first).
            sql, params = f"{select} WHERE term_id = %s", [terms[0][0]]
        elif len(terms) == 1:
            # An entry may hold several of the words that contain the key.
            sql, params = f"SELECT DISTINCT * FROM ({select} WHERE term_id = ANY(%s)) AS word", [terms[0]]
        else:
            sql, params = " INTERSECT ".join(f"{select} WHERE term_id = ANY(%s)" for _ids in terms), list(terms)
        if phrases:
            table = connections[self.db].ops.quote_name(self.model._meta.db_table)
            checks = " AND ".join("phrased.text LIKE %s" for _phrase in phrases)
            sql = (
                f"SELECT found.* FROM ({sql}) AS found JOIN {table} AS phrased ON phrased.id = found.pk"
                f" WHERE {checks}"
            )
            params += [f"%{_like(phrase)}%" for phrase in phrases]
        one_word = terms[0][0] if len(terms) == 1 and len(terms[0]) == 1 and not phrases else None
        return Words(sql, params, at_most, one_word)

    @staticmethod
    def tier(query):
        """The names' part of the rank (0 to 14): see ranked()."""

        def bonus(held, points):
            condition = Q()
            for text in held:
                condition &= Q(names__contains=text)
            return Case(When(condition, then=Value(points)), default=Value(0.0), output_field=models.FloatField())

        first, *others = [bonus(held, points) for points, held in _name_bonuses(query)]
        return sum(others, first)

    def ranked(self, query, language):
        """Best first: the whole query is a name, then every key in the names, then at the
        start of a name's words; then (PostgreSQL) full-text rank; then newest, then by title.

        `tier` is the names' part alone (0 to 14), the same on every database: the results page
        orders the kinds by it (search.display). `score` adds the full-text rank to it.
        """
        queryset = self.annotate(tier=self.tier(query))
        score = F("tier")
        if _vendor(self) == "postgresql":
            score = score + SearchRank(_document(self.model), _ts_query(query))
        return queryset.annotate(score=score)

    @staticmethod
    def ordering(language):
        return [F("score").desc(), F("date").desc(nulls_last=True), F(f"title_{language}").asc(), F("pk").asc()]

    def best_of_each_kind(self, query, language, size, by_stem=False):
        """(pk, kind, kind's total, tier) of the `size` best matches of each kind, best first, in one query.

        Only these narrow columns go through the ranking; the rows themselves are read after,
        by primary key, for the few that are shown. The window's rows are filtered in a plain
        outer SELECT: the same SQL Django writes for a filter on a window, without the cost
        of having Django compile the query twice to write it.
        """
        if _vendor(self) == "postgresql":
            if not by_stem and query and self._whole_index():
                return self._best_of_each_kind_by_words(query, language, size)
            return self._best_of_each_kind_postgresql(query, language, size, by_stem)
        ranked = (
            self.matching(query, by_stem)
            .ranked(query, language)
            .annotate(
                place=Window(RowNumber(), partition_by=[F("kind")], order_by=self.ordering(language)),
                kind_total=Window(Count("pk"), partition_by=[F("kind")]),
            )
            .order_by()
            .values_list("pk", "kind", "kind_total", "tier", "place")
        )
        try:
            sql, params = ranked.query.sql_with_params()
        except EmptyResultSet:  # matching() gave none(): nothing to rank
            return []
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f'SELECT * FROM ({sql}) AS "ranked" WHERE "place" <= %s ORDER BY "kind", "place"', [*params, size]
            )
            return [(pk, kind, total, tier) for pk, kind, total, tier, _place in cursor.fetchall()]

    def _best_of_each_kind_postgresql(self, query, language, size, by_stem):
        """best_of_each_kind() as PostgreSQL answers it fast, in the same order.

        A broad key matches thousands of entries («Hamza»: every conference one of that name
        attended), and the full-text rank of each costs reading its `document`. Only a few can
        be among the best of their kind: those that hold a word of the query in `document` (the
        others' rank is 0, so their score is their tier) and those among the first `size` of
        their kind by tier and date, ties included. An entry outside both has at least `size`
        entries ahead of it by tier and date, and each of them is ahead of it by score too. So
        the matches are read once, narrow (to count them and to rank them by tier and date),
        and the rank and title are read, by primary key, for those few only.
        """
        matched = self.matching(query, by_stem).annotate(tier=self.tier(query)).order_by()
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        title = connection.ops.quote_name(self.model._meta.get_field(f"title_{language}").column)
        try:
            compiler = matched.query.get_compiler(self.db)
            ts_sql, ts_params = compiler.compile(_ts_query(query).resolve_expression(matched.query))
            # Any word of the query: the entries whose rank is not 0 (plainto_tsquery joins the words
            # with &). Tested on each match as it is read, not by a search of the whole table.
            any_word = f"regexp_replace(({ts_sql})::text, ' (&|<[0-9-]+>) ', ' | ', 'g')::tsquery"
            matched = matched.annotate(
                has_word=RawSQL(f'{table}."document" @@ {any_word}', ts_params, output_field=models.BooleanField())
            )
            matched_sql, matched_params = (
                matched.values_list("pk", "kind", "date", "tier", "has_word").query.sql_with_params()
            )
        except EmptyResultSet:  # matching() gave none(): nothing to rank
            return []
        sql = f"""
            SELECT "pk", "kind", "kind_total", "tier" FROM (
                SELECT "near"."pk", "near"."kind", "near"."kind_total", "near"."tier", ROW_NUMBER() OVER (
                    PARTITION BY "near"."kind"
                    ORDER BY "near"."tier" + ts_rank("entry"."document", {ts_sql}) DESC,
                        "near"."date" DESC NULLS LAST, "entry"."title" ASC, "near"."pk" ASC
                ) AS "place"
                FROM (
                    SELECT "matched".*, COUNT(*) OVER (PARTITION BY "kind") AS "kind_total",
                        RANK() OVER (PARTITION BY "kind" ORDER BY "tier" DESC, "date" DESC NULLS LAST) AS "near"
                    FROM ({matched_sql}) AS "matched"
                ) AS "near"
                CROSS JOIN LATERAL (
                    SELECT "document", {title} AS "title" FROM {table} WHERE "id" = "near"."pk"
                ) AS "entry"
                WHERE "near"."near" <= %s OR "near"."has_word"
            ) AS "ranked"
            WHERE "place" <= %s ORDER BY "kind", "place"
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ts_params, *matched_params, size, size])
            return cursor.fetchall()

    def kind_counts(self, query, by_stem=False):
        """{kind: number of matches}, in one query (on PostgreSQL, from the index of words alone)."""
        if _vendor(self) == "postgresql" and not by_stem and query and self._whole_index():
            found = self._by_words(query)
            if found is None:
                return {}
            with connections[self.db].cursor() as cursor:
                if found.one_word is None:
                    cursor.execute(
                        f'SELECT "kind", COUNT(*) FROM ({found.sql}) AS "matched" GROUP BY "kind"', found.params
                    )
                else:
                    cursor.execute(TOTALS_OF_WORD, [found.one_word])
                return dict(cursor.fetchall())
        rows = self.matching(query, by_stem).order_by().values_list("kind").annotate(total=Count("pk"))
        return dict(rows)

    def _whole_index(self):
        """Whether this queryset is the whole index (what the index of words answers for)."""
        return not self.query.where

    def _best_of_each_kind_by_words(self, query, language, size):
        """best_of_each_kind() on PostgreSQL, its matches found through the index of words.

        The matches come from `search_posting` with their kind and date: they are counted, and
        ranked by date within their kind, without reading an entry's row. As in
        _best_of_each_kind_postgresql, only a few are then ranked in full, read by primary key:
        those among the first `size` of their kind by date (ties included), those whose names may
        give them points (a tier above 0 needs the names to hold every key, or the whole query as
        a name: found through the trigram index on `names`), and those whose `document` holds a
        word of the query (a full-text rank above 0: found through its index). Every other match
        has at least `size` of its kind ahead of it by date with a tier no lower, hence also by
        score, date, title and id: it cannot be among the best.

        The matches of one word are counted by kind from their totals, and are in the index's
        order (term, kind, newest first): each kind's first are read from it directly; those named
        or worded are ranked as they are read through those indexes, not looked up again. Those of
        several words or keys are numbered and counted by kind as they are read.

        When the matches are few (FEW_MATCHES), all are read by primary key and ranked in full:
        cheaper than searching the whole table for the names and the words of the query, which
        a common word («al») makes PostgreSQL read whole.
        """
        found = self._by_words(query)
        if found is None:
            return []
        connection = connections[self.db]
        title = connection.ops.quote_name(self.model._meta.get_field(f"title_{language}").column)
        entries = self.model._default_manager.all()
        compiler = entries.query.get_compiler(self.db)
        ts_sql, ts_params = compiler.compile(_ts_query(query).resolve_expression(entries.query))
        (tier_sql, tier_params), named = _names_sql(query, '"names"')
        # What ranks an entry, read from its row: title, tier (the names' points) and full-text rank.
        ranking = (f'{title} AS "title", {tier_sql} AS "tier", ts_rank("document", {ts_sql}) AS "rank"',
                   [*tier_params, *ts_params])
        scored, scored_params = self._scored(query, found, size, ts_sql, ts_params, named, ranking)
        sql = f"""
            SELECT "pk", "kind", "kind_total", "tier" FROM (
                SELECT "scored".*, ROW_NUMBER() OVER (
                    PARTITION BY "kind" ORDER BY "tier" + "rank" DESC, "date" DESC NULLS LAST, "title" ASC, "pk" ASC
                ) AS "place"
                FROM ({scored}) AS "scored"
            ) AS "ranked"
            WHERE "place" <= %s ORDER BY "kind", "place"
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*scored_params, size])
            return cursor.fetchall()

    def _scored(self, query, found, size, ts_sql, ts_params, named, ranking):
        """(sql, params) of the matches `found` (_by_words) that can be among the `size` best of
        their kind, as rows (pk, kind, date, kind_total, title, tier, rank): see
        _best_of_each_kind_by_words. `named`: (sql, params) of the condition that an entry's names
        earn it points (_names_sql); `ranking`: (sql, params) of the last three columns, on a row."""
        table = connections[self.db].ops.quote_name(self.model._meta.db_table)
        ranking_sql, ranking_params = ranking
        # LIMIT 1 keeps it a lookup by primary key for each of the few, never a join with every row.
        looked_up = (
            f'CROSS JOIN LATERAL (SELECT {ranking_sql} FROM {table} WHERE "id" = "near"."pk" LIMIT 1) AS "entry"'
        )
        each = 'SELECT "near"."pk", "near"."kind", "near"."date", "near"."kind_total", "entry".*'
        if found.at_most <= FEW_MATCHES:
            # Few: every match is ranked in full.
            counted = 'SELECT "matched".*, COUNT(*) OVER (PARTITION BY "kind") AS "kind_total"'
            return (f'{each} FROM ({counted} FROM ({found.sql}) AS "matched") AS "near" {looked_up}',
                    [*found.params, *ranking_params])
        named_sql, named_params = named
        # Any word of the query: the entries whose rank is not 0 (plainto_tsquery joins the words with &).
        any_word = f"regexp_replace(({ts_sql})::text, ' (&|<[0-9-]+>) ', ' | ', 'g')::tsquery"
        if found.one_word is None:
            worded = f'SELECT "id" FROM {table} WHERE "document" @@ {any_word}'
            return (
                f"""{each} FROM (
                    SELECT "pk", "kind", "date", "kind_total" FROM (
                        SELECT "matched".*, COUNT(*) OVER (PARTITION BY "kind") AS "kind_total",
                            RANK() OVER (PARTITION BY "kind" ORDER BY "date" DESC NULLS LAST) AS "near"
                        FROM ({found.sql}) AS "matched"
                    ) AS "near"
                    WHERE "near" <= %s OR "pk" IN (SELECT "id" FROM {table} WHERE {named_sql}) OR "pk" IN ({worded})
                ) AS "near" {looked_up}""",
                [*found.params, size, *named_params, *ts_params, *ranking_params],
            )
        # One word: each kind's count is its total, and its first by date are read from the
        # postings' index. The entries named by the query or holding a word of it in `document` are
        # read through those columns' indexes, ranked as they are read, and kept when their `text`
        # holds the key, as a posting of the word says (see _by_words): checking each posting of the
        # word against them read them all. OFFSET 0: `text` is checked on those few rows, not
        # searched through its own index. The first by date not among them are looked up.
        word = found.one_word
        return (
            f"""WITH "totals" AS ({TOTALS_OF_WORD}),
                "held" AS (
                    SELECT "id" AS "pk", "kind", "date", {ranking_sql} FROM (
                        SELECT * FROM {table} WHERE {named_sql} OR "document" @@ {any_word} OFFSET 0
                    ) AS "entry" WHERE "text" LIKE %s
                ),
                "near" AS (
                    SELECT "first".*, "totals"."kind_total" FROM "totals" CROSS JOIN LATERAL (
                        SELECT entry_id AS pk, kind, date FROM search_posting
                        WHERE term_id = %s AND kind = "totals"."kind"
                        ORDER BY date DESC NULLS LAST FETCH FIRST %s ROWS WITH TIES
                    ) AS "first"
                    WHERE "first"."pk" NOT IN (SELECT "pk" FROM "held")
                )
                SELECT "held"."pk", "held"."kind", "held"."date", "totals"."kind_total", "title", "tier", "rank"
                FROM "held" JOIN "totals" USING ("kind")
                UNION ALL
                {each} FROM "near" {looked_up}""",
            [word, *ranking_params, *named_params, *ts_params, f"%{_like(_held(query.keys)[0])}%", word, size,
             *ranking_params],
        )


@lru_cache(maxsize=100_000)
def word_keys(word):
    """The search keys of one displayed word; cached, since the same words recur everywhere."""
    return tuple(search_words(word))


def vocabulary_words(names):
    """(key, word as written) for each word of `names` worth suggesting: no numbers, no one- or two-letter words."""
    for name in names:
        for match in DISPLAY_WORD.finditer(name or ""):
            for key in word_keys(match.group()):
                if len(key) >= SHORT_KEY and not key.isdigit() and len(key) <= 100:
                    yield key, match.group()[:100]


class SearchWordQuerySet(models.QuerySet):
    def nearest(self, words, count=5):
        """{word: [(key, display, frequency), …]}: the `count` vocabulary words nearest to each.

        PostgreSQL: pg_trgm's distance (<->) through the GiST trigram index, all the words in
        one query. SQLite: difflib over the whole vocabulary, which is small there.
        """
        if _vendor(self) == "postgresql":
            table = connections[self.db].ops.quote_name(self.model._meta.db_table)
            near = {word: [] for word in words}
            with connections[self.db].cursor() as cursor:
                # The table name comes from the model, quoted; the words are parameters.
                cursor.execute(
                    f"""
                    SELECT query.word, near.key, near.display, near.frequency
                    FROM unnest(%s::text[]) AS query(word)
                    CROSS JOIN LATERAL (
                        SELECT key, display, frequency FROM {table} ORDER BY key <-> query.word LIMIT %s
                    ) AS near
                    """,
                    [list(words), count],
                )
                for word, key, display, frequency in cursor.fetchall():
                    near[word].append((key, display, frequency))
            return near
        vocabulary = {key: (display, frequency) for key, display, frequency in self.values_list(
            "key", "display", "frequency"
        )}
        near = {}
        for word in words:
            known = [key for key in vocabulary if word in key][:count]
            close = known or difflib.get_close_matches(word, vocabulary, n=count, cutoff=SUGGESTION_CUTOFF)
            near[word] = [(key, *vocabulary[key]) for key in close]
        return near

    def suggestion(self, query):
        """The query with each misspelt word replaced by the nearest word of the records' names,
        as they write it; None when no word seems misspelt, or none is near enough.

        A word is taken as misspelt when no vocabulary word near it holds it. Between equally
        near spellings, the one more records use wins (Haftar, not Hafter). The caller checks
        that the suggestion finds something.
        """
        if not query:
            return None
        words = list(dict.fromkeys(query.words))
        replacements = {}
        for word, candidates in self.nearest(words).items():
            if not candidates or any(word in key for key, _display, _frequency in candidates):
                continue
            scored = []
            for key, display, frequency in candidates:
                ratio = difflib.SequenceMatcher(None, word, key).ratio()
                if ratio >= SUGGESTION_CUTOFF:
                    scored.append((round(ratio, 2), frequency, display))
            if scored:
                replacements[word] = max(scored)[2]
        if not replacements:
            return None

        def replace(match):
            keys = query_keys(match.group())
            return replacements.get(keys[0], match.group()) if len(keys) == 1 else match.group()

        # The typed words stay as typed; only the misspelt ones change, to a spelling of the index.
        suggestion = Query.parse(DISPLAY_WORD.sub(replace, query.text))
        return suggestion.text if suggestion.keys != query.keys else None
