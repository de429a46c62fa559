"""Takes the control characters XML cannot hold (core.text) out of the index's rows stored before."""

from django.db import migrations

from core.text import strip_control_characters_from_tables


def strip(apps, schema_editor):
    strip_control_characters_from_tables(apps, "search")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop, elidable=True)]
