from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from public import urls as public_urls

urlpatterns = [
    # The admin's address comes from DJANGO_ADMIN_PATH ("admin/" unless set).
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include(public_urls)),
]

# The public site: every page under /ar/ and /en/, Arabic included (it is the default).
urlpatterns += i18n_patterns(path("", include(public_urls.page_patterns)), prefix_default_language=True)

handler500 = "public.views.base.server_error"
