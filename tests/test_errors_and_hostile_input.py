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


def test_a_404_names_the_address_asked_for_percent_encoded_even_with_a_scheme_inside(client):
    """Found by the property-based suite: ``1://`` inside a path made the 404's breadcrumb take it for a
    whole address and repeat it as typed, quotes and all (inside its JSON-LD block, escaped as JSON)."""
    response = client.get("/en/id/%3Cx-probe%3E/%22%20x-probe%3D%221%3A%2F/")
    assert response.status_code == 404
    assert b'" x-probe=' not in response.content and b"<x-probe" not in response.content
    block = soup(response).find("script", type="application/ld+json", string=lambda s: "BreadcrumbList" in s)
    assert '"item":"http://testserver/en/id/%3Cx-probe%3E/%22%20x-probe=%221://"' in block.string


# The 500s the property-based suite (tests/test_hostile_properties.py) found, kept as examples.


def test_a_page_number_too_large_for_the_database_shows_the_last_page_of_results(client, reference_archive):
    # SQLite: "datatype mismatch"; PostgreSQL: "bigint out of range", from the offset of page 10^20.
    from tests.pages import grow_archive

    grow_archive(30)

    def results(page):
        response = client.get("/en/search/", {"q": "agency", "page": page})
        assert response.status_code == 200
        return [a["href"] for a in soup(response).select(".search-results a")], response.context["paginator"]

    (last, paginator), (huge, _paginator) = results(str(10**9)), results("100000000000000000000")
    assert paginator.num_pages > 1
    assert huge == last == results(str(paginator.num_pages))[0]


@pytest.mark.parametrize(
    ("value", "page"),
    [
        (None, 1),
        ("", 1),
        ("3", 3),
        (" 3 ", 3),
        ("0003", 3),
        ("٣", 3),  # Arabic-Indic three
        ("0", 1),
        ("-3", 1),
        ("1e9", 1),
        ("2.5", 1),
        ("²", 1),  # a digit, but not a decimal one
        ("1_000", 1),
        ("abc", 1),
        ("last", 10**9),
        ("1000000000", 10**9),
        ("1000000001", 10**9),
        ("9" * 5000, 10**9),  # more digits than int() reads
    ],
)
def test_requested_page_reads_any_value_as_a_page_number(value, page):
    from editorial.views import MAX_PAGE, requested_page

    assert MAX_PAGE == 10**9
    assert requested_page(value) == page


@pytest.mark.parametrize(
    ("path", "query", "same_as"),
    [
        ("/en/search/", "q=space%00", "q=space"),  # PostgreSQL: NUL in a text parameter
        ("/en/search/", "q=space&dialogue=space%00", "q=space&dialogue=space"),
        ("/en/meetings/", "dialogue=space%00", "dialogue=space"),
        ("/en/press-releases/", "issuer=cn%00es", "issuer=cnes"),
        ("/en/instruments/", "so%00rt=-date", "sort=-date"),
    ],
)
def test_a_nul_in_the_query_string_is_taken_out_before_any_view(client, reference_archive, path, query, same_as):
    response, expected = client.get(f"{path}?{query}"), client.get(f"{path}?{same_as}")
    assert response.status_code == 200
    assert response.content.count(b"<li") == expected.content.count(b"<li")
    assert b"%00" not in response.content  # links built from the request (pagination, languages) carry none


@pytest.mark.parametrize("path", ["/en/meetings/no-such-meeting/", "/media/documents/x.pdf"])
def test_a_nul_in_the_session_cookie_is_taken_out_before_the_session_is_read(client, reference_archive, path):
    # PostgreSQL: the session lookup (a staff preview check, an upload's owner check) had a NUL in it.
    response = client.get(path, HTTP_COOKIE="sessionid=abcdefgh\x00ijklmnop; django_language=e\x00n")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/en/meetings/space%00/", "Page not found"),
        ("/fr/reunions/%FF/", "Page introuvable"),
        ("/media/documents/x%00.pdf", "Page introuvable"),  # PostgreSQL: the owner lookup had a NUL in it
        ("/media/documents/%C3%28.pdf", "Page introuvable"),
        ("/en/admin/dialogue/meeting/%00/change/", "Page not found"),
    ],
)
def test_a_path_with_a_nul_or_bytes_not_utf8_is_a_404_in_its_language(client, reference_archive, path, heading):
    response = client.get(path)
    assert response.status_code == 404
    assert text(soup(response).select_one("h1")) == heading


@pytest.mark.parametrize(
    "query",
    ["start_date__year=9999", "start_date__year=99999999999999999999", "start_date__year=9999&start_date__month=12"],
)
def test_an_admin_date_drill_down_out_of_range_is_a_bad_filter(client, reference_archive, query):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("chief", "chief@example.org", None))
    response = client.get(f"/en/admin/dialogue/meeting/?{query}")
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/dialogue/meeting/?e=1"


@pytest.mark.parametrize("organization", ["abc", "1\x00", "99999999999999999999"])
def test_an_admin_form_sent_back_with_a_bad_id_shows_its_error(editor_client, reference_archive, organization):
    from archive.models import PressContact
    from tests.admin_forms import form_data

    url = f"/en/admin/archive/presscontact/{PressContact.objects.order_by('pk').first().pk}/change/"
    form = form_data(editor_client.get(url), "form#presscontact_form")
    response = editor_client.post(url, {**form, "organization": organization})
    assert response.status_code == 200
    assert soup(response).select_one(".field-organization .errorlist")


@pytest.mark.parametrize("row_id", ["abc", "1\x00", "99999999999999999999"])
def test_a_nested_inline_row_sent_back_with_a_bad_id_shows_an_error(editor_client, reference_archive, row_id):
    from dialogue.models import Meeting
    from tests.admin_forms import form_data

    meeting = Meeting.objects.get(key="space-2017-03-24")
    url = f"/en/admin/dialogue/meeting/{meeting.pk}/change/"
    form = form_data(editor_client.get(url), "form#meeting_form")
    assert form["delegations-1-id"]
    response = editor_client.post(url, {**form, "delegations-1-id": row_id})
    assert response.status_code == 200
    assert text(soup(response).select_one(".errornote")) == "Please correct the errors below."
