"""JSON-LD, Open Graph and Twitter cards, read by extruct: the types and fields search engines read."""

import extruct
import pytest

from archive.models import PressRelease
from dialogue.models import Instrument, Meeting, Organization, Person
from tests.conftest import soup, text
from tests.pages import url_of
from tests.test_query_bounds import PAGES

pytestmark = pytest.mark.django_db


def extract(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    data = extruct.extract(html, base_url=f"http://testserver{url}", syntaxes=["json-ld", "opengraph"], uniform=True)
    return data, soup(response)


def of_type(data, schema_type):
    found = [item for item in data["json-ld"] if item.get("@type") == schema_type]
    assert len(found) == 1, [item.get("@type") for item in data["json-ld"]]
    return found[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_meeting_is_an_event(client, reference_archive, language):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    data, _page = extract(client, url_of(meeting, language))
    event = of_type(data, "Event")
    assert event["@context"] == "https://schema.org"
    assert (event["startDate"], event["endDate"]) == ("2017-03-24", "2017-03-24")
    assert event["inLanguage"] == language
    assert event["url"] == f"http://testserver{url_of(meeting, language)}"
    assert event["location"]["address"]["addressLocality"] == "Tokyo"
    assert event["location"]["address"]["addressCountry"] == "JP"
    attendees = {org["alternateName"] for org in event["attendee"] if "alternateName" in org}
    assert {"JAXA", "CNES"} <= attendees
    assert {org["@type"] for org in event["attendee"]} <= {"GovernmentOrganization", "Organization", "Corporation"}
    organizers = {org.get("alternateName") for org in event["organizer"]}
    assert "JAXA" in organizers and "CNES" not in organizers  # Japan hosted: its delegation's organizations
    assert event["superEvent"]["@type"] == "EventSeries"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_instrument_is_a_legislation_with_its_signatories(client, reference_archive, language):
    instrument = Instrument.objects.get(key="roadmap-2023-2027")
    data, _page = extract(client, url_of(instrument, language))
    legislation = of_type(data, "Legislation")
    assert legislation["legislationType"] == {"fr": "feuille de route", "en": "roadmap"}[language]
    assert legislation["legislationDate"] == "2023-12-02"
    assert legislation["legislationLegalForce"] == "https://schema.org/NotInForce"
    names = {signatory["name"] for signatory in legislation["legislationPassedBy"]}
    assert names == {"fr": {"Emmanuel MACRON", "Fumio KISHIDA"}, "en": {"Emmanuel MACRON", "KISHIDA Fumio"}}[language]
    assert legislation["legislationJurisdiction"] == ["FR", "JP"]
    acsa, _page = extract(client, url_of(Instrument.objects.get(key="acsa"), language))
    assert of_type(acsa, "Legislation")["legislationLegalForce"] == "https://schema.org/InForce"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_press_release_is_a_news_article_about_its_meeting(client, reference_archive, language):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    data, _page = extract(client, url_of(release, language))
    article = of_type(data, "NewsArticle")
    assert article["headline"] == getattr(release, f"title_{language}")
    assert article["datePublished"] == "2016-03-11"
    assert article["inLanguage"] == language
    assert [publisher["alternateName"] for publisher in article["publisher"]] == ["CNES"]
    about = article["about"][0]
    assert about["@type"] == "Event"
    assert about["url"] == f"http://testserver{url_of(Meeting.objects.get(key='space-2016-03-11'), language)}"
    if language != release.original_language:
        assert article["translationOfWork"]["inLanguage"] == release.original_language


def test_a_person_and_an_organization(client, reference_archive):
    data, _page = extract(client, url_of(Person.objects.get(key="jean-yves-le-gall"), "en"))
    person = of_type(data, "Person")
    assert (person["givenName"], person["familyName"], person["name"]) == ("Jean-Yves", "Le Gall", "Jean-Yves LE GALL")
    assert person["nationality"]["name"] == "France"
    sgdsn = Organization.objects.get(key="sgdsn")
    data, _page = extract(client, url_of(sgdsn, "fr"))
    organization = of_type(data, "GovernmentOrganization")
    assert organization["name"] == sgdsn.name_fr
    assert organization["parentOrganization"]["name"] == sgdsn.parent.name_fr


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_has_breadcrumbs_open_graph_and_a_twitter_card(client, reference_archive, language):
    for name, build in PAGES:
        url = build(language)
        data, page = extract(client, url)
        trail = of_type(data, "BreadcrumbList")["itemListElement"]
        assert [item["position"] for item in trail] == list(range(1, len(trail) + 1)), name
        assert trail[0]["item"] == f"http://testserver/{language}/"
        assert trail[-1]["item"] == f"http://testserver{url}"
        visible = page.select(".breadcrumbs li")
        if url != f"/{language}/":
            assert [text(li) for li in visible] == [item["name"] for item in trail], name
            assert [a["href"] for a in page.select(".breadcrumbs li a")] == [
                item["item"].removeprefix("http://testserver") for item in trail[:-1]
            ]
        properties = data["opengraph"][0]  # uniform: og:type is given as @type
        assert properties["og:url"] == f"http://testserver{url}", name
        assert properties["og:locale"] == {"fr": "fr_FR", "en": "en_GB"}[language]
        assert properties["og:locale:alternate"] == {"fr": "en_GB", "en": "fr_FR"}[language]
        assert properties["og:site_name"] and properties["og:description"]
        assert properties["@type"] in {"website", "article", "profile"}
        assert properties["og:title"] == trail[-1]["name"] or url == f"/{language}/"
        assert page.select_one("meta[name='twitter:card']")["content"] in {"summary", "summary_large_image"}


def test_json_ld_cannot_be_broken_out_of(client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    Meeting.objects.filter(pk=meeting.pk).update(title_en="</script><script>alert(1)</script>")
    response = client.get(url_of(meeting, "en"))
    assert b"<script>alert(1)" not in response.content
    data, _page = extract(client, url_of(meeting, "en"))
    assert of_type(data, "Event")["name"] == "</script><script>alert(1)</script>"


def test_the_home_page_describes_the_site_and_links_the_api_description(client, reference_archive):
    data, page = extract(client, "/en/")
    website = of_type(data, "WebSite")
    assert website["potentialAction"]["target"]["urlTemplate"] == "http://testserver/en/search/?q={search_term_string}"
    link = page.select_one("head link[rel=service-desc]")
    assert link["href"] == "/api/v1/openapi.json"
    assert client.get(link["href"]).status_code == 200
