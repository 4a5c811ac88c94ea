"""Bad input never breaks a page: 404 pages in both languages, hostile query strings never a 500."""

import pytest
from django.test import Client

from tests.conftest import soup, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "heading"), [("/fr/nulle-part/", "Page introuvable"), ("/en/nowhere/", "Page not found")]
)
def test_404_page_speaks_the_language_of_the_address(client, path, heading):
    response = client.get(path)
    assert response.status_code == 404
    page = soup(response)
    assert text(page.select_one("h1")) == heading
    assert page.select_one("html")["lang"] == path[1:3]


@pytest.mark.parametrize(("language", "heading"), [("fr", "Erreur du serveur"), ("en", "Server error")])
def test_500_page_in_both_languages(language, heading, settings):
    from django.urls import path as url_path

    from secretariat import urls

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "urlpatterns": [*urls.urlpatterns, url_path(f"{language}/broken/", broken)],
            "handler404": urls.handler404,
            "handler500": urls.handler500,
        },
    )
    client = Client(raise_request_exception=False)
    response = client.get(f"/{language}/broken/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    assert text(soup(response).select_one("h1")) == heading


HOSTILE = [
    "year=' OR 1=1 --",
    "year=2017%00",
    "year=-5",
    "year=1e308",
    "dialogue=<script>alert(1)</script>",
    "topic[]=ssa",
    "kind=plenary&kind=ministerial",
    "host=%FF%FE",
    "page=99999999999999999999",
    "sort=__class__",
    "year_from=9999&year_to=1000",
    "issuer=" + "x" * 5000,
]
LISTS = ["/en/meetings/", "/fr/reunions/", "/en/instruments/", "/en/press-releases/", "/fr/communiques/", "/en/"]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("path", LISTS)
def test_hostile_query_strings_never_give_a_500(client, reference_archive, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 404), response.status_code
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/en/meetings/%00/",
        "/en/meetings/" + "a" * 3000 + "/",
        "/en/years/0000000000000000002017/",
        "/fr/../etc/passwd",
    ],
)
def test_garbage_urls_are_404s(client, reference_archive, path):
    assert client.get(path).status_code == 404
