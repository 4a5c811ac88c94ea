"""Both languages are first class: complete catalogues, localized dates, fallbacks marked."""

from pathlib import Path

import pytest
from django.utils import translation

from dialogue.models import Meeting
from editorial.formatting import date_range, long_date, ordinal
from tests.conftest import soup, text
from tests.pages import url_of

ROOT = Path(__file__).resolve().parent.parent


def catalogue_entries(language):
    """(msgid, msgstr, flags) of every entry in a .po file, read without a gettext library."""
    entries, flags, current, field = [], "", {}, None
    for line in [*(ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text().splitlines(), ""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgid ", "msgstr", "msgid_plural")):
            field = line.split(" ", 1)[0]
            current[field] = current.get(field, "") + line.split(" ", 1)[1].strip('"')
        elif line.startswith('"') and field:
            current[field] += line.strip('"')
        elif not line.strip() and current:
            entries.append(
                (current.get("msgid", ""), [v for k, v in current.items() if k.startswith("msgstr")], flags)
            )
            current, flags, field = {}, "", None
    return [entry for entry in entries if entry[0]]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_interface_string_is_translated(language):
    entries = catalogue_entries(language)
    assert len(entries) > 300
    untranslated = [msgid for msgid, strings, _flags in entries if not all(strings)]
    fuzzy = [msgid for msgid, _strings, flags in entries if "fuzzy" in flags]
    assert (untranslated, fuzzy) == ([], [])


def test_dates_and_ordinals_follow_the_language():
    import datetime

    from django.utils import translation

    with translation.override("fr"):
        assert long_date(datetime.date(2017, 3, 24)) == "24 mars 2017"
        assert long_date(datetime.date(2024, 5, 1)) == "1er mai 2024"
        assert (ordinal(1), ordinal(2)) == ("1re", "2e")
        assert date_range(datetime.date(2023, 1, 19), datetime.date(2023, 1, 20)) == "du 19 au 20 janvier 2023"
    with translation.override("en"):
        assert long_date(datetime.date(2017, 3, 24)) == "24 March 2017"
        assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
            "1st",
            "2nd",
            "3rd",
            "4th",
            "11th",
            "12th",
            "13th",
            "21st",
            "22nd",
            "101st",
        ]
        assert date_range(datetime.date(2023, 1, 19), datetime.date(2023, 1, 20)) == "19 to 20 January 2023"
        assert (
            date_range(datetime.date(2023, 12, 30), datetime.date(2024, 1, 2)) == "30 December 2023 to 2 January 2024"
        )


@pytest.mark.django_db
def test_a_text_missing_in_english_falls_back_to_french_marked_as_such(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    Meeting.objects.filter(pk=meeting.pk).update(summary_en="", city_en="")
    page = soup(client.get(url_of(meeting, "en")))
    fallback = page.select_one("div.fallback")
    assert fallback["lang"] == "fr"
    assert "Minamitane" in text(fallback)
    assert "not yet translated" in text(fallback.find_previous_sibling("p"))
    city = page.select_one(".dateline span.fallback")
    assert (city["lang"], text(city)) == ("fr", meeting.city_fr)
    assert text(page.select_one(".dateline .fallback-notice")) == "(in French)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "english_words"),
    [("/fr/", ["Latest", "Meetings", "Skip to content"]), ("/fr/reunions/", ["Apply filters", "All dialogues"])],
)
def test_no_english_interface_text_on_french_pages(client, reference_archive, path, english_words):
    page = soup(client.get(path))
    for tag in page.select("[lang]:not(html)"):
        tag.decompose()
    visible = text(page.select_one("body"))
    assert [word for word in english_words if word in visible] == []


# Every kind × status, as a French reader reads it ----------------------------------------------------

FRENCH_STATUS = {
    # kind: (under negotiation, signed, in force, terminated)
    "letter_of_intent": ("en négociation", "signée", "en vigueur", "terminée"),
    "technical_arrangement": ("en négociation", "signé", "en vigueur", "terminé"),
    "agreement": ("en négociation", "signé", "en vigueur", "terminé"),
    "memorandum": ("en négociation", "signé", "en vigueur", "terminé"),
    "roadmap": ("en négociation", "signée", "en vigueur", "terminée"),
    "joint_statement": ("en négociation", "signée", "en vigueur", "terminée"),
}
FRENCH_STEPS = {"letter_of_intent": "signée le 26 juin 2019", "agreement": "signé le 26 juin 2019"}


@pytest.mark.parametrize("kind", sorted(FRENCH_STATUS))
@pytest.mark.parametrize("index", range(4))
def test_every_kind_and_status_agree_in_french(kind, index):
    from dialogue.models import Instrument

    status = ["under_negotiation", "signed", "in_force", "terminated"][index]
    instrument = Instrument(kind=kind, status=status)
    with translation.override("fr"):
        assert instrument.status_label == FRENCH_STATUS[kind][index]
    with translation.override("en"):
        assert instrument.status_label == ["under negotiation", "signed", "in force", "terminated"][index]


@pytest.mark.parametrize(
    "kind", ["letter_of_intent", "technical_arrangement", "agreement", "memorandum", "roadmap", "joint_statement"]
)
def test_every_kind_s_steps_agree_in_french(kind):
    import datetime

    from dialogue.models import Instrument

    feminine = FRENCH_STATUS[kind][1] == "signée"
    instrument = Instrument(
        kind=kind,
        negotiations_opened_on=datetime.date(2018, 5, 1),
        signed_on=datetime.date(2019, 6, 26),
        in_force_on=datetime.date(2019, 7, 1),
        signed_precision="day",
        in_force_precision="month",
        negotiations_opened_precision="year",
    )
    with translation.override("fr"):
        labels = [label for label, _date in instrument.life_cycle]
        assert labels == [
            "négociations ouvertes",
            "signée" if feminine else "signé",
            "entrée en vigueur" if feminine else "entré en vigueur",
        ]
        assert instrument.latest_step == ("entrée" if feminine else "entré") + " en vigueur en juillet 2019"
    with translation.override("en"):
        assert instrument.latest_step == "entered into force in July 2019"
    instrument.in_force_on = None
    with translation.override("fr"):
        assert instrument.latest_step == ("signée" if feminine else "signé") + " le 26 juin 2019"
    with translation.override("en"):
        assert instrument.latest_step == "signed on 26 June 2019"


@pytest.mark.parametrize(
    ("language", "japanese", "french"),
    [("fr", "Toshiro IIJIMA", "Jean-Yves LE GALL"), ("en", "IIJIMA Toshiro", "Jean-Yves LE GALL")],
)
def test_names_follow_one_convention_per_language(client, reference_archive, language, japanese, french):
    """French writes every given name first; English writes Japanese names family name first, as the seeds do."""
    from dialogue.models import Person

    iijima, le_gall = Person.objects.get(key="toshiro-iijima"), Person.objects.get(key="jean-yves-le-gall")
    assert text(soup(client.get(url_of(iijima, language))).select_one("h1")).endswith(japanese)
    assert text(soup(client.get(url_of(le_gall, language))).select_one("h1")).endswith(french)
    meeting = Meeting.objects.get(key="space-2017-03-24")
    page = text(soup(client.get(url_of(meeting, language))))
    assert japanese in page
    reversed_order = "Toshiro IIJIMA" if language == "en" else "IIJIMA Toshiro"
    assert reversed_order not in page


@pytest.mark.parametrize(
    ("language", "issued_by"),
    [("fr", "Ministère des Affaires étrangères (Japon)"), ("en", "Ministry of Foreign Affairs (Japan)")],
)
def test_an_ambiguous_ministry_is_named_with_its_country(client, reference_archive, language, issued_by):
    from archive.models import PressRelease
    from dialogue.models import Organization

    mofa = Organization.objects.get(name_en="Ministry of Foreign Affairs", party__code="JP")
    release = PressRelease.objects.published().filter(issuers__isnull=False).first()
    release.issuers.add(mofa)
    page = soup(client.get(url_of(release, language)))
    assert issued_by in text(
        page.select_one(".meta:-soup-contains('%s')" % ("Publié par" if language == "fr" else "Issued by"))
    )
    jaxa = Organization.objects.get(key="jaxa")
    with translation.override(language):
        assert jaxa.country == ""  # “japonaise”, “Japan” already in its name
