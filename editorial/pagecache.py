"""Public pages served from Django's cache, never stale.

What may be cached: a GET or HEAD of a page under a language prefix (``/fr/…``, ``/en/…``, not the
admin), by a reader without a session (anonymous), answered without a cookie, without varying
on cookies, and not marked private (staff previews, forms with errors). Such a response carries
``Cache-Control: public`` with a short ``max-age`` for browsers and a longer ``s-maxage`` for a
CDN, an ``ETag`` and a ``Last-Modified``; a conditional GET gets a 304.

Invalidation is exact, by a site-wide generation: every page is stored under the generation of
the moment, and any save, deletion or relation change of a content record replaces the generation
when its transaction commits, in every process that shares the cache (Redis in production). A
scheduled publication needs no save: the generation also records when the next one falls due,
and no page is kept past that time; the first request after it starts a new generation.

A hit is answered by ``PageCacheMiddleware`` before the session, authentication, locale, URL
resolution and templates run: two cache reads (the generation, then the page).

If the cache is unreachable (Redis down or restarting), pages are served uncached and a warning
is logged. Nothing stale returns with it: every committed change is also counted in the database
(``SiteGeneration``) before the cache is told, and the cache's generation is checked against that
count whenever this process opens a new connection to Redis (after a restart or a failure, when
Redis may have come back empty, or restored from disk as it was before the changes it missed).

With PostgreSQL replicas, a generation also records how far the primary had written when it
began; pages and figures stored under it are read from a replica that has replayed at least that
far, or from the primary (``editorial.routing``).
"""

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from . import routing

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
#: Status codes worth keeping: a page, a redirect to it, and “not found” (a scan of missing pages).
CACHED_STATUSES = {200, 301, 404}


def page_settings():
    return {
        "enabled": getattr(settings, "PAGE_CACHE_ENABLED", True),
        "seconds": getattr(settings, "PAGE_CACHE_SECONDS", 3600),
        "max_age": getattr(settings, "PAGE_MAX_AGE", 60),
        "shared_max_age": getattr(settings, "PAGE_SHARED_MAX_AGE", 300),
    }


def cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def caching() -> bool:
    """Whether a cache is configured at all (``CACHE_URL=dummy://`` turns it off)."""
    return not isinstance(cache(), DummyCache)


class CacheUnavailable(Exception):
    """The cache cannot be reached now (``editorial.cache.FailSafeRedisCache`` answered a miss for it)."""


def available(store) -> bool:
    return getattr(store, "available", lambda: True)()


# The generation ----------------------------------------------------------------------------------


@dataclass
class Generation:
    """The current state of the public site: a token naming it, since when, and until when at most."""

    token: str
    changed_at: float  # seconds since the epoch: the pages' Last-Modified
    next_change: float | None  # the next scheduled publication, when pages must be built anew
    number: int = 0  # the changes counted in the database (SiteGeneration) when it began
    position: int | None = None  # how far the primary had written then (with replicas: see editorial.routing)

    def seconds_left(self, now: float) -> float:
        return float("inf") if self.next_change is None else self.next_change - now


def next_scheduled_publication():
    """When the next scheduled item becomes public (a publication time in the future), or None."""
    from .models import Publishable, Status

    now = timezone.now()
    times = []
    for model in content_models():
        if issubclass(model, Publishable):
            found = model._base_manager.filter(publication_status=Status.PUBLISHED, publish_at__gt=now).aggregate(
                first=Min("publish_at")
            )["first"]
            if found is not None:
                times.append(found)
    return min(times).timestamp() if times else None


def content_models():
    from django.apps import apps

    from .roles import content_apps

    return [model for label in content_apps() for model in apps.get_app_config(label).get_models()]


def new_generation() -> Generation:
    """A generation starting now, from the primary (a replica might not have the change that started it)."""
    from .models import SiteGeneration

    with routing.primary():
        number = SiteGeneration.current()
        return Generation(
            uuid.uuid4().hex, time.time(), next_scheduled_publication(), number, routing.primary_position()
        )


#: The count of connections to Redis up to which this process has checked the generation.
_checked_connections = 0


