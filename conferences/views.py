"""The public pages of conferences, series, topics and sources.

Every relation a template touches is loaded in `get_queryset()` (or, for the side lists
of a page, in one query each), so each page runs a fixed number of SQL queries.
"""

from functools import partial
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from organizations.models import Organization
from participants.models import Country
from portal import state, structured_data
from portal.forms import PlainSelect, render_options
from portal.permalinks import SlugHistoryMixin
from portal.structured_data import PageMeta, text_in
from portal.views import PublicViewMixin, References, related_count

from . import timeline
from .citations import cite_box
from .models import (
    AttendanceRole,
    Citation,
    Conference,
    ConferenceOrganization,
    ConferenceStatus,
    Fact,
    OrganizationRole,
    ParticipationRole,
    Series,
    SourceReport,
    Topic,
)
from .search import display as search_display
from .search.query import Query
from .templatetags.partial_dates import MONTH_NAMES

PAGE_SIZE = 20
# How many countries, organizations and topics the home page offers as ways in.
WAYS_IN_COUNT = 12
FILTER_CHOICES_SECONDS = 3600

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


def shared(rows):
    """When every row of a group has the same note and the same references (one report's list of
    countries), they are said once, for the group: {"shared": the first row}, or {}."""
    if len(rows) > 1 and len({(row.note, row.evidence.numbers) for row in rows}) == 1 and rows[0].evidence:
        return {"shared": rows[0]}
    return {}


def role_order(choices):
    """Sort key for rows by the order of their role's choices (not alphabetically)."""
    rank = {value: index for index, value in enumerate(choices.values)}
    return lambda row: rank.get(row.role, len(rank))


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of a side list on a detail page; out-of-range numbers give the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def busiest(queryset, related_name, limit=WAYS_IN_COUNT):
    """The `limit` records of `queryset` with the most conferences through `related_name`, as
    `conference_count`, counted on the link's index (related_count); those with none are left out."""
    return (
        queryset.annotate(conference_count=related_count(queryset.model, related_name))
        .filter(conference_count__gt=0)
        .order_by("-conference_count", "name")[:limit]
    )


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


class HomeView(PublicViewMixin, TemplateView):
    template_name = "conferences/home.html"
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
        conferences = Conference.objects.public().newest_first()
        context["conferences"] = conferences[: self.latest_count]
        # One aggregate gives the total, the year list and the timeline's counts.
        summary = state.remember(self.request, "home-summary", home_summary)
        counts = summary["counts"]
        context["conference_total"] = sum(counts.values())
        context["years"] = timeline.year_counts(counts)
        context["timeline"] = timeline.build(
            Conference.objects.all(), counts, self.timeline_years, self.timeline_per_month, timeline.ListLinks()
        )
        context.update(summary["ways_in"])
        return context


def filter_choices(request):
    """The options of the list's filters, kept for the data's version and language
    (state.remember): they read whole tables (every host country, organization, year)."""
    return state.remember(request, "conference-filter-choices", compute_filter_choices, FILTER_CHOICES_SECONDS)


def compute_filter_choices():
    """{field: (choices, the <option>s drawn)}. Only the columns the options show: thousands of
    rows must stay cheap, and so must drawing them, once per version rather than per request."""
    choices = {
        "country": [("", gettext("All countries"))] + [
            (code.lower(), name)
            for code, name in Country.objects.filter(pk__in=Conference.objects.values("host_country"))
            .order_by("name")
            .values_list("code", "name")
        ],
        "year": [("", gettext("All years"))] + [
            (str(day.year), str(day.year)) for day in Conference.objects.dates("start_date", "year", order="DESC")
        ],
        "organization": [("", gettext("All organizations"))] + list(
            Organization.objects.filter(pk__in=ConferenceOrganization.objects.values("organization"))
            .order_by("name")
            .values_list("slug", "name")
        ),
        "topic": [("", gettext("All topics"))] + list(Topic.objects.order_by("name").values_list("slug", "name")),
    }
    return {name: (options, render_options(options)) for name, options in choices.items()}


