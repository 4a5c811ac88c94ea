"""A cache that may fail: Redis down or restarting never breaks a page, and never brings back a stale one.

Each test runs its own redis-server on a free port (never the machine's own: ``redis_cache`` in
conftest.py), stops it and starts it again for real; with ``appendonly yes`` it comes back with what it held, the old
generation and its pages included, as a production Redis that persists to disk does.
"""

import logging
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client

from dialogue.models import Meeting
from editorial import pagecache
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.cache

MEETING = "space-2017-03-24"


def title(response) -> str:
    return text(soup(response).select_one("h1"))


def wait_past_the_retry_delay():
    time.sleep(0.06)


def test_one_redis_client_serves_every_operation_and_outlives_a_restart(redis_cache):
    """Django makes a ``redis.Redis`` per operation (a fifth of a millisecond each); this cache makes one."""
    server = redis_cache(persistent=True)
    cache = caches["default"]
    cache.set("kept", 1)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=False) is client
    server.stop()
    assert cache.get("kept") is None
    server.start()
    cache._retry_at = 0  # as when retry_seconds have passed
    assert cache.get("kept") == 1 and cache._cache.get_client() is client


def test_every_operation_is_a_miss_while_redis_is_down(redis_cache, caplog):
    server = redis_cache()
    cache = caches["default"]
    cache.set("kept", 1)
    assert cache.get("kept") == 1
    server.stop()
    with caplog.at_level(logging.WARNING, logger="editorial.cache"):
        assert cache.get("kept") is None and cache.get("kept", "default") == "default"
        cache.set("other", 2)
        assert cache.add("new", 1) is False
        assert cache.get_many(["kept", "other"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete("kept") is False
        assert cache.has_key("kept") is False
        assert cache.touch("kept") is False
        assert cache.get_or_set("computed", lambda: 3) == 3
        with pytest.raises(ValueError):
            cache.incr("counter")
        cache.delete_many(["a"])
        assert cache.clear() is False
        assert cache.ping() is False
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()  # once, not once per operation


@pytest.mark.django_db
def test_pages_are_served_uncached_while_redis_is_down_and_cached_again_after(
    client, reference_archive, redis_cache, caplog
):
    server = redis_cache()
    url = url_of(Meeting.objects.get(key=MEETING), "en")
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    server.stop()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200 and "X-Cache" not in response
            assert client.get("/en/meetings/").status_code == 200  # its counts are computed, not cached
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "unreachable" in warnings[0]
    server.start()
    wait_past_the_retry_delay()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"


def rename_meeting(title):
    meeting = Meeting.objects.get(key=MEETING)
    meeting.title_en = title
    meeting.save()  # commits: a new generation, which the cache cannot be told while Redis is down


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persistent", [True, False], ids=["restored-from-disk", "empty"])
def test_no_stale_page_survives_a_restart_of_redis(reference_archive, redis_cache, persistent):
    server = redis_cache(persistent)
    url = url_of(Meeting.objects.get(key=MEETING), "en")
    reader = Client()
    reader.get(url)
    assert reader.get(url)["X-Cache"] == "hit"
    server.stop()
    rename_meeting("Renamed while the cache was down")
    assert title(reader.get(url)) == "Renamed while the cache was down"
    server.start()
    prefix = b"secretariat:1:pages:"
    assert bool(list(server.client().scan_iter(prefix + b"*"))) is persistent  # the old pages came back, or not
    wait_past_the_retry_delay()
    response = reader.get(url)
    assert "X-Cache" not in response
    assert title(response) == "Renamed while the cache was down"
    assert title(reader.get(url)) == "Renamed while the cache was down"


#: What production's Redis needs (README, "A cache that may fail"): a cap on its memory, and room
#: made by evicting keys that expire (pages, figures); the generation, which never expires, stays.
CAPPED = ("--maxmemory", "4mb", "--maxmemory-policy", "volatile-lru")


@pytest.mark.django_db(transaction=True)
def test_made_up_addresses_cannot_fill_a_capped_redis_and_the_cache_keeps_working(
    reference_archive, redis_cache, caplog
):
    """Each address is a page of its own, query string included, kept up to an hour: anyone may ask
    for as many as they like (here 150 home pages of about 40 kB, with a made-up parameter). Redis
    with a cap evicts the oldest pages, refuses no write, and the cache stays exact."""
    server = redis_cache(options=CAPPED)
    reader = Client()
    with caplog.at_level(logging.WARNING):
        for n in range(150):
            assert reader.get(f"/en/?made-up={'x' * 4000}{n}").status_code == 200
    memory, stats = server.client().info("memory"), server.client().info("stats")
    assert stats["evicted_keys"] > 0  # the flood reached the cap
    assert memory["used_memory"] <= 1.1 * memory["maxmemory"]  # Redis evicts before each write
    assert not [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    url = url_of(Meeting.objects.get(key=MEETING), "en")
    reader.get(url)
    assert reader.get(url)["X-Cache"] == "hit"
    rename_meeting("Renamed after the flood")
    assert title(reader.get(url)) == "Renamed after the flood"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_edit_on_another_node_while_redis_was_down_is_not_hidden_when_it_returns(
    postgres, reference_archive, redis_cache
):
    """This process saw no failure: Redis stopped and came back between two of its requests, restored
    from disk with the pages it held, while another node saved an edit it could not announce."""
    server = redis_cache(persistent=True)
    url = url_of(Meeting.objects.get(key=MEETING), "en")
    reader = Client()
    reader.get(url)
    assert reader.get(url)["X-Cache"] == "hit"
    server.stop()
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'secretariat.settings'; django.setup();"
        "from dialogue.models import Meeting; m = Meeting.objects.get(key='space-2017-03-24');"
        "m.title_en = 'Renamed on another node'; m.save()"
    )
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "CACHE_URL": server.url,
        "PATH": "/usr/bin:/bin",
    }
    edit = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert "could not start a new generation" in edit.stderr  # the other node could not tell the cache
    server.start()
    assert pagecache.GENERATION_KEY.encode() in b" ".join(server.client().keys())  # the old generation is back
    response = reader.get(url)
    assert "X-Cache" not in response
    assert title(response) == "Renamed on another node"
