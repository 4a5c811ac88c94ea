"""The three roles: Editors write, Translators translate, Publishers publish; every action is on record.

The groups exist after ``migrate`` with exactly their permissions. An editor cannot publish,
through the form or an action; a publisher can. A translator sees every field but the texts
read-only, cannot change them by posting anyway, and cannot add or delete. Each admin action
leaves a LogEntry and a django-reversion version carrying the user.
"""

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.utils import translation
from reversion.models import Version

from archive.models import PressRelease
from dialogue.models import Delegation, Dialogue, Instrument, Meeting
from editorial.logmessages import readable
from editorial.models import Status
from editorial.roles import EDITORS, PUBLISHERS, TRANSLATORS
from tests import factories
from tests.admin_forms import form_data
from tests.conftest import soup

from .conftest import admin_url, change_form, errors, make_user, messages_of

pytestmark = pytest.mark.django_db

CONTENT = [
    ("dialogue", name)
    for name in (
        "topic",
        "organization",
        "person",
        "dialogue",
        "meeting",
        "delegation",
        "delegationmember",
        "instrument",
        "instrumentsignatory",
        "instrumentrelation",
        "instrumentdocument",
    )
] + [("archive", name) for name in ("pressrelease", "quotation", "presscontact", "sitepage")]
PUBLISHABLE = [
    ("dialogue", "dialogue"),
    ("dialogue", "meeting"),
    ("dialogue", "instrument"),
    ("archive", "pressrelease"),
    ("archive", "sitepage"),
]


RECORDS = {
    Meeting: factories.meeting,
    Instrument: factories.instrument,
    PressRelease: factories.press_release,
    Dialogue: factories.dialogue,
    Delegation: lambda: factories.delegation(factories.meeting(), factories.party()),
}


def permissions(group_name) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def expected(group_name) -> set[str]:
    actions = {EDITORS: ("add", "change", "delete", "view"), PUBLISHERS: ("add", "change", "delete", "view")}
    wanted = {"dialogue.view_party"}
    for app, model in CONTENT:
        for action in actions.get(group_name, ("change", "view")):
            wanted.add(f"{app}.{action}_{model}")
    if group_name == PUBLISHERS:
        wanted |= {f"{app}.publish_{model}" for app, model in PUBLISHABLE}
    return wanted


# The groups ---------------------------------------------------------------------------------


@pytest.mark.parametrize("group_name", [EDITORS, TRANSLATORS, PUBLISHERS])
def test_each_group_exists_after_migrate_with_exactly_its_permissions(group_name):
    assert permissions(group_name) == expected(group_name)


def test_no_role_edits_parties_or_the_search_index():
    for group_name in (EDITORS, TRANSLATORS, PUBLISHERS):
        held = permissions(group_name)
        assert not {p for p in held if p.endswith("_party") and not p.startswith("dialogue.view_")}
        assert not {p for p in held if p.endswith("_searchentry")}


def test_only_publishers_may_publish():
    publishing = {p for group in (EDITORS, TRANSLATORS) for p in permissions(group) if ".publish_" in p}
    assert publishing == set()
    assert {p for p in permissions(PUBLISHERS) if ".publish_" in p} == {
        "dialogue.publish_dialogue",
        "dialogue.publish_meeting",
        "dialogue.publish_instrument",
        "archive.publish_pressrelease",
        "archive.publish_sitepage",
    }


def test_the_groups_come_back_in_step_after_each_migrate():
    """``post_migrate`` restores a permission taken away, and groups lost to a ``flush``."""
    Group.objects.get(name=PUBLISHERS).permissions.remove(
        *Group.objects.get(name=PUBLISHERS).permissions.filter(codename="publish_meeting")
    )
    Group.objects.get(name=TRANSLATORS).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default", apps=apps)
    assert permissions(PUBLISHERS) == expected(PUBLISHERS)
    assert permissions(TRANSLATORS) == expected(TRANSLATORS)


def test_the_groups_come_back_after_a_flush():
    """``flush`` empties the tables then sends ``post_migrate`` without ``apps``: the roles must survive it."""
    Group.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for group_name in (EDITORS, TRANSLATORS, PUBLISHERS):
        assert permissions(group_name) == expected(group_name)


# Editors --------------------------------------------------------------------------------------


def status_options(response) -> list[str]:
    return [option["value"] for option in soup(response).select("select[name=publication_status] option")]


def action_choices(response) -> list[str]:
    return [option["value"] for option in soup(response).select("select[name=action] option") if option["value"]]


