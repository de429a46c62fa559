"""The search index's models, whose tables this app takes over from the conferences app, where it
began (their PostgreSQL columns and indexes are in conferences' migrations 0002, 0003 and 0005)."""

from django.db import migrations, models

MOVED = ["searchentry", "searchword"]


def take_over_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label="search", model=model).exists():
            ContentType.objects.filter(app_label="conferences", model=model).delete()
        else:
            ContentType.objects.filter(app_label="conferences", model=model).update(app_label="search")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("conferences", "0009_bookkeeping_and_search_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("kind", models.CharField(choices=[
                            ("conference", "conference"), ("person", "person"), ("organization", "organization"),
                            ("country", "country"), ("topic", "topic"), ("source", "source report"),
                        ], max_length=12)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("slug", models.CharField(help_text="The slug in the record's address (a country's code).",
                                                  max_length=100)),
                        ("title_ar", models.CharField(max_length=400)),
                        ("title_en", models.CharField(max_length=400)),
                        ("detail_ar", models.CharField(blank=True, help_text="The line under the title.",
                                                       max_length=400)),
                        ("detail_en", models.CharField(blank=True, help_text="The line under the title.",
                                                       max_length=400)),
                        ("body_ar", models.TextField(blank=True,
                                                     help_text="Description or summary, for the excerpt.")),
                        ("body_en", models.TextField(blank=True,
                                                     help_text="Description or summary, for the excerpt.")),
                        ("aliases", models.TextField(blank=True, help_text="Other names as written, one a line.")),
                        ("date", models.DateField(blank=True, null=True)),
                        ("date_precision", models.CharField(choices=[
                            ("day", "day"), ("month", "month"), ("year", "year"), ("unknown", "unknown"),
                        ], default="unknown", max_length=10)),
                        ("names", models.TextField()),
                        ("text", models.TextField()),
                    ],
                    options={
                        "verbose_name": "search entry",
                        "verbose_name_plural": "search entries",
                        "db_table": "conferences_searchentry",
                        "ordering": ["kind", "object_id"],
                        "constraints": [models.UniqueConstraint(fields=("kind", "object_id"),
                                                                name="search_entry_unique")],
                    },
                ),
                migrations.CreateModel(
                    name="SearchWord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("key", models.CharField(help_text="The word's search key.", max_length=100, unique=True)),
                        ("display", models.CharField(help_text="The word as a record writes it.", max_length=100)),
                        ("frequency", models.PositiveIntegerField(default=1,
                                                                  help_text="How many records' names hold it.")),
                    ],
                    options={
                        "verbose_name": "search word",
                        "verbose_name_plural": "search words",
                        "db_table": "conferences_searchword",
                        "ordering": ["key"],
                    },
                ),
            ]
        ),
        migrations.RunPython(take_over_content_types, migrations.RunPython.noop),
    ]
