"""Text that XML can hold: without the control characters XML 1.0 forbids.

Pasted text brings them in: a word processor's line break (\\x0b, vertical tab), a page break
(\\x0c), a stray backspace. XML 1.0 cannot write them, even escaped, so one of them stops the
Atom feed and the XML backup. They are taken out of every record when it is cleaned or saved
(TrackedModel), out of what loaddata restores, out of the rows stored before that (each app's
migration that runs `strip_control_characters_from_tables`), and again out of whatever the feed
and the backup write (`XMLGenerator`), should one be stored all the same.
"""

import re

from django.db import models
from django.utils.xmlutils import SimplerXMLGenerator

# Below U+0020, XML 1.0 allows only tab, line feed and carriage return; nor U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A word processor's line break and page break: a break of the line, where a line can break.
LINE_BREAKS = re.compile("[\x0b\x0c]")


def strip_control_characters(value, line_break="\n"):
    """`value` without the characters XML 1.0 forbids; line and page breaks become `line_break`.

    Anything but a string is returned as it is.
    """
    if not isinstance(value, str) or not FORBIDDEN.search(value):
        return value
    return FORBIDDEN.sub("", LINE_BREAKS.sub(line_break, value))


def line_break_for(field):
    """What a line break becomes in a field: a new line in a text area, a space on one line."""
    return "\n" if isinstance(field, models.TextField) else " "


def text_fields(model, skip=()):
    return [
        field for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and field.name not in skip
    ]


def strip_control_characters_from(instance, skip=()):
    """Take the forbidden characters out of the text fields of a model instance, in place.

    `skip` names fields not to touch: a translated field's own name, which stands for one of its
    languages' fields (modeltranslation), cleaned under their own names.
    """
    for field in text_fields(type(instance), skip):
        value = getattr(instance, field.attname)
        cleaned = strip_control_characters(value, line_break_for(field))
        if cleaned is not value:
            setattr(instance, field.attname, cleaned)


def strip_control_characters_from_tables(apps, app_label):
    """In a data migration: take the forbidden characters out of every row of an app's tables.

    History rows too (django-simple-history's models are the app's). Rows are updated, not
    saved: no edit is recorded, and no version moves on.
    """
    for model in apps.get_app_config(app_label).get_models():
        fields = text_fields(model)
        if not fields:
            continue
        names = [field.attname for field in fields]
        changes = []
        for pk, *values in model._base_manager.values_list("pk", *names).iterator():
            changed = {
                field.attname: strip_control_characters(value, line_break_for(field))
                for field, value in zip(fields, values, strict=True)
                if strip_control_characters(value) is not value
            }
            if changed:
                changes.append((pk, changed))
        for pk, changed in changes:
            model._base_manager.filter(pk=pk).update(**changed)


class XMLGenerator(SimplerXMLGenerator):
    """Django's XML writer, writing any text: the forbidden characters are left out, not refused."""

    def characters(self, content):
        super().characters(strip_control_characters(content))

    def startElement(self, name, attrs):
        super().startElement(name, {key: strip_control_characters(value) for key, value in (attrs or {}).items()})