@pytest.mark.parametrize("model", [Meeting, Instrument, PressRelease, Dialogue], ids=lambda m: m._meta.model_name)
def test_an_editor_may_only_choose_draft_or_review(editor_role, model):
    response = editor_role.get(admin_url(model, "add"))
    assert status_options(response) == ["draft", "review"]
    page = soup(response)
    for name in ("publish_at_0", "single_language", "single_language_reason"):
        assert page.select_one(f"[name={name}]").has_attr("disabled"), name


def test_an_editor_cannot_publish_through_the_form(editor_role):
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None)
    _response, data = change_form(editor_role, meeting)
    response = editor_role.post(admin_url(meeting, "change"), {**data, "publication_status": "published"})
    assert response.status_code == 200
    assert any("Select a valid choice" in error for error in errors(response)), errors(response)
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.REVIEW
    assert not meeting.is_public()


def test_an_editor_cannot_add_an_item_already_published(editor_role):
    dialogue = factories.dialogue()
    data = form_data(editor_role.get(admin_url(Meeting, "add")), "form#meeting_form")
    data.update(
        {
            "dialogue": str(dialogue.pk),
            "kind": "plenary",
            "start_date": "2024-03-24",
            "city_fr": "Paris",
            "city_en": "Paris",
            "publication_status": "published",
            "publish_at_0": "2020-01-01",
            "publish_at_1": "10:00:00",
        }
    )
    response = editor_role.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert any("Select a valid choice" in error for error in errors(response))
    assert not Meeting.objects.exists()
    response = editor_role.post(admin_url(Meeting, "add"), {**data, "publication_status": "review"})
    assert response.status_code == 302, errors(response)
    meeting = Meeting.objects.get()
    assert (meeting.publication_status, meeting.publish_at) == (Status.REVIEW, None)  # publish_at is disabled


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.WITHDRAWN])
def test_an_editor_edits_a_published_item_without_moving_its_status(editor_role, status):
    meeting = factories.meeting(publication_status=status, title_fr="Ancien titre", title_en="Old title")
    response, data = change_form(editor_role, meeting)
    assert soup(response).select_one("select[name=publication_status]").has_attr("disabled")
    response = editor_role.post(
        admin_url(meeting, "change"), {**data, "publication_status": "draft", "title_en": "New title"}
    )
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert (meeting.publication_status, meeting.title_en) == (status, "New title")


@pytest.mark.parametrize("model", [Meeting, Instrument, PressRelease, Dialogue], ids=lambda m: m._meta.model_name)
def test_an_editor_has_no_publish_or_withdraw_action(editor_role, model):
    RECORDS[model]()  # the action menu shows above a list with rows
    choices = action_choices(editor_role.get(admin_url(model, "changelist")))
    assert "publish_selected" not in choices and "withdraw_selected" not in choices
    assert "mark_translations_current" in choices


@pytest.mark.parametrize("action", ["publish_selected", "withdraw_selected"])
def test_an_editor_posting_a_publication_action_changes_nothing(editor_role, action):
    draft = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    published = factories.meeting()
    response = editor_role.post(
        admin_url(Meeting, "changelist"),
        {"action": action, "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )
    assert "No action selected." in messages_of(response)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.publication_status, published.publication_status) == (Status.DRAFT, Status.PUBLISHED)
    assert not LogEntry.objects.exists()


# Publishers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Meeting, Instrument, PressRelease, Dialogue], ids=lambda m: m._meta.model_name)
def test_a_publisher_may_choose_any_status(publisher, model):
    RECORDS[model]()
    response = publisher.get(admin_url(model, "add"))
    assert status_options(response) == ["draft", "review", "published", "withdrawn"]
    assert {"publish_selected", "withdraw_selected"} <= set(
        action_choices(publisher.get(admin_url(model, "changelist")))
    )


def test_a_publisher_publishes_through_the_form(publisher):
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None)
    _response, data = change_form(publisher, meeting)
    response = publisher.post(admin_url(meeting, "change"), {**data, "publication_status": "published"})
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.PUBLISHED
    assert meeting.publish_at is not None  # left empty: publishing sets it to now
    assert meeting.is_public()


