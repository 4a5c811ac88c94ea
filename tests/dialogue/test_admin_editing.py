"""The editor's admin: namesakes told apart by their party, a delegation's side first, warnings for the
other side, new members numbered, relations read both ways, meetings found by dialogue and date."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import translation

from dialogue.models import Delegation, DelegationMember, Instrument, InstrumentRelation, Meeting, Organization, Party
from editorial.admin.search import date_span
from tests import factories
from tests.admin_forms import admin_url, change_form, errors, make_user, messages_of
from tests.conftest import soup, text

pytestmark = pytest.mark.django_db


def autocomplete(client, language="fr", **params):
    query = {"app_label": "dialogue", "model_name": "delegation", "field_name": "organizations", **params}
    response = client.get(f"/{language}/admin/autocomplete/", query)
    assert response.status_code == 200, response.status_code
    return [result["text"] for result in response.json()["results"]]


# Autocompletes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "japanese", "french"),
    [
        ("fr", "Ministère de la Défense (MOD) — Japon", "Ministère de la Défense (MINDEF) — France"),
        ("en", "Ministry of Defence (MOD) — Japan", "Ministry of Defence (MINDEF) — France"),
    ],
)
def test_namesakes_are_told_apart_by_their_party(editor_client, reference_archive, language, japanese, french):
    results = autocomplete(editor_client, language, term="Défense" if language == "fr" else "Defen")
    assert japanese in results and french in results


def test_the_delegations_side_comes_first(editor_client, reference_archive):
    japan, france = Party.objects.get(code="JP"), Party.objects.get(code="FR")
    for party, first, then in ((japan, "Japon", "France"), (france, "France", "Japon")):
        results = autocomplete(editor_client, term="Ministère", prefer_party=party.pk)
        sides = [result.rsplit(" — ", 1)[-1] for result in results]
        assert sides == sorted(sides, key=lambda side: side != first) and then in sides, sides
    people = autocomplete(
        editor_client, field_name="person", model_name="delegationmember", term="", prefer_party=japan.pk
    )
    assert people[0].endswith(" — Japon")


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "99999999999999999999999", "1 OR 1=1"])
def test_any_preferred_party_is_harmless(editor_client, reference_archive, value):
    assert autocomplete(editor_client, term="Minist", prefer_party=value)


def test_the_autocomplete_holds_the_admins_rules(reference_archive):
    client = Client()
    response = client.get("/fr/admin/autocomplete/", {"app_label": "dialogue", "model_name": "delegation"})
    assert response.status_code == 302  # staff only
    client.force_login(make_user("nobody"))
    query = {"app_label": "dialogue", "model_name": "delegation", "field_name": "organizations", "term": "M"}
    assert client.get("/fr/admin/autocomplete/", query).status_code == 403
    user = make_user("viewer")
    user.user_permissions.set(Permission.objects.filter(codename="view_organization"))
    client.force_login(user)
    assert client.get("/fr/admin/autocomplete/", query).status_code == 200


def test_the_chosen_option_shows_its_party_too(editor_client, reference_archive):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    page = soup(editor_client.get(admin_url(meeting, "change", language="fr")))
    chosen = {text(option) for option in page.select("select[name$='-person'] option[selected]")}
    assert "Toshiro IIJIMA — Japon" in chosen


# The other side ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_member_of_the_other_side_gets_a_warning_not_a_refusal(editor_client, reference_archive, language):
    meeting = Meeting.objects.get(key="space-2017-03-24")
    french = meeting.delegations.get(party__code="FR")
    japanese_ministry = Organization.objects.get(key="mod-jp")
    french.organizations.add(japanese_ministry)
    _page, data = change_form(editor_client, meeting, language=language)
    response = editor_client.post(admin_url(meeting, "change", language=language), data, follow=True)
    found = [message for message in messages_of(response) if "MOD" in message]
    assert len(found) == 1, messages_of(response)
    expected = {
        "fr": "« Ministère de la Défense (MOD) » (partie : Japon) figure dans la délégation d’une autre partie "
        "(France) : vérifiez que c’est voulu.",
        "en": "“Ministry of Defence (MOD)” (party: Japan) is listed in the delegation of another party (France): "
        "check that this is intended.",
    }[language]
    assert found[0] == expected
    assert japanese_ministry in Delegation.objects.get(pk=french.pk).organizations.all()  # saved all the same


def test_a_signatory_of_the_other_side_gets_a_warning(editor_client, reference_archive):
    instrument = Instrument.objects.filter(signatories__person__isnull=False).first()
    signatory = instrument.signatories.filter(person__isnull=False).first()
    other = Party.objects.exclude(pk=signatory.person.party_id).get()
    signatory.party = other
    signatory.save()
    _page, data = change_form(editor_client, instrument)
    response = editor_client.post(admin_url(instrument, "change"), data, follow=True)
    assert any("signs for another party" in message for message in messages_of(response)), messages_of(response)


# New members -------------------------------------------------------------------------------------


def test_new_members_left_unnumbered_get_the_next_numbers_co_chairs_first(editor_client):
    meeting = factories.meeting()
    delegation = factories.delegation(meeting, factories.party(), members=[factories.person(), factories.person()])
    newcomers = [factories.person(family_name="Membre"), factories.person(family_name="Coprésident")]
    _page, data = change_form(editor_client, meeting)
    for index, (person, role) in enumerate(zip(newcomers, ["member", "co_chair"], strict=True), start=2):
        prefix = f"delegations-0-members-{index}"
        data |= {f"{prefix}-person": str(person.pk), f"{prefix}-role": role, f"{prefix}-order": "0"}
        data |= {f"{prefix}-delegation": str(delegation.pk), f"{prefix}-id": ""}
    data["delegations-0-members-TOTAL_FORMS"] = "4"
    response = editor_client.post(admin_url(meeting, "change"), data)
    assert response.status_code == 302, errors(response)
    orders = dict(DelegationMember.objects.filter(delegation=delegation).values_list("person__family_name", "order"))
    assert (orders["Coprésident"], orders["Membre"]) == (3, 4)


# Relations, both ways ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "english", "french"),
    [
        ("supersedes", "superseded by", "remplacé par"),
        ("amends", "amended by", "modifié par"),
        ("implements", "implemented by", "mis en œuvre par"),
    ],
)
def test_a_relation_reads_both_ways(editor_client, kind, english, french):
    old, new = factories.instrument(title_en="Old arrangement"), factories.instrument(title_en="New arrangement")
    relation = InstrumentRelation.objects.create(source=new, kind=kind, target=old)
    with translation.override("en"):
        assert (relation.label_for(new), relation.label_for(old), relation.inverse_label) == (
            relation.get_kind_display(),
            english,
            english,
        )
        assert relation.other(old) == new and relation.other(new) == old
    for language, label in (("en", english), ("fr", french)):
        page = soup(editor_client.get(admin_url(old, "change", language=language)))
        shown = page.select_one(".field-relations_to_this .readonly")
        assert text(shown).startswith(label), text(shown)
        assert shown.select_one("a")["href"] == admin_url(new, "change", language=language)


# Searching meetings ------------------------------------------------------------------------------


def found(client, term, language="en"):
    page = soup(client.get(admin_url(Meeting, "changelist", language=language), {"q": term}))
    return sorted(
        Meeting.objects.get(pk=int(row.select_one("input.action-select")["value"])).key
        for row in page.select("#result_list tbody tr")
    )


@pytest.mark.parametrize(
    ("term", "keys"),
    [
        ("Comprehensive Space", ["space-2016-03-11", "space-2017-03-24", "space-2023-01-19"]),
        ("dialogue global sur l’espace", ["space-2016-03-11", "space-2017-03-24", "space-2023-01-19"]),
        ("2+2", ["two-plus-two-2023-05-09"]),
        ("2017-03-24", ["space-2017-03-24"]),
        ("24/03/2017", ["space-2017-03-24"]),
        ("20/01/2023", ["space-2023-01-19"]),  # the second day of a two-day meeting
        ("mars 2017", ["space-2017-03-24"]),
        ("January 2023", ["space-2023-01-19"]),
        ("2023", ["space-2023-01-19", "two-plus-two-2023-05-09"]),
        ("31/02/2017", []),
        ("<script>", []),
    ],
)
def test_meetings_are_found_by_dialogue_and_date(editor_client, reference_archive, term, keys):
    assert found(editor_client, term) == keys


@pytest.mark.parametrize(
    ("term", "span"),
    [
        ("2017-03-24", ("2017-03-24", "2017-03-24")),
        ("24.03.2017", ("2017-03-24", "2017-03-24")),
        ("1er mars 2017", ("2017-03-01", "2017-03-01")),
        ("March 24, 2017", ("2017-03-24", "2017-03-24")),
        ("févr. 2024", ("2024-02-01", "2024-02-29")),
        ("03/2017", ("2017-03-01", "2017-03-31")),
        ("13/13/2017", None),
        ("Tokyo", None),
        ("24 mars", None),
    ],
)
def test_dates_are_read_as_french_and_english_write_them(term, span):
    result = date_span(term)
    assert (None if result is None else tuple(day.isoformat() for day in result)) == span


# The language of entry ---------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "label"), [("fr", "Langue de saisie :"), ("en", "Language of entry:")])
def test_the_language_switch_is_labelled(editor_client, language, label):
    page = soup(editor_client.get(admin_url(Meeting, "add", language=language)))
    switch = page.select_one("form#meeting_form .language-entry")
    assert switch.has_attr("hidden")  # shown by the script that makes it work; without it, no tabs
    assert text(switch.select_one(".language-entry__label")) == label
    assert [(b["data-language"], text(b)) for b in switch.select("button")] == [("fr", "Français"), ("en", "English")]
    assert "/static/js/admin-editing.js" in {script["src"] for script in page.select("script[src]")}
