"""History: every admin save is a version with its user; two versions compare field by field;
an earlier version can be restored, and a deleted item recovered with the records saved with it."""

import pytest
from django.utils import translation
from reversion.models import Version

from archive.models import PressRelease, Quotation
from dialogue.models import DelegationMember, Instrument, Meeting
from editorial.logmessages import readable
from editorial.models import Status
from tests import factories
from tests.admin_forms import form_data
from tests.conftest import soup, text

from .conftest import admin_url, change_form, errors, make_user, messages_of

pytestmark = pytest.mark.django_db


def save(client, obj, **changes):
    _response, data = change_form(client, obj)
    response = client.post(admin_url(obj, "change"), {**data, **changes})
    assert response.status_code == 302, errors(response)
    obj.refresh_from_db()
    return obj


def versions(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))  # newest first


def compare_url(obj, old, new, language="en"):
    return admin_url(obj, "history", language=language) + f"compare/?from={old.pk}&to={new.pk}"


def compared_rows(response) -> dict[str, tuple[str, str]]:
    """{field: (before, after)} of the comparison table."""
    rows = {}
    for row in soup(response).select(".version-compare table tbody tr"):
        cells = row.select("td")
        rows[text(row.select_one("th"))] = (text(cells[0]), text(cells[1]))
    return rows


def test_each_admin_save_is_a_version_with_its_user(editor_role, role_client):
    meeting = factories.meeting(title_fr="Première séance", title_en="First session")
    save(editor_role, meeting, title_en="First session (draft 1)")
    publisher = role_client("Publishers")
    save(publisher, meeting, title_en="First session (draft 2)")
    found = versions(meeting)
    assert [v.revision.user.username for v in found] == ["publishers", "editors"]
    assert [v.field_dict["title_en"] for v in found] == ["First session (draft 2)", "First session (draft 1)"]

    page = soup(publisher.get(admin_url(meeting, "history")))
    rows = page.select("#change-history tbody tr")
    assert [text(row.select("td")[2]) for row in rows] == ["publishers", "editors"]
    assert [row.select_one("input[name=to]")["value"] for row in rows] == [str(v.pk) for v in found]
    assert page.select_one("input[name=from][checked]")["value"] == str(found[1].pk)  # ready to compare the last two


def test_a_version_keeps_the_records_edited_inline(editor_role):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    factories.delegation(meeting, factories.party(), members=[factories.person()])
    save(editor_role, meeting)
    revision = versions(meeting)[0].revision
    saved = {version.content_type.model for version in revision.version_set.all()}
    assert saved == {"meeting", "delegation", "delegationmember"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compare_shows_the_fields_that_changed_and_only_those(editor_role, language):
    meeting = factories.meeting(title_fr="Séance", title_en="Session", city_fr="Tokyo", city_en="Tokyo")
    save(editor_role, meeting)
    save(
        editor_role,
        meeting,
        title_en="Plenary session",
        city_en="Kyoto",
        summary_en="<p>Talks held.</p>",
        summary_fr="<p>Entretiens.</p>",
    )
    new, old = versions(meeting)
    response = editor_role.get(compare_url(meeting, old, new, language))
    assert response.status_code == 200
    rows = compared_rows(response)
    with translation.override(language):
        title = str(Meeting._meta.get_field("title_en").verbose_name).capitalize()
        city = str(Meeting._meta.get_field("city_en").verbose_name).capitalize()
        summary_en = str(Meeting._meta.get_field("summary_en").verbose_name).capitalize()
        summary_fr = str(Meeting._meta.get_field("summary_fr").verbose_name).capitalize()
    assert rows == {
        title: ("Session", "Plenary session"),
        city: ("Tokyo", "Kyoto"),
        summary_fr: ("—", "Entretiens."),
        summary_en: ("—", "Talks held."),
    }
    diff = soup(response).select(".version-compare td.diff")[0]
    assert [text(tag) for tag in diff.select("del")] == ["Session"]
    assert [text(tag) for tag in diff.select("ins")] == ["Plenary session"]


def test_saves_from_the_admin_in_each_language_differ_in_nothing(editor_role):
    """The untranslated column modeltranslation keeps (``title``) mirrors the editor's language: no change."""
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _response, data = change_form(editor_role, meeting, language="fr")
    assert editor_role.post(admin_url(meeting, "change", language="fr"), data).status_code == 302
    save(editor_role, meeting)  # the same, from the English admin
    new, old = versions(meeting)
    page = soup(editor_role.get(compare_url(meeting, old, new)))
    assert compared_rows(editor_role.get(compare_url(meeting, old, new))) == {}
    assert page.select_one(".version-compare p + p, .version-compare > p:nth-of-type(2)") is not None


def test_compare_lists_the_records_saved_with_the_item(editor_role):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    save(editor_role, meeting)
    person = factories.person(given_name="Akiko", family_name="Sato")
    factories.delegation(meeting, factories.japan(), members=[person])
    save(editor_role, meeting)
    new, old = versions(meeting)
    page = soup(editor_role.get(compare_url(meeting, old, new)))
    related = [text(li) for li in page.select(".version-compare > ul > li")]
    assert any("Delegation" in line and "added" in line for line in related), related
    assert any("SATO" in line and "added" in line for line in related), related


def test_compare_in_either_order_reads_from_older_to_newer(editor_role):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    save(editor_role, meeting)
    save(editor_role, meeting, title_en="Renamed")
    new, old = versions(meeting)
    rows = compared_rows(editor_role.get(compare_url(meeting, new, old)))
    assert list(rows.values()) == [("Session", "Renamed")]


@pytest.mark.parametrize("query", ["", "?from=1", "?from=x&to=y", "?from={a}&to={other}", "?from={a}&to=999999"])
def test_compare_without_two_versions_of_this_item_goes_back_to_the_history(editor_role, query):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    save(editor_role, meeting)
    other = save(editor_role, factories.meeting(title_fr="Autre", title_en="Other"))
    query = query.format(a=versions(meeting)[0].pk, other=versions(other)[0].pk)
    response = editor_role.get(admin_url(meeting, "history") + "compare/" + query, follow=True)
    assert response.redirect_chain[-1][0] == admin_url(meeting, "history")
    assert "Choose two versions of this item to compare." in messages_of(response)


def test_compare_needs_the_view_permission(client, editor_role):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    save(editor_role, meeting)
    save(editor_role, meeting, title_en="Renamed")
    new, old = versions(meeting)
    client.force_login(make_user("stranger"))
    assert client.get(compare_url(meeting, old, new)).status_code == 403


def revert(client, obj, version):
    url = admin_url(obj, "revision", obj.pk, version.pk)
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page, f"form#{obj._meta.model_name}_form"))