def test_a_publisher_schedules_a_publication(publisher):
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None)
    _response, data = change_form(publisher, meeting)
    data.update({"publication_status": "published", "publish_at_0": "2099-01-01", "publish_at_1": "09:00:00"})
    assert publisher.post(admin_url(meeting, "change"), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_scheduled and not meeting.is_public()
    assert "scheduled" in soup(publisher.get(admin_url(Meeting, "changelist"))).select_one(".publication").text


# Translators ----------------------------------------------------------------------------------

NOT_TEXTS = ("dialogue", "number", "kind", "start_date", "end_date", "host", "topics", "image", "publication_status")


def test_a_translator_sees_every_field_but_the_texts_read_only(translator):
    meeting = factories.meeting(number=3, host=factories.party())
    factories.delegation(meeting, factories.party(), members=[factories.person()])
    response, _data = change_form(translator, meeting)
    page = soup(response)
    for name in (*NOT_TEXTS, "publish_at_0", "single_language", "single_language_reason"):
        assert not page.select(f"form#meeting_form [name={name}]"), f"{name} is editable"
    for name in ("start_date", "number", "dialogue", "publication_status"):
        assert page.select_one(f".field-{name} .readonly"), f"{name} is not shown read-only"
    for name in ("title_fr", "title_en", "city_fr", "city_en", "summary_fr", "summary_en", "image_alt_en"):
        assert page.select_one(f"form#meeting_form [name={name}]"), f"{name} cannot be translated"
    # Inline rows too: the party and the person are read-only, the member's title is translatable.
    assert not page.select("[name=delegations-0-party], [name=delegations-0-members-0-person]")
    assert page.select_one("[name=delegations-0-members-0-title_en]")
    assert not page.select("[name$=DELETE]")


def test_a_translator_posting_other_fields_changes_only_the_texts(translator):
    dialogue, other_dialogue = factories.dialogue(), factories.dialogue()
    meeting = factories.meeting(dialogue, number=3, publication_status=Status.REVIEW, publish_at=None)
    member = factories.person()
    delegation = factories.delegation(meeting, factories.party(), members=[member])
    _response, data = change_form(translator, meeting)
    data.update(
        {
            "title_en": "Third session, translated",
            "dialogue": str(other_dialogue.pk),
            "number": "9",
            "start_date": "2001-01-01",
            "publication_status": "published",
            "publish_at_0": "2001-01-01",
            "publish_at_1": "00:00:00",
            "single_language": "on",
            "single_language_reason": "none",
            "delegations-0-party": str(factories.japan().pk),
            "delegations-0-DELETE": "on",
            "delegations-0-members-0-person": str(factories.person().pk),
            "delegations-0-members-0-title_en": "Director",
        }
    )
    response = translator.post(admin_url(meeting, "change"), data)
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert meeting.title_en == "Third session, translated"
    assert (meeting.dialogue, meeting.number, str(meeting.start_date)) == (dialogue, 3, "2017-03-24")
    assert (meeting.publication_status, meeting.publish_at, meeting.single_language) == (Status.REVIEW, None, False)
    delegation.refresh_from_db()
    assert delegation.party.code == "FR"
    (saved_member,) = delegation.members.all()
    assert (saved_member.person, saved_member.title_en) == (member, "Director")


def test_a_translator_emptying_a_language_of_a_published_item_is_told_why_it_is_refused(translator):
    """The publication rule names a field the translator's form does not have: an error, not a crash."""
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _response, data = change_form(translator, meeting)
    response = translator.post(admin_url(meeting, "change"), {**data, "title_fr": ""})
    assert response.status_code == 200
    assert any("its text is missing in French" in error for error in errors(response)), errors(response)
    meeting.refresh_from_db()
    assert meeting.title_fr == "Séance"


@pytest.mark.parametrize(
    "model", [Meeting, Instrument, PressRelease, Dialogue, Delegation], ids=lambda m: m._meta.model_name
)
def test_a_translator_cannot_add_or_delete(translator, model):
    assert translator.get(admin_url(model, "add")).status_code == 403
    record = RECORDS[model]()
    assert translator.get(admin_url(record, "delete")).status_code == 403
    assert translator.post(admin_url(record, "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("builder", "texts", "others"),
    [
        (factories.dialogue, ["name_fr", "name_en", "description_en"], ["established", "order", "topics"]),
        (factories.organization, ["name_fr", "name_en", "acronym_en"], ["kind", "party", "parent", "website"]),
        (factories.press_release, ["title_en", "lead_en", "body_en"], ["date", "kind", "issuers", "reference"]),
    ],
    ids=["dialogue", "organization", "press release"],
)
def test_a_translator_translates_every_kind_of_record(translator, builder, texts, others):
    record = builder()
    page = soup(change_form(translator, record)[0])
    form = f"form#{record._meta.model_name}_form"
    for name in texts:
        assert page.select_one(f"{form} [name={name}]"), name
    for name in others:
        assert not page.select(f"{form} [name={name}]"), name


def test_a_translator_has_only_the_translation_action(translator):
    factories.meeting()
    choices = action_choices(translator.get(admin_url(Meeting, "changelist")))
    assert choices == ["mark_translations_current"]


def test_a_translator_cannot_upload_the_text_of_an_instrument(translator):
    instrument = factories.instrument()
    page = soup(change_form(translator, instrument)[0])
    assert not page.select("[name=text_pdf_fr], [name=text_pdf_en], [name=signed_on], [name=kind]")
    assert page.select_one("[name=summary_en]")


# Every action on record --------------------------------------------------------------------------


def recorded(obj, user, flag):
    """The LogEntry and the version of ``obj`` that ``user`` left, newest first."""
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), action_flag=flag
    ).first()
    assert entry is not None, "no LogEntry"
    assert entry.user == user
    version = Version.objects.get_for_object(obj).select_related("revision__user").first()
    assert version is not None, "no version"
    assert version.revision.user == user
    return entry, version


