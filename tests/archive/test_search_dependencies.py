"""The search index cannot go stale: renaming or editing any record an entry reads refreshes every
entry that reads it, found by the new text and no longer by the old.

The reported bug: CNES renamed, the old acronym still found 3 meetings, 1 instrument and 4 press
releases, the new one only the organization. Each case gives a record a made-up word, checks that
exactly the items naming that record are found by it, then renames it again and checks that the
first word finds nothing any more.
"""

import threading

import pytest
from django.db import transaction
from django.utils import translation

from archive import search
from archive.models import PressRelease, Quotation
from dialogue.models import (
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentSignatory,
    Meeting,
    Organization,
    Person,
    Topic,
)
from editorial import derived
from editorial.batch import batch
from editorial.derived import WATCHES

pytestmark = pytest.mark.django_db


def found(word, language="en") -> set[tuple[str, int]]:
    results = search.search(word, language)
    rows, _total = results.read(0, 200)
    return {(entry.kind, entry.object_id) for entry in rows}


def kinds(**groups) -> set[tuple[str, int]]:
    return {(kind, pk) for kind, pks in groups.items() for pk in pks}


def pks(queryset):
    return set(queryset.values_list("pk", flat=True).distinct())


def naming_organization(org):
    return kinds(
        meeting=pks(Meeting.objects.filter(delegations__organizations=org)),
        instrument=pks(Instrument.objects.filter(signatories__organization=org)),
        press_release=pks(PressRelease.objects.filter(issuers=org))
        | pks(PressRelease.objects.filter(organizations=org)),
        organization={org.pk} | pks(org.children.all()),
    )


def naming_person(person):
    return kinds(
        meeting=pks(Meeting.objects.filter(delegations__members__person=person)),
        instrument=pks(Instrument.objects.filter(signatories__person=person)),
        press_release=pks(PressRelease.objects.filter(quotations__speaker=person))
        | pks(PressRelease.objects.filter(contacts__person=person))
        | pks(PressRelease.objects.filter(people=person)),
        person={person.pk},
    )


def naming_topic(topic):
    return kinds(
        meeting=pks(topic.meetings.all()),
        instrument=pks(topic.instruments.all()),
        press_release=pks(topic.press_releases.all()),
    )


def naming_dialogue(dialogue):
    return kinds(meeting=pks(dialogue.meetings.all()))


def naming_member(member):
    return kinds(meeting={member.delegation.meeting_id}, person={member.person_id})


def naming_signatory(signatory):
    return kinds(instrument={signatory.instrument_id})


def naming_quotation(quotation):
    return kinds(press_release={quotation.press_release_id})


