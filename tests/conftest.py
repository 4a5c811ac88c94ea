"""Shared test set-up: personas, language reset, and CI's refusal of skipped tests."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission, User
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from editorial import routing
from editorial.roles import EDITORS, PUBLISHERS, TRANSLATORS
from tests.admin_forms import make_user
from tests.html import soup, text  # noqa: F401 (the tests import them from here)
from tests.servers import PrivateRedis

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


#: Test modules that stop, pause or read the one streaming replica: never two at once.
SHARING_THE_REPLICA = ("tests/test_replicas.py", "tests/test_health.py")
#: Test modules that drive Chromium (the crawl for the HTML checker does not).
DRIVING_CHROMIUM = "tests/browser/"
NOT_DRIVING_CHROMIUM = ("tests/browser/test_html_validity.py",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` (make test): a test module per process at a time, except for two groups
    of modules that run one after the other in the same process, as one unit each:

    - the modules sharing the replica;
    - the modules driving Chromium, which is busy on a core of its own while they run: two at once
      left the other tests with no core at all. They start first, and the other process takes the
      rest of the modules as it finishes each, the small ones last, so both finish together.
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            scope = super()._split_scope(nodeid)
            if scope.endswith(SHARING_THE_REPLICA):
                return "the replica"
            if scope.startswith(DRIVING_CHROMIUM) and not scope.endswith(NOT_DRIVING_CHROMIUM):
                return "the browser"
            return scope

        def _assign_work_unit(self, node):
            if "the browser" in self.workqueue:
                self.workqueue.move_to_end("the browser", last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)


@pytest.fixture(autouse=True)
def _no_cache_unless_asked(request, settings):
    """No cache across requests, but in tests of the cache (marked ``cache``).

    A test's transaction never commits, so the page cache's generation is never replaced by the
    changes a test makes: pages and counts cached earlier in the test would hide them.
    """
    if request.node.get_closest_marker("cache") is None:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """Passwords hashed with MD5 in tests: PBKDF2's 1.2 million rounds take 0.4 s a password here.

    The site's own setting is untouched; what tests check of passwords (a right one lets in, a
    wrong one does not) holds with any hasher.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


#: The replicas DATABASE_REPLICA_URLS names (CI: the one deploy/replica.sh runs on port 5433).
CONFIGURED_REPLICAS = list(django_settings.DATABASE_REPLICAS)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _primary_only_unless_asked(request, settings):
    """Every read on the primary, but in tests of the replicas (marked ``replica``).

    Ordinary tests run in one transaction on the primary, which a replica never sees; and the
    replica's verdicts are this process's, so none carries over from one test to the next.
    """
    routing.replicas.reset()
    if request.node.get_closest_marker("replica") is None:
        settings.DATABASE_REPLICAS = []
    yield
    routing.replicas.reset()


_replica_ensured: list[bool] = []


