"""Rich text: whatever is pasted, only allow-listed HTML is stored; the editor works under the CSP.

A word processor's clipboard (mso styles, <o:p>, spans, classes, conditional comments) and
hostile markup (script, event handlers, javascript: and data: URLs) come out as plain paragraphs,
emphasis, lists and links; links keep http, https, mailto and tel only. Every long text in the
admin is edited with the prose editor, and the admin page's policy allows no inline code.
"""

import re

import pytest
from bs4 import BeautifulSoup
from reversion.models import Version

from archive.models import PressRelease
from dialogue.models import Dialogue, Instrument, Meeting
from editorial.fields import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, HTMLField, sanitize_html
from tests import factories
from tests.conftest import soup
from tests.pages import url_of

from .conftest import LONG_AGO, admin_url, change_form, errors

pytestmark = pytest.mark.django_db

WORD = """<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<style>p.MsoNormal{margin:0cm;font-family:"Calibri"}</style>
<p class="MsoNormal" style="margin-bottom:0cm;mso-line-height-rule:exactly"><span lang="FR"
 style="font-size:12.0pt;mso-bidi-font-family:Arial">Le <b style="mso-bidi-font-weight:normal">dialogue</b>
 s'est tenu à <i>Tokyo</i>.<o:p></o:p></span></p>
<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="font-family:Symbol">·</span>
 Point<o:p>&nbsp;</o:p></p>
<h1 class="Titre1">Titre</h1><h2 style="color:red" onclick="alert(1)">Sous-titre</h2>
<script>alert("x")</script><img src="data:image/png;base64,AAAA" onerror="alert(1)">
<p><a href="javascript:alert(1)">piège</a> <a href="data:text/html,<script>alert(1)</script>">données</a>
<a href="vbscript:msgbox(1)">vb</a> <a href="ftp://example.org/">ftp</a></p>
<table><tr><td>cellule</td></tr></table><iframe src="https://evil.example/"></iframe>
<form action="https://evil.example/"><input name="a"></form>
<p><font face="Arial" color="red">police</font> <u>souligné</u> <abbr title="Centre national">CNES</abbr></p>"""

LINKS = (
    '<p><a href="https://www.diplomatie.gouv.fr/" target="_blank" class="x" style="color:blue">site</a> '
    '<a href="http://example.org/a?b=1&amp;c=2">http</a> <a href="mailto:presse@example.org">écrire</a> '
    '<a href="tel:+33143175353">appeler</a></p>'
)


def assert_allow_listed(html):
    """Every tag and attribute is on the allow-list; every link uses an allowed scheme."""
    tree = BeautifulSoup(html, "html.parser")
    for tag in tree.find_all(True):
        assert tag.name in ALLOWED_TAGS, tag.name
        allowed = (
            ALLOWED_ATTRIBUTES.get(tag.name, set()) | ALLOWED_ATTRIBUTES["*"] | ({"rel"} if tag.name == "a" else set())
        )
        assert set(tag.attrs) <= allowed, (tag.name, tag.attrs)
        if tag.name == "a" and tag.get("href"):
            assert re.match(r"^(https?:|mailto:|tel:)", tag["href"]), tag["href"]
    lowered = html.lower()
    for trace in ("mso-", "<o:p", "class=", "style=", "<script", "alert", "javascript:", "data:", "<!--", "onerror"):
        assert trace not in lowered, trace


def test_word_paste_is_reduced_to_clean_html():
    clean = sanitize_html(WORD)
    assert_allow_listed(clean)
    tree = BeautifulSoup(clean, "html.parser")
    assert [" ".join(p.get_text().split()) for p in tree.select("p")][:2] == [
        "Le dialogue s'est tenu à Tokyo.",
        "· Point",
    ]
    assert str(tree.select_one("p")) == "<p>Le <b>dialogue</b>\n s'est tenu à <i>Tokyo</i>.</p>"
    assert str(tree.select_one("h2")) == "<h2>Sous-titre</h2>"
    assert "cellule" in clean and "Titre" in clean  # text kept, structure that is not allowed dropped
    assert '<abbr title="Centre national">CNES</abbr>' in clean and "<u>souligné</u>" in clean
    assert [a.get("href") for a in tree.select("a")] == [None, None, None, None]


def test_links_keep_the_allowed_schemes_only():
    clean = sanitize_html(LINKS)
    tree = BeautifulSoup(clean, "html.parser")
    assert [(a["href"], a["rel"]) for a in tree.select("a")] == [
        ("https://www.diplomatie.gouv.fr/", ["noopener", "noreferrer"]),
        ("http://example.org/a?b=1&c=2", ["noopener", "noreferrer"]),
        ("mailto:presse@example.org", ["noopener", "noreferrer"]),
        ("tel:+33143175353", ["noopener", "noreferrer"]),
    ]
    assert not any(a.get("target") or a.get("class") or a.get("style") for a in tree.select("a"))


