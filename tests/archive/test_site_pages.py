"""The pages an official site needs, in both languages, through the publication workflow, linked
from every page's footer; and the secretariat's identity (name, logo, the two parties) in the header."""

import pytest

from archive.models import SitePage
from editorial.models import Status
from tests.admin_forms import admin_url, change_form, errors
from tests.conftest import soup, text
from tests.pages import url_of

pytestmark = pytest.mark.django_db

ROLES = ["about", "contact", "legal", "accessibility", "privacy"]


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("fr", ["À propos", "Contact", "Mentions légales", "Accessibilité", "Données personnelles"]),
        ("en", ["About", "Contact", "Legal notice", "Accessibility", "Personal data"]),
    ],
)
def test_every_page_of_the_site_is_in_the_footer_in_both_languages(client, reference_archive, language, titles):
    page = soup(client.get(f"/{language}/"))
    links = page.select(".site-footer__links a:not(.site-footer__open-data)")
    assert [text(a) for a in links] == titles
    for role, link in zip(ROLES, links, strict=True):
        assert link["href"] == url_of(SitePage.objects.get(role=role), language)
        target = soup(client.get(link["href"]))
        assert text(target.select_one("h1")) == text(link)
        assert target.select_one("html")["lang"] == language
        assert target.select_one(".prose p")


def test_the_identity_shows_the_name_the_logo_and_both_parties(client, reference_archive):
    page = soup(client.get("/fr/"))
    assert page.select_one(".site-name img.site-name__logo")["src"].endswith("img/logo.svg")
    assert text(page.select_one(".site-name__parties")) == "France · Japon"
    assert text(soup(client.get("/en/")).select_one(".site-name__parties")) == "France · Japan"


def test_a_draft_page_is_neither_linked_nor_served(client, reference_archive):
    legal = SitePage.objects.get(role="legal")
    legal.publication_status = Status.DRAFT
    legal.save()
    page = soup(client.get("/en/"))
    assert "Legal notice" not in [text(a) for a in page.select(".site-footer__links a:not(.site-footer__open-data)")]
    assert client.get(url_of(legal, "en")).status_code == 404


def test_an_editor_writes_a_page_and_a_publisher_publishes_it(role_client, reference_archive):
    editor = role_client("Editors")
    about = SitePage.objects.get(role="about")
    _page, data = change_form(editor, about)
    response = editor.post(admin_url(about, "change"), {**data, "lead_en": "A new lead."})
    assert response.status_code == 302, errors(response)
    about.refresh_from_db()
    assert about.lead_en == "A new lead."
    assert editor.post(admin_url(about, "change"), {**data, "publication_status": "withdrawn"}).status_code == 200


def test_the_site_has_one_page_per_role(reference_archive):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SitePage.objects.create(role="legal", title_fr="Autres mentions", title_en="Other notice")
    SitePage.objects.create(role="other", title_fr="Page libre", title_en="Free page")
    SitePage.objects.create(role="other", title_fr="Autre page libre", title_en="Other free page")
