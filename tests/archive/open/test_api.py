"""The read-only API: its OpenAPI description validated, both languages, Popolo, filters as the pages', 4xx never 500."""

import datetime
import json

import pytest
from openapi_spec_validator import validate

from archive.filters import PressReleaseFilter
from archive.models import PressRelease
from archive.views import PressReleaseListView
from dialogue.models import Meeting, Person
from dialogue.views import InstrumentListView, MeetingListView
from editorial.models import Status
from tests import factories
from tests.archive.open.helpers import API_LISTS
from tests.test_errors_and_hostile_input import HOSTILE

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    return json.loads(response.content)


def test_the_openapi_description_is_valid_and_linked_from_the_home_page(client, reference_archive):
    document = get(client, f"{API}/openapi.json")
    validate(document)
    assert document["openapi"].startswith("3.")
    for kind in API_LISTS:
        assert f"{API}/{kind}" in document["paths"], kind
    docs = client.get(f"{API}/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()  # served from this site


def test_the_index_lists_every_resource(client, reference_archive):
    index = get(client, f"{API}/")
    assert set(index["resources"]) == set(API_LISTS)
    for url in index["resources"].values():
        get(client, url.removeprefix("http://testserver"))


@pytest.mark.parametrize("kind", API_LISTS)
def test_every_list_is_paginated_and_keyed(client, reference_archive, kind):
    page = get(client, f"{API}/{kind}?limit=2")
    assert page["limit"] == 2 and page["offset"] == 0 and page["previous"] is None
    assert len(page["results"]) == min(2, page["count"])
    identifier = "id" if kind in {"people", "organizations", "memberships"} else "key"
    seen = [item[identifier] for item in page["results"]]
    while page["next"]:
        page = get(client, page["next"].removeprefix("http://testserver"))
        seen += [item[identifier] for item in page["results"]]
    assert len(seen) == len(set(seen)) == page["count"]
    if kind != "memberships":
        get(client, f"{API}/{kind}/{seen[0]}")


def test_a_meeting_with_its_delegations_in_both_languages(client, reference_archive):
    meeting = get(client, f"{API}/meetings/space-2017-03-24")
    assert meeting["title"] == {
        "fr": "2e session du Dialogue global sur l’espace",
        "en": "2nd session of the Comprehensive Space Dialogue",
    }
    assert meeting["url"]["en"].endswith("/en/meetings/2017-03-24-2nd-session-of-the-comprehensive-space-dialogue/")
    japan = next(delegation for delegation in meeting["delegations"] if delegation["party"] == "JP")
    co_chairs = [member["name"] for member in japan["members"] if member["role"] == "co_chair"]
    # Each language's convention: given name first in French, family name first in English.
    assert {"fr": "Toshiro IIJIMA", "en": "IIJIMA Toshiro"} in co_chairs
    assert {"fr": "Shuzo TAKADA", "en": "TAKADA Shuzo"} in co_chairs
    assert japan["members"][0]["role_label"] == {"fr": "coprésident", "en": "co-chair"}
    assert "jaxa" in japan["organizations"]
    assert len(meeting["instruments_signed"]) == 2


def test_an_instrument_with_its_signatories_and_life_cycle(client, reference_archive):
    roadmap = get(client, f"{API}/instruments/roadmap-2023-2027")
    assert roadmap["dates"]["signed_on"] == {"date": "2023-12-02", "precision": "day"}
    assert [signatory["name"] for signatory in roadmap["signatories"]] == [
        {"fr": "Emmanuel MACRON", "en": "Emmanuel MACRON"},
        {"fr": "Fumio KISHIDA", "en": "KISHIDA Fumio"},
    ]
    assert roadmap["status_label"] == {"fr": "signé", "en": "signed"}


def test_people_organizations_and_memberships_are_popolo(client, reference_archive):
    person = get(client, f"{API}/people/jean-yves-le-gall")
    assert {"id", "name", "given_name", "family_name", "identifiers", "links"} <= set(person)
    assert person["name"] == {"fr": "Jean-Yves LE GALL", "en": "Jean-Yves LE GALL"}
    assert person["identifiers"] == [{"scheme": "france-japan-dialogues", "identifier": "jean-yves-le-gall"}]
    assert {link["note"] for link in person["links"]} == {"fr", "en"}
    sgdsn = get(client, f"{API}/organizations/sgdsn")
    assert sgdsn["parent_id"] == "prime-minister-fr" and sgdsn["classification"] == "secretariat"
    assert set(sgdsn["name"]) == {"fr", "en"}
    memberships = get(client, f"{API}/memberships?person=toshiro-iijima")["results"]
    assert memberships
    membership = memberships[0]
    assert membership["person_id"] == "toshiro-iijima"
    assert membership["start_date"] == "2017-03-24" and membership["meeting"] == "space-2017-03-24"
    assert membership["role"]["en"] == "co-chair" and membership["on_behalf_of"] == "JP"
    assert set(membership["label"]) == {"fr", "en"}


def test_api_lists_take_the_page_filters_from_the_same_declaration(client, reference_archive):
    from archive.open.api.filters import FILTERS

    pages = {"meetings": MeetingListView, "instruments": InstrumentListView, "press-releases": PressReleaseListView}
    document = get(client, f"{API}/openapi.json")
    for kind, view in pages.items():
        assert FILTERS[kind] is view.filterset_class
        documented = {p["name"] for p in document["paths"][f"{API}/{kind}"]["get"]["parameters"]}
        assert set(view.filterset_class.base_filters) | {"limit", "offset"} == documented
    assert FILTERS["press-releases"] is PressReleaseFilter


@pytest.mark.parametrize(
    ("url", "included", "excluded"),
    [
        ("meetings?dialogue=space", "space-2017-03-24", "two-plus-two-2023-05-09"),
        ("meetings?year=2017", "space-2017-03-24", "space-2016-03-11"),
        ("meetings?host=FR", "space-2016-03-11", "space-2017-03-24"),
        ("instruments?status=in_force", "acsa", "raa"),
        ("instruments?year_from=2023", "roadmap-2023-2027", "acsa"),
        ("press-releases?issuer=cnes", "cnes-pr051-2016", "joint-press-release-2023-01-19"),
        ("organizations?party=JP", "jaxa", "cnes"),
    ],
)
def test_filters_match_and_exclude(client, reference_archive, url, included, excluded):
    results = get(client, f"{API}/{url}&limit=100")["results"]
    keys = {item.get("key") or item.get("id") for item in results}
    assert included in keys and excluded not in keys


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("meetings?year=abc", "year"),
        ("meetings?dialogue=nope", "dialogue"),
        ("instruments?year_from=2020&year_to=2010", "__all__"),
        ("meetings?limit=1000", "limit"),
        ("meetings?limit=0", "limit"),
        ("meetings?offset=-1", "offset"),
        ("meetings?limit=abc", "limit"),
    ],
)
def test_bad_parameters_are_a_400_that_says_why(client, reference_archive, url, field):
    answer = get(client, f"{API}/{url}", status=400)
    assert answer["detail"]
    assert field in answer["errors"]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("kind", ["meetings", "instruments", "press-releases", "memberships"])
