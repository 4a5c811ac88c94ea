"""Rules the database holds: a value outside a field's choices is refused by a CHECK constraint
(so a fixture with ``"bogus"`` does not load), and a published item has a publication time.

And what is public of people and organizations: they have no publication state of their own and
are public while a public item names them; a person typed into a draft meeting's delegation stays
out of the people's list, their page, search and the organization pages until the meeting is public.
"""

import datetime
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from archive.models import PressRelease, SearchEntry
from dialogue.models import DelegationMember, Meeting, Organization, Person
from editorial.models import Status
from tests import factories
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db


def choice_fields():
    for model in apps.get_models():
        if getattr(model, "check_choices", False):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield pytest.param(model, field, id=f"{model._meta.label}.{field.name}")


@pytest.mark.parametrize(("model", "field"), list(choice_fields()))
def test_every_field_with_choices_has_a_check_constraint(model, field):
    names = {constraint.name for constraint in model._meta.constraints}
    assert f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_valid"[:63] in names


RECORDS = {
    "dialogue.Meeting": lambda: factories.meeting(),
    "dialogue.Instrument": lambda: factories.instrument(),
    "dialogue.Dialogue": lambda: factories.dialogue(),
    "archive.PressRelease": lambda: factories.press_release(),
    "dialogue.Organization": lambda: factories.organization(),
}


@pytest.mark.parametrize("label", sorted(RECORDS))
def test_the_database_refuses_a_value_outside_the_choices(label):
    record = RECORDS[label]()
    model = type(record)
    for field in model._meta.concrete_fields:
        if not field.choices:
            continue
        with pytest.raises(IntegrityError), transaction.atomic():
            model._base_manager.filter(pk=record.pk).update(**{field.attname: "bogus"})


def test_a_published_item_needs_a_time():
    meeting = factories.meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(publish_at=None)


def test_a_fixture_with_a_bogus_status_does_not_load(tmp_path, reference_archive):
    release = json.loads(
        json.dumps(
            {
                "model": "archive.pressrelease",
                "fields": {
                    "key": "bogus-release",
                    "title_fr": "Faux",
                    "title_en": "Bogus",
                    "slug_fr": "faux",
                    "slug_en": "bogus",
                    "date": "2020-01-01",
                    "original_language": "fr",
                    "publication_status": "bogus",
                },
            }
        )
    )
    fixture = tmp_path / "bogus.json"
    fixture.write_text(json.dumps([release]))
    with pytest.raises(IntegrityError), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    assert not PressRelease.objects.filter(key="bogus-release").exists()


# People and organizations -----------------------------------------------------------------------


@pytest.fixture
def draft_meeting_with_a_newcomer(django_capture_on_commit_callbacks):
    meeting = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    agency = factories.organization(
        name_fr="Agence secrète", name_en="Secret agency", acronym_fr="ASX", acronym_en="ASX"
    )
    person = factories.person(given_name="Hidden", family_name="Newcomer")
    delegation = factories.delegation(meeting, factories.party())
    DelegationMember.objects.create(delegation=delegation, person=person, organization=agency, order=1)
    return meeting, person, agency


def public_names(client, language="en"):
    people = soup(client.get({"en": "/en/people/", "fr": "/fr/personnes/"}[language]))
    organizations = soup(client.get({"en": "/en/organizations/", "fr": "/fr/organisations/"}[language]))
    return {text(a) for a in people.select("main li a")} | {text(a) for a in organizations.select("main li a")}


def found_by_search(client, query):
    return [
        text(a)
        for a in soup(client.get("/en/search/", {"q": query})).select(".search-results h2 a, .search-results a")
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_person_named_only_by_a_draft_is_not_public(client, draft_meeting_with_a_newcomer, language):
    _meeting, person, agency = draft_meeting_with_a_newcomer
    names = public_names(client, language)
    assert not any("NEWCOMER" in name for name in names)
    assert not any("ASX" in name or "Secret" in name or "secrète" in name for name in names)
    assert client.get(url_of(person, language)).status_code == 404
    assert client.get(url_of(agency, language)).status_code == 404
    assert not Person.objects.published().filter(pk=person.pk).exists()
    assert not SearchEntry.objects.public().filter(kind="person", object_id=person.pk).exists()
    assert not SearchEntry.objects.public().filter(kind="organization", object_id=agency.pk).exists()


def test_publishing_the_meeting_makes_them_public_and_withdrawing_hides_them_again(
    client, draft_meeting_with_a_newcomer
):
    meeting, person, agency = draft_meeting_with_a_newcomer
    meeting.publish()
    meeting.save()
    assert client.get(url_of(person, "en")).status_code == 200
    assert client.get(url_of(agency, "en")).status_code == 200
    assert "NEWCOMER, Hidden" in public_names(client)
    assert SearchEntry.objects.public().filter(kind="person", object_id=person.pk).exists()
    assert SearchEntry.objects.public().filter(kind="organization", object_id=agency.pk).exists()
    meeting.withdraw()
    meeting.save()
    assert client.get(url_of(person, "en")).status_code == 404
    assert not SearchEntry.objects.public().filter(kind="person", object_id=person.pk).exists()
    assert not SearchEntry.objects.public().filter(kind="organization", object_id=agency.pk).exists()


def test_a_scheduled_meeting_makes_them_public_at_its_time(draft_meeting_with_a_newcomer):
    meeting, person, agency = draft_meeting_with_a_newcomer
    soon = timezone.now() + datetime.timedelta(hours=2)
    meeting.publication_status, meeting.publish_at = Status.PUBLISHED, soon
    meeting.save()
    assert not Person.objects.published().filter(pk=person.pk).exists()
    later = soon + datetime.timedelta(minutes=1)
    assert Person.objects.published(now=later).filter(pk=person.pk).exists()
    assert Organization.objects.published(now=later).filter(pk=agency.pk).exists()
    entry = SearchEntry.objects.get(kind="person", object_id=person.pk, language="en")
    assert entry.public_from == soon  # the index knows the time: no save is needed when it comes
    assert Person.objects.get(pk=person.pk).public_since() == soon


def test_staff_preview_a_person_not_yet_public(editor_client, draft_meeting_with_a_newcomer):
    _meeting, person, _agency = draft_meeting_with_a_newcomer
    response = editor_client.get(url_of(person, "en"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert soup(response).select_one(".preview-banner")


def test_the_ministry_above_a_public_agency_is_public(client):
    ministry = factories.organization(name_fr="Ministère", name_en="Ministry")
    agency = factories.organization(name_fr="Agence", name_en="Agency", parent=ministry)
    release = factories.press_release()
    release.issuers.add(agency)
    assert Organization.objects.published().filter(pk=ministry.pk).exists()
    page = soup(client.get(url_of(agency, "en")))
    assert page.select_one(f"a[href='{url_of(ministry, 'en')}']")
    release.publication_status = Status.WITHDRAWN
    release.save()
    assert not Organization.objects.published().filter(pk__in=[ministry.pk, agency.pk]).exists()


def test_the_reference_archive_keeps_everyone_it_names_public(reference_archive):
    assert set(Person.objects.values_list("key", flat=True)) == set(
        Person.objects.published().values_list("key", flat=True)
    )
    assert set(Organization.objects.values_list("key", flat=True)) == set(
        Organization.objects.published().values_list("key", flat=True)
    )
