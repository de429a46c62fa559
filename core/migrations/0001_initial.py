"""The core app's models: the site's state (a new table, which takes over the old counter), and
the slug history and seed bookkeeping, whose tables it takes over from the apps they began in."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MOVED = [("participants", "slughistory"), ("conferences", "seedrecord")]


def take_over(apps, schema_editor):
    """Carry the old site counter over (portal_sitestate, when there is one), and point the
    moved models' content types (and so their permissions and admin log) at this app."""
    connection = schema_editor.connection
    if "portal_sitestate" in connection.introspection.table_names():
        SiteState = apps.get_model("core", "SiteState")
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, version, changed_at FROM portal_sitestate")
            for pk, version, changed_at in cursor.fetchall():
                SiteState.objects.update_or_create(pk=pk, defaults={"version": version, "changed_at": changed_at})
        schema_editor.execute("DROP TABLE portal_sitestate")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        if ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label=app_label, model=model).delete()
        else:
            ContentType.objects.filter(app_label=app_label, model=model).update(app_label="core")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0004_slughistory_moves_to_core"),
        ("conferences", "0009_bookkeeping_and_search_move_out"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveBigIntegerField(default=1)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "site state"},
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SlugHistory",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("slug", models.SlugField(max_length=100, verbose_name="earlier slug")),
                        ("object_id", models.PositiveBigIntegerField(verbose_name="record")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="replaced on")),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                           related_name="+", to="contenttypes.contenttype",
                                                           verbose_name="kind of record")),
                    ],
                    options={
                        "verbose_name": "earlier address",
                        "verbose_name_plural": "earlier addresses",
                        "db_table": "participants_slughistory",
                        "ordering": ["content_type", "slug"],
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="slug_history_record")],
                        "constraints": [models.UniqueConstraint(
                            fields=("content_type", "slug"), name="slug_history_unique",
                            violation_error_message="This address was used before by another record.",
                        )],
                    },
                ),
                migrations.CreateModel(
                    name="SeedRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("model", models.CharField(max_length=100)),
                        ("key", models.CharField(help_text="The fixture's natural key, as JSON.", max_length=400)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("version", models.PositiveIntegerField()),
                        ("digest", models.CharField(help_text="Hash of the fixture entry last applied.",
                                                    max_length=64)),
                    ],
                    options={
                        "verbose_name": "seed record",
                        "db_table": "conferences_seedrecord",
                        "constraints": [models.UniqueConstraint(fields=("model", "key"),
                                                                name="seed_record_unique_key")],
                    },
                ),
            ]
        ),
        migrations.RunPython(take_over, migrations.RunPython.noop),
    ]
