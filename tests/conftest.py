"""Shared test set-up: personas, language reset, and CI's refusal of skipped tests."""

import os

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.utils import translation
from hypothesis import settings as hypothesis_settings

# Property-based tests (Hypothesis): the same examples on every run, so that CI is reproducible
# and a failure can be replayed; HYPOTHESIS_PROFILE=thorough explores many more, at random.
hypothesis_settings.register_profile("ci", max_examples=25, derandomize=True, database=None, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    # CI sets FAIL_ON_SKIP: a PostgreSQL or browser test that could not run is a failure there.
    if os.environ.get("FAIL_ON_SKIP") and _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("FAIL_ON_SKIP") and _skipped:
        terminalreporter.write_line(
            f"FAIL_ON_SKIP: {len(_skipped)} test(s) skipped, which CI does not allow:", red=True
        )
        for nodeid in _skipped:
            terminalreporter.write_line(f"  {nodeid}", red=True)


@pytest.fixture(autouse=True)
def _reset_language():
    """Every test starts and ends in the default language, whatever the last one activated."""
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture
def postgres(db):
    """Skip unless the tests run on PostgreSQL (make test runs them again when DATABASE_URL names one)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def editor(db):
    """A staff member who may view, add, change and delete everything in the two apps."""
    user = User.objects.create_user("editor", is_staff=True)  # no password: hashing one is slow
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["dialogue", "archive"]))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reference_archive(db, django_capture_on_commit_callbacks):
    """The reference archive, loaded from fixtures/ as `make run` loads it.

    The search index is built when the load commits; the test's transaction never commits,
    so the callbacks are run explicitly.
    """
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", "reference_archive", verbosity=0)


@pytest.fixture(scope="module")
def shared_reference_archive(django_db_setup, django_db_blocker):
    """The reference archive, loaded once for a whole module whose tests only read it.

    It stays in a transaction that is rolled back after the module's last test; each test's
    own transaction (the ``db`` fixture) is a savepoint inside it. For suites that make many
    requests and write nothing, such as the property-based ones.
    """
    from django.core.management import call_command
    from django.db import transaction
    from django.test import TestCase

    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("loaddata", "reference_archive", verbosity=0)
        yield
        transaction.set_rollback(True)


def soup(response) -> BeautifulSoup:
    """The response's HTML, parsed, to query with CSS selectors."""
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    """An element's text as a reader sees it: whitespace collapsed."""
    return " ".join(element.get_text().split())
