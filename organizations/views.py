"""The public pages of organizations.

Conference data reaches these pages through the reverse relations that point here
(`organization.conference_roles`, `organization.attendances`, `organization.citations`),
so this app imports nothing from conferences.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from portal import structured_data
from portal.permalinks import SlugHistoryMixin
from portal.prefetch import attach_prefetched
from portal.structured_data import PageMeta, text_in
from portal.views import PublicViewMixin, References, related_queryset

from .models import Organization, Position


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
                queryset=related_queryset(Organization, "conference_roles").select_related(
                    "conference__host_country"
                ),
            ),
            Prefetch(
                "attendances",
                queryset=related_queryset(Organization, "attendances").select_related(
                    "conference__host_country", "person"
                ),
            ),
            Prefetch("positions", queryset=Position.objects.select_related("person")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        # The citations of the organization and of its positions, in one query.
        attach_prefetched(
            related_queryset(Organization, "citations").select_related("source"),
            "citations",
            {"organization": {organization.pk: organization},
             "position": {position.pk: position for position in organization.positions.all()}},
        )
        references = References()
        # Every citation of an organization backs its founding year (Citation.FACT_TARGET).
        context["founding_evidence"] = references.cite(organization.citations.all())
        positions = list(organization.positions.all())
        for position in positions:
            position.evidence = references.cite(position.citations.all())
        description = text_in(organization, "description") or gettext(
            "%(name)s: its part in security conferences in Africa, its people and its history, "
            "as the cited reports record them."
        ) % {"name": str(organization)}
        context.update(
            positions=positions,
            references=references,
            page_meta=PageMeta(str(organization), description, "website", organization.updated_at),
            structured_data=structured_data.json_ld(structured_data.organization(self.request, organization)),
        )
        return context
