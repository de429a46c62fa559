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
    Citation,
    Conference,
    ConferenceOrganization,
    Participation,
    Series,
    SourceReport,
    Topic,
)
from core import state
from core.prepared import Compiled
from core.tags import reads, rows_tag
from organizations.models import Organization
from participants.models import Country

from .. import conference_page, previews, structured_data, timeline
from ..cite_box import cite_box
from ..forms import ConferenceFilterForm
from ..queries import busiest, related_count
from ..structured_data import PageMeta, text_in
from ..templatetags.cards import CARD_COLUMNS, card_rows, cards_of
from ..templatetags.country_maps import participation_map
from .base import PAGE_SIZE, PublicViewMixin, SlugHistoryMixin, paginate

# What the home page's summary reads (state.remember): the counts and the ways in, and the rows
# of the timeline.
HOME_READS = (
    reads(Conference, "start_date", "start_precision", "end_date", "end_precision", "host_country", "slug",
          "short_name")
    | reads(Conference.topics.through) | reads(ConferenceOrganization, "organization")
    | reads(Country) | reads(Organization) | reads(Topic)
)


# What the conference list reads of whole kinds, for its order, its count, its filters and their
# menus; the cards carry their conferences' and host countries' own tags.
CONFERENCE_LIST_READS = (
    reads(Conference, "start_date", "start_precision", "slug", "host_country", "status")
    | reads(Participation, "conference", "country", "role")
    | reads(ConferenceOrganization, "conference", "organization")
    | reads(Conference.topics.through)
    | reads(Country) | reads(Organization) | reads(Topic)
)


# What the series list reads: every series, and its count of editions (an edit of a conference's
# text leaves the list cached).
SERIES_LIST_READS = reads(Series) | reads(Conference, "series")


# The cards of the conferences, newest first, for a set of the list's filters (none for the home
# page's latest): compiled once for each set (core/prepared.py).
LIST_CARDS = Compiled(Conference, lambda rows, **filters: rows.newest_first().filtered(**filters), CARD_COLUMNS)


class HomeView(PublicViewMixin, TemplateView):
    template_name = "conferences/home.html"
    # The latest conferences (by start date), and the counts of the timeline and of the ways in.
    reads = HOME_READS
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
        context["conferences"] = cards_of(LIST_CARDS.rows(0, self.latest_count))
        # The count, the timeline and the ways in read whole tables and are long pieces to draw:
        # they are drawn once while what they read is unchanged (state.remember), and kept as markup.
        summary = state.remember(self.request, "home-drawn", self.summary, reads=HOME_READS)
        context["conference_total"] = summary["total"]
        context["timeline"] = mark_safe(summary["timeline"])
        context["ways_in"] = mark_safe(summary["ways_in"])
        return context

    def summary(self):
        """The total, the timeline and the ways in, drawn: one aggregate of every conference gives
        the timeline's counts by month, which give the total and the years too."""
        counts = timeline.bucket_counts(Conference.objects.all())
        years = timeline.year_counts(counts)
        ways_in = {
            "countries": list(busiest(Country.objects.all(), "hosted_conferences")),
            # One row per organization and conference (conference_organization_unique).
            "organizations": list(busiest(Organization.objects.all(), "conference_roles")),
            "topics": list(busiest(Topic.objects.all(), "conferences")),
        }
        return {
            "total": sum(counts.values()),
            "timeline": self.draw_timeline(counts),
            "ways_in": render_to_string("conferences/home_ways_in.html", {**ways_in, "years": years}),
        }

    def draw_timeline(self, counts):
        built = timeline.build(
            Conference.objects.all(), counts, self.timeline_years, self.timeline_per_month, timeline.ListLinks()
        )
        return render_to_string("includes/timeline.html", {"timeline": built}) if built else ""


class CardList:
    """The conference list for a set of filters, as Paginator reads a list: its count, and a slice
    of it as its cards' plain rows (public/templatetags/cards.py)."""

    def __init__(self, filters):
        self.filters = filters

    def count(self):
        return LIST_CARDS.count(**self.filters)

    def __getitem__(self, page):
        return cards_of(LIST_CARDS.rows(page.start, page.stop - page.start, **self.filters))


class ConferenceListView(PublicViewMixin, ListView):
    model = Conference
    reads = CONFERENCE_LIST_READS
    paginate_by = PAGE_SIZE
    context_object_name = "conferences"
    template_name = "conferences/conference_list.html"
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
        return CardList(self.form.filters())

    def get_paginator(self, conferences, *args, **kwargs):
        paginator = super().get_paginator(conferences, *args, **kwargs)
        if not conferences.filters:
            # Unfiltered, the count reads the whole table: counted once while no conference is
            # added or deleted (state.remember), not again for each request.
            paginator.count = state.remember(
                self.request, "conference-count", conferences.count, reads={rows_tag(Conference)}
            )
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        # The CSV downloads take the list's filters: the valid ones, since the API answers 400 to the others.
        filters = getattr(self.form, "cleaned_data", {})
        context["download_query"] = urlencode({name: value for name, value in filters.items() if value})
        return context


def card_page(request, conferences):
    """A page of `conferences`, newest first (paginate()), as their cards' plain rows, which carry
    the cards' tags (public/templatetags/cards.py)."""
    page = paginate(request, conferences.newest_first())
    page.object_list = card_rows(page.object_list)
    return page


class ConferenceDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    """A conference: its facts, each with its references, and its topics, organizations, countries
    and people, read as plain rows and drawn in Python (public/conference_page.py)."""

    model = Conference

    def get_queryset(self):
        return Conference.objects.with_host_and_series()

    def get_object(self, queryset=None):
        # The page's own address: the conference in a query compiled once (public/conference_page.py).
        if queryset is None and self.request.path_info.endswith("/"):
            conference = conference_page.conference(self.kwargs[self.slug_url_kwarg])
            if conference is not None:
                return conference
        # Any other address (an old slug, another letter case, no trailing slash): SlugHistoryMixin.
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = self.object
        rows = conference_page.load(conference)
        drawing = conference_page.Drawing(rows)
        context.update(
            drawn=drawing.draw(),
            topics=rows.topics,
            organization_roles=rows.organization_roles,
            attendances=rows.attendances,
            other_editions=rows.other_editions,
            country_map=participation_map(rows.participations),
            references=drawing.references,
            page_meta=PageMeta(
                conference.name, conference.summary, "article", conference.updated_at,
                **previews.page_image(self.request, "conferences", conference, slug=conference.slug),
            ),
            structured_data=structured_data.json_ld(
                structured_data.event(
                    self.request, conference, rows.attendances, rows.organization_roles, rows.topics
                )
            ),
            cite=cite_box(self.request, conference),
        )
        return context


class SeriesListView(PublicViewMixin, ListView):
    model = Series
    reads = SERIES_LIST_READS
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
        # The series' page shows its editions as cards only (core.tags.about_parents in conferences/models.py).
        context["page_obj"] = card_page(self.request, editions)
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
        context["page_obj"] = card_page(self.request, topic.conferences.all())
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
