"""One rule of what is public, in every output: drafts and withdrawn items nowhere, a scheduled item at its time."""

import datetime
import json
from unittest import mock

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar

from dialogue.models import Dialogue
from editorial.models import Status
from tests import factories
from tests.archive.open.helpers import API_LISTS, body
from tests.pages import url_of

pytestmark = pytest.mark.django_db


def everything_public(client) -> str:
    """The text of every output in English: feeds, calendar, sitemaps, API lists, downloads."""
    texts = []
    for url in (
        "/en/press-releases/feed.atom",
        "/en/meetings/feed.atom",
        "/en/dialogues/comprehensive-space-dialogue/feed.atom",
    ):
        texts += [entry.id + entry.title for entry in feedparser.parse(client.get(url).content).entries]
    calendar = Calendar.from_ical(client.get("/en/meetings/calendar.ics").content)
    texts += [str(event["UID"]) + str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    for section in ("meetings", "instruments", "press-releases", "people"):
        texts.append(client.get(f"/sitemap-{section}.xml").content.decode())
    for kind in API_LISTS:
        texts.append(client.get(f"/api/v1/{kind}?limit=100").content.decode())
    for url in ("/en/meetings/export.csv", "/en/instruments/export.json"):
        texts.append(body(client.get(url)).decode())
    return "\n".join(texts)


def test_a_scheduled_item_appears_everywhere_at_its_time_and_drafts_never(client, reference_archive):
    space = Dialogue.objects.get(key="space")
    soon = timezone.now() + datetime.timedelta(hours=1)
    person = factories.person(given_name="Ayumi", family_name="Schedule")
    meeting = factories.meeting(space, title_en="Scheduled session", publish_at=soon)
    factories.delegation(meeting, factories.party(), [person])
    release = factories.press_release(title_en="Scheduled release", publish_at=soon)
    release.dialogues.add(space)
    instrument = factories.instrument(title_en="Scheduled agreement", dialogue=space, publish_at=soon)
    draft = factories.meeting(space, title_en="Draft session", publication_status=Status.DRAFT, publish_at=None)
    withdrawn = factories.press_release(title_en="Withdrawn release", publication_status=Status.WITHDRAWN)
    scheduled = [meeting.key, release.key, instrument.key, person.key, "Scheduled session", "Scheduled release"]
    never = [draft.key, withdrawn.key, "Draft session", "Withdrawn release"]

    now = everything_public(client)
    assert [word for word in scheduled + never if word in now] == []
    assert client.get(url_of(meeting, "en") + "calendar.ics").status_code == 404
    assert client.get(f"/api/v1/people/{person.key}").status_code == 404

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        then = everything_public(client)
        assert [word for word in scheduled if word not in then] == []
        assert [word for word in never if word in then] == []
        assert client.get(url_of(meeting, "en") + "calendar.ics").status_code == 200
        assert json.loads(client.get(f"/api/v1/people/{person.key}").content)["id"] == person.key
