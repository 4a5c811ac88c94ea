"""Dialogues, organizations, people and topics: lists, and each entry's history."""

import datetime

import pytest

from dialogue.models import Dialogue, Meeting, Organization, Person, Topic
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dialogue_page_shows_the_timeline_of_its_sessions(client, reference_archive, language):
    space = Dialogue.objects.get(key="space")
    page = soup(client.get(url_of(space, language)))
    sessions = page.select("section[aria-labelledby=timeline-heading] .timeline__item")
    assert [item.select_one("time")["datetime"] for item in sessions] == ["2016-03-11", "2017-03-24", "2023-01-19"]
    first = text(sessions[0])
    assert ("1re session" if language == "fr" else "1st session") in first
    assert "Paris" in first
    listing = soup(client.get("/fr/dialogues/" if language == "fr" else "/en/dialogues/"))
    assert len(listing.select(".card-list h2 a")) == Dialogue.objects.count()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_organization_directory_groups_by_side(client, reference_archive, language):
    page = soup(client.get({"fr": "/fr/organisations/", "en": "/en/organizations/"}[language]))
    headings = [text(h2) for h2 in page.select(".side h2")]
    assert headings[:2] == (["France", "Japon"] if language == "fr" else ["France", "Japan"])
    assert len(page.select(".side li a")) == Organization.objects.published().count()


def test_organization_page_shows_its_history_of_participation(client, reference_archive):
    cnes = Organization.objects.get(key="cnes")
    page = soup(client.get(url_of(cnes, "en")))
    meetings = {a["href"] for a in page.select("section[aria-labelledby=participation-heading] a")}
    assert url_of(Meeting.objects.get(key="space-2017-03-24"), "en") in meetings
    assert page.select("section[aria-labelledby=releases-heading] li")


def test_person_page_shows_roles_and_titles_at_the_time(client, reference_archive):
    iijima = Person.objects.get(key="toshiro-iijima")
    page = soup(client.get(url_of(iijima, "fr")))
    assert text(page.select_one("h1")).endswith("Toshiro IIJIMA")
    item = text(page.select_one(".timeline__item"))
    assert "Coprésident" in item and "24 mars 2017" in item
    listing = soup(client.get("/en/people/"))
    assert "IIJIMA, Toshiro" in [text(a) for a in listing.select(".item-list a")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_topic_page_gathers_everything_on_the_topic(client, reference_archive, language):
    ssa = Topic.objects.get(key="ssa")
    page = soup(client.get(url_of(ssa, language)))
    instruments = {a["href"] for a in page.select("section[aria-labelledby=instruments-heading] a")}
    from dialogue.models import Instrument

    assert url_of(Instrument.objects.get(key="ssa-technical-arrangement-2017"), language) in instruments
    listing = soup(client.get({"fr": "/fr/themes/", "en": "/en/topics/"}[language]))
    assert len(listing.select(".card-list > li")) == Topic.objects.count()


def test_the_topic_list_counts_each_kind_of_item_on_its_own(client):
    """Counted in one query, a topic's meetings, instruments and press releases were joined together,
    a row for each meeting × instrument × press release before the count: a cube of the topic's
    items. Each kind is now counted in a subquery of its own, and the counts are the public items'."""
    from dialogue import extensions
    from editorial.batch import batch
    from tests import factories

    hidden = {"publication_status": "draft", "publish_at": None}
    with batch():
        topic = Topic.objects.create(name_fr="Espace", name_en="Space", key="space")
        dialogue = factories.dialogue()
        items = [
            *(factories.meeting(dialogue, number=n, start_date=datetime.date(2017, 3, n)) for n in range(1, 4)),
            factories.meeting(dialogue, number=9, **hidden),
            *(factories.instrument(dialogue=dialogue) for _n in range(2)),
            factories.instrument(dialogue=dialogue, **hidden),
            *(factories.press_release() for _n in range(4)),
            factories.press_release(**hidden),
        ]
        for item in items:
            item.topics.add(topic)
    counts = Topic.objects.with_counts().annotate(**extensions.annotations("topic-list"))
    assert list(counts.query.alias_map) == [Topic._meta.db_table]  # no relation joined to the topics
    assert counts.values_list("meeting_count", "instrument_count", "press_release_count").get() == (3, 2, 4)
    for language, listing in (("fr", "/fr/themes/"), ("en", "/en/topics/")):
        (card,) = soup(client.get(listing)).select(".card-list li")
        assert [int(n) for n in text(card).split() if n.isdigit()] == [3, 2, 4], language
