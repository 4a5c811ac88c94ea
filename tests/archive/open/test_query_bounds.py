"""Every output of the open archive runs a fixed number of queries, whatever the size of the archive."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.archive.open.helpers import API_LISTS, body, every_output
from tests.pages import grow_archive

pytestmark = pytest.mark.django_db

ROOT = [
    "/sitemap.xml",
    *(
        f"/sitemap-{section}.xml"
        for section in (
            "pages",
            "dialogues",
            "meetings",
            "instruments",
            "press-releases",
            "organizations",
            "people",
            "topics",
        )
    ),
    "/robots.txt",
    "/api/v1/",
    *(f"/api/v1/{kind}" for kind in API_LISTS),
    *(f"/api/v1/{kind}?limit=100" for kind in API_LISTS),
    "/api/v1/meetings/space-2017-03-24",
    "/api/v1/instruments/space-letter-of-intent-2017",
    "/api/v1/press-releases/cnes-pr051-2016",
    "/api/v1/organizations/cnes",
    "/api/v1/people/jean-yves-le-gall",
    "/api/v1/dialogues/space",
    "/api/v1/topics/ssa",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body(response)  # a streamed download runs its queries as it is read
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_output_runs_the_same_queries_with_50_more_items(client, reference_archive, language):
    urls = [*every_output(language), f"/{language}/site.webmanifest", *ROOT]
    before = {url: count_queries(client, url) for url in urls}
    grow_archive(50)
    after = {url: count_queries(client, url) for url in urls}
    grown = {url: (before[url], after[url]) for url in urls if after[url] > before[url]}
    assert not grown, grown
    assert max(after.values()) <= 25, after  # the sitemap index: a count and a date per section
