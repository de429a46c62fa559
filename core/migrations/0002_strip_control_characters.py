"""Takes the control characters XML cannot hold (core.text) out of the rows stored before: the
core app's, and the admin's log, which names records as they were called."""

from django.db import migrations

from core.text import strip_control_characters_from_tables


def strip(apps, schema_editor):
    strip_control_characters_from_tables(apps, "core")
    strip_control_characters_from_tables(apps, "admin")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop, elidable=True)]