def replica_streams(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            return cursor.fetchone()[0] is True
    except Exception:
        connections[alias].close()
        return False


@pytest.fixture
def replica(postgres, settings):
    """The first streaming replica, as an alias; the tests using it are marked ``replica`` and ``postgres``.

    Without DATABASE_REPLICA_URLS they are skipped (a failure in CI, where FAIL_ON_SKIP is set).
    A local replica that is not running is started, or made, by deploy/replica.sh, once.
    """
    if not CONFIGURED_REPLICAS:
        pytest.skip("needs a streaming replica: DATABASE_REPLICA_URLS (deploy/replica.sh makes one on port 5433)")
    alias = CONFIGURED_REPLICAS[0]
    if not replica_streams(alias) and not _replica_ensured:
        _replica_ensured.append(True)
        database = connections[alias].settings_dict
        if database["HOST"] in ("127.0.0.1", "localhost"):
            subprocess.run(
                [ROOT / "deploy" / "replica.sh", "ensure"],
                env={**os.environ, "REPLICA_PORT": str(database["PORT"] or 5432)},
                check=False,
            )
    if not replica_streams(alias):
        pytest.fail(f"The replica {alias} does not answer as a replica: run deploy/replica.sh (see README).")
    return alias


@pytest.fixture
def private_redis(tmp_path):
    """``private_redis(persistent=False, options=())``: a redis-server of the test's own, stopped after the test."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (apt-get install redis-server)")
    servers = []

    def make(persistent=False, options=()):
        server = PrivateRedis(tmp_path / f"redis-{len(servers)}", persistent=persistent, options=options)
        server.directory.mkdir()
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def redis_cache(private_redis, settings):
    """The cache as CACHE_URL=redis://… makes it, on a private Redis that retries quickly after a failure."""
    from secretariat.settings import cache_from_url

    def make(persistent=False, options=()):
        server = private_redis(persistent, options)
        config = cache_from_url(server.url)
        config["OPTIONS"]["retry_seconds"] = 0.05
        settings.CACHES = {"default": config}
        return server

    return make


@pytest.fixture(autouse=True)
def _reset_language():
    """Every test starts and ends in the default language, whatever the last one activated."""
    from dialogue.models.parties import family_name_first_parties

    family_name_first_parties.cache_clear()  # parties' ids differ from test to test
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


#: The apps whose tables the reference archive fills (the search index included).
ARCHIVE_APPS = ("editorial", "dialogue", "archive")
SNAPSHOT_PREFIX = "snapshot_"


def archive_tables() -> list[str]:
    from django.apps import apps

    tables = []
    for label in ARCHIVE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                tables.append(model._meta.db_table)
    return sorted(set(tables))


@pytest.fixture(scope="session")
def archive_snapshot(django_db_setup, django_db_blocker):
    """The reference archive, loaded once per test session and kept as a copy of its tables.

    ``loaddata`` (natural keys, signals, the search index) takes about half a second; copying the
    rows back from these tables takes a few milliseconds. The archive is loaded as `make run`
    loads it, committed, copied into ``snapshot_<table>``, and the content tables are emptied
    again, so that tests which do not ask for the archive start from an empty database.
    """
    from django.core.management import call_command
    from django.core.management.color import no_style

    with django_db_blocker.unblock():
        call_command("loaddata", "reference_archive", verbosity=0)  # commits: the index is built on commit
        tables = archive_tables()
        with transaction.atomic(), connection.cursor() as cursor:  # foreign keys are checked at commit
            for table in tables:
                snapshot = connection.ops.quote_name(SNAPSHOT_PREFIX + table)
                cursor.execute(f"DROP TABLE IF EXISTS {snapshot}")
                cursor.execute(f"CREATE TABLE {snapshot} AS SELECT * FROM {connection.ops.quote_name(table)}")
            for statement in connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True):
                cursor.execute(statement)
    return tables


def restore_archive(tables):
    """Copy the reference archive's rows back from the session's snapshot, sequences included.

    In one transaction, as foreign keys are checked at its end: in a ``transaction=True`` test the
    archive is then committed, for other connections (another process, a replica) to read.
    """
    from django.apps import apps
    from django.core.management.color import no_style

    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"INSERT INTO {quoted} SELECT * FROM {connection.ops.quote_name(SNAPSHOT_PREFIX + table)}")
        models = [
            model
            for label in ARCHIVE_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        ]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@pytest.fixture
def reference_archive(db, archive_snapshot):
    """The reference archive, as `make run` loads it: copied back from the session's snapshot."""
    restore_archive(archive_snapshot)


def module_archive(name: str, then=None):
    """A fixture ``name``: the reference archive (then what ``then()`` adds), loaded once for a whole
    module whose tests only read it.

    It stays in a transaction that is rolled back after the module's last test; each test's
    own transaction (the ``db`` fixture) is a savepoint inside it. For suites that make many
    requests and write nothing, such as the property-based ones. Every test of the module must
    use it (a test loading the archive again inside it would find its rows there already).
    """

    @pytest.fixture(scope="module", name=name)
    def archive_for_the_module(archive_snapshot, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            restore_archive(archive_snapshot)
            if then is not None:
                then()
            yield
            transaction.set_rollback(True)

    return archive_for_the_module


shared_reference_archive = module_archive("shared_reference_archive")


# Personas of the editorial workflow: a new member of each group, logged in on the test client.


@pytest.fixture
def role_client(db, client):
    """``role_client("Editors")``: the test client, logged in as a new member of that group."""
    made = {}

    def login(group_name, username=None):
        username = username or group_name.lower()
        user = made.get(username) or make_user(username, group_name)
        made[username] = user
        client.force_login(user)
        client.user = user
        return client

    return login


@pytest.fixture
def editor_role(role_client):
    """A member of Editors: writes, sends for review, cannot publish."""
    return role_client(EDITORS)


@pytest.fixture
def publisher(role_client):
    """A member of Publishers: everything an editor does, plus publishing and withdrawing."""
    return role_client(PUBLISHERS)


@pytest.fixture
def translator(role_client):
    """A member of Translators: changes the texts of existing records, nothing else."""
    return role_client(TRANSLATORS)
