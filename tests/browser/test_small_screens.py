"""Phones and laptops: nothing wider than the screen, and a header that leaves room for the page."""

import pytest
from django.utils import translation

from archive.models import PressRelease
from dialogue.models import Instrument, Meeting, Person

pytestmark = pytest.mark.browser


def addresses():
    def url(obj, language):
        with translation.override(language):
            return obj.get_absolute_url()

    pages = [
        "/fr/",
        "/en/",
        "/en/instruments/",
        "/fr/instruments/",
        "/en/search/?q=space",
        "/fr/recherche/?q=spatial",
        "/en/meetings/",
        "/fr/communiques/",
        "/en/years/2023/",
        "/en/dialogues/",
        "/en/organizations/",
        "/en/people/",
    ]
    for obj in (
        Meeting.objects.get(key="space-2023-01-19"),
        Instrument.objects.get(key="roadmap-2023-2027"),
        PressRelease.objects.get(key="cnes-pr051-2016"),
        Person.objects.get(key="jean-yves-le-gall"),
    ):
        pages += [url(obj, "fr"), url(obj, "en")]
    return pages


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_no_page_is_wider_than_the_screen(page, archive, width, height):
    page.set_viewport_size({"width": width, "height": height})
    too_wide = {}
    for address in addresses():
        page.goto(address)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            too_wide[address] = scroll
    assert too_wide == {}


def test_the_header_takes_at_most_a_quarter_of_a_phone_screen(page, archive):
    page.set_viewport_size({"width": 390, "height": 844})
    for address in ("/fr/", "/en/instruments/", "/fr/recherche/"):
        page.goto(address)
        height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
        assert height <= 844 / 4, (address, height)
        assert page.get_by_role("link", name="English" if address.startswith("/fr/") else "Français").is_visible()
        assert page.locator("#header-search").is_visible()
