"""Search over many items: results a page at a time, in the order of one ranking, and their links.

The reference archive with 30 more of everything (``tests.pages.grow_archive``) is made once for the
module, whose tests only read it.
"""

import pytest

from archive import search
from tests.conftest import module_archive, soup
from tests.pages import grow_archive

pytestmark = pytest.mark.django_db

archive_grown = module_archive("archive_grown", then=lambda: grow_archive(30))


def test_paginated_results_keep_the_query(client, archive_grown):
    page = soup(client.get("/en/search/", {"q": "release"}))
    next_link = page.select_one(".pagination a[rel=next]")["href"]
    assert "q=release" in next_link


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("en", "space"),
        ("en", "SSA"),
        ("fr", "spatiale"),
        ("en", "release"),
        ("en", "letter of intent 2017"),
        ("en", '"space dialogue" OR CNES'),
        ("en", "JAXA -agreement"),
        ("fr", "coopération spatiale"),
    ],
)
def test_postgres_pages_follow_the_full_ranking(postgres, archive_grown, language, query):
    """The tiers, read a page at a time, give the order of one ranking of every match."""
    results = search.search(query, language)
    full = list(results.full_ranking())
    assert results.count() == len(full) > 0
    for per_page in (7, 20):
        paged = []
        for number in range(1, -(-len(full) // per_page) + 1):
            paged += search.ResultPage(results, number, per_page).rows
        assert [entry.pk for entry in paged] == [entry.pk for entry in full]
    # Tiers in order; within the first two, by rank; the third has none.
    tiers = [entry.tier for entry in full]
    assert tiers == sorted(tiers)
    for tier in (1, 2):
        ranks = [entry.rank for entry in full if entry.tier == tier]
        assert ranks == sorted(ranks, reverse=True)
    assert all(entry.rank == 0 for entry in full if entry.tier == 3)
