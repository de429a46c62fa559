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
import secrets

from django.conf import settings
from django.core.cache import caches

from core import tags as cache_tags

logger = logging.getLogger(__name__)

def _cache():
    return caches[settings.PORTAL_PAGE_CACHE_ALIAS]


def _token():
    # A number, which Django's Redis backend keeps as it is rather than pickled: cheap to read back.
    return secrets.randbits(62)


def _token_key(tag):
    return f"tag:{tag}"


def _current(page_cache, keys):
    """The tokens now in the cache under `keys`, in order (None where missing)."""
    if hasattr(page_cache, "get_numbers"):  # public.cache.RedisCache: one MGET, nothing unpickled
        return page_cache.get_numbers(keys)
    found = page_cache.get_many(keys)
    return [found.get(key) for key in keys]


def get(key):
    """The answer stored under `key`, or None if it is missing or any of its tags was dropped since."""
    page_cache = _cache()
    entry = page_cache.get(key)
    if entry is None:
        return None
    response, keys, tokens = entry
    if _current(page_cache, keys) != tokens:
        return None
    return response


def tokens(tags):
    """(keys, tokens) of `tags` now, for put(); None if the cache cannot keep them (unreachable).

    Read before checking that the answer's data is the latest committed: an edit that commits
    after that check drops the answer by changing them."""
    page_cache = _cache()
    keys = [_token_key(tag) for tag in sorted(tags)]
    current = _current(page_cache, keys)
    if None in current:
        for token_key, token in zip(keys, current, strict=True):
            if token is None:
                page_cache.add(token_key, _token(), None)
        current = _current(page_cache, keys)
        if None in current:
            return None
    return keys, current


def put(key, response, tagged, seconds):
    """Stores `response` with the tokens its tags had (`tagged`, from tokens())."""
    keys, current = tagged
    _cache().set(key, (response, keys, current), seconds)


def invalidate(tags):
    """Drops every stored answer that carries one of `tags`."""
    _cache().set_many({_token_key(tag): _token() for tag in tags}, None)


def dropped(sender, tags, **kwargs):
    invalidate(tags)


def connect_signals():
    cache_tags.invalidated.connect(dropped, dispatch_uid="public.page_cache")
