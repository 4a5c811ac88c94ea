"""The service functions: every multi-record write of the workflow, in one transaction, checked,
versioned and logged, whoever calls it (the admin, a command, an API)."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import translation
from reversion.models import Version

from dialogue import services as dialogue_services
from dialogue.models import DelegationMember, Meeting
from editorial import services
from editorial.logmessages import readable
from editorial.models import Status
from editorial.roles import EDITORS, PUBLISHERS, TRANSLATORS
from tests import factories
from tests.admin_forms import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):  # services' messages are read in the reader's language
        yield


@pytest.fixture
def people():
    return {name: make_user(name.lower(), name) for name in (EDITORS, TRANSLATORS, PUBLISHERS)}


def entries(obj):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


def versions(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


def test_publish_publishes_records_and_logs(people):
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None)
    published = services.publish(item=meeting, user=people[PUBLISHERS])
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.PUBLISHED and meeting.publish_at is not None
    assert published.pk == meeting.pk
    (version,) = versions(meeting)
    assert version.revision.user == people[PUBLISHERS]
    assert version.field_dict["publication_status"] == Status.PUBLISHED
    assert [v.object_id for v in version.revision.version_set.all() if v.content_type.model == "meeting"] == [
        str(meeting.pk)
    ]
    (entry,) = entries(meeting)
    assert (entry.action_flag, entry.user, readable(entry.change_message)) == (
        CHANGE,
        people[PUBLISHERS],
        "Published.",
    )
    with translation.override("fr"):  # kept in every language, whoever acted
        assert readable(entry.change_message) == readable(version.revision.comment) == "Publié."


@pytest.mark.parametrize("role", [EDITORS, TRANSLATORS])
def test_only_a_publisher_publishes_or_withdraws(people, role):
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None)
    for service in (services.publish, services.withdraw):
        with pytest.raises(PermissionDenied):
            service(item=meeting, user=people[role])
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.REVIEW
    assert not versions(meeting) and not entries(meeting).exists()


def test_publishing_an_incomplete_item_is_refused_and_changes_nothing(people):
    meeting = factories.meeting(title_fr="Séance", title_en="", publication_status=Status.REVIEW, publish_at=None)
    with pytest.raises(ValidationError) as refused:
        services.publish(item=meeting, user=people[PUBLISHERS])
    assert "its text is missing in English" in " ".join(refused.value.messages)
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.REVIEW and not versions(meeting)


def test_withdraw_and_mark_current(people):
    meeting = factories.meeting()
    services.withdraw(item=meeting, user=people[PUBLISHERS])
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.WITHDRAWN and not meeting.is_public()
    services.mark_translations_current(item=meeting, user=people[TRANSLATORS])  # translators may change
    meeting.refresh_from_db()
    assert meeting.text_updated_fr == meeting.text_updated_en is not None
    assert [readable(entry.change_message) for entry in entries(meeting).order_by("pk")] == [
        "Withdrawn.",
        "Translations marked as up to date.",
    ]


def test_a_service_works_on_the_record_as_stored_not_as_passed(people):
    """It locks and reads the record afresh: a stale copy in the caller's hands changes nothing else."""
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None, city_en="Tokyo")
    stale = Meeting.objects.get(pk=meeting.pk)
    Meeting.objects.filter(pk=meeting.pk).update(city_en="Kyoto")
    stale.city_en = "Somewhere else"
    services.publish(item=stale, user=people[PUBLISHERS])
    meeting.refresh_from_db()
    assert (meeting.city_en, meeting.publication_status) == ("Kyoto", Status.PUBLISHED)


def test_check_publication_change_holds_against_a_crafted_edit(people):
    meeting = factories.meeting(publication_status=Status.REVIEW, publish_at=None)
    with pytest.raises(PermissionDenied):
        services.check_publication_change(item=meeting, user=people[EDITORS], changed_fields=["publication_status"])
    services.check_publication_change(item=meeting, user=people[EDITORS], changed_fields=["title_en"])
    services.check_publication_change(item=meeting, user=people[PUBLISHERS], changed_fields=["publication_status"])
    new = Meeting(publication_status=Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.check_publication_change(item=new, user=people[EDITORS], changed_fields=[])


def test_duplicating_a_meeting_copies_its_delegations_in_one_version(people):
    meeting = factories.meeting(number=1, host=factories.party())
    factories.delegation(meeting, factories.party(), members=[factories.person(), factories.person()])
    copy = dialogue_services.duplicate_as_next_session(meeting=meeting, user=people[EDITORS])
    assert (copy.number, copy.publication_status) == (2, Status.DRAFT)
    assert DelegationMember.objects.filter(delegation__meeting=copy).count() == 2
    (version,) = versions(copy)
    assert sorted(v.content_type.model for v in version.revision.version_set.all()) == [
        "delegation",
        "delegationmember",
        "delegationmember",
        "meeting",
    ]
    assert entries(copy).get().action_flag == ADDITION


def test_duplicating_is_refused_cleanly(people):
    unnumbered = factories.meeting()
    with pytest.raises(ValidationError):
        dialogue_services.duplicate_as_next_session(meeting=unnumbered, user=people[EDITORS])
    numbered = factories.meeting(number=1)
    with pytest.raises(PermissionDenied):
        dialogue_services.duplicate_as_next_session(meeting=numbered, user=people[TRANSLATORS])
    factories.meeting(numbered.dialogue, number=2)
    with pytest.raises(ValidationError):
        dialogue_services.duplicate_as_next_session(meeting=numbered, user=people[EDITORS])
    assert Meeting.objects.count() == 3


def test_a_failure_half_way_saves_nothing(people, monkeypatch):
    """One transaction: if copying a member fails, neither the meeting nor its delegations are kept."""
    meeting = factories.meeting(number=1)
    factories.delegation(meeting, factories.party(), members=[factories.person()])

    def broken(*args, **kwargs):
        raise IntegrityError("simulated failure while copying a member")

    monkeypatch.setattr(DelegationMember.objects, "create", broken)
    with pytest.raises(IntegrityError):
        dialogue_services.duplicate_as_next_session(meeting=meeting, user=people[EDITORS])
    assert Meeting.objects.count() == 1
