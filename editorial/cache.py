"""Django's Redis cache, made to fail safe: when Redis cannot be reached, a read is a miss and a
write does nothing, the site serves its pages uncached, and a warning is logged once.

Django's own backend raises on every connection error, so a Redis restart would turn every page
into a server error. This one catches Redis's errors around each operation, gives up quickly
(``CACHE_TIMEOUT``, a quarter of a second by default) and, after a failure, does not try again for
``CACHE_RETRY_SECONDS`` (a second), so that a Redis that is down costs each request nothing.

It also counts the connections it makes to Redis (``connections_made()``): a new connection
follows a restart of Redis or a failure, after which what Redis holds may be older than the
database, and the page cache checks its generation against the database once
(``editorial.pagecache``).
"""

import functools
import itertools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_connections = itertools.count(1)
_connections_made = 0
_lock = threading.Lock()


def connections_made() -> int:
    """How many connections this process has opened to Redis so far (each cache, each thread)."""
    return _connections_made


def _on_connect(connection):
    """Run as the handshake of each new connection (redis-py's ``redis_connect_func``)."""
    global _connections_made
    connection.on_connect()
    with _lock:
        _connections_made = next(_connections)


def _failsafe(on_failure):
    """Run the operation; on a Redis error, note the failure and return ``on_failure(*args)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if not self.available():
                return on_failure(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                self._failed(error)
                return on_failure(*args, **kwargs)
            if self._down_since is not None:
                self._recovered()
            return result

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


def _missing_counter(key, delta=1, version=None):
    # As for a key that is not there: the cache holds nothing while Redis is down.
    raise ValueError(f"Key {key!r} not found (the cache is unreachable).")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one ``redis.Redis`` per connection pool, made once.

    Django makes a new ``redis.Redis`` for every operation, and redis-py fills a table of some 170
    response callbacks for each: about a fifth of a millisecond, twice per page served from the
    cache (the generation, then the page), more than the rest of a hit. A ``redis.Redis`` holds no
    connection of its own (its pool does) and may be shared between threads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that never raises for Redis being unreachable.

    ``OPTIONS`` as for Django's backend, plus ``retry_seconds``: how long after a failure the cache
    is left alone (every operation a miss) before the next attempt.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("retry_seconds", 1.0))
        options.setdefault("socket_timeout", 0.25)
        options.setdefault("socket_connect_timeout", options["socket_timeout"])
        options["redis_connect_func"] = _on_connect
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._retry_at = 0.0  # time.monotonic(): until then, Redis is not tried again
        self._down_since = None

    connections_made = staticmethod(connections_made)

    def available(self) -> bool:
        """False for ``retry_seconds`` after a failure: operations then answer at once, as misses."""
        return time.monotonic() >= self._retry_at

    def _failed(self, error):
        self._retry_at = time.monotonic() + self.retry_seconds
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.warning(
                "Cache unreachable (%s: %s): pages are served uncached; trying again every %g s.",
                type(error).__name__,
                error,
                self.retry_seconds,
            )

    def _recovered(self):
        logger.info("Cache reachable again after %.1f s.", time.monotonic() - self._down_since)
        self._down_since = None

    def ping(self) -> bool:
        """Whether Redis answers now (for /readyz): raises nothing, ignores ``retry_seconds``."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError as error:
            self._failed(error)
            return False

    @_failsafe(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_failsafe(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_failsafe(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_failsafe(lambda key, timeout=DEFAULT_TIMEOUT, version=None: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_failsafe(lambda key, version=None: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_failsafe(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_failsafe(lambda key, version=None: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_failsafe(_missing_counter)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_failsafe(lambda data, timeout=DEFAULT_TIMEOUT, version=None: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_failsafe(lambda keys, version=None: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_failsafe(lambda: False)
    def clear(self):
        return super().clear()
