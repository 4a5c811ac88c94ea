"""The editors' admin in a browser: language tabs work under the Content Security Policy."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.browser


def test_language_tabs_and_nested_inlines_work_in_the_admin(page, archive, live_server):
    User.objects.create_superuser("chief", password="a-long-test-password")
    page.goto("/en/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/en/admin/")
    page.goto("/en/admin/dialogue/meeting/add/")
    # modeltranslation's tabs (jQuery UI, served locally) turn each field's languages into tabs.
    tabs = page.locator(".ui-tabs-nav").first
    tabs.wait_for()
    assert tabs.locator("li").all_inner_texts()[:2] == ["FR", "EN"]
    tabs.locator("li a").nth(1).click()
    page.locator("#id_title_en").fill("Third session")
    # A delegation, then a member inside it, added with the nested inline buttons.
    page.get_by_role("link", name="Add a delegation", exact=True).click()
    page.get_by_role("link", name="Add a delegation member").first.click()
    assert page.locator("select[name='delegations-0-members-0-role']").count() == 1
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/admin/dialogue/meeting/add/")
    assert page.csp_violations == []
