"""Reads from a real PostgreSQL streaming replica (deploy/replica.sh, port 5433), writes to the primary.

- anonymous public pages read from the replica; staff, the admin, writes and the reads of a
  transaction that writes use the primary; migrations only ever run on the primary;
- after a save its author reads from the primary for DATABASE_READ_YOUR_WRITES_SECONDS;
- a replica that is down, stops in the middle of requests, or lags past
  DATABASE_REPLICA_MAX_LAG is skipped and the pages are read from the primary, without an error;
- a page built under the page cache's new generation never comes from a replica that has not
  replayed the change that started it.

The replica is really stopped, really paused (``pg_wal_replay_pause``) and really lagging here:
these tests commit (``transaction=True``) and read through the router as a request would.
"""

import logging
import os
import subprocess
import time

import pytest
from django.core.cache import caches
from django.core.signals import request_started
from django.db import connections, reset_queries, router, transaction
from django.test import Client

from dialogue.models import Topic
from editorial import routing
from tests.admin_forms import admin_url, change_form, make_user
from tests.conftest import ROOT, replica_streams, soup, text

pytestmark = [pytest.mark.postgres, pytest.mark.replica, pytest.mark.django_db(transaction=True, databases="__all__")]

TOPICS = "/en/topics/"


def topic_names(response) -> list[str]:
    return [text(link) for link in soup(response).select("ul.card-list li > a")]


def primary_position() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return routing.parse_lsn(cursor.fetchone()[0])


def wait_for_replay(alias: str, timeout: float = 15):
    """Until the replica has replayed everything the primary has written so far."""
    target = primary_position()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
            if routing.parse_lsn(cursor.fetchone()[0]) >= target:
                return
        time.sleep(0.02)
    raise AssertionError(f"{alias} did not replay the primary's changes in {timeout} s")


@pytest.fixture
def archive(replica, reference_archive):
    """The reference archive, committed on the primary and replayed by the replica."""
    wait_for_replay(replica)
    return replica