def test_revert_restores_the_earlier_version(editor_role):
    meeting = factories.meeting(title_fr="Séance", title_en="Session", city_en="Tokyo")
    factories.delegation(meeting, factories.party(), members=[factories.person()])
    save(editor_role, meeting)
    good = versions(meeting)[0]
    save(editor_role, meeting, title_en="Vandalised", city_en="Nowhere", **{"delegations-0-DELETE": "on"})
    assert not meeting.delegations.exists()

    response = revert(editor_role, meeting, good)
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.city_en) == ("Session", "Tokyo")
    assert (
        meeting.delegations.count() == 1 and DelegationMember.objects.filter(delegation__meeting=meeting).count() == 1
    )
    latest = versions(meeting)[0]
    assert latest.revision.user == editor_role.user
    with translation.override("en"):
        assert readable(latest.revision.comment).startswith("Restored the version of")


def test_looking_at_an_old_version_changes_nothing(editor_role):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    save(editor_role, meeting)
    old = versions(meeting)[0]
    save(editor_role, meeting, title_en="Current")
    page = editor_role.get(admin_url(meeting, "revision", meeting.pk, old.pk))
    assert soup(page).select_one("[name=title_en]")["value"] == "Session"
    meeting.refresh_from_db()
    assert meeting.title_en == "Current"
    assert len(versions(meeting)) == 2


