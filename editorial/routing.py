"""Which database a query goes to: a PostgreSQL replica for anonymous public reads, else the primary.

``DATABASE_REPLICA_URLS`` names zero or more streaming replicas (aliases ``replica_1``…). A
request is an *anonymous public read* when it is a GET or HEAD of a public page (under ``/fr/``
or ``/en/``, not the admin) or of an uploaded file, sent without a session cookie and without
the read-your-writes cookie below. Its reads go to a replica; everything else goes to the primary:
the admin, staff (they have a session), every write, every read once the request has written, and
every read inside a transaction (``select_for_update`` in the services, an admin save).

**Read-your-writes.** A request that saved something (the session excepted) gets a signed cookie
that sends its author's reads to the primary for ``DATABASE_READ_YOUR_WRITES_SECONDS``, however
they browse (logged out, on another node), longer than a replica may lag.

**Replica health.** Each process checks each replica at most every
``DATABASE_REPLICA_CHECK_SECONDS``: is it up, still in recovery, and how far behind? A replica
that is down, promoted, or further behind than ``DATABASE_REPLICA_MAX_LAG`` seconds is skipped
and its reads go to the primary. If a replica fails in the middle of a request (it was stopped
after its last check), the view is run again on the primary (``process_exception``): nothing fails.

**The page cache.** A page built from a replica that has not yet replayed the latest change must
not be stored under the generation that change started. Each generation records the primary's
WAL position when it began (``editorial.pagecache``); a request that reads under that generation
(``require_position``) uses a replica only once the replica has replayed that position, else the
primary. Right after an edit, the few misses that come before the replica catches up (a few
milliseconds on a healthy one) are built from the primary.

The routing context lives in a ``ContextVar``: per request, per thread, never leaking to the next.
"""

import logging
import random
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
#: How long a check waits for a replica to replay what the primary wrote a moment before.
CATCH_UP_SECONDS = 0.1
PIN_COOKIE = "primary_until"
_PIN_SALT = "editorial.routing.read-your-writes"
#: Writes that do not make a request's author need their own writes back (every staff request saves its session).
_UNTRACKED_WRITES = {"sessions.Session"}


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def max_lag() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", 5))


def parse_lsn(text: str | None) -> int | None:
    """A PostgreSQL WAL position (``16/B374D848``) as a number, to compare."""
    if not text:
        return None
    high, _slash, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


# Replica health, per process ---------------------------------------------------------------------


@dataclass
class Verdict:
    """What the last check of a replica found."""

    alias: str
    usable: bool
    reason: str  # "ok", or why it is skipped
    lag: float | None = None  # seconds behind the primary (0: it has replayed all the primary has written)
    replayed: int | None = None  # its replay position (WAL)
    checked: float = field(default_factory=time.monotonic)

    def as_dict(self) -> dict:
        return {"usable": self.usable, "reason": self.reason, "lag_seconds": self.lag}


class Replicas:
    """The replicas of this process: their last verdicts, and the choice of one for a read."""

    def __init__(self):
        self.verdicts: dict[str, Verdict] = {}

    def reset(self):
        self.verdicts.clear()

    def verdict(self, alias: str, max_age: float | None = None) -> Verdict:
        """The replica's verdict, checked again if older than ``max_age`` (``DATABASE_REPLICA_CHECK_SECONDS``)."""
        if max_age is None:
            max_age = float(getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 1))
        known = self.verdicts.get(alias)
        if known is None or time.monotonic() - known.checked >= max_age:
            known = self.check(alias)
        return known

    def check(self, alias: str) -> Verdict:
        """Ask the primary how far it has written, then the replica how far it has replayed.

        A replica that has replayed all the primary had written is not behind. One that has not is
        given ``CATCH_UP_SECONDS`` to get there (what was written a moment ago is most often still
        in flight): its lag is then at most that long. Past it, its lag is the age of the last
        commit it replayed, an upper bound (it has replayed nothing written since).
        """
        started = time.monotonic()
        try:
            with connections[PRIMARY].cursor() as cursor:
                cursor.execute("SELECT pg_current_wal_lsn()::text")
                written = parse_lsn(cursor.fetchone()[0])
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
                    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float"
                )
                in_recovery, replayed, since_last_commit = cursor.fetchone()
                replayed = parse_lsn(replayed)
                while in_recovery and (replayed or 0) < written and time.monotonic() - started < CATCH_UP_SECONDS:
                    time.sleep(0.01)
                    cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
                    replayed = parse_lsn(cursor.fetchone()[0])
        except Exception as error:  # down, refusing connections, misconfigured: skipped all the same
            connections[alias].close()
            verdict = Verdict(alias, False, f"unreachable ({type(error).__name__})")
            self._record(verdict, error)
            return verdict
        if not in_recovery:
            verdict = Verdict(alias, False, "not a replica (promoted, or not in recovery)")
        elif replayed is not None and replayed >= written:
            lag = round(time.monotonic() - started, 3)
            usable = lag <= max_lag()
            verdict = Verdict(alias, usable, "ok" if usable else f"lagging ({lag:.1f} s behind)", lag, replayed)
        elif since_last_commit is None:
            verdict = Verdict(alias, False, "catching up (nothing replayed yet)", None, replayed)
        elif since_last_commit > max_lag():
            verdict = Verdict(alias, False, f"lagging ({since_last_commit:.1f} s behind)", since_last_commit, replayed)
        else:
            verdict = Verdict(alias, True, "ok", since_last_commit, replayed)
        self._record(verdict)
        return verdict

    def failed(self, alias: str, error: Exception):
        """A query on the replica failed mid-request: skip it until its next check."""
        connections[alias].close()
        self._record(Verdict(alias, False, f"failed ({type(error).__name__})"), error)

    def _record(self, verdict: Verdict, error: Exception | None = None):
        before = self.verdicts.get(verdict.alias)
        self.verdicts[verdict.alias] = verdict
        if before is None or before.usable != verdict.usable:
            if verdict.usable:
                logger.info("Replica %s in use (lag %.3f s).", verdict.alias, verdict.lag or 0)
            else:
                logger.warning(
                    "Replica %s skipped, reads go to the primary: %s%s",
                    verdict.alias,
                    verdict.reason,
                    f" ({error})" if error else "",
                )

    def has_replayed(self, alias: str, position: int) -> bool:
        """Whether the replica has replayed ``position``: from the last check, else asked now (positions only grow)."""
        known = self.verdicts.get(alias)
        if known is not None and known.replayed is not None and known.replayed >= position:
            return True
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
                replayed = parse_lsn(cursor.fetchone()[0])
        except Exception as error:
            self.failed(alias, error)
            return False
        if known is not None and replayed is not None:
            known.replayed = max(known.replayed or 0, replayed)
        return replayed is not None and replayed >= position

    def choose(self, position: int | None) -> str:
        """A usable replica (at random among them) that has replayed ``position``, else the primary."""
        candidates = [alias for alias in replica_aliases() if self.verdict(alias).usable]
        random.shuffle(candidates)
        for alias in candidates:
            if position is None or self.has_replayed(alias, position):
                return alias
        return PRIMARY


