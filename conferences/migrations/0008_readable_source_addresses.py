"""Readable addresses for the five reports the portal began with, and citations no longer made.

The reports' slugs lose their bookkeeping prefix (seed-000-…): each old slug goes to the slug
history, so its addresses keep answering with a redirect, and the seed loader's record of the
row follows the new slug, so later fixture changes still apply. Four citations the fixtures no
longer hold, because their excerpts did not state the fact they backed, are removed, unless an
editor has changed them since they were loaded.
"""

import json

from django.db import migrations

RENAMED = {
    "seed-000-espacemanager-cissa-20-closing": "espacemanager-cissa-20-closing",
    "seed-001-cissa-chairmanship-analysis": "cissa-chairmanship-analysis",
    "seed-002-tripoli-military-intelligence-conference": "tripoli-military-intelligence-conference",
    "seed-003-stepagency-benghazi-chiefs-of-staff": "stepagency-benghazi-chiefs-of-staff",
    "seed-004-rassd-almaghrib-agadir": "rassd-almaghrib-agadir",
}
REMOVED_CITATIONS = ["benghazi-status-seed003", "cissa-endorsed-cissaau", "cissa-21-dates-seed000", "dbeibah-seed002"]


def forwards(apps, schema_editor):
    SourceReport = apps.get_model("conferences", "SourceReport")
    Citation = apps.get_model("conferences", "Citation")
    SeedRecord = apps.get_model("conferences", "SeedRecord")
    SlugHistory = apps.get_model("participants", "SlugHistory")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="conferences", model="sourcereport")
    for old, new in RENAMED.items():
        source = SourceReport.objects.filter(slug=old).first()
        if source is None or SourceReport.objects.filter(slug=new).exists():
            continue
        source.slug = new
        source.save(update_fields=["slug"])
        SlugHistory.objects.get_or_create(content_type=content_type, slug=old, defaults={"object_id": source.pk})
        SeedRecord.objects.filter(model="conferences.sourcereport", key=json.dumps([old])).update(
            key=json.dumps([new])
        )
    for key in REMOVED_CITATIONS:
        record = SeedRecord.objects.filter(model="conferences.citation", key=json.dumps([key])).first()
        citation = Citation.objects.filter(key=key).first()
        if record is None or citation is None or citation.version != record.version:
            continue  # not loaded by the seeds, or corrected by an editor since: theirs to keep
        citation.delete()
        record.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0007_evidence_language_background"),
        ("participants", "0003_historicalpersonalias_note_ar_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
