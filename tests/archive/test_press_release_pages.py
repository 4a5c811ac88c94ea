"""The press-release list and the press-release page."""

import pytest

from archive.models import PressRelease
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "dateline", "note"),
    [
        ("fr", "Paris, 11 mars 2016", "Publié d’abord en anglais ; ceci est une traduction."),
        ("en", "Paris, 11 March 2016", None),
    ],
)
def test_press_release_page_shows_reference_dateline_quotation_and_contacts(
    client, reference_archive, language, dateline, note
):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    page = soup(client.get(url_of(release, language)))
    assert text(page.select_one(".reference")) == "PR051 – 2016"
    assert text(page.select_one(".dateline")) == dateline
    assert (text(page.select_one(".translation-note")) if page.select_one(".translation-note") else None) == note
    assert page.select_one("p.lead")
    assert "Jean-Yves LE GALL" in text(page.select_one(".quotation figcaption"))
    phones = [a["href"] for a in page.select(".contacts a[href^='tel:']")]
    assert "tel:+33014476753" + "9" in phones
    assert [a["href"] for a in page.select(".contacts a[href^='mailto:']")] == [
        "mailto:pascale.bresson@cnes.fr",
        "mailto:julien.watelet@cnes.fr",
    ]
    related = [a["href"] for a in page.select("section[aria-labelledby=related-heading] a")]
    assert url_of(release.meetings.get(), language) in related


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("year=2018", "cnes-cp028-2018", "cnes-pr051-2016"),
        ("kind=joint_press_release", "joint-press-release-2023-01-19", "cnes-pr051-2016"),
        ("kind=news_item", "embassy-news-2017-space-dialogue", "cnes-cp028-2018"),
        ("issuer=cnes", "cnes-pr051-2016", "joint-press-release-2023-01-19"),
        ("issuer=sgdsn", "joint-press-release-2023-01-19", "cnes-cp028-2018"),
        ("dialogue=two-plus-two", "security-defence-partnership-2024", "cnes-pr051-2016"),
        ("topic=exploration", "cnes-cp028-2018", "joint-press-release-2023-01-19"),
    ],
)
def test_press_release_filters_match_and_exclude(client, reference_archive, query, included, excluded):
    page = soup(client.get(f"/en/press-releases/?{query}"))
    links = {a["href"] for a in page.select(".results .item-list > li > a")}
    assert url_of(PressRelease.objects.get(key=included), "en") in links
    assert url_of(PressRelease.objects.get(key=excluded), "en") not in links


@pytest.mark.parametrize("language", ["fr", "en"])
def test_list_shows_every_release_newest_first(client, reference_archive, language):
    path = {"fr": "/fr/communiques/", "en": "/en/press-releases/"}[language]
    page = soup(client.get(path))
    dates = [time["datetime"] for time in page.select(".results time")]
    assert len(dates) == PressRelease.objects.count()
    assert dates == sorted(dates, reverse=True)


def test_a_publication_known_only_by_its_year_shows_the_year(client, reference_archive):
    release = PressRelease.objects.get(key="embassy-news-2017-space-dialogue")
    page = soup(client.get(url_of(release, "en")))
    assert text(page.select_one(".dateline time")) == "2017"
