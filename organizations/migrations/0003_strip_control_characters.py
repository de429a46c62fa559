"""Takes the control characters XML cannot hold (core.text) out of the rows stored before,
and out of their history."""

from django.db import migrations

from core.text import strip_control_characters_from_tables


def strip(apps, schema_editor):
    strip_control_characters_from_tables(apps, "organizations")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_historicalorganizationalias_note_ar_and_more"),
    ]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop, elidable=True)]
