"""Django's Redis cache backend, shared clients and an outage that costs only speed.

- Django's backend builds a new redis.Redis for every cache operation, and with it redis-py's
  table of response callbacks: more work than the GET it wraps, on every cached page. A
  redis.Redis is safe to share (connections come from its pool), so this keeps one per pool.
- The cache only makes pages faster, so when Redis is unreachable every operation answers as a
  miss (a read gives its default, a write does nothing) instead of raising, and the pages are
  rendered uncached. The outage is logged once; for RETRY_SECONDS after a failure Redis is not
  asked at all (no connect timeout on every request), then it is tried again, and its return is
  logged too. Cached pages that an edit during the outage could not drop are dropped then, all
  of them (public/page_cache.py).
- Tagged entries (set_tagged(), get_tagged()) for the page cache: a value stored with the tokens
  of its tags, read back only if every token is unchanged, in one round trip. A Lua script reads
  the entry and its token keys and compares them in Redis: a hit moves one answer's bytes, not
  the ~150 token keys of a conference page and their tokens, and nothing is unpickled; when the
  caller's copy was checked at the current epoch (public/page_cache.py), it compares that alone
  and moves no answer at all. The script reads keys it is not given as arguments (the token keys
  named in the entry), which a single Redis allows and Redis Cluster would not. An answer read in
  the round trip that finds Redis back after an outage predates the drop of every page, so it is
  answered as a miss too.
"""

import functools
import itertools
import json
import logging
import sys
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import default_key_func
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.commands.core import Script
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A subscription to the drops of tags is trusted while Redis was heard from this lately.
HEARTBEAT_SECONDS = 1.0

# KEYS: an entry of set_tagged(), the epoch's key; ARGV: the epoch the caller's copy was checked at.
# Answers {epoch} if that is still the epoch, else {epoch, entry, milliseconds to live} or {epoch}
# if the entry is missing or a token changed. An entry is a line of JSON, [[token key, …],
# [token, …]], then the value: cut off in Python, cheaper than a copy of it in Lua. MGET in
# batches: Lua's unpack() takes a few thousand values at most.
GET_TAGGED = Script(None, b"""
local epoch = redis.call("GET", KEYS[2]) or ""
if epoch ~= "" and epoch == ARGV[1] then return {epoch} end
local entry = redis.call("GET", KEYS[1])
if not entry then return {epoch} end
local stop = string.find(entry, "\\n", 1, true)
if not stop then return {epoch} end
local ok, tagged = pcall(cjson.decode, string.sub(entry, 1, stop - 1))
if not ok or type(tagged) ~= "table" then return {epoch} end
local keys, tokens = tagged[1], tagged[2]
for first = 1, #keys, 1000 do
  local last = math.min(first + 999, #keys)
  local current = redis.call("MGET", unpack(keys, first, last))
  for i = first, last do
    if current[i - first + 1] ~= tokens[i] then return {epoch} end
  end
end
return {epoch, entry, redis.call("PTTL", KEYS[1])}
""")


