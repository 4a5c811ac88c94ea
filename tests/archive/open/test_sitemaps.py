"""Sitemaps, read with lxml: every public page in both languages, alternates as the pages say, lastmod, pagination."""

import pytest
from lxml import etree

from dialogue.models import Instrument, Meeting, Person
from editorial.models import Status
from tests import factories
from tests.html import select
from tests.pages import url_of

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    assert not response.cookies
    return etree.fromstring(response.content)


def section_pages(client):
    index = xml(client, "/sitemap.xml")
    return [loc.removeprefix("http://testserver") for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)]


def urls(client):
    """{address: ({hreflang: address}, lastmod or None)} of every sitemap page."""
    found = {}
    for page in section_pages(client):
        for url in xml(client, page).xpath("//s:url", namespaces=NS):
            loc = url.findtext("s:loc", namespaces=NS)
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.xpath("x:link[@rel='alternate']", namespaces=NS)
            }
            assert loc not in found
            found[loc] = (alternates, url.findtext("s:lastmod", namespaces=NS))
    return found


def test_the_sitemap_lists_every_public_page_in_both_languages(client, reference_archive):
    found = urls(client)
    items = [
        *Meeting.objects.published(),
        *Instrument.objects.published(),
        *Person.objects.published(),
        *factories.PressRelease.objects.published(),
    ]
    for item in items:
        for language in ("fr", "en"):
            assert f"http://testserver{url_of(item, language)}" in found, (item, language)
    for path in ("/fr/", "/en/", "/fr/reunions/", "/en/instruments/", "/fr/annees/2017/", "/en/years/2023/"):
        assert f"http://testserver{path}" in found
    assert not [url for url in found if "/admin/" in url or "/search/" in url or "/recherche/" in url]


def test_each_address_has_the_alternates_its_page_declares(client, reference_archive):
    for loc, (alternates, _lastmod) in urls(client).items():
        assert set(alternates) == {"fr", "en", "x-default"}, loc
        assert alternates["x-default"] == alternates["fr"]  # French, the secretariat's reference language
        page = client.get(loc.removeprefix("http://testserver"))
        declared = {
            link.get("hreflang"): link.get("href")
            for link in select(page, "head link[rel=alternate][hreflang]:not([type])")
        }
        assert declared == alternates, loc
        assert [link.get("href") for link in select(page, "link[rel=canonical]")] == [loc]  # one, this address


def test_items_carry_their_last_change(client, reference_archive):
    found = urls(client)
    meeting = Meeting.objects.get(key="space-2017-03-24")
    assert found[f"http://testserver{url_of(meeting, 'en')}"][1] == meeting.modified_at.date().isoformat()
    assert found["http://testserver/fr/"][1]  # lists: the last change of what they list


def test_sections_are_split_in_pages_of_the_limit(client, reference_archive, settings):
    everything = set(urls(client))
    settings.SITEMAP_LIMIT = 7
    pages = section_pages(client)
    assert any(page.endswith("?p=2") for page in pages)
    for page in pages:
        assert len(xml(client, page).xpath("//s:url", namespaces=NS)) <= 7
    assert set(urls(client)) == everything
    assert client.get("/sitemap-meetings.xml?p=99").status_code == 404
    assert client.get("/sitemap-meetings.xml?p=abc").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/fr/admin/", "/en/admin/", "/fr/recherche/", "/en/search/"):
        assert f"Disallow: {path}" in lines


def test_unpublished_items_are_in_no_sitemap(client, reference_archive):
    draft = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    withdrawn = factories.instrument(publication_status=Status.WITHDRAWN)
    member = factories.person(family_name="Hidden")
    factories.delegation(draft, factories.party(), [member])
    found = urls(client)
    for item in (draft, withdrawn, member):
        for language in ("fr", "en"):
            assert f"http://testserver{url_of(item, language)}" not in found