def behind_the_database(store, generation: Generation) -> bool:
    """Whether the cache's generation missed changes counted in the database since.

    Asked once per new connection to Redis, when what Redis holds may be older than the
    database: Redis restarted (restored from disk as it was, or empty), or a change committed
    while Redis was out of reach could not start its generation. Other backends lose nothing.
    """
    global _checked_connections
    made = getattr(store, "connections_made", None)
    if made is None or made() <= _checked_connections:
        return False
    seen = made()
    from .models import SiteGeneration

    with routing.primary():
        behind = SiteGeneration.current() > generation.number
    _checked_connections = max(_checked_connections, seen)
    if behind:
        logger.warning("Page cache: its generation missed changes made while it was out of reach; starting anew.")
    return behind


_FETCH = object()


def current_generation(state=_FETCH) -> Generation:
    """The generation now, started afresh if the cache has none, missed changes, or a scheduled
    publication fell due; this request's reads must then include what it began with.

    ``state``: what the cache holds under ``GENERATION_KEY``, when the caller has read it already
    (the page cache reads it with the page, in one round trip).

    Raises ``CacheUnavailable`` (or what a cache backend raises) when the cache cannot be reached:
    the caller serves the page uncached.
    """
    store = cache()
    if state is _FETCH:
        state = store.get(GENERATION_KEY)
    if state is None and not available(store):
        raise CacheUnavailable
    now = time.time()
    generation = None
    if isinstance(state, dict):
        try:
            generation = Generation(**state)
        except TypeError:  # stored by an older version of this code
            generation = None
    if generation is not None and (
        (generation.next_change is not None and generation.next_change <= now)
        or behind_the_database(store, generation)
    ):
        generation = None
    if generation is None:
        generation = new_generation()
        store.set(GENERATION_KEY, generation.__dict__, timeout=None)
    routing.require_position(generation.position)
    return generation


def start_new_generation():
    """Make every cached page stale, in every process: called when a content change commits.

    The change is counted in the database first: if the cache cannot be told now, the count tells
    it when it is reached again (``behind_the_database``).
    """
    from .models import SiteGeneration

    with routing.primary():
        SiteGeneration.advance()
    store = cache()
    if available(store):
        try:
            store.set(GENERATION_KEY, new_generation().__dict__, timeout=None)
        except Exception:
            logger.warning("Page cache unreachable: could not start a new generation.", exc_info=True)
            return
    if not available(store):
        logger.warning("Page cache unreachable: could not start a new generation (the database counts the change).")


# Invalidation on change ------------------------------------------------------------------------------

_scheduled_connections: set = set()


def content_changed(sender, action=None, using=None, **kwargs):
    """A content record changed: start a new generation once the transaction commits (once per transaction)."""
    if action is not None and not action.startswith("post_"):
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(entry[1] is start_new_generation for entry in connection.run_on_commit):
        return
    transaction.on_commit(start_new_generation, using=using)


def followed_models():
    """The content models whose changes pages show (derived records, such as the search index, excepted)."""
    return [model for model in content_models() if getattr(model, "editorial_role", "edit") != "none"]


def connect():
    """Follow every model of the content apps: saves, deletions and many-to-many changes."""
    for model in followed_models():
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"pagecache:{through._meta.label}:m2m")


# The middleware -------------------------------------------------------------------------------------


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return not path.startswith(f"{prefix}admin/") and allowed_host(request)
    return False


def allowed_host(request) -> bool:
    """Whether the request names a host of ALLOWED_HOSTS: the others get Django's 400, never the cache."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def page_key(request) -> str:
    """Where a page is kept: one entry per address, holding the token of the generation it was built
    under; an entry of an earlier generation is a miss, and is replaced when the page is built again."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"pages:{hashlib.sha256(address.encode()).hexdigest()}"


def is_cacheable_response(response) -> bool:
    if response.status_code not in CACHED_STATUSES or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    return "cookie" not in vary


def keep_until(response, timestamp: float):
    """Keep ``response`` (or the response to a request) in caches no later than ``timestamp``: a page
    that says what day it is (a citation's “consulted on”) is not served the next day."""
    response.cache_until = min(timestamp, getattr(response, "cache_until", float("inf")))
    return response


def seconds_left(response, generation: Generation | None, now: float) -> float:
    """How long ``response`` may be kept: until the next publication, and until its own limit (``keep_until``)."""
    left = generation.seconds_left(now) if generation else float("inf")
    return min(left, getattr(response, "cache_until", float("inf")) - now)


