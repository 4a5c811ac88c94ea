"""The editors' admin in a browser, in French and English: the translator's side-by-side view, tables that
fit a 1366 px screen, one switch for the language of every tab, the next order number for new members,
a delegation's side first in its autocompletes, and no time-zone warning under a date alone."""

import re

import pytest
import reversion
from playwright.sync_api import expect

from dialogue.models import Meeting
from editorial.roles import EDITORS, TRANSLATORS

from .conftest import axe_violations
from .helpers import member_of, overflow, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"viewport": {"width": 1366, "height": 900}}
SUMMARY_FR = "<p>Les deux délégations ont fait le point sur la surveillance de l’espace.</p>"


def meeting_edited_in_french():
    """A meeting written in French and translated, whose French summary an editor has since extended."""
    meeting = Meeting.objects.get(key="space-2017-03-24")
    meeting.original_language = "fr"
    meeting.summary_fr = SUMMARY_FR
    meeting.summary_en = "<p>The two delegations reviewed space situational awareness.</p>"
    with reversion.create_revision():
        meeting.save()  # both languages current, kept as a version
    meeting.summary_fr = SUMMARY_FR.replace("l’espace.", "l’espace et les débris orbitaux.")
    with reversion.create_revision():
        meeting.save()  # French moves ahead: English is outdated
    assert meeting.outdated_languages() == ["en"]
    return meeting


@pytest.mark.parametrize(
    ("language", "save", "bold"), [("fr", "Enregistrer la traduction", "Gras"), ("en", "Save the translation", "Bold")]
)
def test_a_translator_translates_beside_the_source(browser, live_server, archive, language, save, bold):
    member_of(TRANSLATORS, "translator")
    meeting = meeting_edited_in_french()
    page = signed_in(browser, live_server, "translator", language, **WIDE)
    page.goto(f"/{language}/admin/dialogue/meeting/{meeting.pk}/change/")
    page.locator(".object-tools a.translatelink").click()
    page.wait_for_url(re.compile(r"/translate/"))

    # The French source, read-only, beside the English field; what changed in it is highlighted.
    changed = page.locator(".translation-pair--changed")
    expect(changed).to_have_count(1)
    expect(changed.locator(".translation-pair__text[lang=fr]")).to_contain_text("débris orbitaux")
    expect(changed.locator(".diff ins")).to_have_text("l’espace et les débris orbitaux.")
    editable = ".translation-pair__source :is(input, textarea, select, [contenteditable=true])"
    assert page.locator(editable).count() == 0
    # The rich-text editor's toolbar, which its script builds after the page loads, in the editor's language.
    expect(page.locator(f".translation-pair__target button[title='{bold}']").first).to_be_attached()
    assert page.locator("[name=start_date], [name=summary_fr], [name=publication_status]").count() == 0
    # A tool that cannot be used now (a link, with nothing selected) is disabled for assistive technology too.
    expect(page.locator(".translation-pair__target button[data-name='link']").first).to_have_attribute(
        "aria-disabled", "true"
    )
    assert axe_violations(page, within="#content-main") == []  # the page's own content (Django's header aside)

    english = changed.locator(".translation-pair__target .ProseMirror[contenteditable=true]")
    english.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("The two delegations reviewed space situational awareness and orbital debris.")
    page.get_by_role("button", name=save).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".translation-pair--changed")).to_have_count(0)  # up to date now
    assert page.csp_violations == [] and page.errors == []

    meeting.refresh_from_db()
    assert "orbital debris" in meeting.summary_en
    assert meeting.outdated_languages() == []  # the French is not marked outdated
    assert meeting.text_updated_en == meeting.text_updated_fr


@pytest.mark.parametrize("language", ["fr", "en"])
def test_nothing_overflows_a_1366_px_screen(browser, live_server, archive, language):
    member_of(EDITORS, "editor")
    page = signed_in(browser, live_server, "editor", language, **WIDE)
    from archive.models import PressRelease
    from dialogue.models import Instrument

    meeting = Meeting.objects.get(key="space-2017-03-24")
    instrument = Instrument.objects.filter(signatories__isnull=False).distinct().first()
    release = PressRelease.objects.first()
    for path in (
        f"/{language}/admin/dialogue/meeting/{meeting.pk}/change/",
        f"/{language}/admin/dialogue/instrument/{instrument.pk}/change/",
        f"/{language}/admin/archive/pressrelease/{release.pk}/change/",
        f"/{language}/admin/dialogue/meeting/{meeting.pk}/translate/",
    ):
        page.goto(path)
        page.wait_for_load_state("load")
        assert overflow(page) == {"page": 0, "tables": []}, path
    # New rows take their share too.
    page.goto(f"/{language}/admin/dialogue/meeting/{meeting.pk}/change/")
    add_member = page.locator("#delegations-0-members-group .djn-add-handler").first
    add_member.click()
    add_member.click()
    assert overflow(page) == {"page": 0, "tables": []}
    headers = page.locator("#delegations-0-members-group thead th").all_inner_texts()
    assert [h.strip().lower() for h in headers if "(" in h] == (
        ["fonction à l’époque (fr)", "fonction à l’époque (en)"]
        if language == "fr"
        else ["title at the time (fr)", "title at the time (en)"]
    )


