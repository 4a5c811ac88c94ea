"""The register of instruments and the instrument page."""

import pytest

from dialogue.models import Instrument
from tests import factories
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db

REGISTER = {"fr": "/fr/instruments/", "en": "/en/instruments/"}


def titles(response):
    return [text(cell.select_one("a")) for cell in soup(response).select("table.register tbody th")]


def keys(response):
    hrefs = {cell.select_one("a")["href"] for cell in soup(response).select("table.register tbody th")}
    return {instrument.key for instrument in Instrument.objects.all() if url_of(instrument, "en") in hrefs}


@pytest.mark.parametrize(("language", "kind_header"), [("fr", "Type"), ("en", "Kind")])
def test_register_is_a_table_with_headers(client, reference_archive, language, kind_header):
    page = soup(client.get(REGISTER[language]))
    headers = [text(th) for th in page.select("table.register thead th")]
    assert kind_header in headers
    assert len(page.select("table.register tbody tr")) == Instrument.objects.count()


def test_register_sorts_by_a_column_both_ways(client, reference_archive):
    ascending = titles(client.get("/en/instruments/?sort=title"))
    assert ascending == sorted(ascending, key=str.lower)
    descending = titles(client.get("/en/instruments/?sort=-title"))
    assert descending == list(reversed(ascending))
    page = soup(client.get("/en/instruments/?sort=title"))
    assert page.select_one("th[aria-sort=ascending]")


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("kind=roadmap", "roadmap-2023-2027", "acsa"),
        ("status=under_negotiation", "raa", "acsa"),
        ("status=in_force", "acsa", "raa"),
        ("dialogue=space", "ssa-technical-arrangement-2017", "roadmap-2023-2027"),
        ("year_from=2020", "raa", "space-letter-of-intent-2017"),
        ("year_to=2016", "cnes-jaxa-agreement-2015", "roadmap-2023-2027"),
        ("year_from=2017&year_to=2017", "space-letter-of-intent-2017", "cnes-jaxa-agreement-2015"),
        ("topic=ssa", "ssa-technical-arrangement-2017", "roadmap-2023-2027"),
    ],
)
def test_register_filters_match_and_exclude(client, reference_archive, query, included, excluded):
    found = keys(client.get(f"/en/instruments/?{query}"))
    assert included in found
    assert excluded not in found


@pytest.mark.parametrize("code", ["FR", "JP"])
def test_the_party_filter_keeps_a_bilateral_instrument_without_signatories(client, reference_archive, code):
    """The ACSA records no signatory: it binds both sides all the same, and “Party = Japan” keeps it."""
    from dialogue.models import Party

    acsa = Instrument.objects.get(key="acsa")
    assert not acsa.signatories.exists()
    french_only = factories.instrument(title_fr="Instrument français", title_en="French instrument")
    french_only.parties.set([Party.objects.get(code="FR")])
    found = keys(client.get(f"/en/instruments/?party={code}"))
    assert "acsa" in found and "roadmap-2023-2027" in found
    assert (french_only.key in found) == (code == "FR")


def test_an_inverted_year_range_is_explained(client, reference_archive):
    page = soup(client.get("/en/instruments/?year_from=2024&year_to=2015"))
    assert "The first year cannot be after the last year." in text(page.select_one(".form-errors"))
    assert not page.select("table.register")


def test_an_unknown_sort_is_a_form_error_not_a_crash(client, reference_archive):
    response = client.get("/en/instruments/?sort=password")
    assert response.status_code == 200
    assert soup(response).select_one(".form-errors")


@pytest.mark.parametrize(("language", "step"), [("fr", "Négociations ouvertes"), ("en", "Negotiations opened")])
def test_instrument_page_shows_its_life_cycle(client, reference_archive, language, step):
    raa = Instrument.objects.get(key="raa")
    page = soup(client.get(url_of(raa, language)))
    steps = [
        f"{text(li.select_one('.timeline__date'))} {text(li.select_one('.timeline__title'))}"
        for li in page.select("section[aria-labelledby=life-cycle-heading] .timeline li")
    ]
    assert steps == [f"{'2 mai 2024' if language == 'fr' else '2 May 2024'} {step}"]


