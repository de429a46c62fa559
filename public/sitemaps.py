"""sitemap.xml: every public page, in Arabic and English, with hreflang alternates.

Django's own i18n sitemaps: each page is listed once per language, and each entry names
its other-language twin and the x-default (Arabic, the default language). /sitemap.xml is
an index of sections (sitemap-conferences.xml, …), each split into pages of LIMIT entries,
so no answer grows with the number of records.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from conferences.models import Conference, Series, SourceReport, Topic
from core import tags as cache_tags
from core.tags import list_tag
from organizations.models import Organization
from participants.models import Country, Person


class LanguagePairs:
    """(record, language) pairs over a queryset, read a page at a time.

    Django's i18n sitemap builds the pairs for every record before it paginates; this
    sequence counts them with one query and reads only the records of the page asked for.
    """

    def __init__(self, queryset, languages):
        self.queryset, self.languages = queryset, list(languages)

    def count(self):
        return self.queryset.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        n = len(self.languages)
        start, stop = index.start or 0, index.stop
        records = self.queryset[start // n : -(-stop // n)]
        pairs = [(record, language) for record in records for language in self.languages]
        offset = (start // n) * n
        return pairs[start - offset : stop - offset]


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = [code for code, _name in settings.LANGUAGES]
    # Entries (a page in one language) per sitemap page.
    limit = 1000

    def get_latest_lastmod(self):
        # The index leaves out each section's date: finding it would read every record.
        return None


class ListPagesSitemap(PortalSitemap):
    """The home page, the About page and the list pages; they change when anything they list changes."""

    priority = 0.8
    changefreq = "weekly"
    # Each page and the kinds of record it lists (none: it changes with a release, not with the data).
    pages = {
        "pages:home": (Conference, Country, Organization, Topic),
        "pages:about": (),
        "conferences:list": (Conference,),
        "series:list": (Series, Conference),
        "topics:list": (Topic,),
        "sources:list": (SourceReport,),
        "countries:list": (Country,),
        "people:list": (Person,),
        "organizations:list": (Organization,),
    }

    def items(self):
        cache_tags.add(*{list_tag(model) for listed in self.pages.values() for model in listed})
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
    # What get_absolute_url() and lastmod need, nothing more.
    fields = ("pk", "slug", "updated_at")

    def items(self):
        cache_tags.add(list_tag(self.model))
        return self.model.objects.only(*self.fields).order_by(*self.ordering)

    @property
    def paginator(self):
        return Paginator(LanguagePairs(self.items(), self.languages), self.limit)

    def lastmod(self, item):
        return item.updated_at


class ConferenceSitemap(RecordSitemap):
    model = Conference
    priority = 0.9


class SeriesSitemap(RecordSitemap):
    model = Series

    def location(self, item):
        # Called in each language in turn (Sitemap._location), so the address follows it.
        return reverse("series:detail", kwargs={"slug": item.slug})


class CountrySitemap(RecordSitemap):
    model = Country
    ordering = ("code",)
    fields = ("pk", "code", "updated_at")


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
    "series": SeriesSitemap,
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
