from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: shared building blocks and the site's state."""

    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import state

        state.connect_signals()
