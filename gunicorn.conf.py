"""Gunicorn in production: ``gunicorn -c gunicorn.conf.py`` (``make serve`` runs it).

Read from the environment, like the settings: ``WEB_CONCURRENCY`` (workers), ``PORT`` or
``BIND`` (where to listen), ``BEHIND_PROXY`` and ``FORWARDED_ALLOW_IPS`` (which proxy to trust).
Anything else can be changed without editing this file through ``GUNICORN_CMD_ARGS``
(e.g. ``GUNICORN_CMD_ARGS="--timeout 60"``), which Gunicorn applies after it.
"""

import os

from gunicorn.glogging import Logger

TRUE = {"1", "true", "yes", "on"}


def available_cores() -> int:
    """The cores this process may run on: those of its affinity mask (taskset, a container's cpuset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(environ=os.environ, cores=None) -> int:
    """``WEB_CONCURRENCY`` if set, else two workers per core and one more.

    A sync worker holds its process while the page waits on PostgreSQL or Redis; with two per
    core, one computes while the other waits, and the extra one keeps every core busy while one
    worker is held by a slow request. Each worker keeps a database connection open
    (``CONN_MAX_AGE``): PostgreSQL's ``max_connections`` bounds the total across servers.
    """
    value = environ.get("WEB_CONCURRENCY", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"WEB_CONCURRENCY must be a positive whole number, not {value!r}.")
        return int(value)
    return 2 * (cores or available_cores()) + 1


def bind_address(environ=os.environ) -> str:
    """``BIND`` as given (``0.0.0.0:8000``, ``unix:/run/secretariat.sock``), else 127.0.0.1 on ``PORT``.

    Local only by default: the site is meant to be reached through the TLS proxy in front of it.
    """
    return environ.get("BIND") or f"127.0.0.1:{environ.get('PORT') or '8000'}"


def trusted_proxies(environ=os.environ) -> str:
    """The addresses whose ``X-Forwarded-Proto`` (and its variants) Gunicorn believes: none unless ``BEHIND_PROXY``.

    Gunicorn trusts 127.0.0.1 by default and then reports the request as HTTPS when the header
    says so; without a proxy, anything on the host could claim HTTPS. Behind one, trust its
    address (``FORWARDED_ALLOW_IPS``, the proxy on this host by default).
    """
    if environ.get("BEHIND_PROXY", "").strip().lower() in TRUE:
        return environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
    return ""


#: The load balancer's health checks (editorial.health): every few seconds from each balancer.
HEALTH_PATHS = ("/healthz", "/readyz")


class AccessLog(Logger):
    """Gunicorn's logger, whose access log leaves out the health checks.

    They would be most of its lines, every few seconds from each balancer, and say nothing a
    change of readiness does not (the application logs that as a warning).
    """

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in HEALTH_PATHS:
            return
        super().access(resp, req, environ, request_time)


wsgi_app = "secretariat.wsgi:application"
bind = [bind_address()]
workers = worker_count()
# Sync workers: a page is Python and SQL work; the proxy in front buffers slow clients, so a worker
# is held only while it computes. (Threads would share one interpreter lock for that work.)
worker_class = "sync"
# Load the application before binding the port and forking the workers: a node that starts (a
# deploy, a restart after a crash) refuses connections until it can serve them, so the balancer
# passes requests on to another node instead of queueing them on one still importing Django.
# Nothing is opened at import (no database or Redis connection), so the workers share nothing.
preload_app = True
# A page takes milliseconds; a request still running after 30 s is stuck (a lock, a runaway
# query): the worker is killed and replaced rather than left holding its slot.
timeout = 30
# On a restart or a deploy, a request under way gets as long to finish as it would have had
# anyway; the service manager must wait longer than this before it kills (systemd waits 90 s).
graceful_timeout = 30
# Seconds an idle keep-alive connection is held open. The sync worker ignores it: it closes the
# connection after each response, and the proxy's keep-alive to browsers hides that. It counts
# once threads are on (GUNICORN_CMD_ARGS="--threads 4" switches to the gthread worker) and the
# proxy keeps connections to Gunicorn: then it must outlast the proxy's idle time (nginx's
# upstream keepalive_timeout is 60 s), so that the proxy, never Gunicorn, closes an idle
# connection, and no request is sent on a connection being closed.
keepalive = 65
# The access log on stdout and errors on stderr: the service manager (systemd, a container) keeps them.
accesslog = "-"
errorlog = "-"
logger_class = AccessLog
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Each worker proves it is alive by touching a heartbeat file in its loop; on a disk-backed /tmp
# that can stall the worker while the disk is busy. /dev/shm is memory. (Gunicorn creates its
# files there with mkstemp: private names, not a shared path.)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
forwarded_allow_ips = trusted_proxies()
# Gunicorn 25+ opens a control socket at a fixed path under $HOME by default: two servers on one
# host (make serve beside make bench) would fight over it, and nothing here uses it.
control_socket_disable = True
