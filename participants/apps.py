from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Countries and people")

    def ready(self):
        # The slug history lives in this app, the bottom one; its receivers watch every app.
        from portal import permalinks

        permalinks.connect_signals()
