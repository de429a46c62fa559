from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from conferences.api import api
from portal import views
from portal.feeds import ConferenceFeed
from portal.permalinks import short_link_patterns
from portal.sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    # `/` picks /ar/ or /en/ from the browser's Accept-Language.
    path("", views.language_redirect, name="language_redirect"),
    # Language-free addresses: short links (/c/12/ → the page in the visitor's language),
    # the sitemap and robots.txt for crawlers, the JSON API and its CSV downloads.
    path("", include(short_link_patterns())),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/v1/", api.urls),
]

# The public site: every page under /ar/ and /en/, Arabic included (it is the default).
urlpatterns += i18n_patterns(
    path("", include("conferences.urls")),
    path("", include("participants.urls")),
    path("organizations/", include("organizations.urls")),
    path("feeds/conferences.atom", ConferenceFeed(), name="conference_feed"),
    prefix_default_language=True,
)

handler500 = "portal.views.server_error"
