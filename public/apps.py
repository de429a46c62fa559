from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public site: every page, the API, feeds, sitemaps, and the HTTP machinery around them."""

    name = "public"

    def ready(self):
        from . import page_cache, purge

        page_cache.connect_signals()
        purge.connect_signals()
