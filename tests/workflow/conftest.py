"""Helpers of the editorial workflow's tests (shared with the security tests through tests.admin_forms)."""

from tests.admin_forms import (  # noqa: F401 - re-exported for the tests of this folder
    LONG_AGO,
    admin_url,
    change_form,
    errors,
    hrefs,
    in_the_past,
    make_user,
    messages_of,
    page_text,
    public_url,
)
