"""Anonymous public pages a shared cache can keep, served from Django's cache, and never stale.

- an anonymous GET sets no cookie and does not vary on Cookie; it carries Cache-Control (short
  max-age, longer s-maxage), an ETag and a Last-Modified, and a conditional GET gets a 304;
- staff, previews and forms with errors are never cached;
- publishing, withdrawing, editing or deleting anything a page shows makes it fresh at once,
  in every process (through Redis); a scheduled publication appears at its time without a save.
"""

import logging
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client

from archive.models import PressRelease
from dialogue.models import Meeting, Topic
from editorial import pagecache
from editorial.models import Status
from tests import factories
from tests.conftest import soup, text
from tests.pages import url_of
from tests.test_query_bounds import PAGES

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache-tests"}}


@pytest.fixture
def page_cache(settings):
    settings.CACHES = LOCAL
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a change does when its transaction commits (the test's own never does)."""

    def run(change):
        start = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True):
            change()
        del connection.run_on_commit[start:]  # as a real commit leaves none behind

    return run


def cache_control(response) -> dict:
    parts = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _sep, value = part.strip().partition("=")
        if name:
            parts[name] = value
    return parts


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_page_is_shareable(client, reference_archive, page_cache, language):
    for name, build in PAGES:
        response = client.get(build(language))
        assert response.status_code == 200, name
        assert not response.cookies, (name, list(response.cookies))
        assert "cookie" not in response.get("Vary", "").lower(), name
        control = cache_control(response)
        assert "public" in control, name
        assert 0 < int(control["max-age"]) < int(control["s-maxage"]), name
        assert response.has_header("ETag") and response.has_header("Last-Modified"), name


def test_a_second_visit_is_served_from_the_cache_without_the_database(
    client, reference_archive, page_cache, django_assert_num_queries
):
    url = url_of(Meeting.objects.get(key="space-2017-03-24"), "en")
    first = client.get(url)
    assert "X-Cache" not in first
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_hit_asks_the_cache_once(client, reference_archive, page_cache, monkeypatch):
    """The generation and the page in one request to the cache: one round trip to Redis per hit."""
    client.get("/en/meetings/")
    calls, inside = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not inside:  # the backend's own calls (local memory's get_many calls get) are not requests
                calls.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "set", "add", "has_key", "touch"):
        monkeypatch.setattr(page_cache, name, counted(name, getattr(page_cache, name)))
    assert client.get("/en/meetings/")["X-Cache"] == "hit"
    assert calls == ["get_many"]


