"""The search page: conferences, people, organizations, countries, topics and sources, in both languages."""

from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from search import display as search_display
from search.query import Query

from ..structured_data import PageMeta
from .base import PublicViewMixin

SEARCH_DESCRIPTION = _(
    "Search the security and intelligence conferences in Africa on record, and the people, organizations, "
    "countries, topics and sources behind them, in Arabic or English."
)


class SearchView(PublicViewMixin, TemplateView):
    """Search conferences, people, organizations, countries, topics and sources in both languages.

    `?q=` the words, `?kind=` one kind of record only (then paginated with `?page=`). The
    work is in the search app; the page runs at most a few queries, whatever it finds.
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

