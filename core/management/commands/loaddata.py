"""Django's loaddata, restoring history as it was.

loaddata saves each row raw (django-simple-history writes no history for it) and then sets its
many-to-many links, at once or, when they name rows further on, once everything is loaded;
django-simple-history would record each as a new change, dated at the restore, and the restored
database would not be the one that was dumped. Here the links are set without adding history.

What it loads is stripped of the control characters XML cannot hold (core.text), as an editor's
input is.

It builds on modeltranslation's loaddata (which itself replaces Django's), and takes its place:
`core` comes first in INSTALLED_APPS.
"""

from modeltranslation.management.commands import loaddata

from core.bilingual import translated_fields
from core.text import strip_control_characters_from


class Command(loaddata.Command):
    def loaddata(self, fixture_labels):
        self.links_pending = []
        try:
            super().loaddata(fixture_labels)
        finally:
            for instance in self.links_pending:
                del instance.skip_history_when_saving

    def save_obj(self, obj):
        obj.object.skip_history_when_saving = True
        strip_control_characters_from(obj.object, skip=translated_fields(type(obj.object))[0])
        try:
            return super().save_obj(obj)
        finally:
            if obj.deferred_fields:  # its links are set at the end (save_deferred_fields)
                self.links_pending.append(obj.object)
            else:
                del obj.object.skip_history_when_saving
