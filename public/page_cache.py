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

With Redis (public.cache.RedisCache), a hit is at most one round trip that moves no tokens: a
script compares the answer's tokens in Redis. Each process also keeps copies of the answers it
served lately (`_copies`), with the token keys of their tags, and hears every invalidation: each is
announced on a channel (ANNOUNCEMENTS), in the same transaction as the tokens it replaces, with the
keys it replaced (public.cache.Listener). While this process's subscription stands and Redis was
heard from lately, a copy is served without asking Redis: every drop since it was checked was
heard, and the drops that concern it removed it. An edit in this process drops its own copies at
once; another process hears of it as fast as Redis delivers the announcement (well under a
millisecond on one network), before the editor's own answer comes back to the browser.

Otherwise (no subscription, a cut one, a silent one), a copy is checked in the round trip against
the epoch: a token that every invalidation replaces, in the same write as the tags' tokens. While
the epoch stands no tag was dropped since the copy was checked, so the round trip compares the
epoch alone and moves no answer; once it changed, or is evicted, the copy is checked again, tag
by tag. A copy lives no longer than the entry it was read from. Answers are stored as bytes
(status, headers, body), cheaper to read back than a pickled HttpResponse.
"""

import collections
import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from core import tags as cache_tags

logger = logging.getLogger(__name__)

# Replaced by every invalidation, in the same write as the tags' tokens.
EPOCH_KEY = "tags-epoch"
# The channel on which every invalidation is announced, with the epoch and the token keys it replaced.
ANNOUNCEMENTS = "tags-dropped"
# The bytes of answers each process keeps (bodies; a compressed conference page is ~15 KB).
COPIES_BYTES = 16 * 1024 * 1024
# More drops than this heard at once, and the copies are all dropped rather than checked against each.
MANY_DROPS = 64


def _cache():
    return caches[settings.PORTAL_PAGE_CACHE_ALIAS]


def _freeze(response):
    """The answer as bytes: its status, its headers and its body, as in HTTP/1.1.

    What is stored is a plain answer: no cookies (storable() in public/middleware.py), nothing
    streamed."""
    head = "\r\n".join([str(response.status_code), *(f"{name}: {value}" for name, value in response.items())])
    return head.encode() + b"\r\n\r\n" + response.content


def _thaw(frozen):
    """(status, headers, body) of frozen bytes."""
    head, _, body = frozen.partition(b"\r\n\r\n")
    status, *lines = head.decode().split("\r\n")
    return int(status), dict(line.split(": ", 1) for line in lines), body


def _response(thawed):
    status, headers, body = thawed
    return HttpResponse(body, status=status, headers=headers)


class Copies:
    """Answers this process served lately, least recently used dropped first: key → Copy."""

    # Checked at the epoch `epoch` while this process heard the drops of tags by the Listener's
    # subscription `subscription` (None: not listening), with the token keys of its tags `keys`.
    Copy = collections.namedtuple("Copy", "epoch expires thawed size keys subscription")

    def __init__(self, limit):
        self.limit = limit
        self.size = 0
        self.entries = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            copy = self.entries.get(key)
            if copy is None:
                return None
            if copy.expires <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return copy

    def put(self, key, copy):
        if copy.size > self.limit // 8:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = copy
            self.size += copy.size
            while self.size > self.limit:
                self._drop(next(iter(self.entries)))

    def dropped(self, epoch, keys, subscription):
        """The tags of the token keys `keys` were dropped, and the epoch is now `epoch`: the copies
        checked under `subscription` that carry one of them go; the others stand at `epoch`."""
        if subscription is None:
            return
        keys = frozenset(keys)
        with self.lock:
            for key, copy in list(self.entries.items()):
                if copy.subscription != subscription:
                    continue
                if keys.isdisjoint(copy.keys):
                    self.entries[key] = copy._replace(epoch=epoch)
                else:
                    self._drop(key)

    def _drop(self, key):
        self.size -= self.entries.pop(key).size

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


_copies = Copies(COPIES_BYTES)


def get(key):
    """The answer stored under `key`, or None if it is missing or any of its tags was dropped since."""
    page_cache = _cache()
    if hasattr(page_cache, "get_tagged"):  # public.cache.RedisCache
        listener = page_cache.listener(ANNOUNCEMENTS)
        drops = listener.heard()
        if len(drops) > MANY_DROPS:  # an idle process's backlog: cheaper to start afresh
            _copies.clear()
        for epoch, keys in drops:
            _copies.dropped(epoch, keys, listener.number)
        copy = _copies.get(key)
        if copy is not None and listener.trusted(copy.subscription):
            return _response(copy.thawed)
        # Subscribed before Redis is asked: a drop after the answer is read is heard.
        subscription = listener.listen()
        epoch, keys, frozen, seconds = page_cache.get_tagged(key, EPOCH_KEY, copy.epoch if copy else None)
        if copy is not None and epoch == copy.epoch:
            _copies.put(key, copy._replace(subscription=subscription))
            return _response(copy.thawed)
        if frozen is None:
            return None
        thawed = _thaw(frozen)
        if epoch is not None:
            _copies.put(key, Copies.Copy(epoch, time.monotonic() + seconds, thawed, len(thawed[2]), keys, subscription))
        return _response(thawed)
    entry = page_cache.get(key)
    if entry is None:
        return None
    frozen, keys, tokens = entry
    if cache_tags.current_tokens(page_cache, keys) != tokens:
        return None
    return _response(_thaw(frozen))


def tokens(tags):
    """(keys, tokens) of `tags` now, for put(); None if the cache cannot keep them (unreachable).

    Read before checking that the answer's data is the latest committed: an edit that commits
    after that check drops the answer by changing them. The epoch is made here if it is missing
    (evicted), for the copies of the answers served next."""
    return cache_tags.tokens(_cache(), tags, also=[EPOCH_KEY])


def put(key, response, tagged, seconds):
    """Stores `response` with the tokens its tags had (`tagged`, from tokens())."""
    keys, current = tagged
    page_cache = _cache()
    if hasattr(page_cache, "set_tagged"):
        page_cache.set_tagged(key, _freeze(response), keys, current, seconds)
    else:
        page_cache.set(key, (_freeze(response), keys, current), seconds)


def invalidate(tags):
    """Drops every stored answer that carries one of `tags`, and so every process's copies of them.

    With Redis, the drop is announced to every process (Listener), in the same transaction; this
    process's own copies are dropped at once."""
    page_cache = _cache()
    replaced = cache_tags.replacements(tags, also=[EPOCH_KEY])
    if not hasattr(page_cache, "set_and_publish"):
        page_cache.set_many(replaced, None)
        return
    epoch = str(replaced[EPOCH_KEY])
    keys = [page_cache.make_key(key) for key in replaced if key != EPOCH_KEY]
    if page_cache.set_and_publish(replaced, ANNOUNCEMENTS, " ".join([epoch, *keys])):
        _copies.dropped(epoch, keys, page_cache.listener(ANNOUNCEMENTS).number)
    else:
        _copies.clear()


def dropped(sender, tags, **kwargs):
    invalidate(tags)


def connect_signals():
    cache_tags.invalidated.connect(dropped, dispatch_uid="public.page_cache")
