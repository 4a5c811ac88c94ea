"""The reference archive: it loads on a fresh database, twice without change, in any language,
and holds the seeds' facts in French and English."""

import datetime

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.utils import translation

from archive.models import PressContact, PressRelease, Quotation
from dialogue.models import Delegation, DelegationMember, Instrument, Meeting, Organization, Person
from editorial.i18n import translated_fields

pytestmark = pytest.mark.django_db

APP_MODELS = [
    model
    for label in ("dialogue", "archive")
    for model in apps.get_app_config(label).get_models()
    if getattr(model, "editorial_role", "edit") != "none"  # not the search index: derived, rebuilt with new ids
]


def snapshot():
    """Every row of the two apps, serialized, so that any change shows."""
    return {
        model._meta.label: sorted(
            serializers.serialize("json", [row], use_natural_foreign_keys=True, use_natural_primary_keys=True)
            for row in model.objects.all()
        )
        for model in APP_MODELS
    }


def test_loads_twice_without_change(reference_archive, django_capture_on_commit_callbacks):
    first = snapshot()
    assert all(first[label] for label in ("dialogue.Meeting", "dialogue.Instrument", "archive.PressRelease"))
    with django_capture_on_commit_callbacks(execute=True):  # what follows the load's commit (derived figures)
        call_command("loaddata", "reference_archive", verbosity=0)
    assert snapshot() == first


def test_loads_the_same_whatever_language_is_active(db):
    with translation.override("en"):
        call_command("loaddata", "reference_archive", verbosity=0)
    in_english = snapshot()
    Organization.objects.update(parent=None)  # parents are protected from deletion
    for model in reversed(APP_MODELS):
        model.objects.all().delete()
    with translation.override("fr"):
        call_command("loaddata", "reference_archive", verbosity=0)
    assert snapshot() == in_english


@pytest.mark.parametrize("model", APP_MODELS, ids=lambda model: model._meta.label)
def test_every_translated_text_is_given_in_both_languages(reference_archive, model):
    for record in model.objects.all():
        for field in translated_fields(model):
            french, english = getattr(record, f"{field}_fr"), getattr(record, f"{field}_en")
            assert bool(french) == bool(english), f"{model._meta.label} {record.pk} {field}: {french!r} / {english!r}"


def test_the_second_space_dialogue_of_2017(reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    assert (meeting.number, meeting.start_date, meeting.host.code) == (2, datetime.date(2017, 3, 24), "JP")
    assert meeting.city_en == "Tokyo"
    with translation.override("fr"):
        assert meeting.display_title.startswith("2e session")
        assert meeting.dates_display == "24 mars 2017"
    with translation.override("en"):
        assert meeting.display_title.startswith("2nd session")
        assert meeting.dates_display == "24 March 2017"
    co_chairs = DelegationMember.objects.filter(delegation__meeting=meeting, role="co_chair")
    assert {member.person.full_name for member in co_chairs} == {"Toshiro IIJIMA", "Shuzo TAKADA", "Louis GAUTIER"}
    japan = Delegation.objects.get(meeting=meeting, party__code="JP")
    acronyms = {organization.acronym_en for organization in japan.organizations.all()}
    assert {"MOFA", "NSS", "SHOP", "MEXT", "METI", "MOD", "JAXA"} <= acronyms
    france = Delegation.objects.get(meeting=meeting, party__code="FR")
    assert {"SGDSN", "CNES"} <= {organization.acronym_en for organization in france.organizations.all()}
    signed = {instrument.key for instrument in meeting.instruments_signed.all()}
    assert signed == {"space-letter-of-intent-2017", "ssa-technical-arrangement-2017"}
    assert "Minamitane" in meeting.summary_fr and "Minamitane" in meeting.summary_en
    assert meeting.outcomes_en.count("<li>") == 4


def test_the_first_session_and_its_press_release(reference_archive):
    release = PressRelease.objects.get(reference="PR051 – 2016")
    assert (release.date, release.place_en, release.original_language) == (datetime.date(2016, 3, 11), "Paris", "en")
    meeting = release.meetings.get()
    assert (meeting.number, meeting.venue_en) == (1, "Les Invalides")
    quotation = Quotation.objects.get(press_release=release)
    assert quotation.speaker.full_name == "Jean-Yves LE GALL"
    assert "honoured" in quotation.text_en
    contacts = {(c.person.full_name, c.phone, c.email) for c in PressContact.objects.filter(press_release=release)}
    assert ("Pascale BRESSON", "+33 (0)1 44 76 75 39", "pascale.bresson@cnes.fr") in contacts
    assert ("Julien WATELET", "+33 (0)1 44 76 78 37", "julien.watelet@cnes.fr") in contacts
    agreement = Instrument.objects.get(key="cnes-jaxa-agreement-2015")
    assert (agreement.signed_on.year, agreement.signed_on.month, agreement.signed_precision) == (2015, 10, "month")


def test_the_2018_communique_written_in_french_only(reference_archive):
    release = PressRelease.objects.get(reference="CP028-2018")
    assert release.original_language == "fr"
    assert "ISEF2" in release.title_fr and "ISEF2" in release.title_en
    assert {topic.key for topic in release.topics.all()} >= {"exploration", "climate"}
    assert Person.objects.filter(key="lionel-suchet").exists()


def test_the_2023_plenary_and_its_co_presidency(reference_archive):
    meeting = Meeting.objects.get(key="space-2023-01-19")
    assert (meeting.start_date, meeting.end_date) == (datetime.date(2023, 1, 19), datetime.date(2023, 1, 20))
    co_chairs = DelegationMember.objects.filter(delegation__meeting=meeting, role="co_chair")
    assert {member.person.key for member in co_chairs} == {"vincent-cousin", "yasuyuki-kasai", "hideo-ishizuki"}
    cousin = co_chairs.get(person__key="vincent-cousin")
    assert cousin.person.honorific_en == "Air Marshal"
    assert "ArianeGroup" in meeting.summary_en
    release = PressRelease.objects.get(key="joint-press-release-2023-01-19")
    assert release.kind == "joint_press_release"
    assert release.issuers.count() >= 2


def test_the_security_and_defence_instruments(reference_archive):
    roadmap = Instrument.objects.get(key="roadmap-2023-2027")
    assert roadmap.signed_on == datetime.date(2023, 12, 2)
    assert roadmap.summary_en.count("<li>") == 5
    acsa = Instrument.objects.get(key="acsa")
    assert (acsa.status, acsa.in_force_on.year, acsa.in_force_precision) == ("in_force", 2019, "year")
    raa = Instrument.objects.get(key="raa")
    assert (raa.status, raa.negotiations_opened_on) == ("under_negotiation", datetime.date(2024, 5, 2))
    assert Meeting.objects.filter(dialogue__key="two-plus-two", start_date=datetime.date(2023, 5, 9)).exists()
    assert Organization.objects.filter(key="arianegroup").exists()
