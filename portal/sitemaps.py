"""sitemap.xml: every public page, in Arabic and English, with hreflang alternates.

Django's own i18n sitemaps: each page is listed once per language, and each entry names
its other-language twin and the x-default (Arabic, the default language).
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from conferences.models import Conference, SourceReport, Topic
from organizations.models import Organization
from participants.models import Country, Person


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = [code for code, _name in settings.LANGUAGES]


class ListPagesSitemap(PortalSitemap):
    """The home page and the list pages; they change when anything they list changes."""

    priority = 0.8
    changefreq = "weekly"
    # Each page and the kinds of record it lists.
    pages = {
        "conferences:home": (Conference, Country, Organization, Topic),
        "conferences:list": (Conference,),
        "conferences:topic_list": (Topic,),
        "conferences:source_list": (SourceReport,),
        "participants:country_list": (Country,),
        "participants:person_list": (Person,),
        "organizations:list": (Organization,),
    }

    def items(self):
        return list(self.pages)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if not hasattr(self, "_lastmod"):
            models = {model for listed in self.pages.values() for model in listed}
            self._lastmod = {model: model.objects.aggregate(last=Max("updated_at"))["last"] for model in models}
        dates = [self._lastmod[model] for model in self.pages[item] if self._lastmod[model]]
        return max(dates, default=None)


class RecordSitemap(PortalSitemap):
    """One entry per record of `model`, at its get_absolute_url(), dated by updated_at."""

    model = None
    ordering = ("pk",)

    def items(self):
        return self.model.objects.order_by(*self.ordering)

    def lastmod(self, item):
        return item.updated_at


class ConferenceSitemap(RecordSitemap):
    model = Conference
    priority = 0.9


class CountrySitemap(RecordSitemap):
    model = Country
    ordering = ("code",)


class OrganizationSitemap(RecordSitemap):
    model = Organization


class PersonSitemap(RecordSitemap):
    model = Person


class TopicSitemap(RecordSitemap):
    model = Topic


class SourceSitemap(RecordSitemap):
    model = SourceReport
    priority = 0.4


SITEMAPS = {
    "pages": ListPagesSitemap,
    "conferences": ConferenceSitemap,
    "countries": CountrySitemap,
    "organizations": OrganizationSitemap,
    "people": PersonSitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
}


@csrf_exempt
@require_safe
def robots_txt(request):
    """Crawl everything public; the admin is not for crawlers; here is the sitemap."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
