"""Actions on a selection: publish and withdraw (refused items reported), and a meeting's next session."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from archive.models import PressRelease
from dialogue.models import Delegation, DelegationMember, Dialogue, Instrument, Meeting, Topic
from editorial.models import Status
from tests import factories
from tests.admin_forms import form_data
from tests.conftest import soup
from tests.pages import url_of

from .conftest import admin_url, messages_of

pytestmark = pytest.mark.django_db

BUILDERS = {
    Meeting: lambda **f: factories.meeting(**{"title_fr": "Séance", "title_en": "Session", **f}),
    Instrument: factories.instrument,
    PressRelease: factories.press_release,
    Dialogue: factories.dialogue,
}
NAMES = {Meeting: "title", Instrument: "title", PressRelease: "title", Dialogue: "name"}
MODELS = list(BUILDERS)


def act(client, model, action, items):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [item.pk for item in items]},
        follow=True,
    )


def draft(model, **fields):
    return BUILDERS[model](publication_status=Status.DRAFT, publish_at=None, **fields)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_publishing_a_selection_publishes_the_complete_items_and_reports_the_others(publisher, model):
    name = NAMES[model]
    ready = [draft(model), draft(model)]
    incomplete = draft(model, **{f"{name}_fr": "Seulement en français", f"{name}_en": ""})
    untouched = draft(model)
    before = timezone.now()

    response = act(publisher, model, "publish_selected", [*ready, incomplete])

    shown = messages_of(response)
    assert "2 items published." in shown
    refused = [m for m in shown if m.startswith("Seulement en français:")]
    assert refused == [
        "Seulement en français: This item cannot be published: its text is missing in English. "
        "Complete the translation, or record an exception to publish it in one language only."
    ]
    assert soup(response).select_one("ul.messagelist li.error")
    for item in ready:
        item.refresh_from_db()
        assert item.publication_status == Status.PUBLISHED
        assert before <= item.publish_at <= timezone.now()
        assert item.is_public()
    for item in (incomplete, untouched):
        item.refresh_from_db()
        assert (item.publication_status, item.publish_at) == (Status.DRAFT, None)


def test_publishing_keeps_a_scheduled_time(publisher):
    later = timezone.now() + datetime.timedelta(days=7)
    meeting = factories.meeting(
        title_fr="Séance", title_en="Session", publication_status=Status.REVIEW, publish_at=later
    )
    act(publisher, Meeting, "publish_selected", [meeting])
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.PUBLISHED and meeting.publish_at == later
    assert meeting.is_scheduled and not meeting.is_public()


def test_an_item_with_a_one_language_exception_is_published(publisher):
    instrument = draft(Instrument, title_en="", single_language=True, single_language_reason="French text only.")
    response = act(publisher, Instrument, "publish_selected", [instrument])
    assert "1 item published." in messages_of(response)
    instrument.refresh_from_db()
    assert instrument.is_public()


def test_the_rule_off_lets_every_item_through(publisher, settings):
    settings.PUBLICATION_REQUIRES_ALL_LANGUAGES = False
    instrument = draft(Instrument, title_en="")
    assert "1 item published." in messages_of(act(publisher, Instrument, "publish_selected", [instrument]))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_withdrawing_a_selection_takes_it_off_the_site(publisher, model):
    visitor = Client()
    items = [BUILDERS[model](), BUILDERS[model]()]
    kept = BUILDERS[model]()
    response = act(publisher, model, "withdraw_selected", items)
    assert "2 items withdrawn." in messages_of(response)
    for item in items:
        item.refresh_from_db()
        assert item.publication_status == Status.WITHDRAWN
        assert visitor.get(url_of(item, "fr")).status_code == 404
    kept.refresh_from_db()
    assert kept.publication_status == Status.PUBLISHED
    assert set(model.objects.published()) == {kept}


def test_a_withdrawn_item_can_be_published_again(publisher):
    meeting = BUILDERS[Meeting](publication_status=Status.WITHDRAWN)
    act(publisher, Meeting, "publish_selected", [meeting])
    meeting.refresh_from_db()
    assert meeting.is_public()


def test_the_changelist_shows_the_publication_of_each_item(publisher):
    BUILDERS[Meeting](title_en="Public one")
    draft(Meeting, title_en="Draft one")
    page = soup(publisher.get(admin_url(Meeting, "changelist")))
    states = {" ".join(span["class"]) for span in page.select("#result_list .publication")}
    assert states == {"publication publication--published", "publication publication--draft"}
    filtered = soup(publisher.get(admin_url(Meeting, "changelist") + "?publication_status__exact=draft"))
    assert len(filtered.select("#result_list tbody tr")) == 1


# Duplicate a meeting as its next session --------------------------------------------------------


@pytest.fixture
def third_session(db):
    france, japan = factories.party(), factories.japan()
    dialogue = factories.dialogue()
    meeting = factories.meeting(
        dialogue,
        number=3,
        kind="plenary",
        host=france,
        title_fr="Troisième séance",
        title_en="Third session",
        start_date=datetime.date(2023, 5, 16),
        end_date=datetime.date(2023, 5, 17),
        summary_fr="<p>Compte rendu.</p>",
        summary_en="<p>Minutes.</p>",
    )
    topic = Topic.objects.create(name_fr="Espace", name_en="Space", key="space")
    meeting.topics.add(topic)
    org = factories.organization()
    french = factories.delegation(meeting, france, members=[factories.person(), factories.person()])
    french.organizations.add(org)
    french.note_fr, french.note_en = "Note", "Note"
    french.save()
    member = french.members.first()
    member.title_fr, member.title_en, member.role, member.organization = "directeur", "director", "head", org
    member.save()
    factories.delegation(meeting, japan, members=[factories.person()])
    return meeting


def test_duplicating_prepares_the_next_session_as_a_draft(editor_role, third_session):
    response = act(editor_role, Meeting, "duplicate_as_next_session", [third_session])
    copy = Meeting.objects.get(dialogue=third_session.dialogue, number=4)
    assert response.redirect_chain[-1][0] == admin_url(copy, "change")
    assert "Next session created as a draft: check its dates and place." in messages_of(response)

    assert copy.publication_status == Status.DRAFT and copy.publish_at is None and not copy.is_public()
    assert copy.host.code == "JP"  # the other side hosts
    assert copy.kind == third_session.kind
    assert copy.start_date == datetime.date(2024, 5, 16)
    assert list(copy.topics.all()) == list(third_session.topics.all())
    assert not copy.summary_fr and not copy.title_fr  # the new session's own texts are still to write
    assert copy.slug_en and copy.slug_en != third_session.slug_en

    def delegations(meeting):
        return [
            (
                d.party.code,
                d.note_fr,
                sorted(o.pk for o in d.organizations.all()),
                [
                    (m.person_id, m.role, m.title_fr, m.title_en, m.organization_id, m.order)
                    for m in d.members.order_by("order")
                ],
            )
            for d in meeting.delegations.order_by("party__order")
        ]

    assert delegations(copy) == delegations(third_session)
    assert Delegation.objects.filter(meeting=copy).count() == 2
    assert DelegationMember.objects.filter(delegation__meeting=third_session).count() == 3  # the original untouched

    entry = LogEntry.objects.get(action_flag=ADDITION, object_id=str(copy.pk))
    assert entry.user == editor_role.user
    assert Version.objects.get_for_object(copy).first().revision.user == editor_role.user


def test_the_first_version_of_the_new_session_holds_its_delegations_and_members(publisher, third_session):
    """Reverting the new session to the version the duplication made keeps what it copied."""
    act(publisher, Meeting, "duplicate_as_next_session", [third_session])
    copy = Meeting.objects.get(number=4)
    version = Version.objects.get_for_object(copy).get()
    saved = sorted(v.content_type.model for v in version.revision.version_set.all())
    assert saved == ["delegation", "delegation", "delegationmember", "delegationmember", "delegationmember", "meeting"]
    url = admin_url(copy, "revision", copy.pk, version.pk)
    response = publisher.post(url, form_data(publisher.get(url), "form#meeting_form"))
    assert response.status_code == 302
    assert DelegationMember.objects.filter(delegation__meeting=copy).count() == 3


def test_the_host_alternates_back(editor_role, third_session):
    act(editor_role, Meeting, "duplicate_as_next_session", [third_session])
    fourth = Meeting.objects.get(number=4)
    act(editor_role, Meeting, "duplicate_as_next_session", [fourth])
    assert Meeting.objects.get(number=5).host.code == "FR"


def test_a_session_already_followed_is_not_duplicated(editor_role, third_session):
    factories.meeting(third_session.dialogue, number=4)
    response = act(editor_role, Meeting, "duplicate_as_next_session", [third_session])
    assert any("already has a session number 4" in m for m in messages_of(response))
    assert Meeting.objects.filter(dialogue=third_session.dialogue).count() == 2


def test_an_unnumbered_meeting_is_not_duplicated(editor_role):
    meeting = factories.meeting(number=None)
    response = act(editor_role, Meeting, "duplicate_as_next_session", [meeting])
    assert any("Only a numbered session can be duplicated" in m for m in messages_of(response))
    assert Meeting.objects.count() == 1


def test_several_sessions_duplicated_at_once(editor_role, third_session):
    other = factories.meeting(number=1, host=factories.japan())
    response = act(editor_role, Meeting, "duplicate_as_next_session", [third_session, other])
    assert "2 next sessions created as drafts." in messages_of(response)
    assert Meeting.objects.filter(number=4, dialogue=third_session.dialogue).exists()
    assert Meeting.objects.get(number=2, dialogue=other.dialogue).host.code == "FR"


def test_a_29_february_session_is_followed_on_28_february(editor_role):
    meeting = factories.meeting(number=1, start_date=datetime.date(2024, 2, 29))
    act(editor_role, Meeting, "duplicate_as_next_session", [meeting])
    assert Meeting.objects.get(number=2).start_date == datetime.date(2025, 2, 28)


def test_a_translator_cannot_duplicate(translator, third_session):
    response = act(translator, Meeting, "duplicate_as_next_session", [third_session])
    assert "No action selected." in messages_of(response)
    assert Meeting.objects.count() == 1