def test_hostile_query_strings_never_give_a_500(client, reference_archive, kind, query):
    response = client.get(f"{API}/{kind}?{query}")
    assert response.status_code in (200, 400), (response.status_code, response.content[:200])
    assert b"<script>" not in response.content


def test_unknown_and_unpublished_items_are_json_404s(client, reference_archive):
    draft = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    for url in (f"{API}/meetings/nope", f"{API}/meetings/{draft.key}", f"{API}/people/nobody"):
        assert get(client, url, status=404)["detail"]


def test_drafts_withdrawn_and_scheduled_items_are_not_in_the_api(client, reference_archive):
    hidden_person = factories.person(family_name="Unseen")
    draft = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    factories.delegation(draft, factories.party(), [hidden_person])
    withdrawn = factories.press_release(publication_status=Status.WITHDRAWN)
    scheduled = factories.instrument(publish_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    keys = set()
    for kind in API_LISTS:
        for item in get(client, f"{API}/{kind}?limit=100")["results"]:
            keys.add(item.get("key") or item.get("id"))
            keys |= {
                member["person_id"] for delegation in item.get("delegations", []) for member in delegation["members"]
            }
    assert not {draft.key, withdrawn.key, scheduled.key, hidden_person.key} & keys
    assert not [key for key in keys if "/" in key and key.startswith(draft.key)]
    assert get(client, f"{API}/people/{hidden_person.key}", status=404)


def test_cors_allows_any_origin_to_read(client, reference_archive):
    response = client.get(f"{API}/meetings", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/meetings", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/en/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page  # the pages are not part of the API


def test_the_api_writes_nothing(client, reference_archive):
    assert client.post(f"{API}/meetings", {}).status_code == 405
    assert client.delete(f"{API}/meetings/space-2017-03-24").status_code == 405


@pytest.mark.cache
def test_anonymous_use_is_throttled_per_address_in_the_shared_cache(client, reference_archive, settings):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}}
    caches["default"].clear()
    settings.API_ANON_RATE = "3/min"
    for _n in range(3):
        get(client, f"{API}/topics")
    response = client.get(f"{API}/topics")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert client.get(f"{API}/topics", REMOTE_ADDR="10.0.0.2").status_code == 200  # another reader
    caches["default"].clear()


def test_a_person_named_only_by_a_draft_is_hidden_until_it_is_published(client, reference_archive):
    person = factories.person(family_name="Later")
    meeting = factories.meeting(publication_status=Status.DRAFT, publish_at=None)
    factories.delegation(meeting, factories.party(), [person])
    get(client, f"{API}/people/{person.key}", status=404)
    meeting.publish()
    meeting.save()
    assert get(client, f"{API}/people/{person.key}")["id"] == person.key
    assert Person.objects.published().filter(pk=person.pk).exists()
    assert Meeting.objects.published().filter(pk=meeting.pk).exists()
    assert PressRelease.objects.published().exists()
