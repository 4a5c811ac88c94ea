"""Drive the admin as a browser would: read a form to post it back with changes, find its messages."""

import datetime

from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone, translation

from tests.html import select, text, tree


def form_data(response, form_selector="form[method=post]") -> dict:
    """The values a browser would submit from the page's form, untouched."""
    form = select(response, form_selector)[0]
    data: dict = {}
    for field in select(form, "input, select, textarea"):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.tag == "select":
            values = [option.get("value", "") for option in select(field, "option[selected]")]
            if "multiple" in field.attrib:
                data[name] = values
            else:
                data[name] = values[0] if values else ""
        elif field.tag == "textarea":
            data[name] = field.text_content()
        elif field.get("type") == "checkbox":
            if "checked" in field.attrib:
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


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
    return [text(li) for li in select(response, ".errorlist li")]


def messages_of(response) -> list[str]:
    """The admin's flash messages on a page (follow=True)."""
    return [text(li) for li in select(response, "ul.messagelist li")]


def hrefs(response) -> set[str]:
    return {a.get("href") for a in select(response, "a[href]")}


def page_text(response) -> str:
    return text(tree(response))


def in_the_past():
    return timezone.now() - datetime.timedelta(days=1)


def make_user(username, group_name=None, **fields):
    """A staff member in one of the editorial groups (no password: hashing one is slow)."""
    user = User.objects.create_user(username, **{"is_staff": True, **fields})
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user