def _tolerant(default):
    """Runs a cache operation, or answers `default` (called with the arguments) while Redis is out."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self.down_until > time.monotonic():
                return default(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                self.failed(error)
                return default(*args, **kwargs)
            if self.down_until:
                self.down_until = 0.0
                logger.warning("The cache is reachable again; pages are cached again.")
                self.recovered()
                # Read before the drop (a page checked in one round trip): answered as a miss.
                return default(*args, **kwargs)
            return result

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None):
    return default


def _nothing_found(keys):
    return {}


def _none_each(keys):
    return [None] * len(keys)


def _nothing_tagged(*args):
    return None, None, None, None


class Listener:
    """This process's subscription to the channel on which every drop of tags is announced
    (public/page_cache.py), on a connection of its own.

    While the subscription stands, and Redis was heard from lately, the copies of answers this
    process keeps can be trusted without asking Redis: any drop since they were checked was
    heard. `number` names the subscription (None while there is none); a new subscription (after
    a broken one, which may have missed announcements) has a new number, and copies checked
    under another one are checked again. Nothing heard for HEARTBEAT_SECONDS (a silent network)
    is not trusted either: a PING is sent, and its answer heard by a later call.
    """

    numbers = itertools.count(1)

    def __init__(self, client, channel):
        self.client = client
        self.channel = channel
        self.connection = None
        self.number = None
        self.heard_at = 0.0
        self.pinged_at = 0.0
        # time.monotonic() before which subscribing is not tried again, after it failed.
        self.retry_at = 0.0
        self.lock = threading.Lock()

    def listen(self):
        """The subscription's number, subscribing first if there is none (a round trip, once);
        None while Redis is out of reach, or for PORTAL_CACHE_RETRY_SECONDS after subscribing
        failed. A failed subscription costs only the round trips it saves: the cache is still used."""
        with self.lock:
            if self.number is None and not self.client.down_until and time.monotonic() >= self.retry_at:
                try:
                    self._subscribe()
                except RedisError as error:
                    self._close()
                    self.retry_at = time.monotonic() + settings.PORTAL_CACHE_RETRY_SECONDS
                    logger.warning("Could not subscribe to the drops of pages (%s); copies are checked in Redis.",
                                   error)
            return self.number

    def _subscribe(self):
        pool = self.client.get_client(write=True).connection_pool
        self.connection = pool.connection_class(**pool.connection_kwargs)
        self.connection.connect()
        self.connection.send_command("SUBSCRIBE", self.channel)
        kind, _channel, _count = self.connection.read_response()
        if kind != b"subscribe":
            raise RedisError(f"SUBSCRIBE answered {kind!r}")
        self.number = next(self.numbers)
        self.heard_at = time.monotonic()

    def heard(self):
        """(epoch, token keys) of each drop announced since the last call, in order."""
        drops = []
        with self.lock:
            if self.connection is None:
                return drops
            try:
                while self.connection.can_read(timeout=0):
                    message = self.connection.read_response()
                    self.heard_at = time.monotonic()
                    if message[0] == b"message":
                        epoch, *keys = message[2].decode().split(" ")
                        drops.append((epoch, keys))
                if time.monotonic() - max(self.heard_at, self.pinged_at) > HEARTBEAT_SECONDS / 2:
                    self.pinged_at = time.monotonic()
                    self.connection.send_command("PING")
            except (RedisError, OSError, ValueError, IndexError) as error:
                self._close()
                logger.warning("The announcements of dropped pages were cut off (%s); copies are checked again.", error)
        return drops

    def trusted(self, number):
        """Whether a copy checked under the subscription `number` can be served unasked."""
        return (
            number is not None
            and number == self.number
            and time.monotonic() - self.heard_at < HEARTBEAT_SECONDS
        )

    def _close(self):
        if self.connection is not None:
            self.connection.disconnect()
        self.connection = None
        self.number = None


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._listeners = {}
        # time.monotonic() until which Redis is not asked; 0.0 while it answers.
        self.down_until = 0.0

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def failed(self, error):
        if not self.down_until:
            logger.error("The cache is unreachable (%s); pages are served uncached until it is back.", error)
        self.down_until = time.monotonic() + settings.PORTAL_CACHE_RETRY_SECONDS

    get = _tolerant(_default)(RedisCacheClient.get)
    get_many = _tolerant(_nothing_found)(RedisCacheClient.get_many)
    has_key = _tolerant(_false)(RedisCacheClient.has_key)
    add = _tolerant(_false)(RedisCacheClient.add)
    set = _tolerant(_none)(RedisCacheClient.set)
    set_many = _tolerant(_none)(RedisCacheClient.set_many)
    touch = _tolerant(_false)(RedisCacheClient.touch)
    delete = _tolerant(_false)(RedisCacheClient.delete)
    delete_many = _tolerant(_none)(RedisCacheClient.delete_many)
    clear = _tolerant(_false)(RedisCacheClient.clear)

    @_tolerant(_none_each)
    def get_numbers(self, keys):
        return [None if value is None else int(value) for value in self.get_client(keys[0]).mget(keys)]

    @_tolerant(_nothing_tagged)
    def get_tagged(self, key, epoch_key, epoch):
        answer = GET_TAGGED(keys=[key, epoch_key], args=[epoch or b""], client=self.get_client(key))
        epoch = answer[0] or None
        if len(answer) == 1:
            return epoch, None, None, None
        _, entry, milliseconds = answer
        head, _, value = entry.partition(b"\n")
        keys = frozenset(map(sys.intern, json.loads(head)[0]))
        return epoch, keys, value, milliseconds / 1000 if milliseconds > 0 else float("inf")

    @_tolerant(_none)
    def set_bytes(self, key, value, timeout):
        self.get_client(key, write=True).set(key, value, ex=timeout)

    @_tolerant(_false)
    def set_and_publish(self, data, channel, message):
        pipeline = self.get_client(write=True).pipeline()
        pipeline.mset({key: self._serializer.dumps(value) for key, value in data.items()})
        pipeline.publish(channel, message)
        pipeline.execute()
        return True

    def listener(self, channel):
        listener = self._listeners.get(channel)
        if listener is None:
            listener = self._listeners[channel] = Listener(self, channel)
        return listener

    @staticmethod
    def recovered():
        # An edit made during the outage could not drop the pages that show it: drop them all.
        from core.tags import ALL

        from .page_cache import invalidate

        invalidate({ALL})

    def ping(self):
        """Whether Redis answers now, asked even during a back-off."""
        try:
            return bool(self.get_client().ping())
        except RedisError as error:
            self.failed(error)
            return False


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient

    def ping(self):
        return self._cache.ping()

    def get_numbers(self, keys):
        """The whole numbers stored under `keys`, in order (None where missing), in one MGET.

        For the page cache's tag tokens (public/page_cache.py), read on every hit: Django's
        get_many() would validate each key character by character and unpickle each value.
        """
        if not keys:
            return []
        if self.key_func is default_key_func:
            # What make_key() gives, without two calls per key.
            prefix = f"{self.key_prefix}:{self.version}:"
            return self._cache.get_numbers([prefix + key for key in keys])
        return self._cache.get_numbers([self.make_key(key) for key in keys])

    def set_tagged(self, key, value, keys, tokens, timeout):
        """Stores the bytes `value` with the tokens (whole numbers) now under the cache keys `keys`.

        The entry names the token keys as Redis has them, so that get_tagged() reads them as
        they are, whatever the key function."""
        tagged = [[self.make_key(token_key) for token_key in keys], [str(token) for token in tokens]]
        entry = json.dumps(tagged, separators=(",", ":")).encode() + b"\n" + value
        self._cache.set_bytes(self.make_and_validate_key(key), entry, self.get_backend_timeout(timeout))

    def set_and_publish(self, data, channel, message):
        """set_many(data) forever, and `message` published on `channel`, in one transaction;
        whether it was done (not while Redis is out of reach)."""
        return self._cache.set_and_publish(
            {self.make_and_validate_key(key): value for key, value in data.items()}, self.make_key(channel), message
        )

    def listener(self, channel):
        """This process's Listener of `channel`."""
        return self._cache.listener(self.make_key(channel))

    def get_tagged(self, key, epoch_key, epoch=None):
        """(epoch, keys, value, seconds) in one round trip: the token now under `epoch_key` (None
        if missing), and unless it is `epoch`, the token keys (as Redis names them), the bytes
        set_tagged() stored under `key` and the seconds they have left, or None for all three if
        they are missing or any of their token keys no longer holds the token it had then
        (replaced, evicted)."""
        return self._cache.get_tagged(self.make_key(key), self.make_key(epoch_key), epoch)


def cache_status():
    """"ok", "unreachable", or "local" (each process's own memory: nothing to reach)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return "local"
    return "ok" if backend.ping() else "unreachable"
