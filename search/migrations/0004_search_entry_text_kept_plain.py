"""PostgreSQL keeps a search entry's `text` uncompressed in its row.

A broad key matches thousands of entries («Hamza»: every conference one of that name attended),
and the trigram index only finds candidates: each is read again to check the key, which meant
decompressing a conference's `text` (about 2 KB) every time, most of the search's time. A row is
compressed only when it is longer than `toast_tuple_target`: at its largest (8160 bytes), no entry
is. The rows written before are rewritten once (a rebuild of the index writes them so too).
"""

from django.db import migrations

TABLE = "conferences_searchentry"


def keep_plain(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(TABLE)
    schema_editor.execute(f"ALTER TABLE {table} SET (toast_tuple_target = 8160)")
    schema_editor.execute(f"UPDATE {table} SET text = text || '' WHERE pg_column_compression(text) IS NOT NULL")


def compress(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_series_and_related_names")]

    operations = [migrations.RunPython(keep_plain, compress)]
