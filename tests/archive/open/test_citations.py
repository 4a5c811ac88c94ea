"""“Cite this page”: a citation in the page's language, BibTeX, CSL-JSON, a permanent address, today's date."""

import datetime
import json
import re
from unittest import mock

import pytest
from django.utils import timezone, translation

from archive.models import PressRelease
from dialogue.models import Instrument, Meeting
from editorial.formatting import long_date
from editorial.models import Status
from tests import factories
from tests.archive.open.helpers import citation
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db


def today(language):
    with translation.override(language):
        return long_date(timezone.localdate())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "CNES, *Le CNES étroitement associé au dialogue spatial France-Japon*, communiqué de presse PR051 – 2016, Paris, 11 mars 2016. En ligne : <http://testserver/fr/id/press-release/cnes-pr051-2016/> (consulté le {today}).",
        ),
        (
            "en",
            "CNES. *CNES closely involved in France-Japan space dialogue*. Press release PR051 – 2016. Paris, 11 March 2016. http://testserver/en/id/press-release/cnes-pr051-2016/ (accessed {today}).",
        ),
    ],
)
def test_a_press_release_page_offers_a_citation_in_its_language(client, reference_archive, language, expected):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    page = soup(client.get(url_of(release, language)))
    block = page.select_one("section.cite")
    assert text(block.select_one("h2")) == {"fr": "Citer cette page", "en": "Cite this page"}[language]
    cited = block.select_one(".cite__text")
    shown = text(cited).replace(text(cited.select_one("cite")), f"*{text(cited.select_one('cite'))}*")
    assert shown == expected.format(today=today(language))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_meeting_and_instrument_pages_offer_citations_too(client, reference_archive, language):
    for item in (Meeting.objects.get(key="space-2017-03-24"), Instrument.objects.get(key="roadmap-2023-2027")):
        page = soup(client.get(url_of(item, language)))
        cited = text(page.select_one(".cite__text"))
        assert f"/{language}/id/" in cited and today(language) in cited
        links = {a["type"]: a["href"] for a in page.select(".cite a[download]")}
        assert links == {
            "application/x-bibtex": citation(item, language, "bib"),
            "application/vnd.citationstyles.csl+json": citation(item, language, "json"),
        }


def test_bibtex_download(client, reference_archive):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    response = client.get(citation(release, "en", "bib"))
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cnes-pr051-2016.bib"'
    entry = response.content.decode()
    assert entry.startswith("@misc{cnes-pr051-2016,\n")
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", entry, flags=re.M))
    assert fields["author"] == "{CNES}"
    assert fields["url"] == "http://testserver/en/id/press-release/cnes-pr051-2016/"
    assert fields["urldate"] == timezone.localdate().isoformat()
    assert (fields["year"], fields["month"], fields["date"]) == ("2016", "3", "2016-03-11")
    assert entry.count("{") == entry.count("}")


def test_bibtex_escapes_what_latex_would_read(client, reference_archive):
    release = PressRelease.objects.get(key="cnes-pr051-2016")
    PressRelease.objects.filter(pk=release.pk).update(title_en="100% {braces} & $money_#1 \\end")
    entry = client.get(citation(release, "en", "bib")).content.decode()
    assert r"title = {{100\% \{braces\} \& \$money\_\#1 \textbackslash{}end}}" in entry


@pytest.mark.parametrize("language", ["fr", "en"])
def test_csl_json_download(client, reference_archive, language):
    instrument = Instrument.objects.get(key="roadmap-2023-2027")
    response = client.get(citation(instrument, language, "json"))
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    [item] = json.loads(response.content)
    assert item["id"] == "roadmap-2023-2027" and item["type"] == "treaty"
    assert item["title"] == getattr(instrument, f"title_{language}")
    assert item["issued"] == {"date-parts": [[2023, 12, 2]]}
    today_parts = timezone.localdate()
    assert item["accessed"] == {"date-parts": [[today_parts.year, today_parts.month, today_parts.day]]}
    assert item["URL"] == f"http://testserver/{language}/id/instrument/roadmap-2023-2027/"
    meeting = Meeting.objects.get(key="space-2017-03-24")
    [event] = json.loads(client.get(citation(meeting, language, "json")).content)
    assert event["type"] == "event" and event["issued"] == {"date-parts": [[2017, 3, 24]]}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_permanent_address_leads_to_the_page_whatever_its_slug(client, reference_archive, language):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    response = client.get(f"/{language}/id/meeting/space-2017-03-24/")
    assert (response.status_code, response["Location"]) == (302, url_of(meeting, language))
    meeting.title_en, meeting.slug_en, meeting.title_fr, meeting.slug_fr = "Renamed", "", "Renommée", ""
    meeting.save()
    assert client.get(f"/{language}/id/meeting/space-2017-03-24/")["Location"] == url_of(meeting, language)
    assert client.get(f"/{language}/id/meeting/nope/").status_code == 404
    assert client.get(f"/{language}/id/nothing/space-2017-03-24/").status_code == 404


def test_unpublished_items_cannot_be_cited(client, reference_archive):
    draft = factories.press_release(publication_status=Status.DRAFT, publish_at=None)
    assert client.get(citation(draft, "en", "bib")).status_code == 404
    assert client.get(f"/en/id/press-release/{draft.key}/").status_code == 404


@pytest.mark.cache
def test_a_page_with_a_citation_is_not_kept_past_midnight(client, reference_archive, settings):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cite"}}
    caches["default"].clear()
    url = url_of(Meeting.objects.get(key="space-2017-03-24"), "en")
    soon = timezone.now() + datetime.timedelta(seconds=30)
    with mock.patch("archive.open.citations.until_midnight", return_value=soon.timestamp()):
        response = client.get(url)
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    shared = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 0 < max_age <= 30 and shared <= 30
    other = client.get("/en/meetings/")  # a page without a citation keeps the usual lifetimes
    assert "s-maxage=300" in other["Cache-Control"]
    caches["default"].clear()
