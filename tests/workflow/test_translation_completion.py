"""Completing a translation never makes the original outdated, in one save or several.

A language that only receives texts it lacked (which another language has) catches up with the
newest one instead of moving ahead; an edit of a text it already had still moves it ahead.
Tested on the model and through the admin's change form, in both directions.
"""

import datetime

import pytest

from dialogue.models import Instrument
from tests import factories
from tests.conftest import soup

from .conftest import LONG_AGO, admin_url, change_form, errors

pytestmark = pytest.mark.django_db

LATER = LONG_AGO + datetime.timedelta(days=30)
OTHER = {"fr": "en", "en": "fr"}

#: The texts of an instrument in each language: a title and a rich-text summary.
TEXTS = {
    "fr": {"title": "Accord sur la connaissance de la situation spatiale", "summary": "<p>Signé à Tokyo.</p>"},
    "en": {"title": "Agreement on space situational awareness", "summary": "<p>Signed in Tokyo.</p>"},
}


def written_in(original):
    """An instrument written in ``original`` only, its text stamped LATER, the other language empty."""
    other = OTHER[original]
    fields = {f"{name}_{original}": value for name, value in TEXTS[original].items()}
    fields |= {f"{name}_{other}": "" for name in TEXTS[other]}
    instrument = factories.instrument(**fields, publication_status="draft", publish_at=None)
    Instrument.objects.filter(pk=instrument.pk).update(
        **{f"text_updated_{original}": LATER, f"text_updated_{other}": None}
    )
    instrument.refresh_from_db()
    return instrument


def stamps(instrument):
    instrument.refresh_from_db()
    return {code: getattr(instrument, f"text_updated_{code}") for code in ("fr", "en")}


@pytest.mark.parametrize("original", ["fr", "en"])
def test_a_translation_completed_over_several_saves_leaves_the_original_current(db, original):
    instrument = written_in(original)
    target = OTHER[original]
    setattr(instrument, f"title_{target}", TEXTS[target]["title"])
    instrument.save()
    assert stamps(instrument) == {original: LATER, target: LATER}
    # The second save fills what was still missing: still a translation catching up, not an edit.
    setattr(instrument, f"summary_{target}", TEXTS[target]["summary"])
    instrument.save()
    assert stamps(instrument) == {original: LATER, target: LATER}
    assert instrument.outdated_languages() == []
    assert not Instrument.objects.outdated_in(original).exists()


@pytest.mark.parametrize("original", ["fr", "en"])
def test_editing_a_text_the_language_already_had_still_moves_it_ahead(db, original):
    instrument = written_in(original)
    target = OTHER[original]
    for name, value in TEXTS[target].items():
        setattr(instrument, f"{name}_{target}", value)
    instrument.save()
    setattr(instrument, f"title_{original}", TEXTS[original]["title"] + " (révisé)")
    instrument.save()
    assert instrument.outdated_languages() == [target]


@pytest.mark.parametrize("original", ["fr", "en"])
def test_completing_the_missing_language_in_the_admin_outdates_nothing(role_client, original):
    translator = role_client("Translators")
    instrument = written_in(original)
    target = OTHER[original]
    for name in ("title", "summary"):  # one text per save, as a translator works
        _page, data = change_form(translator, instrument)
        response = translator.post(admin_url(instrument, "change"), {**data, f"{name}_{target}": TEXTS[target][name]})
        assert response.status_code == 302, errors(response)
    assert stamps(instrument) == {original: LATER, target: LATER}
    listed = soup(translator.get(admin_url(Instrument, "changelist") + f"?translation=outdated-{original}"))
    assert listed.select("#result_list tbody tr") == []
