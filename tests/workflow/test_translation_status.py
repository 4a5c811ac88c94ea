"""Translation status: what is missing or outdated in each language, and the rule on publishing.

Each item stamps, per language, when its text last changed: a language edited alone moves ahead
(the other becomes outdated), or catches up when it was behind. The admin shows the status in a
column and a filter; the dashboard lists what to translate by content type and year. Publication
waits for every language unless PUBLICATION_REQUIRES_ALL_LANGUAGES is off or an exception to
publish in one language is recorded, with who granted it and when.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from archive.models import PressRelease
from dialogue.models import Instrument, Meeting, Organization, Topic
from editorial.models import Status
from tests import factories
from tests.conftest import soup, text

from .conftest import LONG_AGO, admin_url, change_form, errors, make_user, messages_of

pytestmark = pytest.mark.django_db

LATER = LONG_AGO + datetime.timedelta(days=30)


def stamps(obj):
    obj.refresh_from_db()
    return obj.text_updated_fr, obj.text_updated_en


def set_stamps(obj, fr, en):
    type(obj).objects.filter(pk=obj.pk).update(text_updated_fr=fr, text_updated_en=en)
    obj.refresh_from_db()
    return obj


def listed(client, model, query) -> list[str]:
    page = soup(client.get(admin_url(model, "changelist") + query))
    return [text(cell) for cell in page.select("#result_list tbody th")]


def record_of(client, obj) -> dict[str, str]:
    """The publication record shown on the change page: {term: description}."""
    record = soup(client.get(admin_url(obj, "change"))).select_one(".publication-record")
    return {text(dt): text(dt.find_next_sibling("dd")) for dt in record.select("dt")}


# Stamps ----------------------------------------------------------------------------------------


def test_a_new_item_with_both_languages_is_current_in_both(db):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    fr, en = stamps(meeting)
    assert fr is not None and fr == en
    assert meeting.outdated_languages() == []


def test_a_new_item_in_one_language_is_stamped_in_that_one_only(db):
    instrument = factories.instrument(title_en="", summary_en="")
    fr, en = stamps(instrument)
    assert fr is not None and en is None
    assert instrument.outdated_languages() == []  # missing, not outdated


@pytest.mark.parametrize(("edited", "outdated"), [("fr", "en"), ("en", "fr")])
def test_a_language_edited_alone_moves_ahead_and_outdates_the_other(db, edited, outdated):
    meeting = set_stamps(factories.meeting(title_fr="Séance", title_en="Session"), LONG_AGO, LONG_AGO)
    setattr(meeting, f"title_{edited}", "Séance plénière" if edited == "fr" else "Plenary session")
    meeting.save()
    new = dict(zip(("fr", "en"), stamps(meeting), strict=True))
    assert new[edited] > LONG_AGO and new[outdated] == LONG_AGO
    assert meeting.outdated_languages() == [outdated]


def test_the_outdated_language_catches_up_when_a_translator_edits_it(db):
    meeting = set_stamps(factories.meeting(title_fr="Séance", title_en="Session"), LATER, LONG_AGO)
    meeting.title_en = "Plenary session"
    meeting.save()
    assert stamps(meeting) == (LATER, LATER)
    assert meeting.outdated_languages() == []


def test_a_missing_language_once_filled_catches_up(db):
    instrument = set_stamps(factories.instrument(title_en=""), LATER, None)
    instrument.title_en = "Agreement"
    instrument.save()
    assert stamps(instrument) == (LATER, LATER)


def test_both_languages_edited_together_are_both_current(db):
    meeting = set_stamps(factories.meeting(title_fr="Séance", title_en="Session"), LATER, LONG_AGO)
    meeting.title_fr, meeting.title_en = "Séance plénière", "Plenary session"
    meeting.save()
    fr, en = stamps(meeting)
    assert fr == en and fr > LATER


def test_a_change_outside_the_texts_touches_no_stamp(db):
    meeting = set_stamps(factories.meeting(title_fr="Séance", title_en="Session"), LATER, LONG_AGO)
    meeting.start_date = datetime.date(2018, 1, 1)
    meeting.number = 4
    meeting.save()
    assert stamps(meeting) == (LATER, LONG_AGO)


def test_marking_the_translations_current_clears_outdated(db):
    meeting = set_stamps(factories.meeting(title_fr="Séance", title_en="Session"), LATER, LONG_AGO)
    meeting.mark_translations_current()
    meeting.save()
    fr, en = stamps(meeting)
    assert fr == en and fr > LATER
    assert meeting.outdated_languages() == []


def test_edits_through_the_admin_are_stamped_the_same_way(editor_client):
    meeting = set_stamps(factories.meeting(title_fr="Séance", title_en="Session"), LONG_AGO, LONG_AGO)
    _page, data = change_form(editor_client, meeting)
    assert editor_client.post(admin_url(meeting, "change"), {**data, "title_fr": "Séance plénière"}).status_code == 302
    fr, en = stamps(meeting)
    assert en == LONG_AGO and fr > LONG_AGO
    assert record_of(editor_client, meeting)["Outdated"] == "EN"

    _page, data = change_form(editor_client, meeting)
    assert editor_client.post(admin_url(meeting, "change"), {**data, "title_en": "Plenary session"}).status_code == 302
    assert stamps(meeting) == (fr, fr)
    # Saving the form untouched changes no stamp.
    _page, data = change_form(editor_client, meeting)
    assert editor_client.post(admin_url(meeting, "change"), data).status_code == 302
    assert stamps(meeting) == (fr, fr)


# Column and filter --------------------------------------------------------------------------


@pytest.fixture
def instruments(db):
    """One instrument in each translation state."""
    return {
        "complete": set_stamps(factories.instrument(title_fr="Accord A", title_en="Agreement A"), LATER, LATER),
        "outdated-en": set_stamps(factories.instrument(title_fr="Accord B", title_en="Agreement B"), LATER, LONG_AGO),
        "outdated-fr": set_stamps(factories.instrument(title_fr="Accord C", title_en="Agreement C"), LONG_AGO, LATER),
        "missing-fr": set_stamps(factories.instrument(title_fr="", title_en="Agreement D"), None, LATER),
        "missing-en": set_stamps(factories.instrument(title_fr="Accord E", title_en=""), LATER, None),
    }


@pytest.mark.parametrize("value", ["missing-fr", "missing-en", "outdated-fr", "outdated-en"])
def test_the_filter_lists_the_items_in_each_state(editor_client, instruments, value):
    expected = instruments[value]
    assert listed(editor_client, Instrument, f"?translation={value}") == [str(expected.title_en or expected.title_fr)]


def test_complete_means_no_language_missing(editor_client, instruments):
    titles = set(listed(editor_client, Instrument, "?translation=complete"))
    assert titles == {"Agreement A", "Agreement B", "Agreement C"}


def test_the_filter_offers_outdated_in_both_languages(editor_client, instruments):
    page = soup(editor_client.get(admin_url(Instrument, "changelist")))
    links = {a["href"] for a in page.select("#changelist-filter a[href*='translation=']")}
    for value in ("complete", "missing-fr", "missing-en", "outdated-fr", "outdated-en"):
        assert f"?translation={value}" in links, links


def test_the_column_shows_each_language(editor_client, instruments):
    page = soup(editor_client.get(admin_url(Instrument, "changelist")))
    rows = {text(row.select_one("th")): row for row in page.select("#result_list tbody tr")}
    assert [text(s) for s in rows["Agreement D"].select(".language-status")] == ["FR ✗", "EN ✓"]
    assert [text(s) for s in rows["Agreement A"].select(".language-status")] == ["FR ✓", "EN ✓"]
    outdated = rows["Agreement B"].select(".language-status")
    assert [(s["class"][-1], s["title"]) for s in outdated] == [
        ("language-status--complete", "complete"),
        ("language-status--outdated", "outdated"),
    ]
    assert rows["Agreement C"].select_one(".language-status--outdated").get_text().startswith("FR")


def test_mark_translations_current_action_takes_items_off_the_outdated_list(editor_client, instruments):
    stale = instruments["outdated-en"]
    response = editor_client.post(
        admin_url(Instrument, "changelist"),
        {"action": "mark_translations_current", "_selected_action": [stale.pk]},
        follow=True,
    )
    assert "1 item marked as translated and up to date." in messages_of(response)
    assert listed(editor_client, Instrument, "?translation=outdated-en") == []


# Dashboard -----------------------------------------------------------------------------------


@pytest.fixture
def to_translate(db):
    """Work for translators, across content types and years; and complete items, which are not listed."""
    return {
        "meeting 2017 missing en": factories.meeting(
            title_fr="Séance sans anglais", start_date=datetime.date(2017, 5, 1)
        ),
        "meeting 2016 outdated fr": set_stamps(
            factories.meeting(
                title_fr="Séance", title_en="Session behind in French", start_date=datetime.date(2016, 1, 1)
            ),
            LONG_AGO,
            LATER,
        ),
        "meeting 2016 complete": factories.meeting(title_fr="Séance à jour", title_en="Current session"),
        "instrument 2017 missing fr": factories.instrument(title_fr="", title_en="Agreement without French"),
        "release 2016 outdated en": set_stamps(
            factories.press_release(title_fr="Communiqué revu", title_en="Release behind in English"), LATER, LONG_AGO
        ),
        "organization missing en": Organization.objects.create(name_fr="Ministère seul", key="alone"),
    }


def section(page, model, language):
    with translation.override(language):
        name = str(model._meta.verbose_name_plural).capitalize()
    for candidate in page.select(".translation-dashboard section"):
        if text(candidate.select_one("h2")) == name:
            return candidate
    return None


def cells(row) -> list[str]:
    return [text(cell) for cell in row.select("td")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_dashboard_lists_work_by_type_and_year_with_links(editor_client, to_translate, language):
    with translation.override(language):
        url = reverse("translation-dashboard")
    response = editor_client.get(url)
    assert response.status_code == 200
    page = soup(response)

    meetings = section(page, Meeting, language)
    rows = {text(row.select_one("th")): row for row in meetings.select("tbody tr")}
    assert list(rows) == ["2017", "2016"]
    assert cells(rows["2017"]) == ["0", "1", "0", "0"]  # missing FR, missing EN, outdated FR, outdated EN
    assert cells(rows["2016"]) == ["0", "0", "1", "0"]
    link = rows["2017"].select_one("a")["href"]
    assert (
        link == admin_url(Meeting, "changelist", language=language) + "?translation=missing-en&start_date__year=2017"
    )
    assert listed(editor_client, Meeting, link[link.index("?") :]) == ["Séance sans anglais"]
    link = rows["2016"].select_one("a")["href"]
    assert listed(editor_client, Meeting, link[link.index("?") :]) == ["Session behind in French"]
    items = {a["href"]: text(a) for a in meetings.select(".translation-items a:not(.translate-link)")}
    assert items == {
        admin_url(to_translate["meeting 2017 missing en"], "change", language=language): "Séance sans anglais",
        admin_url(to_translate["meeting 2016 outdated fr"], "change", language=language): (
            "Séance" if language == "fr" else "Session behind in French"
        ),
    }

    instruments = section(page, Instrument, language)
    (row,) = instruments.select("tbody tr")
    assert text(row.select_one("th")) == "2017" and cells(row) == ["1", "0", "0", "0"]
    releases = section(page, PressRelease, language)
    (row,) = releases.select("tbody tr")
    assert text(row.select_one("th")) == "2016" and cells(row) == ["0", "0", "0", "1"]
    assert releases.select_one(".translation-items a")["href"] == admin_url(
        to_translate["release 2016 outdated en"], "change", language=language
    )

    organizations = section(page, Organization, language)
    (row,) = organizations.select("tbody tr")
    assert cells(row) == ["0", "1", "—", "—"]  # no years, and no freshness for organizations
    assert organizations.select_one(".translation-items a")["href"] == admin_url(
        to_translate["organization missing en"], "change", language=language
    )


def test_the_dashboard_says_when_a_type_has_nothing_to_do(editor_client, to_translate):
    page = soup(editor_client.get("/en/admin/translations/"))
    assert "Nothing to translate" in text(section(page, Topic, "en"))


def test_the_dashboard_is_linked_from_every_admin_page(editor_client):
    page = soup(editor_client.get("/en/admin/"))
    assert page.select_one("a.dashboard-link")["href"] == "/en/admin/translations/"


def test_the_dashboard_shows_only_the_types_the_user_may_view(client, to_translate):
    user = make_user("meetings-only")
    user.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    client.force_login(user)
    page = soup(client.get("/en/admin/translations/"))
    assert [text(h) for h in page.select(".translation-dashboard section h2")] == ["Meetings"]


def test_the_dashboard_is_for_staff_only(client):
    response = client.get("/en/admin/translations/")
    assert response.status_code == 302 and response["Location"].startswith("/en/admin/login/")


# Publishing in every language, or with a recorded exception ----------------------------------


def incomplete_instrument():
    return factories.instrument(
        title_fr="Accord en français seulement", title_en="", publication_status="review", publish_at=None
    )


def test_an_item_missing_a_language_cannot_be_published(publisher):
    instrument = incomplete_instrument()
    _page, data = change_form(publisher, instrument)
    response = publisher.post(admin_url(instrument, "change"), {**data, "publication_status": "published"})
    assert response.status_code == 200
    messages = [text(li) for li in soup(response).select(".field-publication_status .errorlist li")]
    assert messages == [
        "This item cannot be published: its text is missing in English. Complete the translation, "
        "or record an exception to publish it in one language only."
    ]
    instrument.refresh_from_db()
    assert instrument.publication_status == Status.REVIEW


def test_the_message_names_the_missing_language_in_the_editors_language(publisher):
    instrument = incomplete_instrument()
    _page, data = change_form(publisher, instrument, language="fr")
    response = publisher.post(
        admin_url(instrument, "change", language="fr"), {**data, "publication_status": "published"}
    )
    (message,) = [text(li) for li in soup(response).select(".field-publication_status .errorlist li")]
    with translation.override("fr"):
        assert " ".join(str(instrument.publication_errors()[0].messages[0]).split()) == " ".join(message.split())
    assert "anglais" in message.lower()


def test_publishing_in_one_language_needs_a_reason(publisher):
    instrument = incomplete_instrument()
    _page, data = change_form(publisher, instrument)
    response = publisher.post(
        admin_url(instrument, "change"), {**data, "publication_status": "published", "single_language": "on"}
    )
    assert response.status_code == 200
    assert "Say why this item is published in one language only." in errors(response)
    instrument.refresh_from_db()
    assert instrument.publication_status == Status.REVIEW


def test_an_exception_allows_publication_and_records_who_and_when(publisher):
    instrument = incomplete_instrument()
    _page, data = change_form(publisher, instrument)
    before = timezone.now()
    response = publisher.post(
        admin_url(instrument, "change"),
        {
            **data,
            "publication_status": "published",
            "single_language": "on",
            "single_language_reason": "Only the French text is official.",
        },
    )
    assert response.status_code == 302, errors(response)
    instrument.refresh_from_db()
    assert instrument.is_public()
    assert instrument.single_language_by == publisher.user
    assert before <= instrument.single_language_at <= timezone.now()
    assert instrument.single_language_reason == "Only the French text is official."
    assert record_of(publisher, instrument)["One-language exception"].startswith("publishers, ")

    # A later save by someone else leaves the record of who granted it untouched.
    other = make_user("second-publisher", "Publishers")
    publisher.force_login(other)
    _page, data = change_form(publisher, instrument)
    assert publisher.post(admin_url(instrument, "change"), {**data, "short_title_fr": "Accord"}).status_code == 302
    granted_at = instrument.single_language_at
    instrument.refresh_from_db()
    assert (instrument.single_language_by.username, instrument.single_language_at) == ("publishers", granted_at)


def test_an_editor_cannot_grant_the_exception(editor_role):
    instrument = incomplete_instrument()
    _page, data = change_form(editor_role, instrument)
    response = editor_role.post(
        admin_url(instrument, "change"), {**data, "single_language": "on", "single_language_reason": "Because."}
    )
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert (instrument.single_language, instrument.single_language_by) == (False, None)


def test_the_rule_can_be_switched_off(publisher, settings):
    settings.PUBLICATION_REQUIRES_ALL_LANGUAGES = False
    instrument = incomplete_instrument()
    assert instrument.publication_errors() == []
    _page, data = change_form(publisher, instrument)
    response = publisher.post(admin_url(instrument, "change"), {**data, "publication_status": "published"})
    assert response.status_code == 302, errors(response)
    instrument.refresh_from_db()
    assert instrument.is_public()
    assert (instrument.single_language, instrument.single_language_by) == (False, None)


def test_the_rule_applies_to_the_model_as_well(db, settings):
    instrument = incomplete_instrument()
    assert [error.code for error in instrument.publication_errors()] == ["translation_missing"]
    instrument.single_language, instrument.single_language_reason = True, "Official in French only."
    assert instrument.publication_errors() == []
    instrument.single_language = False
    settings.PUBLICATION_REQUIRES_ALL_LANGUAGES = False
    assert instrument.publication_errors() == []
