"""Personas of the editorial workflow, and helpers to drive the admin as they would."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone, translation

from editorial.roles import EDITORS, PUBLISHERS, TRANSLATORS
from tests.admin_forms import form_data
from tests.conftest import soup

#: Long before any test runs: a stamp every later edit is newer than.
LONG_AGO = datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)


def admin_url(model_or_obj, view, *args, language="en"):
    """The admin address of ``view`` (changelist, add, change, history…) for a model or a record."""
    opts = model_or_obj._meta
    if view in {"change", "history", "delete"} and not args:
        args = (model_or_obj.pk,)
    with translation.override(language):
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def public_url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def change_form(client, obj, language="en"):
    """The change page of ``obj`` and the data its form would submit untouched."""
    response = client.get(admin_url(obj, "change", language=language))
    assert response.status_code == 200, response.status_code
    return response, form_data(response, f"form#{obj._meta.model_name}_form")


def errors(response) -> list[str]:
    """Every error message shown on an admin form page."""
    return [" ".join(li.get_text().split()) for li in soup(response).select(".errorlist li")]


def messages_of(response) -> list[str]:
    """The admin's flash messages on a page (follow=True)."""
    return [" ".join(li.get_text().split()) for li in soup(response).select("ul.messagelist li")]


def hrefs(response) -> set[str]:
    return {a["href"] for a in soup(response).select("a[href]")}


def page_text(response) -> str:
    return " ".join(soup(response).get_text().split())


def in_the_past():
    return timezone.now() - datetime.timedelta(days=1)


def make_user(username, group_name=None, **fields):
    """A staff member in one of the editorial groups (no password: hashing one is slow)."""
    user = User.objects.create_user(username, **{"is_staff": True, **fields})
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


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
