"""Two people editing one item: the second save over a newer one is refused, and nothing is lost.

The change form carries the record's last-modified time. When someone else saved in between, the
save is refused with a message naming them and listing what they changed; the database keeps their
version, the refused input stays in the form, and reopening the item lets the second editor save.
"""

import pytest
from django.test import Client

from dialogue.models import Meeting
from editorial.models import Status
from editorial.roles import EDITORS, PUBLISHERS, TRANSLATORS
from editorial.versions import edit_token
from tests import factories
from tests.admin_forms import form_data
from tests.conftest import soup

from .conftest import admin_url, change_form, errors, make_user

pytestmark = pytest.mark.django_db


def logged_in(username, group_name=EDITORS) -> Client:
    client = Client()
    client.force_login(make_user(username, group_name))
    return client


@pytest.fixture
def alice():
    return logged_in("alice")


@pytest.fixture
def bob():
    return logged_in("bob")


@pytest.fixture
def meeting(alice):
    """A meeting as the archive holds it after an earlier save through the admin (so it has a version)."""
    meeting = factories.meeting(title_fr="Séance", title_en="Session", city_fr="Tokyo", city_en="Tokyo")
    _response, data = change_form(alice, meeting)
    assert alice.post(admin_url(meeting, "change"), data).status_code == 302
    meeting.refresh_from_db()
    return meeting


def refusal(response) -> list[str]:
    """The messages above the form: the refusal, then one line per change the other person made."""
    return [" ".join(li.get_text().split()) for li in soup(response).select(".errorlist.nonfield li")]


def test_the_form_carries_the_time_of_the_last_save(alice, meeting):
    response, data = change_form(alice, meeting)
    assert soup(response).select_one("input[type=hidden][name=edit_token]")
    assert data["edit_token"] == edit_token(meeting.modified_at)


def test_the_second_save_is_refused_and_names_who_saved_and_what_changed(alice, bob, meeting):
    _page, alice_data = change_form(alice, meeting)
    _page, bob_data = change_form(bob, meeting)

    assert alice.post(admin_url(meeting, "change"), {**alice_data, "title_en": "Plenary session"}).status_code == 302
    response = bob.post(
        admin_url(meeting, "change"), {**bob_data, "city_en": "Kyoto", "venue_en": "Kyoto Guest House"}
    )

    assert response.status_code == 200
    assert soup(response).select_one(".errornote")
    lines = refusal(response)
    assert lines[0].startswith("Not saved: alice saved this item on"), lines
    assert "title [en]: “Session” → “Plenary session”" in lines[1:], lines
    assert len(lines) == 2, "only what alice changed is listed"
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.city_en, meeting.venue_en or "") == ("Plenary session", "Tokyo", "")

    # Bob's input is still in the form, as he typed it.
    page = soup(response)
    assert page.select_one("[name=city_en]")["value"] == "Kyoto"
    assert page.select_one("[name=venue_en]")["value"] == "Kyoto Guest House"
    assert page.select_one("[name=title_en]")["value"] == "Session"

    # Sending that same form again is still refused: it is still based on the old version.
    again = bob.post(admin_url(meeting, "change"), form_data(response, "form#meeting_form"))
    assert again.status_code == 200 and refusal(again)
    meeting.refresh_from_db()
    assert meeting.city_en == "Tokyo"


def test_reopening_the_item_then_saving_keeps_both_changes(alice, bob, meeting):
    _page, alice_data = change_form(alice, meeting)
    _page, bob_data = change_form(bob, meeting)
    alice.post(admin_url(meeting, "change"), {**alice_data, "title_en": "Plenary session"})
    assert bob.post(admin_url(meeting, "change"), {**bob_data, "city_en": "Kyoto"}).status_code == 200

    reopened, data = change_form(bob, meeting)
    assert soup(reopened).select_one("[name=title_en]")["value"] == "Plenary session"
    response = bob.post(admin_url(meeting, "change"), {**data, "city_en": "Kyoto"})
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.city_en) == ("Plenary session", "Kyoto")


