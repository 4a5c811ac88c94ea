"""The meetings list and the meeting page, in French and English."""

from urllib.parse import quote

import pytest

from dialogue.models import Meeting
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db

LIST = {"fr": "/fr/reunions/", "en": "/en/meetings/"}


@pytest.mark.parametrize(
    ("language", "title", "dateline", "japanese_side"),
    [
        ("fr", "2e session du dialogue global sur l’espace", "24 mars 2017, Tokyo", "Côté japonais"),
        ("en", "2nd session of the Comprehensive Space Dialogue", "24 March 2017, Tokyo", "Japanese side"),
    ],
)
def test_meeting_page_shows_both_delegations_side_by_side(
    client, reference_archive, language, title, dateline, japanese_side
):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    response = client.get(url_of(meeting, language))
    page = soup(response)
    assert page.select_one("html")["lang"] == language
    assert page.select_one("h1").get_text(" ", strip=True).lower() == title.lower()
    assert text(page.select_one(".dateline")).startswith(dateline)
    sides = page.select(".sides > .side")
    assert [side.select_one("h3").get_text(strip=True) for side in sides][1] == japanese_side
    japan = sides[1]
    co_chairs = [li.select_one(".member__name").get_text(" ", strip=True) for li in japan.select(".member--co_chair")]
    iijima, takada = ("Toshiro IIJIMA", "Shuzo TAKADA") if language == "fr" else ("IIJIMA Toshiro", "TAKADA Shuzo")
    assert any(iijima in name for name in co_chairs) and any(takada in name for name in co_chairs)
    # co-chairs come first, then the participating organizations
    assert japan.select(".members li")[0]["class"] == ["member", "member--co_chair"]
    assert any("JAXA" in li.get_text() for li in japan.select(".organizations li"))
    france = sides[0]
    assert "Louis GAUTIER" in france.select_one(".member--co_chair").get_text(" ", strip=True)
    outcomes = page.select("section[aria-labelledby=outcomes-heading] .prose li")
    assert len(outcomes) == 4
    signed = page.select("section[aria-labelledby=instruments-heading] li a")
    assert len(signed) == 2
    releases = page.select("section[aria-labelledby=releases-heading] li a")
    assert len(releases) == 1


def test_meeting_page_links_to_itself_in_the_other_language(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    page = soup(client.get(url_of(meeting, "fr")))
    english = url_of(meeting, "en")
    assert page.select_one("link[rel=alternate][hreflang=en]")["href"].endswith(english)
    assert page.select_one("link[rel=canonical]")["href"].endswith(url_of(meeting, "fr"))
    link = page.select_one(".language-switcher a[hreflang=en]")
    assert link["href"] == f"/i18n/switch/en/?next={quote(english)}"
    assert not page.select(".language-switcher form")  # no form, so no CSRF cookie on the page


def test_switching_language_lands_on_the_same_meeting(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    response = client.get("/i18n/switch/en/", {"next": url_of(meeting, "en")})
    assert (response.status_code, response["Location"]) == (302, url_of(meeting, "en"))
    assert response.cookies["django_language"].value == "en"
    assert response.cookies["django_language"]["samesite"] == "Lax"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_switching_language_never_leaves_the_site(client, target):
    response = client.get("/i18n/switch/en/", {"next": target})
    assert response["Location"] == "/en/"
    assert client.get("/i18n/switch/xx/", {"next": "/en/"}).status_code == 404


def test_a_slug_from_the_other_language_redirects_to_the_page_language(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    french_slug = meeting.slug_fr
    response = client.get(f"/en/meetings/{french_slug}/")
    assert response.status_code == 301
    assert response["Location"] == url_of(meeting, "en")


def test_unknown_meeting_is_a_404(client, reference_archive):
    assert client.get("/en/meetings/no-such-meeting/").status_code == 404


@pytest.mark.parametrize("language", ["fr", "en"])
def test_meeting_list_is_in_date_order(client, reference_archive, language):
    page = soup(client.get(LIST[language]))
    dates = [time["datetime"] for time in page.select(".results .item-list time")]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == Meeting.objects.count()


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("dialogue=space", "space-2017-03-24", "two-plus-two-2023-05-09"),
        ("dialogue=two-plus-two", "two-plus-two-2023-05-09", "space-2017-03-24"),
        ("year=2017", "space-2017-03-24", "space-2016-03-11"),
        ("host=JP", "space-2017-03-24", "space-2016-03-11"),
        ("host=FR", "space-2016-03-11", "space-2017-03-24"),
        ("kind=ministerial", "two-plus-two-2023-05-09", "space-2023-01-19"),
        ("topic=ssa", "space-2017-03-24", "two-plus-two-2023-05-09"),
    ],
)
def test_meeting_filters_match_and_exclude(client, reference_archive, query, included, excluded):
    page = soup(client.get(f"/en/meetings/?{query}"))
    links = {a["href"] for a in page.select(".results .item-list a")}
    assert url_of(Meeting.objects.get(key=included), "en") in links
    assert url_of(Meeting.objects.get(key=excluded), "en") not in links


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=abc", "year", "Enter a whole number."),
        ("year=99999999999999", "year", "Ensure this value is less than or equal to 9999."),
        ("dialogue=nope", "dialogue", "Select a valid choice. That choice is not one of the available choices."),
        ("kind=%3Cscript%3E", "kind", "Select a valid choice. <script> is not one of the available choices."),
    ],
)
def test_invalid_filter_value_gets_a_message_on_the_form(client, reference_archive, query, field, message):
    response = client.get(f"/en/meetings/?{query}")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(f"#id_{field}")["aria-invalid"] == "true"
    assert page.select_one(f"#id_{field}-error").get_text(strip=True) == message
    assert b"<script>" not in response.content


def test_a_meeting_links_the_sessions_before_and_after_it_and_its_dialogues_instruments(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    page = soup(client.get(url_of(meeting, "en")))
    previous = page.select_one(".sessions-nav a[rel=prev]")
    following = page.select_one(".sessions-nav a[rel=next]")
    earlier = Meeting.objects.published().filter(dialogue=meeting.dialogue, start_date__lt=meeting.start_date).latest()
    later = Meeting.objects.published().filter(dialogue=meeting.dialogue, start_date__gt=meeting.start_date).earliest()
    assert previous["href"] == url_of(earlier, "en") and following["href"] == url_of(later, "en")
    from dialogue.models import Instrument

    meeting = Meeting.objects.get(key="space-2023-01-19")  # its dialogue's instruments were signed at others
    page = soup(client.get(url_of(meeting, "en")))
    instruments = [a["href"] for a in page.select("section[aria-labelledby=dialogue-instruments-heading] a")]
    others = Instrument.objects.published().filter(dialogue=meeting.dialogue).exclude(signed_at=meeting)
    assert instruments and set(instruments) == {url_of(instrument, "en") for instrument in others}
