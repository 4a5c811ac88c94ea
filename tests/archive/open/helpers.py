"""Shared by the open archive's tests: the addresses of every output, and how to read a response."""

from archive.models import PressRelease
from dialogue.models import Dialogue, Meeting, Topic
from tests.pages import url_of

FEEDS = {
    "fr": ["/fr/communiques/flux.atom", "/fr/reunions/flux.atom"],
    "en": ["/en/press-releases/feed.atom", "/en/meetings/feed.atom"],
}
CALENDAR = {"fr": "/fr/reunions/calendrier.ics", "en": "/en/meetings/calendar.ics"}
EXPORTS = {
    "fr": [
        "/fr/reunions/export.csv",
        "/fr/reunions/export.json",
        "/fr/instruments/export.csv",
        "/fr/instruments/export.json",
    ],
    "en": [
        "/en/meetings/export.csv",
        "/en/meetings/export.json",
        "/en/instruments/export.csv",
        "/en/instruments/export.json",
    ],
}
API_LISTS = [
    "dialogues",
    "meetings",
    "instruments",
    "press-releases",
    "organizations",
    "people",
    "memberships",
    "topics",
]


def body(response) -> bytes:
    """The response's bytes, streamed or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def dialogue_feed(language, key="space"):
    return url_of(Dialogue.objects.get(key=key), language) + ("flux.atom" if language == "fr" else "feed.atom")


def topic_feed(language, key="ssa"):
    return url_of(Topic.objects.get(key=key), language) + ("flux.atom" if language == "fr" else "feed.atom")


def meeting_ics(language, key="space-2017-03-24"):
    return url_of(Meeting.objects.get(key=key), language) + ("calendrier.ics" if language == "fr" else "calendar.ics")


def citation(obj, language, format):
    return url_of(obj, language) + f"citation.{format}"


def every_output(language) -> list[str]:
    """Every address of the open archive in ``language`` (the API and the sitemaps have none)."""
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    meeting = Meeting.objects.get(key="space-2017-03-24")
    return [
        *FEEDS[language],
        dialogue_feed(language),
        topic_feed(language),
        CALENDAR[language],
        meeting_ics(language),
        *EXPORTS[language],
        citation(meeting, language, "bib"),
        citation(release, language, "json"),
    ]