def mark_public(response, generation: Generation | None, now: float):
    """Cache headers of a public page: short for browsers, longer for a CDN, never past the next publication."""
    config = page_settings()
    left = seconds_left(response, generation, now)
    max_age = int(max(0, min(config["max_age"], left)))
    shared = int(max(0, min(config["shared_max_age"], left)))
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=shared)
    if not response.has_header("ETag") and not response.streaming:
        response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    if generation and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(generation.changed_at)


def not_modified(request, headers: dict) -> bool:
    """Whether a conditional GET already holds this page (If-None-Match first, as RFC 9110 says)."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    etag = headers.get("ETag")
    if if_none_match and etag:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    modified = parse_http_date_safe(headers.get("Last-Modified", ""))
    return since is not None and modified is not None and modified <= since


def answer_not_modified(headers: dict) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    for name in ("Cache-Control", "ETag", "Last-Modified", "Content-Language", "Expires", "Vary"):
        if name in headers:
            response[name] = headers[name]
    return response


class PageCacheMiddleware:
    """Serve anonymous public pages from the cache; store the ones that may be kept; mark the others.

    Placed right after the security and static-file middleware: a hit skips the rest of the stack.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        config = page_settings()
        cacheable = is_cacheable_request(request)
        generation = None
        if cacheable and config["enabled"] and caching():
            try:
                key = page_key(request)
                found = cache().get_many([GENERATION_KEY, key])  # one round trip to Redis for a hit
                generation = current_generation(found.get(GENERATION_KEY))
                stored = found.get(key)
            except CacheUnavailable:  # the cache backend has logged it
                generation, stored = None, None
            except Exception:
                logger.warning("Page cache unreachable: serving %s uncached.", request.path, exc_info=True)
                generation, stored = None, None
            if isinstance(stored, dict) and stored.get("generation") == generation.token:
                return self.from_cache(request, stored)
        response = self.get_response(request)
        if hasattr(request, "cache_until"):  # a part of the page said how long it holds (``keep_until``)
            keep_until(response, request.cache_until)
        now = time.time()
        if not cacheable or not is_cacheable_response(response):
            if not cacheable and request.method in ("GET", "HEAD") and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        mark_public(response, generation, now)
        if generation is not None and request.method == "GET":
            timeout = min(config["seconds"], seconds_left(response, generation, now))
            if timeout >= 1:
                self.store(request, response, generation, int(timeout))
        if not_modified(request, response.headers):
            return answer_not_modified(response.headers)
        return response

    def store(self, request, response, generation, timeout):
        stored = {
            "generation": generation.token,
            "status": response.status_code,
            "headers": dict(response.items()),
            "content": response.content,
        }
        try:
            cache().set(page_key(request), stored, timeout=timeout)
        except Exception:
            logger.warning("Page cache unreachable: %s not stored.", request.path, exc_info=True)

    def from_cache(self, request, stored):
        headers = stored["headers"]
        if not_modified(request, headers):
            return answer_not_modified(headers)
        response = HttpResponse(b"" if request.method == "HEAD" else stored["content"], status=stored["status"])
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "hit"
        return response


# Figures derived from the whole archive -------------------------------------------------------------


def cached(name: str, compute):
    """``compute()``, kept until the next content change (or scheduled publication), under ``name``.

    For what would otherwise read a whole table on every request: the counts of a list, the years
    of the archive, the choices of a filter. If the cache cannot be reached, it is computed.
    """
    if not caching():
        return compute()
    try:
        generation = current_generation()
        key = f"derived:{generation.token}:{hashlib.sha256(name.encode()).hexdigest()}"
        store = cache()
        value = store.get(key, _MISSING)
    except CacheUnavailable:
        return compute()
    except Exception:
        logger.warning("Cache unreachable: computing %s.", name, exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        timeout = min(page_settings()["seconds"], generation.seconds_left(time.time()))
        if timeout >= 1:
            try:
                store.set(key, value, timeout=int(timeout))
            except Exception:
                logger.warning("Cache unreachable: %s not stored.", name, exc_info=True)
    return value


_MISSING = object()