def test_instrument_page_shows_signatories_and_partial_dates(client, reference_archive):
    roadmap = Instrument.objects.get(key="roadmap-2023-2027")
    page = soup(client.get(url_of(roadmap, "en")))
    signatories = [text(li) for li in page.select(".signatories li")]
    assert any("Emmanuel MACRON" in s for s in signatories) and any("KISHIDA Fumio" in s for s in signatories)
    assert len(page.select(".prose ol li")) == 5
    acsa = soup(client.get(url_of(Instrument.objects.get(key="acsa"), "fr")))
    assert [text(li.select_one(".timeline__date")) for li in acsa.select(".timeline li")] == ["2019"]
    assert [text(li.select_one(".timeline__title")) for li in acsa.select(".timeline li")] == ["Entré en vigueur"]
    agreement = soup(client.get(url_of(Instrument.objects.get(key="cnes-jaxa-agreement-2015"), "en")))
    assert text(agreement.select_one(".timeline li .timeline__date")) == "October 2015"


def test_related_instruments_are_listed_both_ways(client, reference_archive):
    from dialogue.models import InstrumentRelation

    letter = Instrument.objects.get(key="space-letter-of-intent-2017")
    arrangement = Instrument.objects.get(key="ssa-technical-arrangement-2017")
    InstrumentRelation.objects.create(source=arrangement, kind="implements", target=letter)
    page = soup(client.get(url_of(arrangement, "en")))
    assert url_of(letter, "en") in [a["href"] for a in page.select("section[aria-labelledby=related-heading] a")]
    page = soup(client.get(url_of(letter, "en")))
    assert url_of(arrangement, "en") in [a["href"] for a in page.select("section[aria-labelledby=related-heading] a")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_instrument_page_lists_its_texts_by_language(client, reference_archive, language):
    from dialogue.models import InstrumentDocument

    roadmap = Instrument.objects.get(key="roadmap-2023-2027")
    empty = soup(client.get(url_of(roadmap, language)))
    assert not empty.select(".documents a")
    InstrumentDocument.objects.create(
        instrument=roadmap,
        language="fr",
        title_fr="Feuille de route",
        title_en="Roadmap",
        url="https://example.org/fr.pdf",
    )
    InstrumentDocument.objects.create(instrument=roadmap, language="ja", url="https://example.org/ja.pdf")
    page = soup(client.get(url_of(roadmap, language)))
    links = page.select(".documents a")
    assert [(a["href"], a["hreflang"]) for a in links] == [
        ("https://example.org/fr.pdf", "fr"),
        ("https://example.org/ja.pdf", "ja"),
    ]
    assert text(links[0]) == ("Feuille de route" if language == "fr" else "Roadmap")


def test_a_document_address_must_be_http(reference_archive):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from dialogue.models import InstrumentDocument

    document = InstrumentDocument(instrument=Instrument.objects.first(), language="fr", url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        document.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        document.save()


@pytest.mark.parametrize(
    ("language", "source_reads", "target_reads"),
    [
        ("fr", "Cet instrument remplace", "Cet instrument est remplacé par"),
        ("en", "This instrument supersedes", "This instrument is superseded by"),
    ],
)
def test_a_relation_reads_from_both_ends(client, db, language, source_reads, target_reads):
    """“Supersedes” on one page is “superseded by” on the other, each linking the other instrument."""
    from dialogue.models import InstrumentRelation

    new, old = factories.instrument(), factories.instrument()
    InstrumentRelation.objects.create(source=new, kind=InstrumentRelation.Kind.SUPERSEDES, target=old)
    for page_of, reads, other in ((new, source_reads, old), (old, target_reads, new)):
        section = soup(client.get(url_of(page_of, language))).select_one("section[aria-labelledby=related-heading]")
        item = section.select_one("li")
        assert text(item).startswith(reads), text(item)
        assert item.select_one("a")["href"] == url_of(other, language)
    draft = factories.instrument(publication_status="draft", publish_at=None)
    InstrumentRelation.objects.create(source=draft, kind=InstrumentRelation.Kind.AMENDS, target=old)
    assert len(soup(client.get(url_of(old, "en"))).select("section[aria-labelledby=related-heading] li")) == 1
