"""Django's XML serializer (dumpdata --format=xml, the backup), able to write any row it finds.

A row holding a control character that XML 1.0 cannot write (core.text) would stop Django's
serializer, and the backup with it, half written: this one leaves the character out.

A history row may point at a record that was deleted since (a conference's topic links, kept
with its history): with natural keys, Django's serializer stops the backup there, since the
record it would name is gone. This one writes such a reference by its id, which loaddata reads
back as it is. Registered for the "xml" format in settings (SERIALIZATION_MODULES).
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import xml_serializer
from django.core.serializers.xml_serializer import Deserializer  # noqa: F401 (loaddata reads the format too)

from .text import XMLGenerator


class Serializer(xml_serializer.Serializer):
    def start_serialization(self):
        # Django's, with a writer that leaves out what XML cannot hold instead of failing.
        self.xml = XMLGenerator(self.stream, self.options.get("encoding", settings.DEFAULT_CHARSET))
        self.xml.startDocument()
        self.xml.startElement("django-objects", {"version": "1.0"})

    def handle_fk_field(self, obj, field):
        try:
            getattr(obj, field.name)
        except ObjectDoesNotExist:
            # Gone since: written by its id, as without natural keys.
            self._start_relational_field(field)
            self.xml.characters(str(getattr(obj, field.attname)))
            self.xml.endElement("field")
            return
        super().handle_fk_field(obj, field)