def delete(client, obj):
    response = client.post(admin_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("kind", ["meeting", "instrument", "press release"])
def test_a_deleted_item_is_recovered_with_its_inline_records(publisher, kind):
    editor_role = publisher  # a published item: only a publisher may bring it back as it was
    if kind == "meeting":
        obj = factories.meeting(title_fr="Séance", title_en="Session")
        factories.delegation(obj, factories.party(), members=[factories.person()])
        children = lambda: DelegationMember.objects.filter(delegation__meeting_id=obj.pk).count()  # noqa: E731
    elif kind == "instrument":
        obj = factories.instrument()
        obj.signatories.create(party=factories.party(), person=factories.person(), order=1)
        children = lambda: Instrument.objects.get(pk=obj.pk).signatories.count()  # noqa: E731
    else:
        obj = factories.press_release()
        Quotation.objects.create(press_release=obj, speaker=factories.person(), text_fr="Oui", text_en="Yes")
        children = lambda: Quotation.objects.filter(press_release_id=obj.pk).count()  # noqa: E731
    model = type(obj)
    save(editor_role, obj)
    delete(editor_role, obj)

    page = soup(editor_role.get(admin_url(model, "recoverlist")))
    (version,) = Version.objects.get_deleted(model)
    link = page.select_one(f"a[href$='recover/{version.pk}/']")
    assert link is not None and str(obj) in text(link.parent.parent)
    url = admin_url(model, "recover", version.pk)
    response = editor_role.post(url, form_data(editor_role.get(url), f"form#{model._meta.model_name}_form"))
    assert response.status_code == 302, errors(response)
    recovered = model.objects.get(pk=obj.pk)
    assert str(recovered) == str(obj)
    assert children() == 1
    assert not Version.objects.get_deleted(model).exists()


def test_an_editor_recovers_a_deleted_draft(editor_role):
    meeting = factories.meeting(title_fr="Séance", title_en="Session", publication_status="draft", publish_at=None)
    save(editor_role, meeting)
    delete(editor_role, meeting)
    (version,) = Version.objects.get_deleted(Meeting)
    url = admin_url(Meeting, "recover", version.pk)
    response = editor_role.post(url, form_data(editor_role.get(url), "form#meeting_form"))
    assert response.status_code == 302, errors(response)
    assert Meeting.objects.get(pk=meeting.pk).publication_status == Status.DRAFT


def test_a_translator_can_neither_see_nor_use_the_recovery(translator):
    assert translator.get(admin_url(Meeting, "recoverlist")).status_code == 403


# Reverting is editing: it stays within the user's role ----------------------------------------


def test_an_editor_cannot_republish_a_withdrawn_item_by_reverting(role_client):
    publisher = role_client("Publishers", "publisher")
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    save(publisher, meeting)
    published_version = versions(meeting)[0]
    save(publisher, meeting, publication_status="withdrawn")

    editor = role_client("Editors", "writer")
    url = admin_url(meeting, "revision", meeting.pk, published_version.pk)
    page = editor.get(url)  # the editor may look at the version, warned that saving it is not theirs to do
    assert any("Only a publisher can restore this version" in m for m in messages_of(page))
    response = editor.post(url, form_data(page, "form#meeting_form"), follow=True)
    assert response.redirect_chain[-1][0] == admin_url(meeting, "history")
    assert any("Only a publisher can restore this version" in m for m in messages_of(response))
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.WITHDRAWN
    assert not meeting.is_public()


def test_an_editor_cannot_unpublish_an_item_by_reverting_to_its_draft(role_client):
    editor = role_client("Editors", "writer")
    meeting = factories.meeting(title_fr="Séance", title_en="Session", publication_status="draft", publish_at=None)
    save(editor, meeting)
    draft_version = versions(meeting)[0]
    publisher = role_client("Publishers", "publisher")
    save(publisher, meeting, publication_status="published")
    assert meeting.is_public()
    editor = role_client("Editors", "writer")
    revert(editor, meeting, draft_version)
    meeting.refresh_from_db()
    assert meeting.publication_status == Status.PUBLISHED


def test_an_editor_may_still_revert_the_texts_of_a_published_item(role_client):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    editor = role_client("Editors", "writer")
    save(editor, meeting)
    good = versions(meeting)[0]
    save(editor, meeting, title_en="Typo sesion")
    response = revert(editor, meeting, good)
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.publication_status) == ("Session", Status.PUBLISHED)


def test_an_editor_may_revert_an_item_published_by_the_action(role_client):
    """Publishing sets the time to “now”, in microseconds; the version keeps milliseconds, and the admin's
    form seconds: the same publication time all the same."""
    meeting = factories.meeting(title_fr="Séance", title_en="Session", publication_status="review", publish_at=None)
    publisher = role_client("Publishers", "publisher")
    publisher.post(admin_url(Meeting, "changelist"), {"action": "publish_selected", "_selected_action": [meeting.pk]})
    good = versions(meeting)[0]
    editor = role_client("Editors", "writer")
    save(editor, meeting, title_en="Typo sesion")
    assert meeting.publish_at.microsecond == 0
    assert revert(editor, meeting, good).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.publication_status) == ("Session", Status.PUBLISHED)


def test_an_editor_cannot_publish_by_recovering_a_deleted_published_item(role_client):
    editor = role_client("Editors", "writer")
    release = factories.press_release()
    save(editor, release)
    delete(editor, release)
    (version,) = Version.objects.get_deleted(PressRelease)
    url = admin_url(PressRelease, "recover", version.pk)
    response = editor.post(url, form_data(editor.get(url), "form#pressrelease_form"), follow=True)
    assert response.redirect_chain[-1][0] == admin_url(PressRelease, "recoverlist")
    assert any("Only a publisher can restore this version" in m for m in messages_of(response))
    assert not PressRelease.objects.filter(pk=release.pk).exists()


def test_a_translator_cannot_change_other_fields_by_reverting(role_client):
    meeting = factories.meeting(title_fr="Séance", title_en="Session", number=1)
    editor = role_client("Editors", "writer")
    save(editor, meeting)
    old = versions(meeting)[0]
    save(editor, meeting, number="2", title_en="Second session")
    translator = role_client("Translators", "translator")
    response = revert(translator, meeting, old)
    assert response.status_code == 302
    assert any("ask an editor" in m for m in messages_of(translator.get(response["Location"])))
    meeting.refresh_from_db()
    assert (meeting.number, meeting.title_en) == (2, "Second session")
