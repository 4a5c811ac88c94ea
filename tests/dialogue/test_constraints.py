"""Each integrity rule lives in the database and gives a clear form error in the editor's language."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from archive.models import PressContact, PressRelease, Quotation
from dialogue.models import (
    Delegation,
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentRelation,
    InstrumentSignatory,
    Meeting,
    Organization,
    Party,
)
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def duplicate_meeting_number():
    first = factories.meeting(number=2)
    return Meeting(dialogue=first.dialogue, number=2, start_date=D(2018, 1, 1), title_en="Again")


def meeting_ending_before_start():
    return Meeting(dialogue=factories.dialogue(), start_date=D(2023, 1, 20), end_date=D(2023, 1, 19))


def meeting_number_zero():
    return Meeting(dialogue=factories.dialogue(), number=0, start_date=D(2023, 1, 19))


def second_delegation_for_party():
    meeting = factories.meeting()
    Delegation.objects.create(meeting=meeting, party=factories.party())
    return Delegation(meeting=meeting, party=factories.party())


def person_twice_in_delegation():
    delegation = Delegation.objects.create(meeting=factories.meeting(), party=factories.party())
    person = factories.person()
    DelegationMember.objects.create(delegation=delegation, person=person)
    return DelegationMember(delegation=delegation, person=person, order=2)


def signed_before_negotiations():
    return Instrument(
        kind="agreement",
        title_en="RAA",
        status="signed",
        negotiations_opened_on=D(2024, 5, 2),
        signed_on=D(2021, 1, 1),
    )


def in_force_before_signature():
    return Instrument(
        kind="agreement", title_en="ACSA", status="in_force", signed_on=D(2018, 7, 13), in_force_on=D(2018, 1, 1)
    )


def under_negotiation_but_signed():
    return Instrument(kind="agreement", title_en="RAA", status="under_negotiation", signed_on=D(2024, 5, 2))


def ended_but_not_terminated():
    return Instrument(
        kind="agreement", title_en="Old", status="in_force", signed_on=D(2010, 1, 1), ended_on=D(2020, 1, 1)
    )


def anonymous_signatory():
    return InstrumentSignatory(instrument=factories.instrument(), party=factories.party(), order=1)


def instrument_related_to_itself():
    instrument = factories.instrument()
    return InstrumentRelation(source=instrument, target=instrument, kind="amends")


def duplicate_reference():
    factories.press_release(reference="PR051 – 2016")
    return PressRelease(title_en="Copy", reference="PR051 – 2016", date=D(2016, 3, 11), original_language="en")


def unreachable_press_contact():
    return PressContact(press_release=factories.press_release(), person=factories.person(), order=1)


def duplicate_quotation_order():
    release = factories.press_release()
    Quotation.objects.create(press_release=release, text_en="One", order=1)
    return Quotation(press_release=release, text_en="Two", order=1)


def lower_case_party_code():
    return Party(code="fr", name_en="France", adjective_en="French")


def implausible_year_established():
    return Dialogue(name_en="Space", established=15)


CASES = [
    (duplicate_meeting_number, "Ce dialogue a déjà une réunion portant ce numéro."),
    (meeting_ending_before_start, "La date de fin ne peut pas précéder la date de début."),
    (meeting_number_zero, "Le numéro doit être supérieur ou égal à 1."),
    (second_delegation_for_party, "Cette partie a déjà une délégation à cette réunion."),
    (person_twice_in_delegation, "Cette personne est déjà membre de cette délégation."),
    (signed_before_negotiations, "ne peut pas précéder"),
    (in_force_before_signature, "ne peut pas précéder"),
    (under_negotiation_but_signed, "Un instrument en cours de négociation ne peut pas avoir de date de signature."),
    (ended_but_not_terminated, "Un instrument qui a une date de fin doit avoir le statut «\u00a0terminé\u00a0»."),
    (anonymous_signatory, "Indiquez une personne, une organisation ou une autorité."),
    (instrument_related_to_itself, "Un instrument ne peut pas être lié à lui-même."),
    (duplicate_reference, "Un autre communiqué porte déjà ce numéro de référence."),
    (unreachable_press_contact, "Indiquez un numéro de téléphone ou une adresse électronique."),
    (duplicate_quotation_order, "Deux citations de ce communiqué ont le même ordre."),
    (lower_case_party_code, "Le code pays doit être composé de deux lettres majuscules, comme FR ou JP."),
    (implausible_year_established, "L’année de création doit être une année à quatre chiffres."),
]


@pytest.mark.parametrize(("build", "message"), CASES, ids=[build.__name__ for build, _ in CASES])
def test_rule_gives_a_form_error_in_french(build, message):
    record = build()
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        record.full_clean()
    assert any(message in text for text in error.value.messages), error.value.messages


@pytest.mark.parametrize(("build", "message"), CASES, ids=[build.__name__ for build, _ in CASES])
def test_rule_is_enforced_by_the_database_and_saves_nothing(build, message):
    record = build()
    model = type(record)
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()
    assert model.objects.count() == before


def test_english_editor_reads_the_message_in_english():
    record = meeting_ending_before_start()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        record.full_clean()
    with translation.override("en"):
        assert error.value.message_dict["end_date"] == ["The end date cannot be before the start date."]


def test_life_cycle_error_names_both_steps():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        signed_before_negotiations().full_clean()
    assert (
        "The date “signed” cannot be before the date “negotiations opened”." in error.value.message_dict["signed_on"]
    )


def test_valid_life_cycle_is_accepted():
    instrument = Instrument(
        kind="agreement",
        title_fr="Accord",
        title_en="Agreement",
        status="terminated",
        negotiations_opened_on=D(2015, 1, 1),
        signed_on=D(2016, 1, 1),
        in_force_on=D(2016, 6, 1),
        ended_on=D(2020, 1, 1),
    )
    instrument.full_clean()
    instrument.save()
    assert [label for label, _ in instrument.life_cycle] == [
        "négociations ouvertes",
        "signé",
        "entré en vigueur",
        "terminé",
    ]


def test_unnumbered_meetings_may_share_a_dialogue():
    first = factories.meeting(number=None)
    second = Meeting(dialogue=first.dialogue, start_date=D(2023, 1, 19), title_en="Plenary")
    second.full_clean()
    second.save()
    assert Meeting.objects.filter(dialogue=first.dialogue).count() == 2


def test_press_releases_without_reference_may_coexist():
    factories.press_release(reference="")
    other = PressRelease(title_en="Other", date=D(2023, 1, 19), original_language="en")
    other.full_clean()
    other.save()


def test_a_title_is_needed_in_at_least_one_language():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        Instrument(kind="agreement", status="signed").full_clean()
    with translation.override("en"):
        assert error.value.message_dict["title_fr"] == ["Give the title in at least one language."]


def test_an_organization_cannot_sit_under_its_own_unit():
    ministry = factories.organization()
    office = factories.organization(parent=ministry)
    ministry.parent = office
    with pytest.raises(ValidationError) as error:
        ministry.full_clean()
    assert "parent" in error.value.message_dict


def test_key_and_slugs_are_made_from_the_name_in_each_language():
    organization = Organization(name_fr="Ministère des Affaires étrangères", name_en="Ministry of Foreign Affairs")
    organization.full_clean()
    organization.save()
    assert organization.key == "ministry-of-foreign-affairs"
    assert organization.slug_fr == "ministere-des-affaires-etrangeres"
    assert organization.slug_en == "ministry-of-foreign-affairs"
    twin = Organization.objects.create(
        name_fr="Ministère des Affaires étrangères", name_en="Ministry of Foreign Affairs"
    )
    assert twin.key == "ministry-of-foreign-affairs-2"
    assert twin.slug_fr == "ministere-des-affaires-etrangeres-2"


def test_a_slug_taken_in_the_same_language_is_refused():
    factories.organization(slug_en="mofa")
    duplicate = Organization(name_en="Other", slug_en="mofa")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    with translation.override("en"):
        assert error.value.message_dict["slug_en"] == ["Another record already uses this slug in this language."]
