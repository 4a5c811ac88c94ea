"""Downloads of the register and the meetings list, read with csv and json: filters, languages, only public items."""

import csv
import io
import json

import pytest

from dialogue.models import Instrument, Meeting
from editorial.models import Status
from tests import factories
from tests.archive.open.helpers import body
from tests.conftest import soup
from tests.test_errors_and_hostile_input import HOSTILE

pytestmark = pytest.mark.django_db

LISTS = {("fr", "meeting"): "/fr/reunions/", ("en", "meeting"): "/en/meetings/"}
LISTS.update({("fr", "instrument"): "/fr/instruments/", ("en", "instrument"): "/en/instruments/"})
EXPORT = {
    ("fr", "meeting"): "/fr/reunions/export",
    ("en", "meeting"): "/en/meetings/export",
    ("fr", "instrument"): "/fr/instruments/export",
    ("en", "instrument"): "/en/instruments/export",
}


def rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    content = body(response).decode("utf-8")
    assert content.startswith("\ufeff")  # the byte-order mark Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


def items(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_meetings_download_as_csv_in_the_language(client, reference_archive, language):
    found = rows(client, EXPORT[(language, "meeting")] + ".csv")
    assert [row["key"] for row in found] == list(
        Meeting.objects.published().order_by("-start_date", "pk").values_list("key", flat=True)
    )
    space = next(row for row in found if row["key"] == "space-2017-03-24")
    assert space["start_date"] == "2017-03-24" and space["host"] == "JP" and space["dialogue"] == "space"
    assert (
        space["title"]
        == {
            "fr": "2e session du Dialogue global sur l’espace",
            "en": "2nd session of the Comprehensive Space Dialogue",
        }[language]
    )
    # A Japanese name reads family name first in English, given name first in French.
    assert {"fr": "Toshiro IIJIMA", "en": "IIJIMA Toshiro"}[language] in space["co_chairs"]
    assert space["url"].startswith(f"http://testserver/{language}/")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_register_downloads_with_its_filters_and_sort(client, reference_archive, language):
    everything = rows(client, EXPORT[(language, "instrument")] + ".csv")
    assert {row["key"] for row in everything} == set(Instrument.objects.published().values_list("key", flat=True))
    roadmap = next(row for row in everything if row["key"] == "roadmap-2023-2027")
    assert roadmap["signed_on"] == "2023-12-02"
    acsa = next(row for row in everything if row["key"] == "acsa")
    assert acsa["in_force_on"] == "2019"  # only the year is known
    in_force = rows(client, EXPORT[(language, "instrument")] + ".csv?status=in_force")
    assert [row["key"] for row in in_force] == ["acsa"]
    by_title = rows(client, EXPORT[(language, "instrument")] + ".csv?sort=title")
    assert [row["title"] for row in by_title] == sorted(row["title"] for row in by_title)


def test_the_json_download_gives_each_item_as_the_api_does(client, reference_archive):
    downloaded = items(client, "/en/meetings/export.json?dialogue=space")
    assert {item["key"] for item in downloaded} == set(
        Meeting.objects.published().filter(dialogue__key="space").values_list("key", flat=True)
    )
    for item in downloaded:
        assert item == json.loads(client.get(f"/api/v1/meetings/{item['key']}").content)
    register = items(client, "/fr/instruments/export.json")
    assert {item["key"] for item in register} == set(Instrument.objects.published().values_list("key", flat=True))
    assert set(register[0]["title"]) == {"fr", "en"}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["meeting", "instrument"])
