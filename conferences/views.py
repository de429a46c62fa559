"""The public pages of conferences, topics and sources.

Every relation a template touches is loaded in `get_queryset()` (or, for the side lists
of a page, in one query each), so each page runs a fixed number of SQL queries.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from organizations.models import Organization
from participants.models import Country
from portal.permalinks import SlugHistoryMixin
from portal.views import PublicViewMixin, References

from .models import (
    Attendance,
    AttendanceRole,
    Citation,
    Conference,
    ConferenceOrganization,
    ConferenceStatus,
    Fact,
    OrganizationRole,
    Participation,
    ParticipationRole,
    SourceReport,
    Topic,
)

PAGE_SIZE = 20

# Headings of the country groups on a conference page, in the order they are shown.
PARTICIPATION_GROUPS = [
    (ParticipationRole.HOST, _("Host")),
    (ParticipationRole.PARTICIPANT, _("Taking part")),
    (ParticipationRole.ANNOUNCED, _("Announced as taking part")),
    (ParticipationRole.ABSENT, _("Reported absent")),
]


def cited():
    """Citations with their source: what every numbered reference shows."""
    return Prefetch("citations", queryset=Citation.objects.select_related("source"))


def role_order(choices):
    """Sort key for rows by the order of their role's choices (not alphabetically)."""
    rank = {value: index for index, value in enumerate(choices.values)}
    return lambda row: rank.get(row.role, len(rank))


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of a side list on a detail page; out-of-range numbers give the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class HomeView(PublicViewMixin, TemplateView):
    template_name = "conferences/home.html"
    latest_count = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conferences = Conference.objects.public().newest_first()
        context["conferences"] = conferences[: self.latest_count]
        context["conference_total"] = Conference.objects.count()
        context["countries"] = (
            Country.objects.annotate(conference_count=Count("hosted_conferences", distinct=True))
            .filter(conference_count__gt=0)
            .order_by("-conference_count", "name")
        )
        context["organizations"] = (
            Organization.objects.annotate(conference_count=Count("conference_roles", distinct=True))
            .filter(conference_count__gt=0)
            .order_by("-conference_count", "name")[:12]
        )
        context["topics"] = (
            Topic.objects.annotate(conference_count=Count("conferences", distinct=True))
            .filter(conference_count__gt=0)
            .order_by("-conference_count", "name")
        )
        context["years"] = (
            Conference.objects.filter(start_date__isnull=False)
            .annotate(year=ExtractYear("start_date"))
            .values("year")
            .annotate(conference_count=Count("pk"))
            .order_by("-year")
        )
        return context


