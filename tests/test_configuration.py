"""Configuration from the environment: production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-real-secret-" + "x7Qp2Lk9Vw3Zr8Tn5Ym1Hb6Jc4Fd0Gs" * 2,
        ALLOWED_HOSTS="dialogues.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", SECRET_KEY="", ALLOWED_HOSTS="dialogues.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_a_garbled_boolean_is_refused_clearly():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_content_security_policy_is_sent(client):
    response = client.get("/fr/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_ensure_admin_creates_one_account_and_prints_its_password(capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    assert "username: admin" in first
    password = first.split("password: ")[1].split()[0]
    assert User.objects.get(username="admin").check_password(password)
    call_command("ensure_admin")
    assert "already exists" in capsys.readouterr().out
    assert User.objects.filter(is_superuser=True).count() == 1


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DATABASE_REPLICA_URLS": "postgres://postgres@127.0.0.1:5433/x"}, "PostgreSQL replicas of a PostgreSQL"),
        ({"DATABASE_REPLICA_MAX_LAG": "soon"}, "DATABASE_REPLICA_MAX_LAG must be a number of seconds"),
        ({"DATABASE_REPLICA_MAX_LAG": "nan"}, "DATABASE_REPLICA_MAX_LAG must be a number of seconds"),
        ({"CACHE_TIMEOUT": "-1"}, "CACHE_TIMEOUT must be a number of seconds"),
        (
            {"DATABASE_REPLICA_MAX_LAG": "30", "DATABASE_READ_YOUR_WRITES_SECONDS": "10"},
            "DATABASE_READ_YOUR_WRITES_SECONDS must be at least DATABASE_REPLICA_MAX_LAG",
        ),
    ],
)
def test_replica_and_cache_settings_are_checked(environment, message):
    """Replicas of SQLite, times that are not numbers, an author pinned for less than a replica may lag."""
    result = manage("check", CACHE_URL="redis://127.0.0.1:6379/0", **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_app_nodes_keep_nothing_another_node_needs(settings):
    """Sessions and the login throttle in the database, messages and CSRF tokens in cookies, the cache in Redis."""
    from secretariat.settings import cache_from_url

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.fallback.FallbackStorage"
    assert not settings.CSRF_USE_SESSIONS
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler").endswith("DatabaseHandler")
    assert cache_from_url("redis://cache.internal:6379/0")["BACKEND"] == "editorial.cache.FailSafeRedisCache"


def test_the_querysets_of_a_translated_model_share_one_class():
    """django-modeltranslation's language-aware QuerySet class is made once per class, not at every query."""
    from modeltranslation.manager import MultilingualQuerySet

    from dialogue.models import Meeting, Person

    first, second = Meeting.objects.all(), Meeting.objects.filter(number=1).published()
    assert isinstance(first, MultilingualQuerySet)
    assert type(first) is type(second) is type(Meeting.objects.none())
    assert type(Person.objects.all()) is not type(first)
