"""SlugHistory moves to the core app; its table stays (core.0001 takes it over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_historicalpersonalias_note_ar_and_more"),
        # The last migration that reads it here.
        ("conferences", "0008_readable_source_addresses"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("SlugHistory")]),
    ]
