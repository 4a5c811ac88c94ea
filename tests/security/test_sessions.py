"""A session cookie that names no live session starts none: no row is written, whoever sends it.

Sessions are saved on every request, so that a staff session ends after a working day without a
request. Django saved a session that a page did not read as if it were live: a made-up cookie, or
an expired one, became a new empty session on every request, a row in the sessions table per
request, which anyone could send (``secretariat.middleware.SessionMiddleware``).
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from dialogue.models import Meeting
from tests.admin_forms import make_user

pytestmark = pytest.mark.django_db

PAGES = [
    "/fr/",
    "/en/meetings/",
    "meeting",
    "/fr/recherche/?q=espace",
    "/fr/reunions/flux.atom",
    "/sitemap.xml",
    "/api/v1/meetings",
    "/en/no-such-page/",
    "/nowhere/",
    "/en/admin/login/",
    "/en/admin/",
]


def address(page):
    return Meeting.objects.get(key="space-2017-03-24").get_absolute_url() if page == "meeting" else page


def expired_session(user) -> str:
    """The key of a staff member's session that expired a minute ago (not yet cleared away)."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    return store.session_key


def stored():
    return sorted(Session.objects.values_list("session_key", "expire_date"))


@pytest.mark.parametrize("cookie", ["made up", "expired"])
@pytest.mark.parametrize("page", PAGES)
def test_a_cookie_naming_no_live_session_writes_nothing_and_is_deleted(reference_archive, page, cookie):
    url = address(page)
    key = "k" * 32 if cookie == "made up" else expired_session(make_user("editor", "Editors"))
    before = stored()
    without = Client().get(url)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == without.status_code, url
        assert stored() == before, "a session was written"
        sent = response.cookies.get(settings.SESSION_COOKIE_NAME)
        assert sent is not None and sent.value == "" and sent["max-age"] == 0, "the dead cookie is kept"


def test_a_made_up_cookie_with_a_form_sent_writes_no_session(reference_archive):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "k" * 32
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/en/"}).status_code == 302
    assert client.post("/en/admin/login/", {"username": "nobody", "password": "wrong"}).status_code == 200
    assert stored() == []


@pytest.mark.parametrize("page", ["/fr/", "meeting", "/en/no-such-page/", "/en/admin/"])
def test_a_live_session_is_kept_and_its_idle_time_starts_again_on_any_page(reference_archive, page):
    client = Client()
    client.force_login(make_user("editor", "Editors"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    response = client.get(address(page))
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == key
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert Session.objects.count() == 1
