"""Shared steps of the admin's browser tests: a member of a group, signed in, in a browser context of its own."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client

PASSWORD = "a-long-test-password-for-editing"


def member_of(group_name, username):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def new_page(browser, live_server, language, **context):
    """A page of a browser context of its own, in ``language`` (no request leaves the machine: conftest)."""
    # Less motion, as a reader may ask: no fading button is caught half-way by the accessibility checks.
    context = browser.new_context(
        base_url=live_server.url, locale=f"{language}-FR", **{"reduced_motion": "reduce", **context}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
    )
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def log_in(browser, live_server, username, language, **context):
    """A page signed in as ``username`` through the admin's sign-in form, on the admin's home in ``language``."""
    page = new_page(browser, live_server, language, **context)
    page.goto(f"/{language}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(f"**/{language}/admin/")
    return page


def signed_in(browser, live_server, username, language, **context):
    """A page already signed in as ``username`` (a session made on the server, its cookie handed to the
    browser), in ``language``, on no page yet: for tests of what follows the sign-in, which go straight
    to the page they test."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    page = new_page(browser, live_server, language, **context)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def overflow(page) -> dict:
    """How far the page, and each inline table inside its box, is wider than the window."""
    page.evaluate("document.fonts.ready.then(() => true)")  # the editor's icons are a web font
    return page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            tables: Array.from(document.querySelectorAll('.inline-group table'))
                .filter((table) => table.offsetParent !== null)
                .map((table) => [table.closest('[id$=-group]').id, table.scrollWidth - table.parentElement.clientWidth])
                .filter(([, excess]) => excess > 0),
        })"""
    )