def test_a_conditional_get_is_answered_304(client, reference_archive, page_cache):
    first = client.get("/en/meetings/")
    again = client.get("/en/meetings/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert again["ETag"] == first["ETag"]
    since = client.get("/en/meetings/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get("/en/meetings/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_without_a_cache_pages_still_answer_conditional_gets(client, reference_archive, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    first = client.get("/fr/reunions/")
    assert first.has_header("ETag")
    assert client.get("/fr/reunions/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_staff_are_never_served_or_stored(editor_client, reference_archive, page_cache):
    url = "/en/press-releases/"
    Client().get(url)  # cached for the public
    response = editor_client.get(url)
    assert "X-Cache" not in response
    assert "private" in cache_control(response)
    anonymous = Client().get(url)
    assert anonymous["X-Cache"] == "hit"


def test_previews_are_never_cached(editor_client, page_cache):
    draft = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    response = editor_client.get(url_of(draft, "en"))
    assert response["Cache-Control"] == "private, no-store"
    assert Client().get(url_of(draft, "en")).status_code == 404


def test_forms_with_errors_are_never_cached(client, reference_archive, page_cache):
    response = client.get("/en/meetings/?year=abc")
    assert "no-store" in cache_control(response)
    assert "X-Cache" not in client.get("/en/meetings/?year=abc")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_edit_shows_at_once(client, reference_archive, page_cache, commit, language):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    url = url_of(meeting, language)
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    def rename():
        setattr(meeting, f"title_{language}", "Zorblaxian session")
        meeting.save()

    commit(rename)
    response = client.get(url)
    assert "X-Cache" not in response
    assert text(soup(response).select_one("h1")) == "Zorblaxian session"


def test_withdrawing_and_deleting_show_at_once(client, reference_archive, page_cache, commit):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    url, listing = url_of(release, "en"), "/en/press-releases/"
    assert client.get(url).status_code == 200
    assert release.title_en in text(soup(client.get(listing)))

    def withdraw():
        release.publication_status = Status.WITHDRAWN
        release.save()

    commit(withdraw)
    assert client.get(url).status_code == 404
    assert release.title_en not in text(soup(client.get(listing)))
    other = PressRelease.objects.get(key="cnes-cp028-2018")
    other_url = url_of(other, "en")
    assert client.get(other_url).status_code == 200
    commit(other.delete)
    assert client.get(other_url).status_code == 404


def test_a_relation_changed_from_either_side_shows_at_once(client, reference_archive, page_cache, commit):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    topic = Topic.objects.get(key="ssa")
    url = url_of(meeting, "en")
    commit(lambda: meeting.topics.remove(topic))
    assert topic.name_en not in text(soup(client.get(url)))
    commit(lambda: topic.meetings.add(meeting))  # from the topic's side
    assert topic.name_en in text(soup(client.get(url)))


def test_a_scheduled_publication_appears_at_its_time_without_a_save(
    client, reference_archive, page_cache, monkeypatch
):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    soon = time.time() + 120
    PressRelease.objects.filter(pk=release.pk).update(
        publish_at=pagecache.timezone.datetime.fromtimestamp(soon, tz=pagecache.timezone.UTC)
    )
    pagecache.start_new_generation()  # as the scheduling save's commit would
    response = client.get("/en/press-releases/")
    assert release.title_en not in text(soup(response))
    control = cache_control(response)
    assert int(control["max-age"]) <= 120 and int(control["s-maxage"]) <= 120  # no cache keeps it past the time
    assert client.get("/en/press-releases/")["X-Cache"] == "hit"
    later = soon + 1
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    monkeypatch.setattr(
        "django.utils.timezone.now",
        lambda: pagecache.timezone.datetime.fromtimestamp(later, tz=pagecache.timezone.UTC),
    )
    response = client.get("/en/press-releases/")
    assert "X-Cache" not in response
    assert release.title_en in text(soup(response))


def test_an_unreachable_cache_serves_pages_uncached_with_a_warning(client, reference_archive, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with caplog.at_level(logging.WARNING, logger="editorial.pagecache"):
        response = client.get("/en/meetings/")
    assert response.status_code == 200
    assert any("unreachable" in record.getMessage() for record in caplog.records)


REDIS_DB = 14


@pytest.fixture
def redis_cache(settings):
    from secretariat.settings import cache_from_url

    settings.CACHES = {"default": cache_from_url(f"redis://127.0.0.1:6379/{REDIS_DB}")}  # as CACHE_URL gives it
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_by_another_process_shows_at_once_through_redis(postgres, redis_cache):
    """A real edit in another process (another app node), committed to PostgreSQL: fresh here at once."""
    from django.core.management import call_command

    call_command("loaddata", "reference_archive", verbosity=0)
    meeting = Meeting.objects.get(key="space-2017-03-24")
    url = url_of(meeting, "en")
    client = Client()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    name = connection.settings_dict["NAME"]
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'secretariat.settings'; django.setup();"
        "from dialogue.models import Meeting; m = Meeting.objects.get(key='space-2017-03-24');"
        "m.title_en = 'Renamed in another process'; m.save()"
    )
    env = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([sys.executable, "-c", script], check=True, env=env, capture_output=True)
    response = client.get(url)
    assert "X-Cache" not in response
    assert text(soup(response).select_one("h1")) == "Renamed in another process"


def test_a_host_the_site_does_not_serve_gets_a_400_and_no_cache_warning(page_cache, reference_archive, caplog):
    """A scanner's Host header is Django's 400, not a page cache failure in the log."""
    with caplog.at_level(logging.WARNING, logger="editorial.pagecache"):
        response = Client().get("/en/", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    assert not [record for record in caplog.records if record.name == "editorial.pagecache"]
    assert Client().get("/en/").status_code == 200


@pytest.mark.parametrize("query", ["", "?sort=date", "?year=2019"])
def test_a_list_counts_its_rows_once_until_the_archive_changes(client, reference_archive, settings, page_cache, query):
    """With the page cache off (``PAGE_CACHE=false``), the lists' totals are still kept: counting the
    public rows of a big table on every request is what made the lists slow at 100×."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    for url in ("/en/meetings/", "/fr/communiques/", "/en/instruments/"):
        client.get(url + query)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url + query).status_code == 200
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        assert counts == [], (url + query, counts)


def test_every_spelling_of_a_sitemap_page_is_built_and_kept_once(client, reference_archive, page_cache, monkeypatch):
    """The sitemap view reads ``?p=`` with ``int()``: ``01``, ``+1``, `` 1`` and ``١`` all name page 1,
    and the index has no pages. Each spelling kept a whole copy, one per value anyone sent."""
    from archive.open import sitemaps

    built = []
    for name in ("index", "sitemap"):
        view = getattr(sitemaps.sitemap_views, name)
        monkeypatch.setattr(
            sitemaps.sitemap_views, name, lambda *a, _view=view, **k: built.append(1) or _view(*a, **k)
        )
    for address, spellings in {
        "/sitemap-meetings.xml": ["", "?p=1", "?p=01", "?p=%2B1", "?p=%201", "?p=%D9%A1"],
        "/sitemap.xml": ["", "?p=1", "?p=2", "?p=made-up"],
    }.items():
        built.clear()
        answers = {
            (response.status_code, response.content) for response in (client.get(address + s) for s in spellings)
        }
        assert len(answers) == 1 and next(iter(answers))[0] == 200, address
        assert len(built) == 1, address
    for refused in ("?p=2", "?p=1.0", "?p=one", f"?p=1{'0' * 5000}"):
        assert client.get("/sitemap-meetings.xml" + refused).status_code == 404, refused