def test_nothing_of_the_refused_save_reaches_the_inline_records(alice, bob, meeting):
    _page, alice_data = change_form(alice, meeting)
    _page, bob_data = change_form(bob, meeting)
    alice.post(admin_url(meeting, "change"), {**alice_data, "title_en": "Plenary session"})
    person = factories.person()
    bob_data.update(
        {
            "delegations-TOTAL_FORMS": "1",
            "delegations-0-party": str(factories.party().pk),
            "delegations-0-members-TOTAL_FORMS": "1",
            "delegations-0-members-INITIAL_FORMS": "0",
            "delegations-0-members-0-person": str(person.pk),
            "delegations-0-members-0-role": "member",
            "delegations-0-members-0-order": "1",
        }
    )
    assert bob.post(admin_url(meeting, "change"), bob_data).status_code == 200
    assert not meeting.delegations.exists()


def test_a_publication_in_between_is_a_conflict_too(alice, bob, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(publication_status=Status.REVIEW, publish_at=None)
    _page, data = change_form(alice, meeting)
    assert alice.post(admin_url(meeting, "change"), data).status_code == 302
    _page, bob_data = change_form(bob, meeting)
    publisher = logged_in("paula", PUBLISHERS)
    publisher.post(admin_url(Meeting, "changelist"), {"action": "publish_selected", "_selected_action": [meeting.pk]})

    response = bob.post(admin_url(meeting, "change"), {**bob_data, "title_en": "Renamed"})
    lines = refusal(response)
    assert lines[0].startswith("Not saved: paula saved this item"), lines
    assert any(line.startswith("publication status: “in review” → “published”") for line in lines), lines
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.publication_status) == ("Session", Status.PUBLISHED)


def test_only_the_people_who_saved_after_the_form_was_opened_are_named(alice, bob, meeting):
    """A save made outside the admin (a script, an import) leaves no version: earlier editors are not blamed."""
    meeting.city_en = "Osaka"
    meeting.save()  # alice saved before, through the admin; this save has no version
    _page, bob_data = change_form(bob, meeting)
    carol = logged_in("carol")
    _page, data = change_form(carol, meeting)
    carol.post(admin_url(meeting, "change"), {**data, "title_en": "Carol's title"})
    lines = refusal(bob.post(admin_url(meeting, "change"), {**bob_data, "venue_en": "Hall"}))
    assert lines[0].startswith("Not saved: carol saved this item"), lines


def test_a_translator_is_protected_from_an_editors_newer_save_too(alice, meeting):
    translator = logged_in("tomoko", TRANSLATORS)
    _page, translator_data = change_form(translator, meeting)
    _page, alice_data = change_form(alice, meeting)
    alice.post(admin_url(meeting, "change"), {**alice_data, "title_en": "Plenary session"})
    response = translator.post(admin_url(meeting, "change"), {**translator_data, "title_fr": "Séance plénière"})
    lines = refusal(response)
    assert lines[0].startswith("Not saved: alice saved this item"), lines
    meeting.refresh_from_db()
    assert (meeting.title_fr, meeting.title_en) == ("Séance", "Plenary session")


def test_a_record_never_saved_through_the_admin_is_protected_as_well(alice, bob):
    """Records loaded from fixtures have no version yet: the refusal still names who saved since."""
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _page, alice_data = change_form(alice, meeting)
    _page, bob_data = change_form(bob, meeting)
    alice.post(admin_url(meeting, "change"), {**alice_data, "title_en": "Plenary session"})
    response = bob.post(admin_url(meeting, "change"), {**bob_data, "city_en": "Kyoto"})
    assert response.status_code == 200
    assert refusal(response)[0].startswith("Not saved: alice saved this item")
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.city_en) == ("Plenary session", "Tokyo")


def test_saves_one_after_the_other_are_no_conflict(alice, bob, meeting):
    _page, data = change_form(alice, meeting)
    assert alice.post(admin_url(meeting, "change"), {**data, "title_en": "First"}).status_code == 302
    _page, data = change_form(bob, meeting)
    assert bob.post(admin_url(meeting, "change"), {**data, "title_en": "Second"}).status_code == 302
    _page, data = change_form(alice, meeting)
    assert alice.post(admin_url(meeting, "change"), {**data, "title_en": "Third"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title_en == "Third"
