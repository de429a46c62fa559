"""The public pages of organizations.

Conference data reaches these pages through the reverse relations that point here
(`organization.conference_roles`, `organization.attendances`, `organization.citations`),
so this app imports nothing from conferences.
"""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from portal.permalinks import SlugHistoryMixin
from portal.views import PublicViewMixin, References, related_queryset

from .models import Organization, Position


def citations_with_sources():
    """Citations (a model of the conferences app, reached by relation) with their source."""
    citation_model = Organization._meta.get_field("citations").related_model
    return Prefetch("citations", queryset=citation_model.objects.select_related("source"))


class OrganizationListView(PublicViewMixin, ListView):
    model = Organization
    paginate_by = 30
    context_object_name = "organizations"

    def get_queryset(self):
        return Organization.objects.with_relations().order_by("name")


class OrganizationDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = Organization

    def get_queryset(self):
        return Organization.objects.with_relations().prefetch_related(
            "aliases",
            citations_with_sources(),
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
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("person").prefetch_related(citations_with_sources()),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        references = References()
        # Every citation of an organization backs its founding year (Citation.FACT_TARGET).
        context["founding_evidence"] = references.cite(organization.citations.all())
        positions = list(organization.positions.all())
        for position in positions:
            position.evidence = references.cite(position.citations.all())
        context.update(positions=positions, references=references)
        return context
