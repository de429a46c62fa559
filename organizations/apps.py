from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        import simple_history

        from .models import Organization, OrganizationAlias, Position

        # Registered once modeltranslation has added the translated columns (participants.apps).
        for model in (Organization, OrganizationAlias, Position):
            simple_history.register(model, app=self.label)
