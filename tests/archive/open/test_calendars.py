"""iCalendar files, read by the icalendar package: all-day events with place, dialogue, page and a stable UID."""

import datetime

import pytest
from icalendar import Calendar

from dialogue.models import Dialogue, Meeting
from editorial.models import Status
from tests import factories
from tests.archive.open.helpers import CALENDAR, meeting_ics
from tests.conftest import soup
from tests.pages import url_of

pytestmark = pytest.mark.django_db


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert not response.cookies
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_meeting_is_an_all_day_event(client, reference_archive, language):
    calendar = read(client, CALENDAR[language])
    found = events(calendar)
    assert len(found) == Meeting.objects.published().count()
    event = found["meeting-space-2017-03-24@testserver"]
    assert event.decoded("DTSTART") == datetime.date(2017, 3, 24)  # a date: all day, no time known
    assert event.decoded("DTEND") == datetime.date(2017, 3, 25)  # the day after the last, as RFC 5545 says
    assert str(event["LOCATION"]) == "Tokyo"
    assert str(event["URL"]) == f"http://testserver{url_of(Meeting.objects.get(key='space-2017-03-24'), language)}"
    dialogue = getattr(Dialogue.objects.get(key="space"), f"name_{language}")
    assert [str(category) for category in event["CATEGORIES"].cats] == [dialogue]
    assert dialogue in str(event["DESCRIPTION"])
    assert event["SUMMARY"].params["LANGUAGE"] == language
    summary = {
        "fr": "2e session du Dialogue global sur l’espace",
        "en": "2nd session of the Comprehensive Space Dialogue",
    }
    assert str(event["SUMMARY"]) == summary[language]


def test_a_meeting_over_several_days_ends_after_its_last(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2023-01-19")
    event = events(read(client, CALENDAR["en"]))[f"meeting-{meeting.key}@testserver"]
    assert event.decoded("DTSTART") == meeting.start_date
    assert event.decoded("DTEND") == (meeting.end_date or meeting.start_date) + datetime.timedelta(days=1)


def test_the_uid_stays_when_the_meeting_is_edited(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    before = set(events(read(client, CALENDAR["en"])))
    meeting.title_en, meeting.slug_en, meeting.city_en = "Renamed session", "", "Kyoto"
    meeting.save()
    after = events(read(client, CALENDAR["en"]))
    assert set(after) == before
    assert str(after["meeting-space-2017-03-24@testserver"]["SUMMARY"]) == "Renamed session"


def test_the_calendar_takes_the_meeting_list_filters(client, reference_archive):
    found = events(read(client, CALENDAR["en"] + "?dialogue=two-plus-two"))
    assert set(found) == {"meeting-two-plus-two-2023-05-09@testserver"}
    assert set(events(read(client, CALENDAR["en"] + "?year=2017"))) == {"meeting-space-2017-03-24@testserver"}
    response = client.get(CALENDAR["en"] + "?year=abc")
    assert response.status_code == 400
    assert "year" in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_one_meeting_has_its_own_file(client, reference_archive, language):
    calendar = read(client, meeting_ics(language))
    assert set(events(calendar)) == {"meeting-space-2017-03-24@testserver"}
    response = client.get(meeting_ics(language))
    assert response["Content-Disposition"] == 'inline; filename="space-2017-03-24.ics"'


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_meeting_list_and_dialogue_pages_advertise_a_calendar(client, reference_archive, language):
    space = Dialogue.objects.get(key="space")
    for page_url, expected in [
        ({"fr": "/fr/reunions/", "en": "/en/meetings/"}[language], CALENDAR[language]),
        (url_of(space, language), f"{CALENDAR[language]}?dialogue=space"),
        (url_of(Meeting.objects.get(key="space-2017-03-24"), language), meeting_ics(language)),
    ]:
        page = soup(client.get(page_url))
        links = [link["href"] for link in page.select('head link[rel=alternate][type="text/calendar"]')]
        assert links == [expected], page_url
        assert page.select_one(f'.follow a[href="{expected}"]') is not None
        assert client.get(expected).status_code == 200


def test_unpublished_meetings_are_in_no_calendar(client, reference_archive):
    space = Dialogue.objects.get(key="space")
    draft = factories.meeting(space, publication_status=Status.DRAFT, publish_at=None)
    withdrawn = factories.meeting(space, start_date=datetime.date(2018, 1, 1), publication_status=Status.WITHDRAWN)
    scheduled = factories.meeting(
        space, start_date=datetime.date(2030, 1, 1), publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    )
    found = set(events(read(client, CALENDAR["en"])))
    for meeting in (draft, withdrawn, scheduled):
        assert f"meeting-{meeting.key}@testserver" not in found
        assert client.get(url_of(meeting, "en") + "calendar.ics").status_code == 404
