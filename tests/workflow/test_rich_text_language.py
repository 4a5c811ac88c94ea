"""The rich-text editor speaks the admin's language: its toolbar's tooltips and its dialogs."""

import json

import pytest

from tests import factories
from tests.conftest import soup

from .conftest import admin_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "bold", "heading", "link"),
    [("fr", "Gras", "Titre de niveau 2", "Insérer un lien"), ("en", "Bold", "Heading 2", "Insert a link")],
)
def test_the_toolbar_labels_come_with_each_editor(editor_client, language, bold, heading, link):
    meeting = factories.meeting()
    page = soup(editor_client.get(admin_url(meeting, "change", language=language)))
    labels = json.loads(page.select_one("#id_summary_fr")["data-toolbar-labels"])
    assert (labels["bold"], labels["heading 2"], labels["Heading 2"], labels["insert link"]) == (
        bold,
        heading,
        heading,
        link,
    )
    scripts = [script["src"] for script in page.select("script[src]")]
    assert f"/{language}/admin/rich-text-catalogue/" in scripts
    assert "/static/js/rich-text.js" in scripts
    assert scripts.index(f"/{language}/admin/jsi18n/") < scripts.index(f"/{language}/admin/rich-text-catalogue/")


def test_the_dialogs_catalogue_adds_to_the_admins_without_replacing_its_plural_rule(editor_client):
    script = editor_client.get("/fr/admin/rich-text-catalogue/").content.decode()
    assert '"Edit Link": "Modifier le lien"' in script
    assert '"Update": "Mettre \\u00e0 jour"' in script
    assert "pluralidx" not in script and "django.gettext" not in script


def test_the_dialogs_catalogue_is_for_staff(client):
    response = client.get("/fr/admin/rich-text-catalogue/")
    assert response.status_code == 302 and response["Location"].startswith("/fr/admin/login/")