def test_an_addition_through_the_admin_is_recorded(editor_role):
    dialogue = factories.dialogue()
    data = form_data(editor_role.get(admin_url(Meeting, "add")), "form#meeting_form")
    data.update({"dialogue": str(dialogue.pk), "kind": "plenary", "start_date": "2024-03-24", "city_en": "Paris"})
    data["city_fr"] = "Paris"
    assert editor_role.post(admin_url(Meeting, "add"), data).status_code == 302
    recorded(Meeting.objects.get(), editor_role.user, ADDITION)


@pytest.mark.parametrize("group_name", [EDITORS, TRANSLATORS, PUBLISHERS])
def test_a_change_through_the_admin_is_recorded(role_client, group_name):
    client = role_client(group_name)
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _response, data = change_form(client, meeting)
    assert client.post(admin_url(meeting, "change"), {**data, "title_en": "Corrected"}).status_code == 302
    entry, version = recorded(meeting, client.user, CHANGE)
    with translation.override("fr"):
        assert readable(entry.change_message) == "Modification de titre (EN)."
    with translation.override("en"):
        assert readable(entry.change_message) == "Changed title (EN)."
    assert version.field_dict["title_en"] == "Corrected"


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("publish_selected", Status.PUBLISHED),
        ("withdraw_selected", Status.WITHDRAWN),
        ("mark_translations_current", None),
    ],
)
def test_each_action_is_recorded_with_its_user(publisher, action, status):
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None)
    response = publisher.post(admin_url(Meeting, "changelist"), {"action": action, "_selected_action": [meeting.pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    if status:
        assert meeting.publication_status == status
    entry, version = recorded(meeting, publisher.user, CHANGE)
    assert entry.change_message
    assert version.revision.comment == entry.change_message
    assert version.field_dict["publication_status"] == meeting.publication_status


def test_a_deletion_is_recorded_and_the_last_version_kept(editor_role):
    meeting = factories.meeting()
    _response, data = change_form(editor_role, meeting)
    editor_role.post(admin_url(meeting, "change"), data)
    pk = meeting.pk
    assert editor_role.post(admin_url(meeting, "delete"), {"post": "yes"}).status_code == 302
    assert not Meeting.objects.filter(pk=pk).exists()
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert (entry.user, entry.object_id) == (editor_role.user, str(pk))
    assert Version.objects.get_deleted(Meeting).filter(object_id=str(pk)).exists()


def test_a_duplicate_session_is_recorded(editor_role):
    meeting = factories.meeting(number=1, host=factories.party())
    response = editor_role.post(
        admin_url(Meeting, "changelist"), {"action": "duplicate_as_next_session", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302
    copy = Meeting.objects.get(number=2)
    recorded(copy, editor_role.user, ADDITION)


def test_editors_and_publishers_are_distinct_people(db):
    """The personas are what the groups make them, nothing more (no superuser, no direct permission)."""
    for group_name in (EDITORS, TRANSLATORS, PUBLISHERS):
        user = make_user(group_name.lower(), group_name)
        assert not user.is_superuser and not user.user_permissions.exists()
        assert user.has_perm("dialogue.view_meeting")
        assert user.has_perm("dialogue.publish_meeting") == (group_name == PUBLISHERS)
        assert user.has_perm("dialogue.add_meeting") == (group_name != TRANSLATORS)
