"""Series become a kind of search result, and a conference's row holds the names of its series,
people and organizations and the titles of the reports cited for it: an index written before is
rebuilt, so that its rows say so too (an empty one, as in a new database, is left to load_seeds).

The rebuild runs the index's own code (search.index) on the tables as they are now, which is
why this migration comes after every migration of the apps it reads.
"""

from django.db import migrations, models


def rebuild(apps, schema_editor):
    if apps.get_model("search", "SearchEntry").objects.using(schema_editor.connection.alias).exists():
        from search import index

        index.rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_strip_control_characters"),
        ("conferences", "0011_strip_control_characters"),
        ("organizations", "0003_strip_control_characters"),
        ("participants", "0005_strip_control_characters"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("conference", "conference"),
                    ("series", "series"),
                    ("person", "person"),
                    ("organization", "organization"),
                    ("country", "country"),
                    ("topic", "topic"),
                    ("source", "source report"),
                ],
                max_length=12,
            ),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True),
    ]
