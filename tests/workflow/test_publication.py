"""What the public sees: only published items whose time has come, in a public dialogue.

Drafts, items in review, withdrawn items and items scheduled for later are absent from every
public page in both languages (lists, details, home, the archive by year, counts, the pages of
the people and organizations they involve, filter choices), and appear there once published.
Staff with the view permission preview an unpublished page under a banner, uncached and unindexed.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from archive.models import PressContact, Quotation
from dialogue.models import DelegationMember, Instrument, InstrumentRelation, InstrumentSignatory, Meeting, Topic
from editorial.batch import batch
from editorial.models import Status
from tests import factories
from tests.conftest import soup, text
from tests.pages import url_of

from .conftest import hrefs, make_user, page_text, public_url

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]
HIDDEN_STATES = ["draft", "review", "withdrawn", "scheduled"]


def hide(state) -> dict:
    """The publication fields of an item in ``state``: scheduled is published, but a month ahead."""
    if state == "scheduled":
        return {"publication_status": Status.PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(days=30)}
    return {
        "publication_status": state,
        "publish_at": None if state != "withdrawn" else factories.PUBLIC["publish_at"],
    }


@batch()
def build(state):
    """A public dialogue with public items, and one hidden meeting, instrument and press release.

    The hidden items touch everything public: the dialogue, the topic, a person and an organization,
    and the public items (an instrument signed at the public meeting, a relation, press-release links).
    They fall in 2019, a year with nothing public. Built as one edit (what derives from the records,
    the search index and who is public, is refreshed once, at its end), as the admin saves a page.
    """
    france = factories.party()
    topic = Topic.objects.create(name_fr="Espace extra-atmosphérique", name_en="Outer space", key="outer-space")
    dialogue = factories.dialogue(name_fr="Dialogue spatial", name_en="Space dialogue", key="space")
    person = factories.person(given_name="Jeanne", family_name="Témoin", party=france)
    org = factories.organization(name_fr="Agence témoin", name_en="Witness agency", key="witness", party=france)
    hidden_issuer = factories.organization(name_fr="Émetteur discret", name_en="Quiet issuer", key="quiet")

    public = SimpleNamespace(
        meeting=factories.meeting(
            dialogue, title_fr="Séance publique", title_en="Public session", start_date=datetime.date(2017, 3, 24)
        ),
        instrument=factories.instrument(
            dialogue=dialogue, title_fr="Accord public", title_en="Public agreement", key="public-agreement"
        ),
        release=factories.press_release(
            title_fr="Communiqué public", title_en="Public release", date=datetime.date(2017, 5, 1)
        ),
    )
    hidden = SimpleNamespace(
        meeting=factories.meeting(
            dialogue,
            title_fr="Séance cachée",
            title_en="Hidden session",
            start_date=datetime.date(2019, 5, 1),
            **hide(state),
        ),
        instrument=factories.instrument(
            dialogue=dialogue,
            title_fr="Accord caché",
            title_en="Hidden agreement",
            signed_on=datetime.date(2019, 6, 1),
            signed_at=public.meeting,
            key="hidden-agreement",
            **hide(state),
        ),
        release=factories.press_release(
            title_fr="Communiqué caché", title_en="Hidden release", date=datetime.date(2019, 7, 1), **hide(state)
        ),
    )
    for item in (*vars(public).values(), *vars(hidden).values()):
        item.topics.add(topic)
    for meeting in (public.meeting, hidden.meeting):
        delegation = factories.delegation(meeting, france)
        delegation.organizations.add(org)
        DelegationMember.objects.create(delegation=delegation, person=person, organization=org, order=1)
    for instrument in (public.instrument, hidden.instrument):
        InstrumentSignatory.objects.create(instrument=instrument, party=france, person=person, organization=org)
    public.instrument.signed_at = hidden.meeting
    public.instrument.save()
    InstrumentRelation.objects.create(source=public.instrument, kind="implements", target=hidden.instrument)
    public.release.issuers.add(org)
    public.release.dialogues.add(dialogue)
    public.release.meetings.add(hidden.meeting)
    public.release.instruments.add(hidden.instrument)
    hidden.release.issuers.add(org, hidden_issuer)
    hidden.release.dialogues.add(dialogue)
    hidden.release.meetings.add(public.meeting)
    hidden.release.instruments.add(public.instrument)
    Quotation.objects.create(press_release=hidden.release, speaker=person, text_fr="Oui.", text_en="Yes.", order=1)
    PressContact.objects.create(press_release=hidden.release, person=person, email="presse@example.org", order=1)
    return SimpleNamespace(
        state=state,
        topic=topic,
        dialogue=dialogue,
        person=person,
        org=org,
        hidden_issuer=hidden_issuer,
        public=public,
        hidden=hidden,
    )


def publish_all(world):
    for item in vars(world.hidden).values():
        item.publication_status = Status.PUBLISHED
        item.publish_at = timezone.now() - datetime.timedelta(minutes=1)
        item.save()


def listing_pages(world, language):
    """{page address: (the hidden items it would show were they public, the public items it shows)}."""
    m, i, r = world.hidden.meeting, world.hidden.instrument, world.hidden.release
    pm, pi, pr = world.public.meeting, world.public.instrument, world.public.release
    return {
        public_url("archive:home", language): ([m, r], [pm, pr]),
        public_url("dialogue:meeting-list", language): ([m], [pm]),
        public_url("dialogue:instrument-list", language): ([i], [pi]),
        public_url("archive:press-release-list", language): ([r], [pr]),
        url_of(world.dialogue, language): ([m, i, r], [pm, pi, pr]),
        url_of(world.topic, language): ([m, i, r], [pm, pi, pr]),
        url_of(world.person, language): ([m, i, r], [pm, pi]),
        url_of(world.org, language): ([m, i, r], [pm, pi, pr]),
        public_url("archive:year-detail", language, year=2017): ([], [pm, pi, pr]),
        url_of(pm, language): ([i, r], []),
        url_of(pi, language): ([m, i, r], []),
        url_of(pr, language): ([m, i], []),
    }


def shows(response, item, language) -> bool:
    title = getattr(item, f"title_{language}")
    return url_of(item, language) in hrefs(response) or title in page_text(response)


def numbers(element) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text(element))]


def dialogue_card(response, world, language):
    for card in soup(response).select(".card-list li"):
        if card.select_one(f"a[href='{url_of(world.dialogue, language)}']"):
            return card
    raise AssertionError("the dialogue is not listed")


def year_rows(response) -> dict[int, list[int]]:
    return {int(text(row.select_one("th"))): numbers(row)[1:] for row in soup(response).select("table tbody tr")}


def issuer_choices(response) -> list[str]:
    return [option["value"] for option in soup(response).select("select[name=issuer] option") if option["value"]]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_items_appear_on_no_public_page(client, state, language):
    world = build(state)
    for url, (hidden, public) in listing_pages(world, language).items():
        response = client.get(url)
        assert response.status_code == 200, url
        for item in hidden:
            assert not shows(response, item, language), f"{item} shows on {url}"
        for item in public:  # the page lists what it should: the test would notice an empty page
            assert shows(response, item, language), f"{item} missing from {url}"
    for item in vars(world.hidden).values():
        assert client.get(url_of(item, language)).status_code == 404, item


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_the_same_items_appear_everywhere_once_published(client, state, language):
    world = build(state)
    publish_all(world)
    for url, (hidden, public) in listing_pages(world, language).items():
        response = client.get(url)
        assert response.status_code == 200, url
        for item in [*hidden, *public]:
            assert shows(response, item, language), f"{item} missing from {url}"
    for item in vars(world.hidden).values():
        response = client.get(url_of(item, language))
        assert response.status_code == 200, item
        assert not soup(response).select(".preview-banner")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_counts_and_years_leave_hidden_items_out(client, state, language):
    world = build(state)

    years = year_rows(client.get(public_url("archive:year-index", language)))
    assert years == {2017: [1, 1, 1]}  # meetings, instrument milestones, press releases
    assert client.get(public_url("archive:year-detail", language, year=2019)).status_code == 404
    year_2017 = client.get(public_url("archive:year-detail", language, year=2017))
    assert "/2019/" not in " ".join(hrefs(year_2017)), "a link to a year with nothing public"

    card = dialogue_card(client.get(public_url("dialogue:dialogue-list", language)), world, language)
    assert numbers(card)[0] == 1, text(card)  # 1 meeting (the hidden one is not counted)
    assert "2019" not in text(card)  # nor in the first–last span
    home_card = dialogue_card(client.get(public_url("archive:home", language)), world, language)
    assert numbers(home_card) == [1]

    topics = soup(client.get(public_url("dialogue:topic-list", language)))
    (topic_card,) = topics.select(".card-list li")
    assert numbers(topic_card) == [1, 1, 1]

    releases = client.get(public_url("archive:press-release-list", language))
    assert world.hidden_issuer.key not in issuer_choices(releases)
    assert world.org.key in issuer_choices(releases)

    publish_all(world)
    assert year_rows(client.get(public_url("archive:year-index", language))) == {2019: [1, 1, 1], 2017: [1, 1, 1]}
    year_2019 = client.get(public_url("archive:year-detail", language, year=2019))
    assert year_2019.status_code == 200
    for item in vars(world.hidden).values():
        assert shows(year_2019, item, language)
    card = dialogue_card(client.get(public_url("dialogue:dialogue-list", language)), world, language)
    assert numbers(card)[0] == 2
    (topic_card,) = soup(client.get(public_url("dialogue:topic-list", language))).select(".card-list li")
    assert numbers(topic_card) == [2, 2, 2]
    assert world.hidden_issuer.key in issuer_choices(client.get(public_url("archive:press-release-list", language)))


def test_a_scheduled_item_goes_public_when_its_time_comes(db):
    meeting = factories.meeting(**hide("scheduled"))
    assert not meeting.is_public()
    assert meeting.is_scheduled
    later = meeting.publish_at + datetime.timedelta(seconds=1)
    assert meeting.is_public(now=later)
    assert list(Meeting.objects.published(now=later)) == [meeting]
    assert meeting.public_since() == meeting.publish_at


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_items_of_an_unpublished_dialogue_are_hidden(client, state, language):
    """A published meeting or instrument is public only while its dialogue is."""
    dialogue = factories.dialogue(name_fr="Dialogue caché", name_en="Hidden dialogue", key="hidden", **hide(state))
    topic = Topic.objects.create(name_fr="Climat", name_en="Climate", key="climate")
    meeting = factories.meeting(
        dialogue, title_fr="Séance publiée", title_en="Published session", start_date=datetime.date(2018, 2, 1)
    )
    instrument = factories.instrument(
        dialogue=dialogue,
        title_fr="Accord publié",
        title_en="Published agreement",
        signed_on=datetime.date(2018, 3, 1),
    )
    release = factories.press_release(date=datetime.date(2016, 1, 1))  # public, but about the hidden dialogue
    release.dialogues.add(dialogue)
    release.meetings.add(meeting)
    release.instruments.add(instrument)
    for item in (dialogue, meeting, instrument):
        item.topics.add(topic)
    other = factories.dialogue(key="public-one")  # so that the filter has a choice at all

    assert not meeting.is_public() and not instrument.is_public()
    # Public from when both the meeting and its dialogue are: never while the dialogue is not published.
    assert meeting.public_since() == (dialogue.publish_at if state == "scheduled" else None)
    for item in (dialogue, meeting, instrument):
        assert client.get(url_of(item, language)).status_code == 404
    pages = [
        public_url("archive:home", language),
        public_url("dialogue:dialogue-list", language),
        public_url("dialogue:meeting-list", language),
        public_url("dialogue:instrument-list", language),
        url_of(topic, language),
        url_of(release, language),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        for item in (dialogue, meeting, instrument):
            assert url_of(item, language) not in hrefs(response), (item, url)
    assert year_rows(client.get(public_url("archive:year-index", language))) == {2016: [0, 0, 1]}
    assert client.get(public_url("archive:year-detail", language, year=2018)).status_code == 404
    (topic_card,) = soup(client.get(public_url("dialogue:topic-list", language))).select(".card-list li")
    assert numbers(topic_card) == [0, 0, 0]
    for url in (public_url("dialogue:meeting-list", language), public_url("dialogue:instrument-list", language)):
        choices = [o["value"] for o in soup(client.get(url)).select("select[name=dialogue] option") if o["value"]]
        assert choices == [other.key], url

    dialogue.publication_status, dialogue.publish_at = Status.PUBLISHED, factories.PUBLIC["publish_at"]
    dialogue.save()
    for item in (dialogue, meeting, instrument):
        assert client.get(url_of(item, language)).status_code == 200
    assert url_of(meeting, language) in hrefs(client.get(public_url("dialogue:meeting-list", language)))


# Preview ------------------------------------------------------------------------------------


def hidden_items(state):
    dialogue = factories.dialogue(**hide(state))
    return {
        "dialogue": dialogue,
        "meeting": factories.meeting(dialogue, **hide(state)),
        "instrument": factories.instrument(**hide(state)),
        "press release": factories.press_release(**hide(state)),
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_staff_preview_an_unpublished_item_under_a_banner(client, state, language):
    viewer = make_user("relectrice")
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    for kind, item in hidden_items(state).items():
        response = client.get(url_of(item, language))
        assert response.status_code == 200, kind
        banner = soup(response).select_one(".preview-banner")
        assert banner is not None, kind
        assert banner.select_one(
            f"a[href='/{language}/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/change/']"
        )
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]
        if state == "scheduled":
            assert str(item.publish_at.astimezone(timezone.get_current_timezone()).year) in text(banner)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_public_page_seen_by_staff_is_no_preview(client, language):
    viewer = make_user("relectrice")
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    response = client.get(url_of(factories.meeting(), language))
    assert response.status_code == 200
    assert not soup(response).select(".preview-banner")
    assert "X-Robots-Tag" not in response


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", ["anonymous", "staff without view permission", "non-staff with permission"])
def test_everyone_else_gets_404_for_an_unpublished_item(client, who, language):
    if who != "anonymous":
        user = make_user("curieux", is_staff=who.startswith("staff"))
        if who.startswith("non-staff"):
            user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
        client.force_login(user)
    for kind, item in hidden_items("draft").items():
        response = client.get(url_of(item, language))
        assert response.status_code == 404, kind
        assert not soup(response).select(".preview-banner")


def test_a_staff_member_may_preview_only_the_kinds_they_may_view(client):
    viewer = make_user("relectrice")
    viewer.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    client.force_login(viewer)
    items = hidden_items("draft")
    assert client.get(url_of(items["meeting"], "en")).status_code == 200
    assert client.get(url_of(items["instrument"], "en")).status_code == 404
    assert client.get(url_of(items["press release"], "en")).status_code == 404


def test_related_rows_of_an_instrument_stay_hidden_in_its_preview(client):
    """Previewing a draft shows the draft, not the other unpublished items around it."""
    viewer = make_user("relectrice")
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    draft = factories.instrument(**hide("draft"))
    other_draft = factories.instrument(title_en="Another draft", **hide("draft"))
    InstrumentRelation.objects.create(source=draft, kind="amends", target=other_draft)
    response = client.get(url_of(draft, "en"))
    assert response.status_code == 200
    assert url_of(other_draft, "en") not in hrefs(response)
    assert Instrument.objects.published().count() == 0