def test_sanitizing_twice_changes_nothing():
    once = sanitize_html(WORD + LINKS)
    assert sanitize_html(once) == once


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Meeting, "summary"),
        (Meeting, "outcomes"),
        (Instrument, "summary"),
        (PressRelease, "body"),
        (Dialogue, "description"),
    ],
)
def test_every_long_text_is_cleaned_when_saved(model, field):
    builder = {
        Meeting: factories.meeting,
        Instrument: factories.instrument,
        PressRelease: factories.press_release,
        Dialogue: factories.dialogue,
    }[model]
    obj = builder(**{f"{field}_fr": WORD, f"{field}_en": LINKS})
    obj.refresh_from_db()
    assert_allow_listed(getattr(obj, f"{field}_fr"))
    assert "<b>dialogue</b>" in getattr(obj, f"{field}_fr")
    assert 'href="tel:+33143175353"' in getattr(obj, f"{field}_en")
    assert isinstance(model._meta.get_field(f"{field}_fr"), HTMLField)


def test_a_bulk_update_is_cleaned_too():
    meeting = factories.meeting()
    Meeting.objects.filter(pk=meeting.pk).update(summary_fr='<p onclick="x()">Ok<script>alert(1)</script></p>')
    meeting.refresh_from_db()
    assert meeting.summary_fr == "<p>Ok</p>"


def test_a_paste_through_the_admin_is_stored_clean_and_shown_clean(editor_client):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _page, data = change_form(editor_client, meeting)
    response = editor_client.post(admin_url(meeting, "change"), {**data, "summary_fr": WORD, "summary_en": LINKS})
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert_allow_listed(meeting.summary_fr)
    assert_allow_listed(meeting.summary_en)

    public = soup(editor_client.get(url_of(meeting, "fr")))
    prose = public.select_one(".prose")
    assert prose.select_one("b").get_text() == "dialogue"
    assert not public.select("main script, main [onclick], main [onerror], main [style]")


def test_the_version_of_an_admin_save_holds_the_clean_text(editor_client):
    """History and conflict messages compare what was stored, not what was pasted."""
    meeting = factories.meeting(title_fr="Séance", title_en="Session")
    _page, data = change_form(editor_client, meeting)
    response = editor_client.post(admin_url(meeting, "change"), {**data, "summary_fr": WORD, "summary_en": LINKS})
    assert response.status_code == 302, errors(response)
    version = Version.objects.get_for_object(meeting).first()
    meeting.refresh_from_db()
    assert version.field_dict["summary_fr"] == meeting.summary_fr


def test_the_same_text_sent_back_by_the_editor_is_no_change(editor_client):
    """The editor may send a link back without the rel the sanitizer adds: the text has not changed,
    so the language is not stamped as updated (which would hide that it is outdated)."""
    meeting = factories.meeting(title_fr="Séance", title_en="Session", summary_fr=LINKS, summary_en=LINKS)
    Meeting.objects.filter(pk=meeting.pk).update(text_updated_fr=LONG_AGO, text_updated_en=LONG_AGO)
    _page, data = change_form(editor_client, meeting)
    as_the_editor_sends_it = data["summary_en"].replace(' rel="noopener noreferrer"', "")
    assert as_the_editor_sends_it != data["summary_en"]
    response = editor_client.post(
        admin_url(meeting, "change"), {**data, "summary_en": as_the_editor_sends_it, "title_fr": "Séance plénière"}
    )
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert meeting.text_updated_en == LONG_AGO
    assert meeting.outdated_languages() == ["en"]


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Meeting, ["summary_fr", "summary_en", "outcomes_fr", "outcomes_en"]),
        (Instrument, ["summary_fr", "summary_en"]),
        (PressRelease, ["body_fr", "body_en"]),
        (Dialogue, ["description_fr", "description_en"]),
    ],
    ids=lambda value: value._meta.model_name if hasattr(value, "_meta") else "",
)
def test_every_long_text_is_edited_with_the_prose_editor(editor_client, model, fields):
    page = soup(editor_client.get(admin_url(model, "add")))
    for name in fields:
        textarea = page.select_one(f"textarea[name={name}]")
        assert textarea is not None and textarea.has_attr("data-django-prose-editor-configurable"), name
    scripts = [tag.get("src", "") for tag in page.select("script[src]")]
    assert any(src.endswith("django_prose_editor/editor.js") for src in scripts)
    assert any(src.endswith("django_prose_editor/configurable.js") for src in scripts)
    # The editor offers exactly the allow-listed link schemes.
    config = page.select_one(f"textarea[name={fields[0]}]")["data-django-prose-editor-configurable"]
    assert '"protocols":["http","https","mailto","tel"]' in config


def test_the_admin_page_allows_no_inline_code(editor_client):
    meeting = factories.meeting()
    response = editor_client.get(admin_url(meeting, "change"))
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    page = soup(response)
    for script in page.select("script"):
        if not script.get("src"):  # the import map and any inline script: only with this response's nonce
            assert script.get("nonce") == nonce, script
    assert page.select_one("script[type=importmap]")
    assert not page.select("[style], [onclick], [onload], [onerror]")


def test_public_pages_allow_no_inline_code_either(client):
    meeting = factories.meeting(summary_fr="<p>Texte</p>")
    response = client.get(url_of(meeting, "fr"))
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