class Capture:
    """The queries one connection runs during a block (without connecting it: the replica may be down)."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        self.forced = self.connection.force_debug_cursor
        self.connection.force_debug_cursor = True
        self.start = len(self.connection.queries_log)
        request_started.disconnect(reset_queries)  # as CaptureQueriesContext does
        return self

    def __exit__(self, *exc):
        request_started.connect(reset_queries)
        self.connection.force_debug_cursor = self.forced
        self.queries = list(self.connection.queries_log)[self.start :]


class Reads:
    """The queries that read the archive on each database during the block (the replica checks read no table)."""

    def __init__(self, alias):
        self.primary = Capture(connections["default"])
        self.replica = Capture(connections[alias])

    def __enter__(self):
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @property
    def on_primary(self) -> list[str]:
        return [query["sql"] for query in self.primary.queries if "dialogue_" in query["sql"]]

    @property
    def on_replica(self) -> list[str]:
        return [query["sql"] for query in self.replica.queries if "dialogue_" in query["sql"]]


@pytest.fixture
def paused(replica):
    """Pause the replica's replay of the primary's changes (it lags from now on); resumed after the test."""

    def pause():
        with connections[replica].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")

    yield pause
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")


def rename_climate(name: str):
    Topic.objects.filter(key="climate").update(name_en=name)


def test_anonymous_public_pages_read_from_the_replica(archive):
    with Reads(archive) as reads:
        response = Client().get(TOPICS)
    assert response.status_code == 200
    assert "Climate" in topic_names(response)
    assert reads.on_replica and not reads.on_primary


def test_staff_and_the_admin_read_from_the_primary(archive):
    staff = Client()
    staff.force_login(make_user("reader"))
    with Reads(archive) as reads:
        assert staff.get(TOPICS).status_code == 200  # a public page, but read by a member of staff
        assert Client().get("/en/admin/login/").status_code == 200
    assert reads.on_primary and not reads.on_replica


def test_reads_in_a_transaction_that_writes_and_after_a_write_use_the_primary(archive):
    with routing.routed(routing.Route(public=True)):
        assert router.db_for_read(Topic) == archive  # a public read, nothing written yet
        with transaction.atomic():
            Topic.objects.filter(key="climate").update(name_en="Climate (renamed)")
            assert router.db_for_read(Topic) == "default"
            assert Topic.objects.get(key="climate").name_en == "Climate (renamed)"  # its own write
        assert router.db_for_read(Topic) == "default"  # this request wrote: its reads stay on the primary
    assert router.db_for_write(Topic) == "default"


def test_migrations_only_run_on_the_primary(replica):
    assert router.allow_migrate("default", "dialogue")
    assert not router.allow_migrate(replica, "dialogue")


def test_an_author_reads_their_save_from_the_primary_for_a_while(archive, settings):
    settings.DATABASE_READ_YOUR_WRITES_SECONDS = 2
    editor = Client()
    editor.force_login(make_user("author", is_superuser=True))
    topic = Topic.objects.get(key="climate")
    _response, data = change_form(editor, topic)
    data["name_en"] = "Climate and oceans"
    response = editor.post(admin_url(topic, "change"), data)
    assert response.status_code == 302
    pin = response.cookies[routing.PIN_COOKIE]
    assert pin["httponly"] and int(pin["max-age"]) == 2

    # Logged out, or on a device without the session: still the primary, so the save shows.
    reader = Client()
    reader.cookies[routing.PIN_COOKIE] = pin.value
    with Reads(archive) as reads:
        assert "Climate and oceans" in topic_names(reader.get(TOPICS))
    assert reads.on_primary and not reads.on_replica

    forged = Client()
    forged.cookies[routing.PIN_COOKIE] = pin.value[:-2] + "xx"
    with Reads(archive) as reads:
        forged.get(TOPICS)
    assert reads.on_replica and not reads.on_primary  # a tampered cookie pins nothing

    time.sleep(2.1)
    with Reads(archive) as reads:
        reader.get(TOPICS)
    assert reads.on_replica and not reads.on_primary  # its time is over


def test_a_lagging_replica_is_skipped(archive, paused, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 0.5
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    paused()
    rename_climate("Climate (after the pause)")
    time.sleep(0.6)
    with routing.routed(routing.Route(public=True)):
        assert routing.replicas.verdict(archive).reason.startswith("lagging")
    with Reads(archive) as reads:
        response = Client().get(TOPICS)
    assert "Climate (after the pause)" in topic_names(response)
    assert reads.on_primary and not reads.on_replica


def test_a_page_under_a_new_generation_is_never_built_from_a_replica_behind_it(archive, paused, settings):
    """The replica lags, but within the limit: a public page still shows the change, and the cache keeps that."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lag"}}
    settings.DATABASE_REPLICA_MAX_LAG = 3600
    caches["default"].clear()
    reader = Client()
    assert "Climate" in topic_names(reader.get(TOPICS))
    paused()
    topic = Topic.objects.get(key="climate")
    topic.name_en = "Climate (new generation)"
    topic.save()  # commits: a new generation begins, at the primary's position after the change
    with routing.routed(routing.Route(public=True)):
        assert routing.replicas.verdict(archive, max_age=0).usable  # lagging, but within the limit
        assert Topic.objects.get(key="climate").name_en == "Climate"  # the replica has not replayed it
    with Reads(archive) as reads:
        response = reader.get(TOPICS)
    assert "X-Cache" not in response
    assert "Climate (new generation)" in topic_names(response)
    assert reads.on_primary and not reads.on_replica
    cached = reader.get(TOPICS)
    assert cached["X-Cache"] == "hit" and "Climate (new generation)" in topic_names(cached)
    caches["default"].clear()


def replica_script(action: str, alias: str):
    port = str(connections[alias].settings_dict["PORT"])
    subprocess.run([ROOT / "deploy" / "replica.sh", action], env={**os.environ, "REPLICA_PORT": port}, check=True)


@pytest.fixture
def stopped(archive):
    """Stop the replica (deploy/replica.sh stop); started again after the test, whatever happens."""
    yield lambda: replica_script("stop", archive)
    connections[archive].close()
    if not replica_streams(archive):
        replica_script("start", archive)


def test_a_replica_that_stops_is_skipped_and_nothing_fails(archive, stopped, settings, caplog):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 60  # the verdict "usable" outlives the replica
    reader = Client()
    with Reads(archive) as reads:
        assert reader.get(TOPICS).status_code == 200
    assert reads.on_replica
    stopped()
    with caplog.at_level(logging.WARNING, logger="editorial.routing"), Reads(archive) as reads:
        response = reader.get(TOPICS)  # the pooled connection to the replica is dead: read again from the primary
        assert response.status_code == 200 and "Climate" in topic_names(response)
        again = reader.get("/en/topics/climate/")  # skipped at once now
        assert again.status_code == 200
    assert reads.on_primary
    assert any("read again from the primary" in record.getMessage() for record in caplog.records)
    assert not routing.replicas.verdict(archive).usable

    # A process that starts while the replica is down: the first check finds it unreachable.
    connections[archive].close()
    routing.replicas.reset()
    with Reads(archive) as reads:
        response = Client().get(TOPICS)
    assert response.status_code == 200 and "Climate" in topic_names(response)
    assert reads.on_primary
    assert routing.replicas.verdict(archive).reason.startswith("unreachable")
