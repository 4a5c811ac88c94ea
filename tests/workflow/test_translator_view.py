"""The translator's view: each source text, read-only, beside the field translating it, its changes highlighted.

A translator opens ``…/translate/`` from the change form or the dashboard; the source language is
the original (or the one ahead); the words changed in the source since the target was last updated
are marked; saving goes through the admin's form (edit token, role limits), writes a version and a
log entry, and never marks the source as outdated. Only the target language's texts, of the item
and of the records it owns, can change, whatever is posted.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from reversion.models import Version

from dialogue.models import DelegationMember, Instrument, Meeting
from editorial.roles import EDITORS, TRANSLATORS
from tests import factories
from tests.admin_forms import form_data, make_user
from tests.conftest import soup, text

from .conftest import admin_url, change_form, errors, messages_of

pytestmark = pytest.mark.django_db

SUMMARY_FR = "<p>Les deux délégations ont fait le point sur la surveillance de l’espace.</p>"
SUMMARY_EN = "<p>The two delegations reviewed space situational awareness.</p>"


def translate_url(obj, language="en", query=""):
    return admin_url(obj, "translate", obj.pk, language=language) + query


def translator_page(client, obj, language="en", query=""):
    response = client.get(translate_url(obj, language, query))
    assert response.status_code == 200, response.status_code
    return response, soup(response), form_data(response, "form#translate_form")


def pairs(page) -> dict[str, dict]:
    """{label: {source, changed, diff, target name}} of the item's own texts."""
    found = {}
    for pair in page.select("fieldset.translator__section")[0].select(".translation-pair"):
        label = text(pair.select_one(".translation-pair__label")).split(" (")[0]
        found[label] = {
            "source": text(pair.select_one(".translation-pair__text")),
            "lang": pair.select_one(".translation-pair__text")["lang"],
            "changed": "translation-pair--changed" in pair["class"],
            "inserted": [text(ins) for ins in pair.select(".diff ins")],
            "deleted": [text(d) for d in pair.select(".diff del")],
            "target": (pair.select_one(".translation-pair__target [name]") or {}).get("name"),
        }
    return found


