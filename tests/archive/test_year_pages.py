"""The archive by year: an index with counts, and a page per year in date order."""

import pytest

from tests.conftest import soup, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_year_index_counts_what_each_year_holds(client, reference_archive, language):
    path = {"fr": "/fr/annees/", "en": "/en/years/"}[language]
    page = soup(client.get(path))
    rows = {text(row.select_one("th")): [text(cell) for cell in row.select("td")] for row in page.select("tbody tr")}
    assert list(rows) == sorted(rows, reverse=True)
    # 2017: the 2nd space session; two instruments signed; the embassy's news item.
    assert rows["2017"] == ["1", "2", "1"]
    # 2015: the CNES–JAXA agreement, signed in October.
    assert rows["2015"] == ["0", "1", "0"]


@pytest.mark.parametrize(("language", "path"), [("fr", "/fr/annees/2017/"), ("en", "/en/years/2017/")])
def test_year_page_lists_everything_in_date_order(client, reference_archive, language, path):
    page = soup(client.get(path))
    assert text(page.select_one("h1")) == "2017"
    dates = [time["datetime"] for time in page.select(".timeline time")]
    assert dates == sorted(dates)
    kinds = [item["class"][1] for item in page.select(".timeline__item")]
    assert sorted(kinds) == sorted(
        [
            "timeline__item--meeting",
            "timeline__item--instrument",
            "timeline__item--instrument",
            "timeline__item--press_release",
        ]
    )
    assert page.select_one("a[rel=prev]")["href"].endswith("/2016/")


@pytest.mark.parametrize("year", ["1999", "0", "99999", "2030"])
def test_a_year_with_nothing_is_a_404(client, reference_archive, year):
    assert client.get(f"/en/years/{year}/").status_code == 404


def test_a_garbage_year_is_a_404(client, reference_archive):
    assert client.get("/en/years/twenty/").status_code == 404
