"""The history reads in its reader's language, whoever saved and in whichever language they worked.

Each message is stored with its text in every language (field labels, the names of the records
saved with the item, the words around them); the history page shows the reader's. Names of
records never mix languages, even with translations deactivated (as Django's log used to read them).
"""

import pytest
from django.utils import translation

from dialogue.models import Meeting
from editorial import services
from editorial.roles import PUBLISHERS
from tests import factories
from tests.admin_forms import make_user
from tests.conftest import soup, text

from .conftest import admin_url, change_form, errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    dialogue = factories.dialogue(name_fr="Dialogue global sur l’espace", name_en="Comprehensive Space Dialogue")
    meeting = factories.meeting(dialogue, number=2, title_fr="", title_en="")
    factories.delegation(meeting, factories.party(), members=[factories.person()])
    return meeting


def history(client, meeting, language) -> list[str]:
    page = soup(client.get(admin_url(meeting, "history", language=language)))
    return [text(row.select("td")[-1]) for row in page.select("#change-history tbody tr")]


def test_a_french_editors_save_reads_in_english_for_an_english_reader(editor_role, meeting):
    _page, data = change_form(editor_role, meeting, language="fr")
    data |= {"city_en": "Tokyo (Japan)", "delegations-0-note_fr": "Délégation conduite par le SGDSN."}
    response = editor_role.post(admin_url(meeting, "change", language="fr"), data)
    assert response.status_code == 302, errors(response)

    assert history(editor_role, meeting, "en")[0] == (
        "Changed city (EN). Changed note (FR) for delegation “French side at 2nd session of the "
        "Comprehensive Space Dialogue”."
    )
    assert history(editor_role, meeting, "fr")[0] == (
        "Modification de ville (EN). Modification de note (FR) pour l'objet délégation « côté français – "
        "2e session du Dialogue global sur l’espace »."
    )


def test_a_service_message_reads_in_the_readers_language(editor_role, meeting):
    publisher = make_user("publisher", PUBLISHERS)
    with translation.override("fr"):
        services.withdraw(item=meeting, user=publisher)
    assert history(editor_role, meeting, "en")[0] == "Withdrawn."
    assert history(editor_role, meeting, "fr")[0] == "Retiré."


def test_the_compare_page_names_the_records_in_the_readers_language(editor_role, meeting):
    for note in ("Première note.", "Seconde note."):
        _page, data = change_form(editor_role, meeting, language="fr")
        data["delegations-0-note_fr"] = note
        assert editor_role.post(admin_url(meeting, "change", language="fr"), data).status_code == 302
    page = soup(editor_role.get(admin_url(meeting, "history", language="en")))
    new, old = (radio["value"] for radio in page.select("input[name=to]")[:2])
    compare = admin_url(meeting, "history", language="en") + f"compare/?from={old}&to={new}"
    page = soup(editor_role.get(compare))
    assert text(page.select_one("h1")) == "Compare versions of 2nd session of the Comprehensive Space Dialogue"
    (item,) = page.select(".version-compare > ul > li")
    assert text(item).startswith("Delegation “French side at 2nd session of the Comprehensive Space Dialogue”")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (None, "French side at 2nd session of the Comprehensive Space Dialogue"),
        ("en", "French side at 2nd session of the Comprehensive Space Dialogue"),
        ("fr", "côté français – 2e session du Dialogue global sur l’espace"),
    ],
)
def test_a_delegations_name_is_in_one_language(meeting, language, expected):
    """With translations deactivated, interface strings are their English msgids: so are the texts put in them."""
    delegation = Meeting.objects.get(pk=meeting.pk).delegations.get()
    with translation.override(language):
        assert str(delegation) == expected