replicas = Replicas()


# The request's context -----------------------------------------------------------------------------


@dataclass
class Route:
    """Where one request reads: ``public`` requests may read from a replica."""

    public: bool
    wrote: bool = False
    chosen: str | None = None  # the database this request's reads went to, once chosen
    position: int | None = None  # the WAL position its reads must include (the page cache's generation)

    def read_alias(self) -> str:
        if not self.public or self.wrote or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if self.chosen is None:
            self.chosen = replicas.choose(self.position)
        return self.chosen

    def require(self, position: int):
        if self.position is None or position > self.position:
            self.position = position
            if self.chosen not in (None, PRIMARY) and not replicas.has_replayed(self.chosen, position):
                self.chosen = None  # chosen again at the next read: another replica, or the primary


_route: ContextVar[Route | None] = ContextVar("editorial-database-route", default=None)


def current_route() -> Route | None:
    return _route.get()


@contextmanager
def routed(route: Route | None):
    """Run the block with ``route`` as the request's routing context (None: everything on the primary)."""
    token = _route.set(route)
    try:
        yield route
    finally:
        _route.reset(token)


def primary():
    """Run the block's reads on the primary (the page cache's generation, counted in the database)."""
    return routed(None)


def require_position(position: int | None):
    """This request's reads must include what the primary had written at ``position``."""
    route = _route.get()
    if route is not None and position is not None:
        route.require(position)


def primary_position() -> int | None:
    """How far the primary has written (its WAL position), when there are replicas to compare it with."""
    if not replica_aliases() or connections[PRIMARY].vendor != "postgresql":
        return None
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return parse_lsn(cursor.fetchone()[0])


class ReplicaRouter:
    """``DATABASE_ROUTERS``: reads by the request's route, writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        return PRIMARY if route is None else route.read_alias()

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None and model._meta.label not in _UNTRACKED_WRITES:
            route.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # replicas are read-only copies of the primary


# The middleware --------------------------------------------------------------------------------------


def is_public_read(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info
    if path.startswith(settings.MEDIA_URL):
        return True
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return not path.startswith(f"/{code}/admin/")
    return False


def pinned_to_primary(request) -> bool:
    """Whether the request carries a valid read-your-writes cookie that has not expired."""
    value = request.COOKIES.get(PIN_COOKIE)
    if not value:
        return False
    try:
        signing.get_cookie_signer(salt=_PIN_SALT).unsign(value, max_age=settings.DATABASE_READ_YOUR_WRITES_SECONDS)
    except signing.BadSignature:  # tampered with, or expired
        return False
    return True


def pin_to_primary(response):
    seconds = int(settings.DATABASE_READ_YOUR_WRITES_SECONDS + 0.999)
    if seconds:
        response.set_cookie(
            PIN_COOKIE,
            signing.get_cookie_signer(salt=_PIN_SALT).sign("1"),
            max_age=seconds,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


class DatabaseRoutingMiddleware:
    """Set the request's route; after a write, pin its author to the primary; survive a failing replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = bool(replica_aliases()) and is_public_read(request) and not pinned_to_primary(request)
        with routed(Route(public=public)) as route:
            response = self.get_response(request)
        if route.wrote:
            pin_to_primary(response)
        return response

    def process_exception(self, request, exception):
        """A replica failed while the view read from it: mark it, and run the view again on the primary."""
        route = _route.get()
        if (
            route is None
            or route.chosen in (None, PRIMARY)
            or not isinstance(exception, OperationalError | InterfaceError)
        ):
            return None
        failed, route.chosen = route.chosen, PRIMARY
        replicas.failed(failed, exception)
        logger.warning("Replica %s failed during %s: read again from the primary.", failed, request.path)
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        return response
