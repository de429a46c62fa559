from django.db import migrations

# The conference list's order, newest first with unknown dates last, read straight from an
# index on PostgreSQL. SQLite cannot declare NULLS LAST in an index; it sorts its few rows.
SQL = (
    'CREATE INDEX IF NOT EXISTS conference_newest_first_idx ON conferences_conference '
    '(start_date DESC NULLS LAST, slug)'
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS conference_newest_first_idx")


class Migration(migrations.Migration):
    dependencies = [("conferences", "0003_search_word")]

    operations = [migrations.RunPython(create, drop)]
