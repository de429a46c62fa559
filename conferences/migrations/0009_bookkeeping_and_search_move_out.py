"""The seed loader's bookkeeping moves to the core app, the search index to the search app; their
tables stay (core.0001 and search.0001 take them over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0008_readable_source_addresses"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel("SeedRecord"),
                migrations.DeleteModel("SearchEntry"),
                migrations.DeleteModel("SearchWord"),
            ]
        ),
    ]