@pytest.fixture
def meeting(editor_role):
    """A meeting written in French and translated, then edited in French by an editor: English is behind."""
    meeting = factories.meeting(
        title_fr="Séance plénière",
        title_en="Plenary session",
        summary_fr=SUMMARY_FR,
        summary_en=SUMMARY_EN,
        original_language="fr",
        publication_status="draft",
        publish_at=None,
    )
    factories.delegation(meeting, factories.party(), members=[factories.person()])
    _page, data = change_form(editor_role, meeting)  # a first version, both languages current
    data |= {"city_fr": "Tokyo (Japon)", "city_en": "Tokyo (Japan)"}
    assert editor_role.post(admin_url(meeting, "change"), data).status_code == 302
    _page, data = change_form(editor_role, meeting)
    data["summary_fr"] = SUMMARY_FR.replace("de l’espace", "de l’espace et les débris orbitaux")
    assert editor_role.post(admin_url(meeting, "change"), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.outdated_languages() == ["en"]
    return meeting


@pytest.mark.parametrize(
    ("language", "direction", "status"),
    [
        (
            "en",
            "Source: French (the original). Translation: English.",
            "The French text changed in 1 place since the English was last updated: it is highlighted below.",
        ),
        (
            "fr",
            "Source : français (l’original). Traduction : anglais.",
            "Le texte en français a changé à 1 endroit depuis la dernière mise à jour du texte en anglais : il est "
            "surligné ci-dessous.",
        ),
    ],
)
def test_a_translator_sees_the_source_beside_the_field_and_what_changed(
    role_client, meeting, language, direction, status
):
    translator = role_client(TRANSLATORS)
    _response, page, _data = translator_page(translator, meeting, language)
    assert text(page.select_one(".translator__direction")).startswith(direction)
    assert text(page.select_one(".translator__status")) == status
    label = {"en": ("Summary", "Title"), "fr": ("Résumé", "Titre")}[language]
    summary, title = pairs(page)[label[0]], pairs(page)[label[1]]
    assert summary["lang"] == "fr" and "débris orbitaux" in summary["source"]
    assert summary["changed"]
    assert (summary["deleted"], summary["inserted"]) == (["l’espace."], ["l’espace et les débris orbitaux."])
    assert summary["target"] == "summary_en" and title["target"] == "title_en"
    assert not title["changed"] and title["source"] == "Séance plénière"
    # Texts only, and in the target language only: no other field can be posted.
    names = set(form_data(_response, "form#translate_form"))
    assert not {"start_date", "publication_status", "title_fr", "summary_fr", "dialogue"} & names


def test_saving_the_translation_catches_up_and_outdates_nothing(role_client, meeting):
    translator = role_client(TRANSLATORS)
    _response, _page, data = translator_page(translator, meeting)
    data["summary_en"] = "<p>The two delegations reviewed space situational awareness and orbital debris.</p>"
    versions_before, log_before = Version.objects.get_for_object(meeting).count(), LogEntry.objects.count()
    response = translator.post(translate_url(meeting), data, follow=True)
    assert messages_of(response) == ["The English texts of “Plenary session” were saved."]
    meeting.refresh_from_db()
    assert "orbital debris" in meeting.summary_en
    assert meeting.outdated_languages() == []
    assert meeting.text_updated_en == meeting.text_updated_fr
    assert Version.objects.get_for_object(meeting).count() == versions_before + 1
    entry = LogEntry.objects.latest("pk")
    assert (LogEntry.objects.count(), entry.user, entry.object_id) == (
        log_before + 1,
        translator.user,
        str(meeting.pk),
    )
    _response, page, _data = translator_page(translator, meeting)
    assert text(page.select_one(".translator__status")) == "The English text is up to date with the French."
    assert not page.select(".translation-pair--changed")


@pytest.mark.parametrize("original", ["fr", "en"])
def test_completing_a_missing_language_in_the_view_outdates_nothing(role_client, original):
    translator = role_client(TRANSLATORS)
    target = "en" if original == "fr" else "fr"
    instrument = factories.instrument(
        **{f"title_{original}": "Texte original", f"title_{target}": "", "publication_status": "draft"},
        publish_at=None,
    )
    _response, page, data = translator_page(translator, instrument)
    assert data.keys() >= {f"title_{target}", f"summary_{target}"}  # the view goes from the written language
    assert text(page.select_one(".translator__status")).endswith("everything is to translate.")
    data[f"title_{target}"] = "Texte traduit"
    response = translator.post(translate_url(instrument), data)
    assert response.status_code == 302, errors(response)
    instrument.refresh_from_db()
    assert getattr(instrument, f"title_{target}") == "Texte traduit"
    assert instrument.outdated_languages() == []
    assert not Instrument.objects.outdated_in(original).exists()


def test_the_direction_follows_the_original_and_can_be_reversed(role_client):
    translator = role_client(TRANSLATORS)
    release = factories.press_release(title_fr="Communiqué", title_en="Release", original_language="en")
    _response, _page, data = translator_page(translator, release)
    assert "title_fr" in data and "title_en" not in data
    _response, _page, data = translator_page(translator, release, query="?from=fr&to=en")
    assert "title_en" in data and "title_fr" not in data
    _response, _page, data = translator_page(translator, release, query="?from=xx&to=fr&<script>")
    assert "title_fr" in data  # nonsense is ignored: the default direction


def test_the_texts_of_the_records_an_item_owns_are_translated_too(role_client, meeting):
    translator = role_client(TRANSLATORS)
    member = DelegationMember.objects.get(delegation__meeting=meeting)
    DelegationMember.objects.filter(pk=member.pk).update(title_fr="Secrétaire général", title_en="")
    _response, page, data = translator_page(translator, meeting)
    sections = [text(h2) for h2 in page.select("fieldset.translator__section > h2")]
    assert sections == ["Meeting", "Delegations", "Delegation members"]
    assert data["delegationmember-0-title_en"] == ""
    data["delegationmember-0-title_en"] = "Secretary-General"
    assert translator.post(translate_url(meeting), data).status_code == 302
    member.refresh_from_db()
    assert (member.title_fr, member.title_en) == ("Secrétaire général", "Secretary-General")


@pytest.mark.parametrize("attack", ["another item's row", "an extra row", "another field"])
def test_crafted_posts_change_nothing_else(role_client, meeting, attack):
    translator = role_client(TRANSLATORS)
    other = factories.meeting()
    theirs = factories.delegation(other, factories.party(), members=[factories.person()]).members.get()
    _response, _page, data = translator_page(translator, meeting)
    data["title_en"] = "Changed title"
    if attack == "another item's row":
        data["delegationmember-0-id"] = str(theirs.pk)
        data["delegationmember-0-title_en"] = "Hijacked"
    elif attack == "an extra row":
        data |= {"delegationmember-TOTAL_FORMS": "2", "delegationmember-1-title_en": "Added"}
    else:
        data |= {"start_date": "1999-01-01", "publication_status": "published", "title_fr": "Vandalisé"}
    count = DelegationMember.objects.count()
    response = translator.post(translate_url(meeting), data)
    meeting.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.title_en != "Hijacked" and DelegationMember.objects.count() == count
    if attack == "another field":
        assert response.status_code == 302
        assert (str(meeting.start_date), meeting.publication_status, meeting.title_fr) == (
            "2017-03-24",
            "draft",
            "Séance plénière",
        )
    else:
        assert response.status_code == 200
        assert meeting.title_en == "Plenary session"  # a failed save saves nothing
        assert any("nothing was saved" in message for message in errors(response)), errors(response)


def test_a_save_over_someone_elses_is_refused(role_client, meeting):
    editor = Client()
    editor.force_login(make_user("second-editor", EDITORS))
    translator = role_client(TRANSLATORS)
    _response, _page, stale = translator_page(translator, meeting)
    _page, data = change_form(editor, meeting)
    assert editor.post(admin_url(meeting, "change"), {**data, "title_en": "Editor's title"}).status_code == 302
    response = translator.post(translate_url(meeting), {**stale, "title_en": "Translator's title"})
    assert response.status_code == 200
    assert any(message.startswith("Not saved: second-editor saved this item") for message in errors(response)), errors(
        response
    )
    meeting.refresh_from_db()
    assert meeting.title_en == "Editor's title"


def test_who_may_open_it(role_client, meeting):
    client = Client()
    response = client.get(translate_url(meeting))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    viewer = make_user("viewer")
    viewer.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    client.force_login(viewer)
    assert client.get(translate_url(meeting)).status_code == 403
    translator = role_client(TRANSLATORS)
    assert translator.get(admin_url(Meeting, "translate", 10**9)).status_code == 404
    assert translator.get(admin_url(Meeting, "translate", "nonsense")).status_code == 404


def test_it_is_linked_from_the_change_form_and_the_dashboard(role_client, meeting):
    translator = role_client(TRANSLATORS)
    page = soup(translator.get(admin_url(meeting, "change")))
    assert page.select_one(".object-tools a.translatelink")["href"] == translate_url(meeting)
    page = soup(translator.get("/en/admin/translations/"))
    assert translate_url(meeting) in {a["href"] for a in page.select(".translation-items a.translate-link")}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_kind_with_texts_has_the_view(editor_client, reference_archive, language):
    answered = []
    for model, model_admin in admin.site._registry.items():
        if getattr(model_admin, "has_translator_view", lambda: False)() and (record := model.objects.first()):
            response = editor_client.get(translate_url(record, language))
            assert response.status_code == 200, model
            answered.append(model._meta.model_name)
    assert {"meeting", "instrument", "pressrelease", "organization", "delegation"} <= set(answered)
