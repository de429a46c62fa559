"""The public pages of organizations."""

from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from conferences.models import Attendance, Citation, Conference, ConferenceOrganization
from core import tags as cache_tags
from organizations.models import Organization, Position

from .. import structured_data
from ..evidence import References
from ..structured_data import PageMeta, text_in
from .base import PublicViewMixin, SlugHistoryMixin


class OrganizationListView(PublicViewMixin, ListView):
    model = Organization
    paginate_by = 30
    context_object_name = "organizations"
    extra_context = {
        "page_meta": PageMeta(
            _("Organizations"),
            _(
                "Intelligence and security services, armed forces, ministries and intergovernmental bodies at "
                "security conferences in Africa, and the part each played."
            ),
        )
    }

    def get_queryset(self):
        return Organization.objects.with_relations().order_by("name")


class OrganizationDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = Organization

    def get_queryset(self):
        return Organization.objects.with_relations().prefetch_related(
            "aliases",
            Prefetch("children", queryset=Organization.objects.select_related("country").order_by("name")),
            Prefetch(
                "conference_roles",
                queryset=ConferenceOrganization.objects.select_related("conference__host_country"),
            ),
            Prefetch("attendances", queryset=Attendance.objects.select_related("conference__host_country", "person")),
            Prefetch("positions", queryset=Position.objects.select_related("person")),
        )

    def get_object(self, queryset=None):
        # Its conferences show as links with their dates: their cards' tags (core.tags.part).
        with cache_tags.shown_as(Conference, "card"):
            organization = super().get_object(queryset)
        # Its founding year's citations and its positions', in one query.
        Citation.objects.attach_to(organization=[organization], position=organization.positions.all())
        return organization

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        description = text_in(organization, "description") or gettext(
            "%(name)s: its part in security conferences in Africa, its people and its history, "
            "as the cited reports record them."
        ) % {"name": str(organization)}
        context.update(
            positions=list(organization.positions.all()),
            references=References(),
            page_meta=PageMeta(str(organization), description, "website", organization.updated_at),
            structured_data=structured_data.json_ld(structured_data.organization(self.request, organization)),
        )
        return context
