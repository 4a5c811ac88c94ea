"""The workflow's admin pages run a fixed number of queries, whatever the number of items they list."""

import datetime

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from archive.models import PressContact, Quotation
from dialogue.models import DelegationMember, InstrumentSignatory
from tests import factories

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def untitled_meetings_missing_english(dialogue, first, count):
    """Meetings named after their dialogue (no title), with a French city only: English is missing."""
    for number in range(first, first + count):
        factories.meeting(dialogue, number=number, city_en="", start_date=datetime.date(2000 + number, 1, 1))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_translation_dashboard_runs_the_same_queries_for_more_items(editor_client, language):
    with translation.override(language):
        url = reverse("translation-dashboard")
    dialogue = factories.dialogue()
    untitled_meetings_missing_english(dialogue, 1, 2)
    few = count_queries(editor_client, url)
    untitled_meetings_missing_english(dialogue, 3, 20)
    assert count_queries(editor_client, url) == few


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_history_page_runs_the_same_queries_for_more_versions(editor_client, editor, language):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")

    def save_versions(n):
        for index in range(n):
            with reversion.create_revision():
                reversion.set_user(editor)
                meeting.title_en = f"Session {index}"
                meeting.save()

    with translation.override(language):
        url = reverse("admin:dialogue_meeting_history", args=[meeting.pk])
    save_versions(2)
    few = count_queries(editor_client, url)
    save_versions(15)
    assert count_queries(editor_client, url) == few


# The change pages of the items with inlines: each inline's rows are read once, with the records
# their headings name; what a row adds is one query per relation it shows (the label of the record
# chosen in it, as Django's autocomplete and select widgets read it), whatever the number of rows.


def person_and_organization(party_) -> dict:
    """A new person and a new organization of ``party_``, as a row of members or signatories names them."""
    return {"person": factories.person(party=party_), "organization": factories.organization(party=party_)}


def add_members(meeting, count):
    """``count`` more members on each side: a person and an organization each."""
    for party_ in (factories.party(), factories.japan()):
        delegation = meeting.delegations.get_or_create(party=party_)[0]
        for _ in range(count):
            order = delegation.members.count() + 1
            DelegationMember.objects.create(delegation=delegation, order=order, **person_and_organization(party_))


def add_signatories(instrument, count):
    """``count`` more signatories: a party, a person and an organization each."""
    for _ in range(count):
        party_, order = factories.party(), instrument.signatories.count() + 1
        InstrumentSignatory.objects.create(
            instrument=instrument, party=party_, order=order, **person_and_organization(party_)
        )


def add_quotations(release, count):
    """``count`` more quotations and press contacts: a person each."""
    for _ in range(count):
        order = release.quotations.count() + 1
        speaker = factories.person(party=factories.japan())
        Quotation.objects.create(press_release=release, speaker=speaker, text_fr="Oui.", text_en="Yes.", order=order)
        PressContact.objects.create(press_release=release, person=speaker, email="presse@example.org", order=order)


@pytest.mark.parametrize(
    ("make", "grow", "relations"),
    [
        (factories.meeting, add_members, 4),
        (factories.instrument, add_signatories, 3),
        (factories.press_release, add_quotations, 2),
    ],
    ids=["meeting", "instrument", "press-release"],
)
def test_a_change_page_reads_what_each_row_shows_once(editor_client, make, grow, relations):
    item = make()
    url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
    grow(item, 1)
    few = count_queries(editor_client, url)
    grow(item, 8)
    assert count_queries(editor_client, url) <= few + 8 * relations
