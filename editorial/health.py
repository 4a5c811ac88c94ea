"""Health of this app node, for the load balancer: ``/healthz`` (alive) and ``/readyz`` (ready).

``/healthz`` answers ``200 ok`` while the process can answer at all: it touches neither the
database nor the cache. A load balancer (or systemd, Kubernetes) restarts a node that fails it.

``/readyz`` checks what serving needs, and answers JSON: the primary (``SELECT 1``), each
replica (reachable, still a replica, its lag against ``DATABASE_REPLICA_MAX_LAG``) and the cache
(Redis ``PING``). It answers **503** when this node should get no traffic: it cannot reach the
primary, without which it can neither save an edit, log anyone in, nor build a page a replica
cannot. A replica that is down or lagging, or Redis being down, is reported as ``degraded`` with
a 200: the node serves through them (reads fall back to the primary, pages are built uncached),
and since every node shares them, failing readiness for them would take every node out of the
load balancer at once.

Both are answered by ``HealthCheckMiddleware``, first in the stack: no host check (a load balancer
calls a node by its address), no HTTPS redirect, no session, no page cache, ``Cache-Control:
no-store``; Django's request log is told they are logged already, and gunicorn.conf.py leaves them
out of the access log. What the checks found in detail is logged (a warning when readiness
changes), not sent: the JSON names each failure's kind, not hosts or messages.
"""

import json
import logging
import threading
import time

from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse

from . import routing

logger = logging.getLogger(__name__)

HEALTH_PATHS = ("/healthz", "/readyz")
#: A burst of checks (several balancers, or a flood) costs one round of queries a second per process.
READINESS_SECONDS = 1.0

_lock = threading.Lock()
_last: dict = {}


def check_primary() -> dict:
    try:
        started = time.monotonic()
        with connections[routing.PRIMARY].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    except Exception as error:
        connections[routing.PRIMARY].close()
        logger.warning("Readiness: the primary database cannot be reached: %s", error)
        return {"ok": False, "error": type(error).__name__}


def check_cache() -> dict:
    store = caches["default"]
    ping = getattr(store, "ping", None)
    if ping is None:
        return {"ok": True, "backend": type(store).__name__}
    return {"ok": bool(ping()), "backend": type(store).__name__}


def readiness() -> tuple[int, dict]:
    """(status code, report): checked at most once per ``READINESS_SECONDS`` in this process."""
    with _lock:
        if _last and time.monotonic() - _last["at"] < READINESS_SECONDS:
            return _last["status"], _last["report"]
        with routing.primary():
            primary = check_primary()
            replicas = {
                alias: routing.replicas.verdict(alias, max_age=READINESS_SECONDS).as_dict()
                for alias in routing.replica_aliases()
            }
        cache = check_cache()
        report = {"primary": primary, "replicas": replicas, "cache": cache}
        if not primary["ok"]:
            status, report = (
                503,
                {"status": "unavailable", "reason": "the primary database cannot be reached", **report},
            )
        elif not cache["ok"] or not all(replica["usable"] for replica in replicas.values()):
            reasons = [f"{alias}: {replica['reason']}" for alias, replica in replicas.items() if not replica["usable"]]
            if not cache["ok"]:
                reasons.append("cache unreachable: pages are served uncached")
            status, report = 200, {"status": "degraded", "reason": "; ".join(reasons), **report}
        else:
            status, report = 200, {"status": "ready", **report}
        if _last and _last["report"]["status"] != report["status"]:
            logger.warning("Readiness: %s (%s).", report["status"], report.get("reason", "all checks pass"))
        _last.update(at=time.monotonic(), status=status, report=report)
        return status, report


def answer(status: int, body: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(response.content))
    response._has_been_logged = True  # not in django.request's log: a balancer polls every few seconds
    return response


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before the rest of the stack runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = answer(405, "", "text/plain")
            response["Allow"] = "GET, HEAD"
            return response
        if path == "/healthz":
            return answer(200, "ok\n", "text/plain; charset=utf-8")
        status, report = readiness()
        return answer(status, json.dumps(report) + "\n", "application/json")
