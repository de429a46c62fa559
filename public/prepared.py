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
"""

from django.db import connections, router
from django.utils import translation

# What the queryset is built with in place of the key: no record has it.
STAND_IN = -917_351_077


def concrete(model):
    """The model's columns (attnames), in the order a query of whole records reads them: a
    prepared query's rows of these build records with `model.from_db(alias, concrete(model), row)`."""
    return [field.attname for field in model._meta.concrete_fields]


class Prepared:
    def __init__(self, model, build):
        self.model = model
        self.build = build
        self.compiled = {}

    def compile(self, alias):
        rows = self.model._default_manager.using(alias)
        if hasattr(rows, "rewrite"):
            rows = rows.rewrite(False)
        queryset = self.build(rows, STAND_IN)
        query = queryset.query
        if [*query.extra_select, *query.values_select, *query.annotation_select] != list(queryset._fields):
            raise ValueError("A prepared query selects the fields it names, in their order, and no more.")
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        # Where the key goes: the stand-in, as the field prepared it (a number, or its text for a slug).
        keys = [index for index, param in enumerate(params) if param in (STAND_IN, str(STAND_IN))]
        if not keys:
            raise ValueError("A prepared query is filtered by its key.")
        return sql, list(params), keys, list(converters.items())

    def __call__(self, key):
        """The rows (tuples, in the values_list's order) for `key`."""
        alias = router.db_for_read(self.model)
        # Per language too, should a queryset depend on it.
        found = self.compiled.get((alias, translation.get_language()))
        if found is None:
            found = self.compiled[alias, translation.get_language()] = self.compile(alias)
        sql, params, keys, converters = found
        params = params.copy()
        for index in keys:
            params[index] = key
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            # As SQLCompiler.apply_converters, with this thread's connection.
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters:
                    for function in functions:
                        row[position] = function(row[position], expression, connection)
            rows = [tuple(row) for row in rows]
        return rows
