from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Countries and people")

    def ready(self):
        # Project-wide receivers: the portal package has no app of its own, and this app,
        # the bottom one, holds the slug history they keep.
        from portal import middleware, permalinks

        permalinks.connect_signals()
        middleware.connect_signals()
