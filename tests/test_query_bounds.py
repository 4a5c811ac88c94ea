"""Every public page runs a fixed number of queries, whatever the number of items it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import PressRelease
from dialogue.models import Dialogue, Instrument, Meeting, Organization, Person, Topic
from tests.pages import grow_archive, url_of

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", lambda language: f"/{language}/"),
    ("dialogue list", lambda language: "/fr/dialogues/" if language == "fr" else "/en/dialogues/"),
    ("dialogue", lambda language: url_of(Dialogue.objects.get(key="space"), language)),
    ("meeting list", lambda language: {"fr": "/fr/reunions/", "en": "/en/meetings/"}[language]),
    ("meeting", lambda language: url_of(Meeting.objects.get(key="space-2017-03-24"), language)),
    ("instrument register", lambda language: {"fr": "/fr/instruments/", "en": "/en/instruments/"}[language]),
    ("instrument", lambda language: url_of(Instrument.objects.get(key="space-letter-of-intent-2017"), language)),
    ("press release list", lambda language: {"fr": "/fr/communiques/", "en": "/en/press-releases/"}[language]),
    ("press release", lambda language: url_of(PressRelease.objects.get(key="cnes-pr051-2016"), language)),
    ("year index", lambda language: {"fr": "/fr/annees/", "en": "/en/years/"}[language]),
    ("year", lambda language: {"fr": "/fr/annees/2017/", "en": "/en/years/2017/"}[language]),
    ("organization list", lambda language: {"fr": "/fr/organisations/", "en": "/en/organizations/"}[language]),
    ("organization", lambda language: url_of(Organization.objects.get(key="cnes"), language)),
    ("person list", lambda language: {"fr": "/fr/personnes/", "en": "/en/people/"}[language]),
    ("person", lambda language: url_of(Person.objects.get(key="jean-yves-le-gall"), language)),
    ("topic list", lambda language: {"fr": "/fr/themes/", "en": "/en/topics/"}[language]),
    ("topic", lambda language: url_of(Topic.objects.get(key="ssa"), language)),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_runs_the_same_queries_with_50_more_items(client, reference_archive, language):
    urls = {name: build(language) for name, build in PAGES}
    before = {name: count_queries(client, url) for name, url in urls.items()}
    grow_archive(50)
    after = {name: count_queries(client, url) for name, url in urls.items()}
    grown = {name: (before[name], after[name]) for name in urls if after[name] > before[name]}
    assert not grown, grown  # a page may show fewer kinds of item after the growth, never run more queries
    assert max(after.values()) <= 15, after
