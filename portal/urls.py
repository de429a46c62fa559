from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from conferences.api import api
from portal import health, views
from portal.feeds import ConferenceFeed
from portal.permalinks import short_link_patterns
from portal.sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    # The admin's address comes from DJANGO_ADMIN_PATH ("admin/" unless set).
    path(settings.ADMIN_PATH, admin.site.urls),
    # Health checks for load balancers and monitors (portal/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # `/` picks /ar/ or /en/ from the browser's Accept-Language.
    path("", views.language_redirect, name="language_redirect"),
    # Language-free addresses: short links (/c/12/ → the page in the visitor's language),
    # the sitemap and robots.txt for crawlers, the JSON API and its CSV downloads.
    path("", include(short_link_patterns())),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
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
