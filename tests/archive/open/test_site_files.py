"""What a browser asks of every site: the favicon, the manifest, the files a page names; and the Open data page."""

import json
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import soup, text
from tests.test_query_bounds import PAGES

pytestmark = pytest.mark.django_db


def local_file_exists(client, url) -> bool:
    path = urlparse(url).path
    if path.startswith("/static/"):
        return finders.find(path.removeprefix("/static/")) is not None
    return client.get(url).status_code == 200


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in response["Cache-Control"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_web_app_manifest_names_icons_that_exist(client, language):
    response = client.get(f"/{language}/site.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == language and manifest["start_url"] == f"/{language}/"
    assert manifest["name"] == {"fr": "Dialogues franco-japonais", "en": "France–Japan dialogues"}[language]
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert local_file_exists(client, icon["src"]), icon


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_page_names_a_missing_file(client, reference_archive, language):
    for name, build in PAGES:
        page = soup(client.get(build(language)))
        for element in page.select("head link[href], script[src], img[src]"):
            url = element.get("href") or element.get("src")
            if urlparse(url).netloc in ("", "testserver") and "alternate" not in element.get("rel", []):
                assert local_file_exists(client, url), (name, url)
        assert page.select_one("head link[rel=icon][type='image/svg+xml']")
        assert page.select_one("head link[rel=manifest]")["href"] == f"/{language}/site.webmanifest"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_open_data_page_lists_every_output_and_each_answers(client, reference_archive, language):
    url = {"fr": "/fr/donnees-ouvertes/", "en": "/en/open-data/"}[language]
    response = client.get(url)
    assert response.status_code == 200 and not response.cookies
    page = soup(response)
    assert text(page.select_one("h1")) == {"fr": "Données ouvertes", "en": "Open data"}[language]
    addresses = [text(code) for code in page.select(".open-data code")]
    assert len(addresses) >= 12
    for address in addresses:
        assert client.get(address.removeprefix("http://testserver")).status_code == 200, address
    footer = page.select_one(".site-footer a.site-footer__open-data")
    assert footer["href"] == url
