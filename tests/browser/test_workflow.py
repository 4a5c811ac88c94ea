"""The editorial workflow in a real browser: an editor drafts, a translator translates, a publisher publishes."""

import pytest
from playwright.sync_api import expect

from dialogue.models import Dialogue, Meeting, Person

from .helpers import log_in, member_of

WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'
    '<p class="MsoNormal" style="mso-style-name:Normal;margin:0cm"><span lang="FR" '
    'style="font-family:Calibri;mso-bidi-font-family:Arial">Les deux délégations ont fait le point sur la '
    '<b style="mso-bidi-font-weight:normal">connaissance de la situation spatiale</b>.<o:p></o:p></span></p>'
    '<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1"><span style="color:red">'
    '<a href="javascript:alert(1)">piège</a></span></p></body></html>'
)


def public_text(visitor, path):
    """The text of a public page for an anonymous visitor (a page of a context without a session), and its status."""
    response = visitor.goto(path)
    return response.status, visitor.locator("body").inner_text()


def pick_autocomplete(page, field_id, obj):
    """Choose ``obj`` in one of the admin's autocomplete fields, as its search would fill it."""
    page.locator(f"#{field_id}").evaluate(
        """(select, [value, label]) => {
            select.append(new Option(label, value, true, true));
            select.dispatchEvent(new Event('change', {bubbles: true}));
        }""",
        [str(obj.pk), str(obj)],
    )


@pytest.mark.django_db(transaction=True)
def test_an_editor_drafts_a_translator_translates_a_publisher_publishes(browser, archive, live_server):
    member_of("Editors", "editor")
    member_of("Translators", "translator")
    member_of("Publishers", "publisher")
    space = Dialogue.objects.get(key="space")
    # One anonymous visitor for every look at the public site, without a browser cache: each look is a
    # first visit, as the page's max-age would otherwise show a page seen earlier (closed at the end).
    visitor = browser.new_context(base_url=live_server.url).new_page()
    devtools = visitor.context.new_cdp_session(visitor)
    devtools.send("Network.enable")
    devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})

    # 1. The editor drafts the meeting in French, with a delegation and its head.
    page = log_in(browser, live_server, "editor", "fr")
    page.goto("/fr/admin/dialogue/meeting/add/")
    status = page.locator("#id_publication_status")
    assert status.locator("option").evaluate_all("options => options.map(o => o.value)") == ["draft", "review"]
    page.locator("#id_dialogue").select_option(str(space.pk))
    page.locator("#id_number").fill("20")
    page.locator("#id_start_date").fill("12/03/2027")
    page.locator("#id_title_fr").fill("20e session du dialogue sur l’espace, à Toulouse")
    page.locator("#id_city_fr").fill("Toulouse")
    # The summary in the rich-text editor, pasted from a word processor.
    editor = page.locator("#id_summary_fr").locator("xpath=..").locator(".ProseMirror[contenteditable=true]")
    editor.click()
    assert page.csp_violations == []  # the editor itself runs under the policy
    editor.evaluate(
        """(element, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', element.innerText);
            element.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_PASTE,
    )
    expect(editor).to_contain_text("connaissance de la situation spatiale")
    page.locator("#id_publication_status").select_option("review")
    page.get_by_role("link", name="Ajouter une délégation", exact=True).click()
    page.locator("select[name='delegations-0-party']").select_option(label="France")
    page.get_by_role("link", name="Ajouter un membre de délégation").first.click()
    pick_autocomplete(page, "id_delegations-0-members-0-person", Person.objects.get(key="toshiro-iijima"))
    page.locator("select[name='delegations-0-members-0-role']").select_option("co_chair")
    page.locator("input[name='_save']").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    # The word processor's style attributes are refused by the policy while the paste is parsed.
    assert all("style attributes" in violation for violation in page.csp_violations)
    meeting = Meeting.objects.get(dialogue=space, number=20)
    assert meeting.publication_status == "review"
    assert (
        "<b" not in meeting.summary_fr and "mso" not in meeting.summary_fr and "javascript" not in meeting.summary_fr
    )
    assert "<strong>connaissance de la situation spatiale</strong>" in meeting.summary_fr
    assert meeting.delegations.get().members.get().person.family_name == "Iijima"
    page.context.close()

    # 5 (before 3). Nothing is public yet, in either language.
    for path in ("/fr/reunions/", "/fr/", "/fr/annees/", "/fr/annees/2027/", "/fr/recherche/?q=Toulouse"):
        _status, text = public_text(visitor, path)
        assert "20e session du dialogue sur l’espace" not in text, path
    assert public_text(visitor, "/fr/annees/2027/")[0] == 404  # nothing public that year
    assert public_text(visitor, meeting.get_absolute_url())[0] == 404

    # 2. The translator adds the English; every other field is read-only for them.
    page = log_in(browser, live_server, "translator", "en")
    page.goto(f"/en/admin/dialogue/meeting/{meeting.pk}/change/")
    assert page.locator("#id_start_date").count() == 0
    assert page.locator("#id_publication_status").count() == 0
    page.locator("a[href='#tab_id_title_en']").first.click()
    page.locator("#id_title_en").fill("20th session of the space dialogue, in Toulouse")
    page.locator("a[href='#tab_id_city_en']").first.click()
    page.locator("#id_city_en").fill("Toulouse")
    page.locator("a[href='#tab_id_summary_en']").first.click()
    english = page.locator("#id_summary_en").locator("xpath=..").locator(".ProseMirror[contenteditable=true]")
    english.click()
    english.press_sequentially("The two delegations reviewed space situational awareness.")
    page.locator("input[name='_save']").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.csp_violations == []
    page.context.close()
    meeting.refresh_from_db()
    assert meeting.title_en == "20th session of the space dialogue, in Toulouse"
    assert "space situational awareness" in meeting.summary_en
    assert meeting.publication_status == "review"
    assert public_text(visitor, "/en/meetings/")[1].count("in Toulouse") == 0

    # 3. The publisher publishes it from the list.
    page = log_in(browser, live_server, "publisher", "en")
    page.goto("/en/admin/dialogue/meeting/?publication_status__exact=review")
    page.locator(f"input[name='_selected_action'][value='{meeting.pk}']").check()
    page.locator("select[name='action']").select_option("publish_selected")
    page.locator("button[name='index']").click()
    expect(page.locator(".messagelist .success")).to_contain_text("1 item published")
    page.context.close()

    # 4. The meeting is on /fr/ and /en/, with its delegation.
    status, text = public_text(visitor, "/fr/reunions/")
    assert "20e session du dialogue sur l’espace, à Toulouse" in text
    status, text = public_text(visitor, "/en/meetings/")
    assert "20th session of the space dialogue, in Toulouse" in text
    meeting.refresh_from_db()
    for language in ("fr", "en"):
        from django.utils import translation

        with translation.override(language):
            url = meeting.get_absolute_url()
        status, text = public_text(visitor, url)
        assert status == 200
        # Family names in capitals, as in diplomatic lists; Japanese names family name first in English.
        assert {"fr": "Toshiro IIJIMA", "en": "IIJIMA Toshiro"}[language] in text
