"""The public site's addresses: `page_patterns` under /ar/ and /en/ (portal.urls puts them in
i18n_patterns), `urlpatterns` for what has no language: health checks, the root, short links,
the sitemap, robots.txt and the API. Each kind of record has its namespace: `<kind>:list`,
`<kind>:detail`."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter

from . import health
from .api import api
from .feeds import ConferenceFeed
from .sitemaps import SITEMAPS, robots_txt
from .views import base, citations, conferences, countries, organizations, pages, previews, search


def kind(name, list_view, detail_view, detail_path="<slug:slug>/", preview_view=None, files=()):
    """A kind's list and detail pages; the detail page without its slash redirects once (SlugHistoryMixin).
    `files` are (file name, view, URL name) of downloads beside the detail page."""
    patterns = [
        path("", list_view.as_view(), name="list"),
        path(detail_path, detail_view.as_view(), name="detail"),
        path(detail_path.removesuffix("/"), detail_view.as_view()),
    ]
    if preview_view:
        # The image a link to the page shows when shared (og:image).
        patterns.append(path(f"{detail_path}preview.png", preview_view, name="preview"))
    patterns += [path(f"{detail_path}{filename}", view, name=url_name) for filename, view, url_name in files]
    return include((patterns, name))


page_patterns = [
    path("", include(([
        path("", conferences.HomeView.as_view(), name="home"),
        path("search/", search.SearchView.as_view(), name="search"),
        path("about/", pages.AboutView.as_view(), name="about"),
    ], "pages"))),
    path("conferences/", kind("conferences", conferences.ConferenceListView, conferences.ConferenceDetailView,
                              preview_view=previews.conference_preview, files=[
                                  # The page for a reference manager (Zotero, EndNote, Mendeley…).
                                  ("cite.ris", citations.conference_ris, "ris"),
                                  ("cite.json", citations.conference_csl, "csl"),
                              ])),
    path("series/", kind("series", conferences.SeriesListView, conferences.SeriesDetailView,
                         preview_view=previews.series_preview)),
    path("topics/", kind("topics", conferences.TopicListView, conferences.TopicDetailView)),
    path("sources/", kind("sources", conferences.SourceListView, conferences.SourceDetailView)),
    path("countries/", kind("countries", countries.CountryListView, countries.CountryDetailView, "<str:code>/",
                            previews.country_preview)),
    path("people/", kind("people", countries.PersonListView, countries.PersonDetailView)),
    path("organizations/", kind("organizations", organizations.OrganizationListView,
                                organizations.OrganizationDetailView)),
    path("feeds/", include(([path("conferences.atom", ConferenceFeed(), name="conferences")], "feeds"))),
]

class LanguageConverter:
    """A language of the site: `ar` or `en`."""

    regex = "|".join(code for code, _name in settings.LANGUAGES)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LanguageConverter, "language")

# Each short link has two forms under one name: /c/12/ (the visitor's language) and /c/12/en/.
short_link_patterns = [
    path(f"{letter}/<int:pk>/{suffix}", base.short_link, {"kind": name}, name=name)
    for name, (letter, _model) in base.SHORT_LINKS.items()
    for suffix in ("", "<language:language>/")
] + [path(f"k/<str:code>/{suffix}", base.country_short_link, name="country") for suffix in ("", "<language:language>/")]

urlpatterns = [
    # Health checks for load balancers and monitors (public/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # `/` picks /ar/ or /en/ from the browser's Accept-Language.
    path("", base.language_redirect, name="language_redirect"),
    # Short links (/c/12/ → the page in the visitor's language, /c/12/en/ → in English), which never change.
    path("", include((short_link_patterns, "short"))),
    # For crawlers: the sitemap and robots.txt. For programs: the JSON API and its CSV downloads.
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/v1/", api.urls),
]
