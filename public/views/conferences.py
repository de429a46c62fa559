"""The public pages of conferences, series, topics and sources.

Every relation a template touches is loaded in `get_queryset()` (or, for the side lists
of a page, in one query each), so each page runs a fixed number of SQL queries.
"""

from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from conferences.models import (
    AttendanceRole,
    Citation,
    Conference,
    ConferenceOrganization,
    Fact,
    OrganizationRole,
    Participation,
    ParticipationRole,
    Series,
    SourceReport,
    Topic,
)
from core import state
from core.tags import reads
from organizations.models import Organization
from participants.models import Country

from .. import previews, structured_data, timeline
from ..cite_box import cite_box
from ..evidence import References, shared
from ..forms import ConferenceFilterForm
from ..queries import busiest, related_count
from ..structured_data import PageMeta, text_in
from .base import PAGE_SIZE, PublicViewMixin, SlugHistoryMixin, paginate

# Headings of the country groups on a conference page, in the order they are shown.
PARTICIPATION_GROUPS = [
    (ParticipationRole.HOST, _("Host")),
    (ParticipationRole.PARTICIPANT, _("Taking part")),
    (ParticipationRole.ANNOUNCED, _("Announced as taking part")),
    (ParticipationRole.ABSENT, _("Reported absent")),
]


def role_order(choices):
    """Sort key for rows by the order of their role's choices (not alphabetically)."""
    rank = {value: index for index, value in enumerate(choices.values)}
    return lambda row: rank.get(row.role, len(rank))


def home_summary():
    """What the home page counts over every conference: the timeline's counts by month (which
    give the total and the years too) and the busiest ways in. Whole-table aggregates: the
    home page keeps them for the data's version (state.remember)."""
    return {
        "counts": timeline.bucket_counts(Conference.objects.all()),
        "ways_in": {
            "countries": list(busiest(Country.objects.all(), "hosted_conferences")),
            # One row per organization and conference (conference_organization_unique).
            "organizations": list(busiest(Organization.objects.all(), "conference_roles")),
            "topics": list(busiest(Topic.objects.all(), "conferences")),
        },
    }


# What the home page's summaries read (state.remember): home_summary, and the ways in drawn from it;
# the timeline's rows.
HOME_SUMMARY_READS = (
    reads(Conference, "start_date", "start_precision", "host_country") | reads(Conference.topics.through)
    | reads(ConferenceOrganization, "organization") | reads(Country) | reads(Organization) | reads(Topic)
)
HOME_TIMELINE_READS = reads(
    Conference, "start_date", "start_precision", "end_date", "end_precision", "slug", "short_name"
)