class ConferenceFilterForm(forms.Form):
    """The list's filters. They combine, and live in the query string so a view can be linked."""

    country = forms.ChoiceField(label=_("Host country"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    organization = forms.ChoiceField(label=_("Organization"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (country.code.lower(), country.name)
            for country in Country.objects.filter(hosted_conferences__isnull=False).distinct().order_by("name")
        ]
        self.fields["year"].choices = [("", _("All years"))] + [
            (str(day.year), str(day.year)) for day in Conference.objects.dates("start_date", "year", order="DESC")
        ]
        self.fields["organization"].choices = [("", _("All organizations"))] + [
            (organization.slug, organization.name)
            for organization in Organization.objects.filter(conference_roles__isnull=False)
            .distinct()
            .order_by("name")
        ]
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (topic.slug, topic.name) for topic in Topic.objects.order_by("name")
        ]
        self.fields["status"].choices = [("", _("Any status")), *ConferenceStatus.choices]

    def filter(self, queryset):
        """Apply every filter that holds a valid value; an invalid one is reported on the form."""
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        if values.get("country"):
            queryset = queryset.filter(host_country__code=values["country"].upper())
        if values.get("year"):
            queryset = queryset.filter(start_date__year=values["year"])
        if values.get("organization"):
            queryset = queryset.filter(organization_roles__organization__slug=values["organization"])
        if values.get("topic"):
            queryset = queryset.filter(topics__slug=values["topic"])
        if values.get("status"):
            queryset = queryset.filter(status=values["status"])
        return queryset

    @property
    def is_filtered(self):
        return any(self.data.get(name) for name in self.fields)


class ConferenceListView(PublicViewMixin, ListView):
    model = Conference
    paginate_by = PAGE_SIZE
    context_object_name = "conferences"

    def get_queryset(self):
        self.form = ConferenceFilterForm(self.request.GET or None)
        return self.form.filter(Conference.objects.public().newest_first())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        return context


class ConferenceDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = Conference

    def get_queryset(self):
        return Conference.objects.public().prefetch_related(
            cited(),
            "topics",
            Prefetch(
                "organization_roles",
                queryset=ConferenceOrganization.objects.select_related("organization").prefetch_related(cited()),
            ),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("country").prefetch_related(cited()),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person", "organization").prefetch_related(cited()),
            ),
            Prefetch(
                "series__conferences",
                queryset=Conference.objects.select_related("host_country").order_by("edition", "start_date"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = self.object
        by_fact = {}
        for citation in conference.citations.all():
            by_fact.setdefault(citation.fact, []).append(citation)

        # Number the references in the order the template shows the facts.
        references = References()
        evidence = {
            "name": references.cite(by_fact.get(Fact.CONFERENCE_NAME, [])),
            "status": references.cite(by_fact.get(Fact.CONFERENCE_STATUS, [])),
            "dates": references.cite(by_fact.get(Fact.CONFERENCE_DATES, [])),
            "place": references.cite(by_fact.get(Fact.CONFERENCE_PLACE, [])),
            "theme": references.cite(by_fact.get(Fact.CONFERENCE_THEME, [])),
            "topics": references.cite(by_fact.get(Fact.CONFERENCE_TOPICS, [])),
        }
        organization_roles = sorted(conference.organization_roles.all(), key=role_order(OrganizationRole))
        for row in organization_roles:
            row.evidence = references.cite(row.citations.all())

        participations = list(conference.participations.all())
        participation_groups = []
        for role, heading in PARTICIPATION_GROUPS:
            rows = [row for row in participations if row.role == role]
            for row in rows:
                row.evidence = references.cite(row.citations.all())
            if rows:
                participation_groups.append({"role": role, "heading": heading, "rows": rows})

        attendances = sorted(conference.attendances.all(), key=role_order(AttendanceRole))
        for row in attendances:
            row.evidence = references.cite(row.citations.all())
        evidence["outcomes"] = references.cite(by_fact.get(Fact.CONFERENCE_OUTCOMES, []))

        other_editions = []
        if conference.series_id:
            other_editions = [c for c in conference.series.conferences.all() if c.pk != conference.pk]

        context.update(
            evidence=evidence,
            organization_roles=organization_roles,
            participation_groups=participation_groups,
            attendances=attendances,
            other_editions=other_editions,
            references=references,
        )
        return context


class TopicListView(PublicViewMixin, ListView):
    model = Topic
    paginate_by = PAGE_SIZE * 2
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.annotate(conference_count=Count("conferences", distinct=True)).order_by("name")


class TopicDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = Topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(self.request, self.object.conferences.public().newest_first())
        return context


class SourceListView(PublicViewMixin, ListView):
    model = SourceReport
    paginate_by = PAGE_SIZE
    context_object_name = "sources"

    def get_queryset(self):
        return SourceReport.objects.annotate(citation_count=Count("citations")).order_by(
            F("published_on").desc(nulls_last=True), "slug"
        )


class SourceDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = SourceReport
    context_object_name = "source"

    def get_queryset(self):
        return SourceReport.objects.prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related(
                    "conference",
                    "conference_organization__conference",
                    "conference_organization__organization",
                    "participation__conference",
                    "participation__country",
                    "attendance__conference",
                    "attendance__person",
                    "position__person",
                    "position__organization",
                    "organization",
                ).order_by("fact", "key"),
            )
        )
