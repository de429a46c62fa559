"""On PostgreSQL, a finer sample of the search keys for the planner.

With the default statistics target (100), PostgreSQL guesses how many entries a broad word
such as "security" matches from 100 sampled keys; at 10,000 conferences the guess was high
enough that a sequential scan looked as cheap as the trigram index. With 1,000 it guesses
within a few per cent, and the index wins clearly (docs/search.md).
"""

from django.db import migrations


def statistics(target):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE conferences_searchentry ALTER COLUMN text SET STATISTICS {target}")

    return run


class Migration(migrations.Migration):
    dependencies = [("conferences", "0004_conference_newest_first_index")]

    operations = [migrations.RunPython(statistics(1000), statistics(-1))]