class HomeView(PublicViewMixin, TemplateView):
    template_name = "conferences/home.html"
    # The latest conferences, and the counts of the timeline and of the ways in.
    lists = (Conference, Participation, ConferenceOrganization)
    latest_count = 10
    # The timeline: the most recent years that have conferences, and a few links a month.
    timeline_years = 3
    timeline_per_month = 2
    extra_context = {
        "page_meta": PageMeta(
            _("Security and intelligence conferences in Africa"),
            _(
                "Meetings of intelligence chiefs, security services and armed forces in Africa: where and when "
                "they met, who took part and what they discussed, with sources."
            ),
        )
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conferences = Conference.objects.for_cards().newest_first()
        context["conferences"] = conferences[: self.latest_count]
        # One aggregate gives the total, the year list and the timeline's counts.
        summary = state.remember(self.request, "home-summary", home_summary, reads=HOME_SUMMARY_READS)
        counts = summary["counts"]
        context["conference_total"] = sum(counts.values())
        context["years"] = timeline.year_counts(counts)
        # The timeline reads a few rows of every month shown, and is a long piece to draw: it is
        # drawn once for the data's version (state.remember), like the counts it is built on.
        drawn = state.remember(
            self.request, "home-timeline", lambda: self.draw_timeline(counts), reads=HOME_TIMELINE_READS
        )
        context["timeline"] = mark_safe(drawn)
        # So are the ways in: whole-table counts, and four lists to draw.
        years = context["years"]
        drawn = state.remember(
            self.request, "home-ways-in", lambda: self.draw_ways_in(summary["ways_in"], years),
            reads=HOME_SUMMARY_READS,
        )
        context["ways_in"] = mark_safe(drawn)
        return context

    def draw_ways_in(self, ways_in, years):
        return render_to_string("conferences/home_ways_in.html", {**ways_in, "years": years})


    def draw_timeline(self, counts):
        built = timeline.build(
            Conference.objects.all(), counts, self.timeline_years, self.timeline_per_month, timeline.ListLinks()
        )
        return render_to_string("includes/timeline.html", {"timeline": built}) if built else ""


class ConferenceListView(PublicViewMixin, ListView):
    model = Conference
    # The filters' choices: the countries, organizations and topics of conferences.
    lists = (Participation, ConferenceOrganization, Country, Organization, Topic)
    paginate_by = PAGE_SIZE
    context_object_name = "conferences"
    extra_context = {
        "page_meta": PageMeta(
            _("Conferences"),
            _(
                "Every security and intelligence conference on record, newest first, by host country, year, "
                "organization, topic and status, with spreadsheet downloads."
            ),
        )
    }

    def get_queryset(self):
        self.form = ConferenceFilterForm(self.request.GET or None, request=self.request)
        return self.form.filter(Conference.objects.for_cards().newest_first())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        # The CSV downloads take the list's filters: the valid ones, since the API answers 400 to the others.
        filters = getattr(self.form, "cleaned_data", {})
        context["download_query"] = urlencode({name: value for name, value in filters.items() if value})
        return context


class ConferenceDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = Conference

    def get_queryset(self):
        return Conference.objects.with_rows().prefetch_related(
            Prefetch(
                "series__conferences",
                # Only what the links to the other editions show.
                queryset=Conference.objects.only(
                    "slug", "short_name", "short_name_ar", "short_name_en", "series", "edition", "start_date"
                ).order_by("edition", "start_date"),
            ),
        )

    def get_object(self, queryset=None):
        conference = super().get_object(queryset)
        Citation.objects.attach([conference])
        return conference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = self.object
        # The citations of each fact about the conference, by the fact's name (facts.conference_dates);
        # the template numbers them as it shows them.
        facts = {}
        for citation in conference.cited:
            facts.setdefault(Fact(citation.fact).name.lower(), []).append(citation)

        participation_groups = []
        for role, heading in PARTICIPATION_GROUPS:
            rows = [row for row in conference.participations.all() if row.role == role]
            if rows:
                participation_groups.append({"role": role, "heading": heading, "rows": rows, **shared(rows)})
        organization_roles = sorted(conference.organization_roles.all(), key=role_order(OrganizationRole))
        attendances = sorted(conference.attendances.all(), key=role_order(AttendanceRole))

        other_editions = []
        if conference.series_id:
            other_editions = [c for c in conference.series.conferences.all() if c.pk != conference.pk]

        context.update(
            facts=facts,
            organization_roles=organization_roles,
            participation_groups=participation_groups,
            attendances=attendances,
            other_editions=other_editions,
            references=References(),
            page_meta=PageMeta(
                conference.name, conference.summary, "article", conference.updated_at,
                **previews.page_image(self.request, "conferences", conference, slug=conference.slug),
            ),
            structured_data=structured_data.json_ld(
                structured_data.event(self.request, conference, attendances, organization_roles)
            ),
            cite=cite_box(self.request, conference),
        )
        return context


class SeriesListView(PublicViewMixin, ListView):
    model = Series
    # The count of editions.
    lists = (Conference,)
    paginate_by = PAGE_SIZE * 2
    context_object_name = "series_list"
    extra_context = {
        "page_meta": PageMeta(
            pgettext_lazy("plural", "Series"),
            _(
                "Recurring security and intelligence conferences in Africa, each with its editions on record "
                "and a timeline of them."
            ),
        )
    }

    def get_queryset(self):
        # A count per series from the foreign key's index, not a join over every conference; the
        # organizations of the page's series by their keys, not a join over every organization.
        return (
            Series.objects.prefetch_related("organization")
            .annotate(edition_count=related_count(Series, "conferences"))
            .order_by("name", "slug")
        )


class SeriesDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    """A series: its organization, its editions newest first (paginated) and their timeline."""

    model = Series
    context_object_name = "series"
    # The timeline: the most recent years of the series, and a few links a month.
    timeline_years = 10
    timeline_per_month = 3

    def get_queryset(self):
        return Series.objects.select_related("organization")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = self.object
        editions = Conference.objects.filter(series=series)
        context["page_obj"] = paginate(self.request, editions.for_cards().newest_first())
        counts = timeline.bucket_counts(editions)
        # The editions list holds every conference the timeline leaves out.
        links = timeline.AnchorLinks("#editions", _("Editions, newest first"))
        context["timeline"] = timeline.build(editions, counts, self.timeline_years, self.timeline_per_month, links)
        description = gettext(
            "%(name)s: the editions of this recurring security conference in Africa, newest first, "
            "with their dates and a timeline."
        ) % {"name": series.name}
        context["page_meta"] = PageMeta(
            series.name, description, "website", series.updated_at,
            **previews.page_image(self.request, "series", series, slug=series.slug),
        )
        return context


class TopicListView(PublicViewMixin, ListView):
    model = Topic
    paginate_by = PAGE_SIZE * 2
    context_object_name = "topics"
    extra_context = {
        "page_meta": PageMeta(
            _("Topics"),
            _(
                "The subjects that security and intelligence conferences in Africa discussed, each with the "
                "conferences that took it up."
            ),
        )
    }

    def get_queryset(self):
        return Topic.objects.annotate(conference_count=Count("conferences", distinct=True)).order_by("name")


class TopicDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = Topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        context["page_obj"] = paginate(self.request, topic.conferences.for_cards().newest_first())
        description = text_in(topic, "description")
        if description:
            text = gettext("%(name)s: %(description)s Security conferences in Africa that discussed this topic.")
        else:
            text = gettext("%(name)s: security conferences in Africa that discussed this topic.")
        description = text % {"name": topic.name, "description": description}
        context["page_meta"] = PageMeta(topic.name, description, "website", topic.updated_at)
        return context


class SourceListView(PublicViewMixin, ListView):
    model = SourceReport
    # The count of citations.
    lists = (Citation,)
    paginate_by = PAGE_SIZE
    context_object_name = "sources"
    extra_context = {
        "page_meta": PageMeta(
            _("Sources"),
            _(
                "The reports behind every fact on the portal: their outlet, date and language, our summary, "
                "and the facts each one backs."
            ),
        )
    }

    def get_queryset(self):
        return SourceReport.objects.annotate(citation_count=Count("citations")).order_by(
            F("published_on").desc(nulls_last=True), "slug"
        )


class SourceDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = SourceReport
    context_object_name = "source"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        context["page_meta"] = PageMeta(source.title, source.summary, "article", source.updated_at)
        return context

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