def test_the_lists_link_their_downloads_with_their_filters(client, reference_archive, language, kind):
    query = "dialogue=space"
    page = soup(client.get(f"{LISTS[(language, kind)]}?{query}&page=1"))
    csv_link = page.select_one('head link[rel=alternate][type="text/csv"]')
    assert csv_link["href"] == f"{EXPORT[(language, kind)]}.csv?{query}"
    assert csv_link["title"]
    visible = {a["href"] for a in page.select(".follow a[download]")}
    assert visible == {f"{EXPORT[(language, kind)]}.csv?{query}", f"{EXPORT[(language, kind)]}.json?{query}"}
    for href in visible:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    ("url", "field"),
    [("/en/meetings/export.csv?year=abc", "year"), ("/fr/instruments/export.csv?year_from=9999&year_to=1000", "")],
)
def test_a_bad_filter_is_a_400_that_says_why(client, reference_archive, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert field in response.content.decode()
    answer = client.get(url.replace(".csv", ".json"))
    assert answer.status_code == 400 and json.loads(answer.content)["errors"]


def test_unpublished_items_are_in_no_download(client, reference_archive):
    draft = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    withdrawn = factories.instrument(publication_status=Status.WITHDRAWN)
    keys = {row["key"] for row in rows(client, "/en/meetings/export.csv")}
    keys |= {row["key"] for row in rows(client, "/en/instruments/export.csv")}
    keys |= {item["key"] for item in items(client, "/en/meetings/export.json")}
    assert not {draft.key, withdrawn.key} & keys


def test_a_text_a_spreadsheet_would_run_is_written_as_text(client, reference_archive):
    Meeting.objects.filter(key="space-2017-03-24").update(title_en='=HYPERLINK("http://evil.example")')
    space = next(row for row in rows(client, "/en/meetings/export.csv") if row["key"] == "space-2017-03-24")
    assert space["title"] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize(
    "path",
    ["/en/meetings/export.csv", "/fr/instruments/export.json", "/en/meetings/calendar.ics", "/sitemap-meetings.xml"],
)
def test_hostile_query_strings_never_give_a_500(client, reference_archive, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 400, 404), response.status_code
    assert b"<script>alert(1)</script>" not in body(response)


@pytest.fixture
def counted(settings):
    """Downloads counted in a cache of the test's own (other tests run without one), 2 a minute."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "downloads"}
    }
    caches["default"].clear()
    settings.DOWNLOAD_ANON_RATE = "2/min"
    yield
    caches["default"].clear()


@pytest.mark.cache
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Too many downloads from your address: try again in "),
        ("fr", "Trop de téléchargements depuis votre adresse : réessayez dans "),
    ],
)
def test_an_address_may_download_so_many_lists_then_is_told_when_to_come_back(
    client, reference_archive, counted, language, message
):
    """A download reads a whole list (seconds of a worker's time at a hundred times the archive), and
    no cache keeps it: ``DOWNLOAD_ANON_RATE`` per address, counted apart from the API's requests."""
    for _n in range(3):
        assert client.get("/api/v1/topics").status_code == 200  # the API's count is its own
    assert client.get(EXPORT[language, "meeting"] + ".csv").status_code == 200
    assert client.get(EXPORT[language, "instrument"] + ".json").status_code == 200
    for format, content_type in (("csv", "text/plain; charset=utf-8"), ("json", "application/json")):
        refused = client.get(EXPORT[language, "meeting"] + "." + format)
        assert refused.status_code == 429
        assert refused["Content-Type"] == content_type
        assert 0 < int(refused["Retry-After"]) <= 60
        said = refused.content.decode() if format == "csv" else json.loads(refused.content)["detail"]
        assert said == f"{message}{refused['Retry-After']} " + ("seconds." if language == "en" else "secondes.")
    assert client.get(EXPORT[language, "meeting"] + ".csv", REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.cache
def test_signed_in_staff_download_as_often_as_they_like(editor_client, reference_archive, counted):
    for _n in range(4):
        assert editor_client.get(EXPORT["en", "meeting"] + ".csv").status_code == 200


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "try again in 1 second.", "try again in 45 seconds."),
        ("fr", "réessayez dans 1 seconde.", "réessayez dans 45 secondes."),
    ],
)
def test_the_wait_is_said_in_the_singular_or_the_plural(language, one, many):
    from django.utils import translation

    from archive.open.exports import too_many

    with translation.override(language):
        assert too_many("csv", 1).content.decode().endswith(one)
        assert json.loads(too_many("json", 45).content)["detail"].endswith(many)
