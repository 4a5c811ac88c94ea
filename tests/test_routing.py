"""Which requests may read from a replica, on any database (the replicas themselves: test_replicas.py)."""

import pytest
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory

from dialogue.models import Topic
from editorial import routing

factory = RequestFactory()


@pytest.mark.parametrize(
    ("method", "path", "cookies", "public"),
    [
        ("GET", "/en/topics/", {}, True),
        ("HEAD", "/fr/themes/", {}, True),
        ("GET", "/media/meetings/a1b2.jpg", {}, True),
        ("GET", "/en/admin/", {}, False),
        ("GET", "/fr/admin/login/", {}, False),
        ("POST", "/en/topics/", {}, False),
        ("GET", "/en/topics/", {"sessionid": "x"}, False),  # staff have a session
        ("GET", "/i18n/switch/en/", {}, False),
        ("GET", "/readyz", {}, False),
    ],
)
def test_only_anonymous_reads_of_public_pages_may_use_a_replica(method, path, cookies, public):
    request = factory.generic(method, path)
    request.COOKIES.update(cookies)
    assert routing.is_public_read(request) is public


def test_without_replicas_everything_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    with routing.routed(routing.Route(public=True)):
        assert router.db_for_read(Topic) == "default"
    assert router.db_for_read(Topic) == "default"
    assert router.db_for_write(Topic) == "default"


def test_the_read_your_writes_cookie_must_be_signed_and_recent(settings):
    settings.DATABASE_READ_YOUR_WRITES_SECONDS = 10
    response = HttpResponse()
    routing.pin_to_primary(response)
    value = response.cookies[routing.PIN_COOKIE].value
    for cookie, pinned in [(value, True), (value + "x", False), ("1", False), ("", False), ("\x00:é", False)]:
        request = factory.get("/en/topics/")
        request.COOKIES[routing.PIN_COOKIE] = cookie
        assert routing.pinned_to_primary(request) is pinned, cookie


@pytest.mark.django_db
def test_a_garbled_pin_cookie_is_ignored(client, settings):
    client.cookies[routing.PIN_COOKIE] = "not:a:signature"
    assert client.get("/en/topics/").status_code == 200


def test_positions_compare_as_postgresql_orders_them():
    assert routing.parse_lsn("0/16B3748") < routing.parse_lsn("0/16B3750") < routing.parse_lsn("1/0")
    assert routing.parse_lsn("16/B374D848") == (0x16 << 32) | 0xB374D848
    assert routing.parse_lsn(None) is None
