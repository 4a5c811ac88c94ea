"""Browser tests: Playwright's Python API driving Debian's Chromium against the live server."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
#: No request may leave the machine: everything is served by the site itself. Every address but
#: the live server's goes to a proxy that is not there, and fails (a host name or an IP address).
NO_WAY_OUT = {"server": "http://127.0.0.1:9", "bypass": "localhost,127.0.0.1"}

# The sync API runs an event loop in this thread; Django's live server is in another one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATime(WSGIServer):
    """The live server on SQLite, whose test database (in memory) is one connection that the
    server's threads would share: Chromium loads a page's scripts and the admin's catalogue of
    translations at once, and two requests using one connection at the same time failed now and
    then (a script missing, the page's widgets with it). One request at a time, each answer
    closing its connection (Django's server does so when it serves requests one by one).
    On PostgreSQL, each request has a connection of its own and the server stays threaded.

    Between two tests the server is ``paused``: a request still arriving from a page of the last
    test (Chromium asks for /favicon.ico after a page has loaded, and saves nothing of it) is
    dropped unanswered, instead of writing its session into the tables being emptied."""

    serving = threading.Lock()
    paused = False

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self.serving:
            if OneRequestAtATime.paused:
                self.shutdown_request(request)
                return
            super().process_request(request, client_address)

    @classmethod
    def pause(cls):
        """Wait for the request being answered, if any, and answer no other until ``resume``."""
        with cls.serving:
            cls.paused = True

    @classmethod
    def resume(cls):
        cls.paused = False


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, proxy=NO_WAY_OUT
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _close_pages_before_emptying_the_database(request):
    """Every browser context a test opened (``helpers.log_in``, ``signed_in``) is closed at its end,
    before its database is emptied: a page left open kept sending requests to the live server, whose
    writes (a session, a sign-in record) broke the emptying of the tables, and the next test's archive.
    On SQLite the live server then answers nothing more until the next test (``OneRequestAtATime``)."""
    if "browser" not in request.fixturenames:
        yield
        return
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")  # set up first, so emptied after this closes the pages
    browser = request.getfixturevalue("browser")
    OneRequestAtATime.resume()
    yield
    for context in list(browser.contexts):
        context.close()
    OneRequestAtATime.pause()  # a request already sent by a closed page is not answered (SQLite's live server)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
    )
    yield page
    context.close()


@pytest.fixture
def archive(transactional_db, archive_snapshot):
    """The reference archive, committed for the live server's thread: copied back from the session's snapshot."""
    from tests.conftest import restore_archive

    restore_archive(archive_snapshot)


def axe_violations(page, within="document"):
    """WCAG 2.2 A and AA violations axe-core finds on the page (or ``within`` a selector), as readable lines.

    axe-core is evaluated in the page through the DevTools protocol, which the page's Content Security
    Policy does not govern, so the policy stays as strict as in production; and only on the pages it
    checks (half a megabyte of script, which every other page would parse for nothing).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        """(within) => axe.run(within === 'document' ? document : within, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}})""",
        within,
    )
    return [
        f"{violation['id']}: {violation['help']} — {[node['target'] for node in violation['nodes']][:5]}"
        for violation in result["violations"]
    ]