@pytest.mark.parametrize(
    ("language", "label", "english"),
    [("fr", "Langue de saisie :", "English"), ("en", "Language of entry:", "English")],
)
def test_one_switch_sets_the_language_of_every_tab(browser, live_server, archive, language, label, english):
    member_of(EDITORS, "editor")
    page = signed_in(browser, live_server, "editor", language, **WIDE)
    meeting = Meeting.objects.get(key="space-2017-03-24")
    page.goto(f"/{language}/admin/dialogue/meeting/{meeting.pk}/change/")
    switch = page.get_by_role("group", name=label)
    expect(switch).to_be_visible()
    assert page.locator("#modeltranslation-main-switch").count() == 0  # the unlabelled select is gone

    def active_languages():
        return set(
            page.evaluate(
                """() => Array.from(document.querySelectorAll('.ui-tabs'), (group) =>
                    group.querySelector(':scope > ul > li.ui-tabs-active a').getAttribute('href').split('_').pop())"""
            )
        )

    switch.get_by_role("button", name=english).click()
    assert active_languages() == {"en"}
    expect(page.locator("#id_title_en")).to_be_visible()
    expect(page.locator("#id_title_fr")).to_be_hidden()
    expect(switch.get_by_role("button", name=english)).to_have_attribute("aria-pressed", "true")
    page.reload()
    assert active_languages() == {"en"}  # kept for the next pages of the session
    switch = page.locator(".language-entry")
    switch.locator("[data-language=fr]").click()
    assert active_languages() == {"fr"}
    assert page.csp_violations == [] and page.errors == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_new_members_get_the_next_order_number_co_chairs_first(browser, live_server, archive, language):
    member_of(EDITORS, "editor")
    page = signed_in(browser, live_server, "editor", language, **WIDE)
    meeting = Meeting.objects.get(key="space-2017-03-24")
    delegation = meeting.delegations.order_by("party__order").first()
    highest = max(delegation.members.values_list("order", flat=True))
    page.goto(f"/{language}/admin/dialogue/meeting/{meeting.pk}/change/")
    add_member = page.locator("#delegations-0-members-group .djn-add-handler").first
    count = delegation.members.count()
    add_member.click()
    add_member.click()
    first, second = (page.locator(f"input[name='delegations-0-members-{count + i}-order']") for i in (0, 1))
    expect(first).to_have_value(str(highest + 1))
    expect(second).to_have_value(str(highest + 2))
    page.locator(f"select[name='delegations-0-members-{count + 1}-role']").select_option("co_chair")
    expect(second).to_have_value(str(highest + 1))  # co-chairs first
    expect(first).to_have_value(str(highest + 2))
    # Offered from the delegation's own side first, each with its party.
    row = page.locator(f"#delegations-0-members-{count}")
    row.locator(".field-person .select2-selection").click()
    options = page.locator(".select2-results__option")
    expect(options.first).to_contain_text(f" — {getattr(delegation.party, f'name_{language}')}")
    assert page.errors == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_time_zone_warning_under_a_date_alone(browser, live_server, archive, language):
    member_of(EDITORS, "editor")
    page = signed_in(browser, live_server, "editor", language, timezone_id="Asia/Tokyo", **WIDE)  # server: Paris
    page.goto(f"/{language}/admin/dialogue/meeting/add/")
    warnings = page.locator(".timezonewarning")
    expect(warnings).to_have_count(1)  # Django's calendar adds them on load: wait for them, under a loaded machine
    expect(warnings).to_have_id("id_publish_at_timezone_warning_helptext")  # a date and time keeps its warning
    page.goto(f"/{language}/admin/dialogue/instrument/add/")
    expect(page.locator(".timezonewarning")).to_have_count(1)