CASES = {
    "organization acronym": (lambda: Organization.objects.get(key="cnes"), "acronym_en", naming_organization),
    "organization name": (lambda: Organization.objects.get(key="jaxa"), "name_en", naming_organization),
    "person family name": (lambda: Person.objects.get(key="jean-yves-le-gall"), "family_name", naming_person),
    "topic": (lambda: Topic.objects.get(key="ssa"), "name_en", naming_topic),
    "dialogue": (lambda: Dialogue.objects.get(key="space"), "name_en", naming_dialogue),
    "delegation member title": (lambda: DelegationMember.objects.order_by("pk").first(), "title_en", naming_member),
    "signatory title": (lambda: InstrumentSignatory.objects.order_by("pk").first(), "title_en", naming_signatory),
    "quotation": (lambda: Quotation.objects.order_by("pk").first(), "text_en", naming_quotation),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_renaming_a_record_refreshes_every_entry_that_reads_it(reference_archive, case):
    get, field, naming = CASES[case]
    record = get()
    expected = naming(record)
    assert expected, f"the reference archive names no item through this {case}"
    setattr(record, field, "Zorblaxian")
    record.save()
    with translation.override("en"):
        assert found("Zorblaxian") == expected
    setattr(record, field, "Quibbletonian")
    record.save()
    assert found("Zorblaxian") == set()
    assert found("Quibbletonian") == expected


def test_the_reported_rename_of_cnes(reference_archive):
    cnes = Organization.objects.get(key="cnes")
    naming = naming_organization(cnes)
    assert {kind for kind, _pk in naming} >= {"meeting", "instrument", "press_release", "organization"}
    cnes.acronym_fr = cnes.acronym_en = "AGSPX"
    cnes.save()
    assert found("AGSPX") == naming
    assert found("AGSPX", "fr") == naming


def test_moving_a_member_to_another_meeting_refreshes_both(reference_archive):
    member = DelegationMember.objects.select_related("delegation__meeting").order_by("pk").first()
    member.title_en = "Zorblaxian"
    member.save()
    old_meeting = member.delegation.meeting_id
    other = DelegationMember.objects.exclude(delegation__meeting_id=old_meeting).select_related("delegation").first()
    member.delegation = other.delegation
    member.save()
    assert ("meeting", old_meeting) not in found("Zorblaxian")
    assert ("meeting", other.delegation.meeting_id) in found("Zorblaxian")


def test_deleting_a_quotation_and_clearing_topics_refresh_their_items(reference_archive):
    quotation = Quotation.objects.order_by("pk").first()
    quotation.text_en = "Zorblaxian"
    quotation.save()
    assert ("press_release", quotation.press_release_id) in found("Zorblaxian")
    quotation.delete()
    assert found("Zorblaxian") == set()
    topic, meeting = rename_a_topic_and_clear_a_meetings_topics()
    topic.meetings.add(meeting)  # from the other side of the relation
    assert ("meeting", meeting.pk) in found("Quibbletonian")


def rename_a_topic_and_clear_a_meetings_topics():
    """The SSA topic renamed: one of its meetings is found by the new name until its topics are cleared."""
    topic = Topic.objects.get(key="ssa")
    topic.name_en = "Quibbletonian"
    topic.save()
    meeting = topic.meetings.first()
    assert ("meeting", meeting.pk) in found("Quibbletonian")
    meeting.topics.clear()
    assert ("meeting", meeting.pk) not in found("Quibbletonian")
    return topic, meeting


def test_a_fixture_load_that_was_rolled_back_leaves_no_refresh_waiting(reference_archive):
    """A load's saves are refreshed when it commits; one that fails must not leave later edits waiting."""
    with pytest.raises(RuntimeError), transaction.atomic():
        Topic.objects.get(key="ssa").save_base(raw=True)  # as loaddata saves
        raise RuntimeError("the load fails")
    rename_a_topic_and_clear_a_meetings_topics()


def test_what_an_edit_waits_for_is_its_threads_own(reference_archive):
    """With threads (gunicorn's gthread worker), a request neither takes another's edit for a fixture
    load waiting for its commit, nor drops what that edit collected."""
    topic = Topic.objects.get(key="ssa")
    meeting = topic.meetings.first()
    seen = {}
    with batch():
        topic.name_en = "Quibbletonian"
        topic.save()  # refreshed at the end of this edit
        other = threading.Thread(target=lambda: seen.update(loading=derived.loading()))
        other.start()
        other.join()
    assert seen == {"loading": False}
    assert ("meeting", meeting.pk) in found("Quibbletonian")


def test_a_new_record_refreshes_the_items_its_keys_name(reference_archive):
    """A record just added is named by nothing yet: what it names is refreshed, without a search of the rest."""
    meeting = Meeting.objects.get(key="space-2017-03-24")
    person = Person.objects.create(given_name="Quentin", family_name="Zorblaxian")
    assert found("Zorblaxian") == set()  # named by no public item yet: not public
    DelegationMember.objects.create(delegation=meeting.delegations.first(), person=person, order=99)
    assert found("Zorblaxian") == {("meeting", meeting.pk), ("person", person.pk)}


def test_every_record_an_entry_reads_is_a_tested_case():
    """Each kind of record the documents depend on is renamed by a case above (or is an item itself)."""
    covered = {Organization, Person, Topic, Dialogue, DelegationMember, InstrumentSignatory, Quotation}
    items = {Meeting, Instrument, PressRelease}
    structural = {"Delegation", "PressContact"}  # hold no text of their own that an entry reads: only links
    for model, watches in WATCHES.items():
        if any(watch.dependent.name.startswith("search:") for watch in watches):
            assert model in covered | items or model.__name__ in structural, f"no case renames a {model.__name__}"
