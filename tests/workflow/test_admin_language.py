"""The admin's own words in proper French and English: actions, “add” links, duplicate rows, pages.

Django fills one sentence with every model's name (“Supprimer les réunions sélectionnés”,
“Ajouter un objet Membre De Délégation supplémentaire”, “Corrigez les données en double dans
party”); each admin and inline here says it in its own words, which agree in French.
"""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.utils import translation

from dialogue.models import Instrument, Meeting, Party
from editorial.admin.labels import unique_error_message
from tests import factories
from tests.conftest import soup, text

from .conftest import admin_url, change_form, errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    client.force_login(User.objects.create_superuser("chief"))
    return client


def action_labels(client, model, language) -> dict[str, str]:
    page = soup(client.get(admin_url(model, "changelist", language=language)))
    return {option["value"]: text(option) for option in page.select("select[name=action] option[value]")}


def test_every_admin_says_its_delete_action_in_its_own_words(rf):
    request = rf.get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    generic = []
    for model, model_admin in admin.site._registry.items():
        action = model_admin.get_actions(request).get("delete_selected")
        if action is not None and not getattr(model_admin, "delete_selected_description", None):
            generic.append(model._meta.label)
    assert generic == []


@pytest.mark.parametrize(
    ("model", "french", "english"),
    [
        (Meeting, "Supprimer les réunions sélectionnées", "Delete the selected meetings"),
        (Instrument, "Supprimer les instruments sélectionnés", "Delete the selected instruments"),
        (Party, "Supprimer les parties sélectionnées", "Delete the selected parties"),
    ],
)
def test_the_delete_action_agrees_with_its_model(chief, model, french, english):
    {Meeting: factories.meeting, Instrument: factories.instrument, Party: factories.party}[model]()  # a list with rows
    assert action_labels(chief, model, "fr")["delete_selected"] == french
    assert action_labels(chief, model, "en")["delete_selected"] == english


def test_the_sign_in_records_read_well_in_the_index(chief):
    from axes.models import AccessLog

    AccessLog.objects.create(username="chief", ip_address="127.0.0.1", user_agent="test")
    page = soup(chief.get("/fr/admin/"))
    assert "Limitation des connexions" in [text(caption) for caption in page.select("#content-main caption a")]
    assert action_labels(chief, AccessLog, "fr")["delete_selected"] == "Supprimer les connexions sélectionnées"
    page = soup(chief.get("/en/admin/"))
    assert "Sign-in throttling" in [text(caption) for caption in page.select("#content-main caption a")]


def test_the_bulk_delete_confirmation_agrees_whatever_the_gender(chief):
    meetings = [factories.meeting(), factories.meeting()]
    response = chief.post(
        admin_url(Meeting, "changelist", language="fr"),
        {"action": "delete_selected", "_selected_action": [m.pk for m in meetings]},
    )
    page = soup(response)
    assert text(page.select_one("#content p")).startswith("Voulez-vous vraiment supprimer la sélection (réunions) ?")
    assert page.select_one("input[type=submit]")["value"] == "Oui, je confirme"


# “Add” links -------------------------------------------------------------------------------------


def every_inline():
    for model_admin in admin.site._registry.values():
        stack = list(model_admin.inlines)
        while stack:
            inline = stack.pop()
            yield inline
            stack += list(getattr(inline, "inlines", []))


def test_every_inline_has_its_own_add_label():
    assert [inline.__name__ for inline in every_inline() if not getattr(inline, "add_label", None)] == []


@pytest.mark.parametrize(
    ("language", "delegation", "member", "signatory"),
    [
        ("fr", "Ajouter une délégation", "Ajouter un membre de délégation", "Ajouter un signataire"),
        ("en", "Add a delegation", "Add a delegation member", "Add a signatory"),
    ],
)
def test_add_links_say_what_they_add(editor_client, language, delegation, member, signatory):
    meeting = factories.meeting()
    factories.delegation(meeting, factories.party())
    page = soup(editor_client.get(admin_url(meeting, "change", language=language)))
    # django-nested-admin's links are in its templates (ours)…
    assert text(page.select_one("#delegations-group > fieldset > .djn-add-item a")) == delegation
    assert {text(a) for a in page.select("#delegations-0-members-group .djn-add-handler")} == {member}
    # … Django's inlines write theirs from the formset's data.
    page = soup(editor_client.get(admin_url(Instrument, "add", language=language)))
    data = json.loads(page.select_one("#signatories-group")["data-inline-formset"])
    assert data["options"]["addText"] == signatory


# Duplicate rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Cette partie a déjà une délégation à cette réunion."),
        ("en", "This party already has a delegation at this meeting."),
    ],
)
def test_two_rows_breaking_a_unique_rule_say_which_rule(editor_client, language, message):
    meeting = factories.meeting()
    factories.delegation(meeting, factories.party())
    _page, data = change_form(editor_client, meeting, language=language)
    for name, value in list(data.items()):
        if name.startswith("delegations-0-") and "-members-" not in name:
            data["delegations-1-" + name[len("delegations-0-") :]] = "" if name.endswith("-id") else value
    data |= {
        "delegations-TOTAL_FORMS": "2",
        "delegations-1-members-TOTAL_FORMS": "0",
        "delegations-1-members-INITIAL_FORMS": "0",
    }
    response = editor_client.post(admin_url(meeting, "change", language=language), data)
    assert response.status_code == 200
    assert message in errors(response)
    assert Meeting.objects.get(pk=meeting.pk).delegations.count() == 1


def test_a_unique_rule_without_a_message_names_the_fields_in_the_readers_language():
    with translation.override("fr"):
        assert unique_error_message(Party, ["code"]) == (
            "Deux lignes donnent la même valeur pour « Code pays » : chacune doit être différente."
        )
    with translation.override("en"):
        assert (
            unique_error_message(Party, ["code"]) == "Two rows give the same “Country code”: each must be different."
        )


def test_a_missing_language_is_named_as_inside_a_sentence(publisher):
    instrument = factories.instrument(title_en="", publication_status="review", publish_at=None)
    _page, data = change_form(publisher, instrument, language="fr")
    response = publisher.post(
        admin_url(instrument, "change", language="fr"), {**data, "publication_status": "published"}
    )
    assert any("son texte manque en anglais." in message for message in errors(response)), errors(response)
