"""The original language (French, English or Japanese) and the link from a translation to its original.

Press releases, meetings and instruments record the language they were first written in — Japanese
included, though the site is in French and English — and the address of the original; a press
release may name the release in the archive that it translates. The database holds the rules.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from archive.models import PressRelease
from dialogue.models import Instrument, Meeting
from tests import factories
from tests.conftest import soup, text

from .conftest import admin_url, change_form, errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [PressRelease, Meeting, Instrument])
def test_japanese_is_an_original_language(model):
    assert [value for value, _label in model._meta.get_field("original_language").choices] == ["fr", "en", "ja"]


@pytest.mark.parametrize(("language", "label"), [("fr", "Japonais"), ("en", "Japanese")])
def test_an_editor_records_a_japanese_original_and_finds_it_in_the_list(editor_client, language, label):
    release = factories.press_release(title_fr="Communiqué du MOFA", title_en="MOFA press release")
    _page, data = change_form(editor_client, release, language=language)
    data |= {"original_language": "ja", "original_url": "https://www.mofa.go.jp/press/release/2024/05/02.html"}
    response = editor_client.post(admin_url(release, "change", language=language), data)
    assert response.status_code == 302, errors(response)
    release.refresh_from_db()
    assert (release.original_language, release.original_url) == ("ja", data["original_url"])

    factories.press_release(title_fr="Communiqué du CNES", title_en="CNES press release")
    page = soup(editor_client.get(admin_url(PressRelease, "changelist", language=language) + "?original_language=ja"))
    rows = page.select("#result_list tbody tr")
    assert [text(row.select_one("th")) for row in rows] == [str(release)]
    assert text(rows[0].select_one("td.field-original_language")) == label
    filters = {text(a) for a in page.select("#changelist-filter a[href*='original_language=']")}
    assert label in filters


@pytest.mark.parametrize("model", [Meeting, Instrument])
def test_meetings_and_instruments_have_the_filter_too(editor_client, model):
    item = factories.meeting() if model is Meeting else factories.instrument()
    model.objects.filter(pk=item.pk).update(original_language="ja")
    page = soup(editor_client.get(admin_url(model, "changelist", language="en") + "?original_language=ja"))
    assert len(page.select("#result_list tbody tr")) == 1
    assert soup(editor_client.get(admin_url(item, "change"))).select_one("select[name=original_language]")


def test_the_database_refuses_another_language_and_another_scheme(db):
    release = factories.press_release()
    with pytest.raises(IntegrityError), transaction.atomic():
        PressRelease.objects.filter(pk=release.pk).update(original_language="de")
    with pytest.raises(IntegrityError), transaction.atomic():
        PressRelease.objects.filter(pk=release.pk).update(original_url="javascript:alert(1)")
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=factories.meeting().pk).update(original_url="ftp://example.org/")


def test_the_form_refuses_an_address_that_is_not_http(editor_client):
    release = factories.press_release()
    _page, data = change_form(editor_client, release)
    response = editor_client.post(admin_url(release, "change"), {**data, "original_url": "javascript:alert(1)"})
    assert response.status_code == 200
    assert "Enter a valid URL." in errors(response)


def test_a_translation_links_to_its_original(editor_client):
    original = factories.press_release(title_fr="Annonce (japonais)", title_en="Announcement", original_language="ja")
    translation_ = factories.press_release(title_fr="Annonce", title_en="Announcement (EN)", original_language="en")
    _page, data = change_form(editor_client, translation_)
    response = editor_client.post(admin_url(translation_, "change"), {**data, "translation_of": str(original.pk)})
    assert response.status_code == 302, errors(response)
    assert list(original.translations.all()) == [translation_]


def test_a_translation_and_its_original_say_different_languages(db):
    original = factories.press_release(original_language="fr")
    copy = factories.press_release(original_language="fr", translation_of=original)
    with pytest.raises(ValidationError) as raised:
        copy.full_clean()
    assert "translation_of" in raised.value.error_dict


def test_no_release_translates_itself_or_one_of_its_translations(db):
    first = factories.press_release(original_language="ja")
    second = factories.press_release(original_language="en", translation_of=first)
    first.translation_of = second
    with pytest.raises(ValidationError):
        first.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PressRelease.objects.filter(pk=first.pk).update(translation_of=first.pk)


def test_the_model_says_which_texts_are_translations(db):
    release = factories.press_release(original_language="ja")
    assert release.is_translation_in("fr") and release.is_translation_in("en")
    assert release.source_language is None  # no site language is the original: start from the newest
    with translation.override("fr"):
        assert release.original_language_name == "japonais"
    with translation.override("en"):
        assert release.original_language_name == "Japanese"
    meeting = factories.meeting()
    assert (meeting.original_language, meeting.is_translation_in("fr"), meeting.original_language_name) == (
        "",
        False,
        "",
    )
    meeting.original_language = "en"
    assert meeting.source_language == "en" and meeting.is_translation_in("fr") and not meeting.is_translation_in("en")
