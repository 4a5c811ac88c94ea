"""Atom feeds, read by feedparser: per language, stable ids, advertised in <head>, only public items."""

import datetime

import feedparser
import pytest

from archive.models import PressRelease
from dialogue.models import Dialogue, Meeting, Topic
from editorial.models import Status
from tests import factories
from tests.archive.open.helpers import FEEDS, dialogue_feed, topic_feed
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db

PRESS = {"fr": "/fr/communiques/flux.atom", "en": "/en/press-releases/feed.atom"}
MEETINGS = {"fr": "/fr/reunions/flux.atom", "en": "/en/meetings/feed.atom"}
LISTS = {"fr": ("/fr/communiques/", "/fr/reunions/"), "en": ("/en/press-releases/", "/en/meetings/")}


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    assert not response.cookies
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("language", ["fr", "en"])
def test_press_release_feed_has_every_public_release_in_the_language(client, reference_archive, language):
    feed = read(client, PRESS[language])
    assert feed.version == "atom10"
    assert feed.feed.language == language
    releases = PressRelease.objects.published().order_by("-date")
    assert len(feed.entries) == releases.count()
    newest = feed.entries[0]
    release = releases.first()
    assert newest.title == getattr(release, f"title_{language}")
    assert newest.link == f"http://testserver{url_of(release, language)}"
    assert newest.id == f"tag:testserver,2017:press-release/{release.key}:{language}"
    assert newest.published[:10] == release.date.isoformat()  # midnight of its day, in the site's time zone
    assert newest.updated_parsed is not None
    assert newest.summary
    # the feed links to itself and to the same feed in the other language
    links = {(link.rel, link.get("hreflang")): link.href for link in feed.feed.links}
    assert links[("self", None)].endswith(PRESS[language])
    other = "en" if language == "fr" else "fr"
    assert links[("alternate", other)].endswith(PRESS[other])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_meeting_feed_entries_carry_title_summary_date_and_link(client, reference_archive, language):
    feed = read(client, MEETINGS[language])
    meeting = Meeting.objects.get(key="space-2017-03-24")
    entry = next(e for e in feed.entries if e.id.endswith(f"meeting/{meeting.key}:{language}"))
    expected = {
        "fr": "2e session du Dialogue global sur l’espace",
        "en": "2nd session of the Comprehensive Space Dialogue",
    }
    assert entry.title == expected[language]
    assert entry.link.endswith(url_of(meeting, language))
    assert entry.published.startswith("2017-03-24T00:00:00")
    assert ("Tokyo" in entry.summary) and ("24" in entry.summary)
    assert {tag.term for tag in entry.tags} >= {
        Dialogue.objects.get(key="space").name_en if language == "en" else "Dialogue global sur l’espace"
    }


def test_an_entry_keeps_its_id_when_its_title_is_edited(client, reference_archive):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    before = {entry.link: entry.id for entry in read(client, PRESS["en"]).entries}
    release.title_en = "A corrected title"
    release.slug_en = ""
    release.save()
    after = read(client, PRESS["en"]).entries
    entry = next(entry for entry in after if entry.title == "A corrected title")
    assert entry.id in before.values()
    assert entry.link not in before  # the slug, and so the link, followed the title; the id did not


def test_an_entry_in_the_other_language_says_so(client, reference_archive):
    PressRelease.objects.filter(key="cnes-pr051-2016").update(title_en="")
    feed = read(client, PRESS["en"])
    entry = next(entry for entry in feed.entries if entry.id.endswith("cnes-pr051-2016:en"))
    assert entry.title == PressRelease.objects.get(key="cnes-pr051-2016").title_fr
    assert entry.title_detail.language == "fr"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dialogue_feed_mixes_its_meetings_instruments_and_press_releases(client, reference_archive, language):
    feed = read(client, dialogue_feed(language))
    kinds = {entry.id.split(":")[2].split("/")[0] for entry in feed.entries}
    assert kinds == {"meeting", "instrument", "press-release"}
    space_meetings = Meeting.objects.published().filter(dialogue__key="space").count()
    assert sum(1 for entry in feed.entries if "meeting/" in entry.id) == space_meetings
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.feed.title.startswith("Dialogue global" if language == "fr" else "Comprehensive Space Dialogue")


def test_topic_feed_holds_what_is_filed_under_it(client, reference_archive):
    feed = read(client, topic_feed("en"))
    ssa = Topic.objects.get(key="ssa")
    expected = ssa.meetings.count() + ssa.instruments.count() + ssa.press_releases.count()
    assert len(feed.entries) == expected > 0


def test_a_feed_by_the_other_language_slug_redirects(client, reference_archive):
    space = Dialogue.objects.get(key="space")
    response = client.get(f"/en/dialogues/{space.slug_fr}/feed.atom")
    assert (response.status_code, response["Location"]) == (301, dialogue_feed("en"))
    assert client.get("/en/dialogues/no-such-dialogue/feed.atom").status_code == 404


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_with_a_feed_advertise_it_in_head(client, reference_archive, language):
    pages = {
        LISTS[language][0]: [PRESS[language]],
        LISTS[language][1]: [MEETINGS[language]],
        f"/{language}/": [PRESS[language], MEETINGS[language]],
        url_of(Dialogue.objects.get(key="space"), language): [dialogue_feed(language)],
        url_of(Topic.objects.get(key="ssa"), language): [topic_feed(language)],
    }
    for page_url, feeds in pages.items():
        page = soup(client.get(page_url))
        links = page.select('head link[rel=alternate][type="application/atom+xml"]')
        assert [link["href"] for link in links] == feeds, page_url
        for link in links:
            assert link["hreflang"] == language
            assert link["title"]
            assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("language", ["fr", "en"])
def test_lists_show_a_follow_link(client, reference_archive, language):
    label = {"fr": "Suivre :", "en": "Follow:"}[language]
    for page_url, feed in zip(LISTS[language], FEEDS[language], strict=True):
        page = soup(client.get(page_url))
        follow = page.select_one(".follow")
        assert text(follow.select_one(".follow__label")) == label
        assert feed in [a["href"] for a in follow.select("a[type='application/atom+xml']")]


def test_drafts_withdrawn_and_scheduled_items_are_in_no_feed(client, reference_archive):
    space = Dialogue.objects.get(key="space")
    ssa = Topic.objects.get(key="ssa")
    future = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    hidden = [
        factories.press_release(title_en="Draft release", publication_status=Status.DRAFT, publish_at=None),
        factories.press_release(title_en="Withdrawn release", publication_status=Status.WITHDRAWN),
        factories.press_release(title_en="Scheduled release", publish_at=future),
        factories.meeting(space, title_en="Draft meeting", publication_status=Status.DRAFT, publish_at=None),
        factories.meeting(
            space, title_en="Scheduled meeting", start_date=datetime.date(2030, 1, 1), publish_at=future
        ),
        factories.instrument(title_en="Withdrawn instrument", dialogue=space, publication_status=Status.WITHDRAWN),
    ]
    for item in hidden:
        item.topics.add(ssa)
        if isinstance(item, PressRelease):
            item.dialogues.add(space)
    titles = set()
    for url in [*FEEDS["en"], dialogue_feed("en"), topic_feed("en")]:
        titles |= {entry.title for entry in read(client, url).entries}
    assert (
        not {"Draft release", "Withdrawn release", "Scheduled release", "Draft meeting", "Scheduled meeting"} & titles
    )
    assert "Withdrawn instrument" not in titles
