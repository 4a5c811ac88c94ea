"""The home page: latest press releases, recent and upcoming meetings, the dialogues."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db


def test_root_sends_the_reader_to_the_language_their_browser_asks_for(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert (response.status_code, response["Location"]) == (302, "/en/")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response["Location"] == "/fr/"


def test_root_remembers_a_choice_made(client):
    client.get("/i18n/switch/en/", {"next": "/en/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("language", "latest", "session"),
    [("fr", "Derniers communiqués", "2e session"), ("en", "Latest press releases", "2nd session")],
)
def test_home_shows_latest_releases_meetings_and_dialogues(client, reference_archive, language, latest, session):
    page = soup(client.get(f"/{language}/"))
    assert page.select_one("html")["lang"] == language
    assert page.select_one("#releases-heading").get_text(strip=True) == latest
    releases = page.select("#releases-heading ~ ul li a")
    assert len(releases) == 5
    meetings = [link.get_text(strip=True) for link in page.select("section[aria-labelledby=meetings-heading] li a")]
    assert any(title.startswith(session) for title in meetings), meetings
    dialogues = page.select("#dialogues-heading ~ ul li a")
    assert len(dialogues) == 6


def test_an_upcoming_meeting_is_announced(client, reference_archive):
    factories.meeting(
        title_en="Next session",
        title_fr="Prochaine session",
        start_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    page = soup(client.get("/en/"))
    upcoming = page.select_one("section[aria-labelledby=meetings-heading] ul")
    assert [a.get_text(strip=True) for a in upcoming.select("a")] == ["Next session"]


def test_home_runs_the_same_queries_whatever_the_archive_size(client, reference_archive):
    with CaptureQueriesContext(connection) as before:
        client.get("/en/")
    dialogue = factories.dialogue()
    for number in range(1, 51):
        factories.meeting(dialogue, number=number)
        factories.press_release()
    with CaptureQueriesContext(connection) as after:
        client.get("/en/")
    assert len(after) == len(before)
