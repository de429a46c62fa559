from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Countries and people")

    def ready(self):
        import simple_history

        from .models import Country, Person, PersonAlias

        # Edit history, registered once modeltranslation (first in INSTALLED_APPS) has added the
        # translated columns, so that the history tables keep both languages.
        for model in (Country, Person, PersonAlias):
            simple_history.register(model, app=self.label)
