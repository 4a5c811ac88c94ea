"""The editors' admin: every page answers, in both languages, and bad input saves nothing."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from archive.models import PressRelease
from dialogue.models import Delegation, DelegationMember, Instrument, InstrumentDocument, InstrumentRelation, Meeting
from editorial.i18n import translated_fields
from tests import factories
from tests.admin_forms import form_data
from tests.conftest import soup

pytestmark = pytest.mark.django_db

MODELS = [model for model in admin.site._registry if model._meta.app_label in {"dialogue", "archive"}]


def admin_url(model, view, *args, language="fr"):
    with translation.override(language):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_list_add_and_change_pages_answer_with_both_languages(editor_client, reference_archive, model, language):
    for url in (admin_url(model, "changelist", language=language), admin_url(model, "add", language=language)):
        response = editor_client.get(url)
        assert response.status_code == 200, url
    record = model.objects.first()
    if record is None and model is InstrumentRelation:  # the seeds state no relation between instruments
        source, target = Instrument.objects.all()[:2]
        record = InstrumentRelation.objects.create(source=source, target=target, kind="implements")
    if record is None and model is InstrumentDocument:  # nor the address of an instrument's text
        record = InstrumentDocument.objects.create(
            instrument=Instrument.objects.first(), language="fr", url="https://example.org/texte.pdf"
        )
    assert record is not None, f"the reference archive has no {model._meta.verbose_name}"
    response = editor_client.get(admin_url(model, "change", record.pk, language=language))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("html")["lang"] == language
    for field in translated_fields(model):
        for code in ("fr", "en"):
            assert page.select(f"[name='{field}_{code}'], [name$='-{field}_{code}']"), f"{field}_{code} missing"


@pytest.mark.parametrize(("language", "log_out"), [("fr", "Déconnexion"), ("en", "Log out")])
def test_admin_speaks_the_editors_language(editor_client, language, log_out):
    page = soup(editor_client.get(f"/{language}/admin/"))
    assert page.select_one("#logout-form button").get_text(strip=True) == log_out
    switcher = page.select_one(".language-switcher")
    other = "en" if language == "fr" else "fr"
    assert switcher.select_one(f"a[hreflang={other}]")


def test_language_switcher_keeps_the_editor_on_the_same_page(editor_client):
    page = soup(editor_client.get("/fr/admin/dialogue/meeting/"))
    link = page.select_one(".language-switcher a[hreflang=en]")["href"]
    response = editor_client.get(link, follow=False)
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/dialogue/meeting/"


def test_translation_column_and_filter_show_what_is_missing(editor_client):
    complete = factories.instrument(title_fr="Accord complet", title_en="Complete agreement")
    english_only = factories.instrument(title_fr="", title_en="English only agreement")
    page = soup(editor_client.get("/en/admin/dialogue/instrument/"))
    rows = {row.select_one("th").get_text(strip=True): row for row in page.select("#result_list tbody tr")}
    assert rows["English only agreement"].select_one(".language-status--missing").get_text(strip=True) == "FR ✗"
    assert not rows[str(complete.title_en)].select(".language-status--missing")

    page = soup(editor_client.get("/en/admin/dialogue/instrument/?translation=missing-fr"))
    titles = [cell.get_text(strip=True) for cell in page.select("#result_list tbody th")]
    assert titles == [english_only.title_en]
    page = soup(editor_client.get("/en/admin/dialogue/instrument/?translation=complete"))
    titles = [cell.get_text(strip=True) for cell in page.select("#result_list tbody th")]
    assert titles == [complete.title_en]


def test_tabbed_translation_admin_loads_no_asset_from_another_host(editor_client):
    page = soup(editor_client.get("/fr/admin/dialogue/meeting/add/"))
    sources = [tag.get("src") or tag.get("href") for tag in page.select("script[src], link[href]")]
    assert any("jquery-ui" in source for source in sources)
    assert all(source.startswith("/") and not source.startswith("//") for source in sources), sources


def meeting_form(editor_client, dialogue, **changes):
    data = form_data(editor_client.get("/en/admin/dialogue/meeting/add/"), "form#meeting_form")
    data.update(
        {
            "dialogue": str(dialogue.pk),
            "kind": "plenary",
            "number": "2",
            "title_en": "Second session",
            "start_date": "2017-03-24",
            "city_fr": "Tokyo",
            "city_en": "Tokyo",
        }
    )
    data.update(changes)
    return data


def test_meeting_is_saved_with_its_delegations_and_members_inline(editor_client):
    dialogue = factories.dialogue()
    france, japan = factories.party(), factories.japan()
    gautier, iijima = (
        factories.person(family_name="Gautier"),
        factories.person(given_name="Toshiro", family_name="Iijima"),
    )
    sgdsn = factories.organization(acronym_fr="SGDSN", acronym_en="SGDSN")
    data = meeting_form(editor_client, dialogue)
    data.update(
        {
            "delegations-TOTAL_FORMS": "2",
            "delegations-0-party": str(france.pk),
            "delegations-0-organizations": [str(sgdsn.pk)],
            "delegations-0-members-TOTAL_FORMS": "1",
            "delegations-0-members-INITIAL_FORMS": "0",
            "delegations-0-members-0-person": str(gautier.pk),
            "delegations-0-members-0-role": "co_chair",
            "delegations-0-members-0-order": "1",
            "delegations-0-members-0-title_fr": "secrétaire général de la défense et de la sécurité nationale",
            "delegations-0-members-0-title_en": "Secretary General for National Defence and Security",
            "delegations-0-members-0-organization": str(sgdsn.pk),
            "delegations-1-party": str(japan.pk),
            "delegations-1-members-TOTAL_FORMS": "1",
            "delegations-1-members-INITIAL_FORMS": "0",
            "delegations-1-members-0-person": str(iijima.pk),
            "delegations-1-members-0-role": "co_chair",
            "delegations-1-members-0-order": "1",
        }
    )
    response = editor_client.post("/en/admin/dialogue/meeting/add/", data)
    assert response.status_code == 302, soup(response).select(".errorlist")
    meeting = Meeting.objects.get()
    assert [d.party.code for d in meeting.delegations.all()] == ["FR", "JP"]
    member = DelegationMember.objects.get(person=gautier)
    assert member.delegation.meeting == meeting
    assert member.title_fr == "secrétaire général de la défense et de la sécurité nationale"
    assert list(meeting.delegations.get(party=france).organizations.all()) == [sgdsn]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2017-03-23"}, "end_date", "The end date cannot be before the start date."),
        ({"number": "1"}, None, "This dialogue already has a meeting with this number."),
        ({"start_date": "24/03/2017x"}, "start_date", "Enter a valid date."),
    ],
    ids=["end-before-start", "duplicate-number", "garbage-date"],
)
def test_bad_meeting_shows_the_error_and_saves_nothing(editor_client, changes, field, message):
    dialogue = factories.dialogue()
    factories.meeting(dialogue, number=1, start_date=datetime.date(2016, 3, 11))
    data = meeting_form(editor_client, dialogue, **changes)
    data.update(
        {
            "delegations-TOTAL_FORMS": "1",
            "delegations-0-party": str(factories.party().pk),
            "delegations-0-members-TOTAL_FORMS": "1",
            "delegations-0-members-INITIAL_FORMS": "0",
            "delegations-0-members-0-person": str(factories.person().pk),
            "delegations-0-members-0-role": "member",
            "delegations-0-members-0-order": "1",
        }
    )
    before = (Meeting.objects.count(), Delegation.objects.count(), DelegationMember.objects.count())
    response = editor_client.post("/en/admin/dialogue/meeting/add/", data)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".errornote")
    errors = page.select(f".field-{field} .errorlist li" if field else ".errorlist.nonfield li")
    assert message in [error.get_text(strip=True) for error in errors]
    assert (Meeting.objects.count(), Delegation.objects.count(), DelegationMember.objects.count()) == before


def test_french_editor_reads_the_error_in_french(editor_client):
    dialogue = factories.dialogue()
    response = editor_client.post(
        "/fr/admin/dialogue/meeting/add/",
        {**meeting_form(editor_client, dialogue), "end_date": "2017-03-01", "start_date": "24/03/2017"},
    )
    errors = [li.get_text(strip=True) for li in soup(response).select(".field-end_date .errorlist li")]
    assert errors == ["La date de fin ne peut pas précéder la date de début."]
    assert not Meeting.objects.exists()


def test_duplicate_press_release_reference_is_refused_in_the_admin(editor_client):
    factories.press_release(reference="CP028-2018")
    data = form_data(editor_client.get("/en/admin/archive/pressrelease/add/"), "form#pressrelease_form")
    data.update(
        {
            "kind": "press_release",
            "reference": "CP028-2018",
            "date": "2018-03-05",
            "date_precision": "day",
            "title_fr": "Doublon",
            "original_language": "fr",
        }
    )
    response = editor_client.post("/en/admin/archive/pressrelease/add/", data)
    assert response.status_code == 200
    assert "Another press release already has this reference number." in response.content.decode()
    assert PressRelease.objects.count() == 1


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/en/admin/dialogue/meeting/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/")
