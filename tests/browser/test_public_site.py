"""What only a browser shows: the language switcher, the filters, the year archive, accessibility."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Error as BrowserError

from dialogue.models import Meeting
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_no_request_leaves_the_machine(page, archive):
    """The browser reaches the live server, and no other host, by name or by address."""
    assert page.goto("/fr/").status == 200
    for address in ("http://example.org/", "https://example.org/", "http://93.184.216.34/"):
        with pytest.raises(BrowserError, match="net::ERR_"):
            page.goto(address, timeout=5_000)


def test_switching_language_on_a_meeting_page_lands_on_the_same_meeting(page, archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    with translation.override("fr"):
        french = meeting.get_absolute_url()
    with translation.override("en"):
        english = meeting.get_absolute_url()
    page.goto(french)
    assert page.locator("h1").inner_text().startswith("2e session")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**{english}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("2nd session")
    # The choice is remembered: the site root now sends the reader to English.
    page.goto("/")
    page.wait_for_url("**/en/")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/")
    assert page.csp_violations == []


def test_filtering_the_instrument_register(page, archive):
    page.goto("/en/instruments/")
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 6
    page.get_by_label("Status").select_option("under_negotiation")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"status=under_negotiation"))
    assert rows.count() == 1
    assert "reciprocal access" in rows.first.inner_text().lower()
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url("**/en/instruments/")
    assert rows.count() == 6
    page.get_by_role("link", name="Title").click()
    titles = page.locator("table.register tbody th a").all_inner_texts()
    assert titles == sorted(titles, key=str.lower)
    page.get_by_label("From year").fill("2020")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"year_from=2020"))
    assert "sort=title" in page.url
    assert rows.count() == 2  # the 2023–2027 roadmap and the reciprocal access agreement
    assert page.csp_violations == []


def test_walking_the_year_archive(page, archive):
    page.goto("/fr/annees/")
    years = page.locator("table.year-index tbody th a").all_inner_texts()
    assert years[:3] == sorted(years, reverse=True)[:3]
    assert "2017" in years
    page.get_by_role("link", name="2017", exact=True).click()
    page.wait_for_url("**/fr/annees/2017/")
    assert page.locator("h1").inner_text() == "2017"
    items = page.locator(".timeline__item")
    dates = [items.nth(i).locator("time").get_attribute("datetime") for i in range(items.count())]
    assert dates == sorted(dates)
    assert any("Lettre" in text for text in items.all_inner_texts())
    page.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(r"/fr/annees/(\d{4})/"))
    assert int(page.locator("h1").inner_text()) > 2017
    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/fr/annees/2017/")


KEY_PAGES = [
    "/{lang}/",
    "{meeting}",
    "/{lang}/{instruments}/",
    "/{lang}/{instruments}/?year_from=abc",
    "{instrument}",
    "{release}",
    "/{lang}/{years}/",
    "/{lang}/{years}/2017/",
    "/{lang}/dialogues/",
    "{organization}",
    "/{lang}/{topics}/",
    "/{lang}/no-such-page/",
]
SEGMENTS = {
    "fr": {"instruments": "instruments", "years": "annees", "topics": "themes"},
    "en": {"instruments": "instruments", "years": "years", "topics": "topics"},
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_key_pages_have_no_wcag_22_aa_violation(page, archive, language):
    from archive.models import PressRelease
    from dialogue.models import Instrument, Organization

    with translation.override(language):
        items = {
            "meeting": Meeting.objects.get(key="space-2017-03-24").get_absolute_url(),
            "instrument": Instrument.objects.get(key="roadmap-2023-2027").get_absolute_url(),
            "release": PressRelease.objects.get(key="cnes-pr051-2016").get_absolute_url(),
            "organization": Organization.objects.get(key="cnes").get_absolute_url(),
        }
    failures = {}
    for pattern in KEY_PAGES:
        url = pattern.format(lang=language, **SEGMENTS[language], **items)
        page.goto(url)
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    assert failures == {}
    assert page.csp_violations == []
