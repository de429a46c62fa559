"""Pages of the portal itself rather than of its records: the About page."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..structured_data import PageMeta
from .base import PublicViewMixin


class AboutView(PublicViewMixin, TemplateView):
    """What the portal covers and does not, how it sources facts and shows disagreements, how it
    keeps dates, how to have a record corrected, and the terms on which its data may be reused."""

    template_name = "pages/about.html"
    extra_context = {
        "page_meta": PageMeta(
            _("About this portal"),
            _(
                "What the portal covers and what it leaves out, how every fact is sourced and disagreements "
                "shown, how dates keep their precision, how to ask for a correction, and the licence of the data."
            ),
        )
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact_email"] = settings.PORTAL_CONTACT_EMAIL
        return context
