from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The public search: its index of the records, kept current by its own receivers."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import index

        index.connect_signals()