class ConferenceFilterForm(forms.Form):
    """The list's filters. They combine, and live in the query string so a view can be linked."""

    country = forms.ChoiceField(label=_("Host country"), required=False, widget=PlainSelect)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    organization = forms.ChoiceField(label=_("Organization"), required=False, widget=PlainSelect)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=PlainSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect)

    def __init__(self, data=None, request=None):
        super().__init__(data)
        for name, (choices, options_html) in filter_choices(request).items():
            # A callable: the choices are only read to check a value the reader sent.
            self.fields[name].choices = partial(list, choices)
            self.fields[name].widget.options_html = options_html
        self.fields["status"].choices = [("", _("Any status")), *ConferenceStatus.choices]
        self.fields["month"].choices = [("", _("All months")), *((str(n), name) for n, name in MONTH_NAMES.items())]

    def filter(self, queryset):
        """Apply every filter that holds a valid value; an invalid one is reported on the form."""
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        if values.get("country"):
            queryset = queryset.filter(host_country__code=values["country"].upper())
        if values.get("year"):
            queryset = queryset.filter(start_date__year=values["year"])
        if values.get("month"):
            queryset = queryset.starting_in(values["month"], values.get("year"))
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
        return self.form.filter(Conference.objects.public().newest_first())

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
        return Conference.objects.with_evidence().prefetch_related(
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
            "preparations": references.cite(by_fact.get(Fact.CONFERENCE_PREPARATIONS, [])),
            "place": references.cite(by_fact.get(Fact.CONFERENCE_PLACE, [])),
            "country_count": references.cite(by_fact.get(Fact.CONFERENCE_COUNTRY_COUNT, [])),
            "theme": references.cite(by_fact.get(Fact.CONFERENCE_THEME, [])),
            "background": references.cite(by_fact.get(Fact.CONFERENCE_BACKGROUND, [])),
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
                participation_groups.append({"role": role, "heading": heading, "rows": rows, **shared(rows)})

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
            page_meta=PageMeta(conference.name, conference.summary, "article", conference.updated_at),
            structured_data=structured_data.json_ld(
                structured_data.event(self.request, conference, attendances, organization_roles)
            ),
            cite=cite_box(self.request, conference),
        )
        return context


class SeriesListView(PublicViewMixin, ListView):
    model = Series
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
        context["page_obj"] = paginate(self.request, editions.public().newest_first())
        counts = timeline.bucket_counts(editions)
        # The editions list holds every conference the timeline leaves out.
        links = timeline.AnchorLinks("#editions", _("Editions, newest first"))
        context["timeline"] = timeline.build(editions, counts, self.timeline_years, self.timeline_per_month, links)
        description = gettext(
            "%(name)s: the editions of this recurring security conference in Africa, newest first, "
            "with their dates and a timeline."
        ) % {"name": series.name}
        context["page_meta"] = PageMeta(series.name, description, "website", series.updated_at)
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
        context["page_obj"] = paginate(self.request, topic.conferences.public().newest_first())
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


SEARCH_DESCRIPTION = _(
    "Search the security and intelligence conferences in Africa on record, and the people, organizations, "
    "countries, topics and sources behind them, in Arabic or English."
)


class SearchView(PublicViewMixin, TemplateView):
    """Search conferences, people, organizations, countries, topics and sources in both languages.

    `?q=` the words, `?kind=` one kind of record only (then paginated with `?page=`). The
    work is in conferences.search; the page runs at most a few queries, whatever it finds.
    """

    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parameters = self.request.GET
        context["results"] = search_display.search(
            Query.parse(parameters.get("q", "")), parameters.get("kind", ""), get_language(), parameters.get("page")
        )
        query = context["results"].query.text
        context["page_meta"] = PageMeta(
            gettext("Search: %(query)s") % {"query": query} if query else pgettext("page heading", "Search"),
            SEARCH_DESCRIPTION,
        )
        return context

