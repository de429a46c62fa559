"""Queries of plain rows whose SQL is compiled once per process.

Building and compiling a queryset costs the ORM more CPU than running it and reading a few dozen
rows. A page that runs the same queries for every record (a conference page: its countries,
people, organizations, citations) compiles each once, per database and language, and binds the
record's key each time:

    PARTICIPATIONS = Prepared(Participation, lambda rows, key: rows.filter(conference=key)
                              .order_by("role").values_list("pk", "role", "note_ar", "note_en"))
    rows = PARTICIPATIONS(conference.pk)

The queryset is built from `rows`, the model's records without modeltranslation's rewriting:
translated fields are named with their language (`note_en`), and the columns come in the order
given. The key is given to it as a stand-in value, which the compiled parameters then carry
wherever it went. The rows are read through the connection's cursor, so the queries are routed
(core.replicas), logged and counted like any other; the database's converters (dates on SQLite)
are applied as the ORM applies them.

A query whose SQL changes with the filters it is given (the conference list's: a country, a
year, a topic…) is `Compiled`: compiled once for each set of filters, the sets used last kept,
and read a page at a time (LIMIT and OFFSET bound as parameters) or counted.
"""

from functools import lru_cache

from django.db import connections, router
from django.db.models import Value
from django.utils import translation

# What the queryset is built with in place of the key: no record has it.
STAND_IN = -917_351_077


def concrete(model):
    """The model's columns (attnames), in the order a query of whole records reads them: a
    prepared query's rows of these build records with `model.from_db(alias, concrete(model), row)`."""
    return [field.attname for field in model._meta.concrete_fields]


def manager_rows(model, alias):
    """The model's records on `alias`, without modeltranslation's rewriting of field names."""
    rows = model._default_manager.using(alias)
    return rows.rewrite(False) if hasattr(rows, "rewrite") else rows


def compile_rows(queryset, alias):
    """(sql, params, converters) of a values_list() queryset on `alias`."""
    query = queryset.query
    if [*query.extra_select, *query.values_select, *query.annotation_select] != list(queryset._fields):
        raise ValueError("A prepared query selects the fields it names, in their order, and no more.")
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    return sql, list(params), list(converters.items())


def read_rows(alias, sql, params, converters):
    """The rows of `sql` as tuples, the converters applied as SQLCompiler.apply_converters does,
    with this thread's connection."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
        rows = [tuple(row) for row in rows]
    return rows


class Prepared:
    """A query of plain rows by one key, compiled once per database and language; with `slots`, by
    a list of keys (`pk__in`): `build` is then given that many stand-ins, and a call fills them
    with its keys, the first repeated in the slots left over (a repeat changes nothing in IN),
    a longer list read `slots` keys at a time."""

    def __init__(self, model, build, slots=None):
        self.model = model
        self.build = build
        self.slots = slots
        self.compiled = {}

    def compile(self, alias):
        stand_ins = [STAND_IN] if self.slots is None else [STAND_IN - slot for slot in range(self.slots)]
        queryset = self.build(manager_rows(self.model, alias), STAND_IN if self.slots is None else stand_ins)
        sql, params, converters = compile_rows(queryset, alias)
        # Where each key goes: its stand-in, as the field prepared it (a number, or its text for a slug).
        keys = [
            (index, slot)
            for index, param in enumerate(params)
            for slot, stand_in in enumerate(stand_ins)
            if param in (stand_in, str(stand_in))
        ]
        if {slot for _index, slot in keys} != set(range(len(stand_ins))):
            raise ValueError("A prepared query is filtered by its key, or by each of its keys.")
        return sql, params, keys, converters

    def __call__(self, key):
        """The rows (tuples, in the values_list's order) for `key`, or for each key of a list."""
        if self.slots is None:
            return self.read([key])
        keys, rows = list(key), []
        for start in range(0, len(keys), self.slots):
            chunk = keys[start:start + self.slots]
            rows += self.read(chunk + chunk[:1] * (self.slots - len(chunk)))
        return rows

    def read(self, values):
        alias = router.db_for_read(self.model)
        # Per language too, should a queryset depend on it.
        found = self.compiled.get((alias, translation.get_language()))
        if found is None:
            found = self.compiled[alias, translation.get_language()] = self.compile(alias)
        sql, params, keys, converters = found
        params = params.copy()
        for index, slot in keys:
            params[index] = values[slot]
        return read_rows(alias, sql, params, converters)


class Compiled:
    """A query whose SQL changes with its filters (the conference list's), compiled once for each
    set of them, per database and language: the `size` sets used last are kept (functools'
    LRU cache), and a set not among them is compiled as the ORM compiles it. `build(rows,
    **filters)` gives the queryset, ordered; rows() reads a slice of its `columns`, count() counts it.
    """

    def __init__(self, model, build, columns, size=256):
        self.model = model
        self.build = build
        self.columns = columns
        self.compiled = lru_cache(maxsize=size)(self._compile)

    def compile(self, alias, filters, counting=False):
        """(sql, params, converters) for the filters on `alias`."""
        return self.compiled(alias, translation.get_language(), tuple(sorted(filters.items())), counting)

    def _compile(self, alias, _language, filters, counting):
        queryset = self.build(manager_rows(self.model, alias), **dict(filters))
        # Counted, a constant per row and no order, as the ORM's count reads none of the columns
        # (nor joins for them): PostgreSQL may then count from an index alone.
        queryset = queryset.order_by().values_list(Value(1)) if counting else queryset.values_list(*self.columns)
        return compile_rows(queryset, alias)

    def rows(self, offset, limit, **filters):
        """The rows (tuples, in the values_list's order) from `offset`, at most `limit` of them."""
        alias = router.db_for_read(self.model)
        sql, params, converters = self.compile(alias, filters)
        # Both databases end a select with its limit and offset, as the ORM writes them.
        return read_rows(alias, f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset], converters)

    def count(self, **filters):
        alias = router.db_for_read(self.model)
        sql, params, _converters = self.compile(alias, filters, counting=True)
        return read_rows(alias, f"SELECT COUNT(*) FROM ({sql}) counted", params, [])[0][0]
