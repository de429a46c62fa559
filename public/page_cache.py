"""Cached answers that an edit drops by tag (core.tags), kept in Django's cache framework.

Each tag has a token in the cache (`tag:conference-12`), a random number that invalidating the
tag replaces. An answer is stored with the tokens of its tags as they were when it was stored,
and a hit counts only while every one of them is unchanged: dropping a tag costs one write
whatever the number of answers that carry it, and an evicted token makes its answers misses,
never stale hits.

An answer is stored only if the data it was rendered from is the latest committed
(public/middleware.py): the site's version (core/state.py) read before rendering, where the
request reads its data, must still be the version on the primary database after it. That closes
the race of a page rendered from the data before an edit and stored after the edit's
invalidation, and keeps out of the cache a page rendered from a read replica behind the primary.
"""

import logging

from django.conf import settings
from django.core.cache import caches

from core import tags as cache_tags

logger = logging.getLogger(__name__)

def _cache():
    return caches[settings.PORTAL_PAGE_CACHE_ALIAS]


def get(key):
    """The answer stored under `key`, or None if it is missing or any of its tags was dropped since."""
    page_cache = _cache()
    entry = page_cache.get(key)
    if entry is None:
        return None
    response, keys, tokens = entry
    if cache_tags.current_tokens(page_cache, keys) != tokens:
        return None
    return response


def tokens(tags):
    """(keys, tokens) of `tags` now, for put(); None if the cache cannot keep them (unreachable).

    Read before checking that the answer's data is the latest committed: an edit that commits
    after that check drops the answer by changing them."""
    return cache_tags.tokens(_cache(), tags)


def put(key, response, tagged, seconds):
    """Stores `response` with the tokens its tags had (`tagged`, from tokens())."""
    keys, current = tagged
    _cache().set(key, (response, keys, current), seconds)


def invalidate(tags):
    """Drops every stored answer that carries one of `tags`."""
    cache_tags.drop(_cache(), tags)


def dropped(sender, tags, **kwargs):
    invalidate(tags)


def connect_signals():
    cache_tags.invalidated.connect(dropped, dispatch_uid="public.page_cache")
