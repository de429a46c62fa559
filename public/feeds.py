"""An Atom feed of new and updated conferences, one per language.

/ar/feeds/conferences.atom and /en/feeds/conferences.atom sit inside i18n_patterns, so
the active language gives the titles, summaries and links of the feed.

The summaries are plain text and go out as text (Django's Atom feed calls every summary HTML,
so a reader would take a "<" in one for markup). A control character that XML cannot hold
is left out of the feed (core.text), should one be stored.
"""

import uuid

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from conferences.models import Conference, Topic
from core import tags as cache_tags
from core.tags import list_tag
from core.text import XMLGenerator

FEED_LENGTH = 50


class AtomFeed(Atom1Feed):
    """Django's Atom feed, with summaries of plain text, that writes any text it is given."""

    def write(self, outfile, encoding):
        # Atom1Feed.write, with a writer that leaves out what XML cannot hold instead of failing.
        handler = XMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ConferenceFeed(Feed):
    feed_type = AtomFeed

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
        cache_tags.add(list_tag(Conference), list_tag(Topic))
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
