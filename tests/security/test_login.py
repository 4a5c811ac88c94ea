"""Logins are throttled: repeated failures lock the account and the address, with a message in the
reader's language; a superuser unlocks an account from the users' list; sessions end after a
working day of inactivity; the language cookie is Lax, and Secure in production."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F

from tests.conftest import soup, text

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-correct-password"


@pytest.fixture(autouse=True)
def failure_limit(settings):
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def editor_account():
    return User.objects.create_user("writer", password=PASSWORD, is_staff=True)


def login(client, username, password, language="en", address="203.0.113.5"):
    return client.post(
        f"/{language}/admin/login/?next=/{language}/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("en", "Sign-in locked", "Too many failed attempts to sign in"),
        ("fr", "Connexion bloquée", "Trop de tentatives de connexion échouées"),
    ],
)
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    client, editor_account, language, heading, message
):
    for _attempt in range(5):
        response = login(client, "writer", "wrong", language)
        assert response.status_code in (200, 429)
    response = login(client, "writer", PASSWORD, language)
    assert response.status_code == 429
    assert not signed_in(client)
    page = soup(response)
    assert text(page.select_one("h1")) == heading
    assert message in text(page.select_one(".errornote"))
    assert page.select_one("html")["lang"] == language
    assert response["Cache-Control"] == "private, no-store"


def test_fewer_failures_do_not_lock(client, editor_account):
    for _attempt in range(4):
        login(client, "writer", "wrong")
    response = login(client, "writer", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username="writer").exists()  # a success starts the count again


def test_an_account_is_locked_whatever_address_the_attempts_come_from(client, editor_account):
    for attempt in range(5):
        login(client, "writer", "wrong", address=f"198.51.100.{attempt + 1}")
    response = login(client, "writer", PASSWORD, address="192.0.2.200")
    assert response.status_code == 429
    assert not signed_in(client)


def test_an_address_is_locked_whatever_account_it_tries(client, editor_account):
    for attempt in range(5):
        login(client, f"guess{attempt}", "wrong", address="203.0.113.9")
    response = login(client, "writer", PASSWORD, address="203.0.113.9")
    assert response.status_code == 429
    assert login(client, "writer", PASSWORD, address="203.0.113.10").status_code == 302


def test_attempts_while_locked_out_write_nothing_and_do_not_extend_the_lockout(client, editor_account, settings):
    """An address that keeps trying once locked, with new names and long values: no row is added or
    grown, and the lockout ends LOGIN_LOCKOUT_MINUTES after the failure that set it."""
    for _attempt in range(5):
        login(client, "writer", "wrong", address="203.0.113.9")
    recorded = list(AccessAttempt.objects.order_by("pk").values())
    for attempt in range(10):
        assert login(client, f"guess{attempt}", "x" * 2000, address="203.0.113.9").status_code == 429
        assert login(client, "writer", "wrong", address="203.0.113.9").status_code == 429
    assert list(AccessAttempt.objects.order_by("pk").values()) == recorded
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)
    assert login(client, "writer", PASSWORD, address="203.0.113.9").status_code == 302


def test_a_forged_forwarded_header_does_not_change_the_address(client, editor_account, settings):
    """Behind one proxy, only the entry the proxy appended counts: the client cannot pick its address."""
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        client.post(
            "/en/admin/login/",
            {"username": f"guess{attempt}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}, 203.0.113.77",
        )
    response = client.post(
        "/en/admin/login/",
        {"username": "writer", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.77",
    )
    assert response.status_code == 429


def test_a_superuser_unlocks_an_account_from_the_users_list(client, editor_account):
    for _attempt in range(5):
        login(client, "writer", "wrong", address="198.51.100.1")
    chief = User.objects.create_superuser("chief", password=PASSWORD)
    admin_client = type(client)()
    admin_client.force_login(chief)
    page = soup(admin_client.get("/en/admin/auth/user/"))
    row = next(tr for tr in page.select("#result_list tbody tr") if "writer" in text(tr))
    assert row.select_one(".field-locked_out img")["alt"] == "True"
    response = admin_client.post(
        "/en/admin/auth/user/", {"action": "unlock_selected", "_selected_action": [editor_account.pk]}, follow=True
    )
    assert "1 account unlocked." in text(soup(response))
    assert login(client, "writer", PASSWORD, address="198.51.100.2").status_code == 302


def test_only_a_superuser_may_unlock(client, editor_account):
    staff = User.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(
        *__import__("django.contrib.auth.models", fromlist=["Permission"]).Permission.objects.filter(
            codename__in=["view_user", "change_user"]
        )
    )
    client.force_login(staff)
    page = soup(client.get("/en/admin/auth/user/"))
    assert "unlock_selected" not in [option["value"] for option in page.select("select[name=action] option")]


def test_a_staff_session_ends_after_a_working_day_of_inactivity(client, editor_account):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST  # counted from the last request, not from the login
    response = login(client, "writer", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    expiry = client.session.get_expiry_date()
    now = datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(hours=8) <= expiry - now <= datetime.timedelta(hours=12)
    later = client.get("/en/admin/")
    assert later.cookies[settings.SESSION_COOKIE_NAME]["max-age"]  # each request renews the inactivity window


@pytest.mark.parametrize("debug", [True, False])
def test_the_language_cookie_is_lax_and_secure_in_production(client, settings, debug):
    settings.LANGUAGE_COOKIE_SECURE = not debug
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) == (not debug)
    assert cookie["httponly"]


def test_production_settings_make_the_language_cookie_secure(monkeypatch):
    """The setting follows DEBUG: read the settings module as production would."""
    import importlib

    import secretariat.settings as module

    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    try:
        production = importlib.reload(module)
        assert production.LANGUAGE_COOKIE_SECURE is True
        assert production.SESSION_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("DEBUG")
        monkeypatch.delenv("SECRET_KEY")
        importlib.reload(module)
