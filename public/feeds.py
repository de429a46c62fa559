"""An Atom feed of new and updated conferences, one per language.

/ar/feeds/conferences.atom and /en/feeds/conferences.atom sit inside i18n_patterns, so
the active language gives the titles, summaries and links of the feed.
"""

import uuid

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from conferences.models import Conference, Topic

FEED_LENGTH = 50


class ConferenceFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Security Conferences in Africa")

    def subtitle(self):
        return _("Security and intelligence conferences in Africa")

    def link(self):
        return reverse("conferences:list")

    def feed_url(self):
        return reverse("feeds:conferences")

    def author_name(self):
        return _("Security Conferences in Africa")

    def items(self):
        return (
            Conference.objects.with_host_and_series()
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("slug")))
            .order_by("-updated_at", "slug")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # An entry's id survives a change of slug: it is made from the record's id (the
        # one in its short link) and the feed's language.
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{item.get_short_url()}#{translation.get_language()}')}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
