"""/healthz and /readyz, for the load balancer: never cached, never in the logs at INFO.

- /healthz answers 200 while the process lives, without the database or the cache;
- /readyz checks the primary, each replica's lag and the cache: 503 with a JSON reason when the
  node cannot reach the primary; 200 ``degraded`` with the reason when a replica or the cache is
  down, since the node still serves (reads go to the primary, pages are built uncached);
- both answer whatever the Host header and without an HTTPS redirect (a balancer calls a node by
  its address, over plain HTTP), and stay out of Django's request log and Gunicorn's access log.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connections

from bench.harness import GUNICORN, ROOT, free_port
from editorial import health, routing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_readiness():
    health._last.clear()
    yield
    health._last.clear()


def test_healthz_answers_without_the_database_or_the_cache(client, django_assert_num_queries, settings):
    settings.SECURE_SSL_REDIRECT = True
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # a node's address, not in ALLOWED_HOSTS
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/readyz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def readyz(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


def test_readyz_is_ready_when_everything_answers(client):
    status, report = readyz(client)
    assert status == 200
    assert report["status"] == "ready"
    assert report["primary"]["ok"] is True
    assert report["cache"]["ok"] is True


@pytest.mark.cache
def test_readyz_is_degraded_but_ready_while_redis_is_down(client, redis_cache):
    server = redis_cache()
    assert readyz(client)[1]["status"] == "ready"
    server.stop()
    health._last.clear()
    status, report = readyz(client)
    assert status == 200
    assert report["status"] == "degraded"
    assert report["cache"]["ok"] is False and "cache unreachable" in report["reason"]


def test_readyz_is_503_when_the_primary_cannot_be_reached():
    """A node whose DATABASE_URL leads nowhere: ready no more, alive still, and nothing in the request log."""
    script = (
        "import django, os, json; os.environ['DJANGO_SETTINGS_MODULE'] = 'secretariat.settings'; django.setup();"
        "from django.test import Client; client = Client();"
        "ready = client.get('/readyz'); alive = client.get('/healthz');"
        "print(json.dumps([ready.status_code, json.loads(ready.content), alive.status_code]))"
    )
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nothing",  # nothing listens there
        "PATH": os.environ["PATH"],
    }
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    status, report, alive = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, alive) == (503, 200)
    assert report["status"] == "unavailable"
    assert report["reason"] == "the primary database cannot be reached"
    assert report["primary"] == {"ok": False, "error": "OperationalError"}  # its kind, not the host it tried
    assert "Service Unavailable" not in result.stderr  # django.request does not log it


@pytest.mark.postgres
@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_readyz_reports_each_replica_and_its_lag(client, replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 0.2
    deadline = time.monotonic() + 10
    while True:  # the other test processes write to the primary: the replica catches up within moments
        health._last.clear()
        routing.replicas.reset()
        status, report = readyz(client)
        if report["status"] == "ready" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == 200 and report["status"] == "ready"
    assert report["replicas"][replica]["usable"] is True
    assert report["replicas"][replica]["lag_seconds"] is not None
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("CREATE TABLE readyz_lag (n int); DROP TABLE readyz_lag")  # WAL the replica won't replay
        time.sleep(0.3)
        health._last.clear()
        routing.replicas.reset()
        status, report = readyz(client)
    finally:
        with connections[replica].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    assert status == 200 and report["status"] == "degraded"
    assert report["replicas"][replica]["usable"] is False
    assert report["replicas"][replica]["reason"].startswith("lagging")
    assert report["reason"].startswith(f"{replica}: lagging")


def test_health_checks_stay_out_of_gunicorns_access_log(tmp_path):
    """A real Gunicorn with gunicorn.conf.py: the access log has the page, not the health checks."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    log = tmp_path / "access.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [GUNICORN, "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        for path in ("/healthz", "/readyz", "/"):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lines = log.read_text().splitlines()
    assert any('"GET / HTTP/1.1"' in line for line in lines), lines
    assert not [line for line in lines if "healthz" in line or "readyz" in line]
