"""Every inline, at every level and for every role, only ever touches rows of its own parent.

The attack: on item A's change form, post the id of a row that belongs to item B (another meeting's
delegation member, another instrument's signatory…), with a changed text, or marked for deletion,
or as an extra row. django-nested-admin loaded such rows by their posted ids and moved, rewrote
or deleted them. Now the whole save is refused with a message, and B's row is untouched.

The inlines are found in the admin's registry, nested ones included: a new inline without a case
here fails ``test_every_inline_is_covered``.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.utils import translation

from archive.models import PressContact, PressRelease, Quotation
from dialogue.models import (
    Delegation,
    DelegationMember,
    Instrument,
    InstrumentDocument,
    InstrumentRelation,
    InstrumentSignatory,
    Meeting,
)
from editorial.batch import batch
from editorial.roles import EDITORS, PUBLISHERS, TRANSLATORS
from tests import factories
from tests.admin_forms import admin_url, change_form, errors

pytestmark = pytest.mark.django_db


def all_inlines():
    """(parent admin's model, inline class, path of accessors from that model) for every inline, nested too."""

    def walk(model, inlines, path):
        for inline in inlines:
            yield model, inline, (*path, inline_accessor(inline))
            yield from walk(model, getattr(inline, "inlines", ()), (*path, inline_accessor(inline)))

    for model, model_admin in admin.site._registry.items():
        yield from walk(model, model_admin.inlines, ())


def inline_accessor(inline) -> str:
    fk = next(
        field
        for field in inline.model._meta.get_fields()
        if field.many_to_one and (inline.fk_name is None or field.name == inline.fk_name) and field.related_model
        if inline.fk_name or field.name in {"meeting", "delegation", "instrument", "source", "press_release"}
    )
    return fk.remote_field.get_accessor_name()


# Two parents of each kind, with one row each (each built as one edit, as the admin saves a page) -----


@batch()
def two_meetings():
    france = factories.party()
    pairs = []
    for n in (1, 2):
        meeting = factories.meeting(number=n, title_fr=f"Séance {n}", title_en=f"Session {n}")
        delegation = Delegation.objects.create(meeting=meeting, party=france, note_fr="Note", note_en="Note")
        DelegationMember.objects.create(
            delegation=delegation, person=factories.person(), title_fr="Directeur", title_en="Director", order=1
        )
        pairs.append(meeting)
    return pairs


@batch()
def two_instruments():
    pairs = []
    for n in (1, 2):
        instrument = factories.instrument()
        InstrumentSignatory.objects.create(
            instrument=instrument,
            party=factories.party(),
            person=factories.person(),
            title_fr="Ministre",
            title_en="Minister",
            order=1,
        )
        InstrumentDocument.objects.create(
            instrument=instrument, language="fr", title_fr="Texte", title_en="Text", url=f"https://example.org/{n}.pdf"
        )
        InstrumentRelation.objects.create(source=instrument, kind="implements", target=factories.instrument())
        pairs.append(instrument)
    return pairs


@batch()
def two_press_releases():
    pairs = []
    for _n in (1, 2):
        release = factories.press_release()
        Quotation.objects.create(
            press_release=release, speaker=factories.person(), text_fr="Oui.", text_en="Yes.", order=1
        )
        PressContact.objects.create(
            press_release=release,
            person=factories.person(),
            role_fr="Presse",
            role_en="Press",
            phone="+33 1 00",
            order=1,
        )
        pairs.append(release)
    return pairs


def two_delegations():
    return [meeting.delegations.get() for meeting in two_meetings()]


PARENTS = {
    Meeting: two_meetings,
    Instrument: two_instruments,
    PressRelease: two_press_releases,
    Delegation: two_delegations,
}

#: The field each kind of row is edited on: a text a translator may change, where there is one.
EDITED = {
    Delegation: "note_en",
    DelegationMember: "title_en",
    InstrumentSignatory: "title_en",
    InstrumentDocument: "title_en",
    InstrumentRelation: "kind",
    Quotation: "text_en",
    PressContact: "role_en",
}
NEW_VALUE = {"kind": "amends"}


def rows_along(parent, path):
    """The rows reached from ``parent`` by the accessors of ``path`` (the first row at each level)."""
    obj = parent
    for accessor in path:
        obj = getattr(obj, accessor).order_by("pk").first()
    return obj


def snapshot(row):
    """Every column of the row as stored (each language's column by its own name), or None if it is gone."""
    names = [field.attname for field in type(row)._meta.concrete_fields]
    with translation.override("fr"):
        return type(row)._base_manager.filter(pk=row.pk).values(*names).first()


CASES = [
    pytest.param(model, inline, path, id=f"{model._meta.model_name}:{'/'.join(path)}")
    for model, inline, path in all_inlines()
]
ROLES = [EDITORS, TRANSLATORS, PUBLISHERS]


def test_every_inline_is_covered():
    for model, inline, _path in all_inlines():
        assert model in PARENTS, f"no pair of {model.__name__} to attack its inlines with"
        assert inline.model in EDITED, f"no field to edit on {inline.model.__name__}"


def posted_key(data, path, row_pk):
    """The form's key holding ``row_pk`` as the id of a row reached by ``path``: "delegations-0-members-0-id"."""
    pattern = re.compile(r"^" + r"-\d+-".join(re.escape(a) for a in path) + r"-(\d+)-id$")
    return next(key for key, value in data.items() if pattern.match(key) and value == str(row_pk))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "inline", "path"), CASES)
@pytest.mark.parametrize("attack", ["rewrite", "delete", "extra row"])
def test_a_row_of_another_item_cannot_be_touched(role_client, role, model, inline, path, attack):
    client = role_client(role)
    mine, theirs = PARENTS[model]()
    my_row, their_row = rows_along(mine, path), rows_along(theirs, path)
    before = snapshot(their_row)
    _page, data = change_form(client, mine)
    key = posted_key(data, path, my_row.pk)
    prefix = key[: -len("-id")]
    field = EDITED[inline.model]
    value = NEW_VALUE.get(field, "Rewritten by an attacker")
    if attack == "rewrite":
        data[key] = str(their_row.pk)
        data[f"{prefix}-{field}"] = value
    elif attack == "delete":
        data[key] = str(their_row.pk)
        data[f"{prefix}-DELETE"] = "on"
    else:  # a new row posted with the other row's id
        formset = prefix.rsplit("-", 1)[0]
        extra = int(data[f"{formset}-TOTAL_FORMS"])
        for name, posted in list(data.items()):
            if name.startswith(f"{prefix}-") and name != key:
                data[f"{formset}-{extra}-{name[len(prefix) + 1 :]}"] = posted
        data[f"{formset}-{extra}-id"] = str(their_row.pk)
        data[f"{formset}-{extra}-{field}"] = value
        data[f"{formset}-TOTAL_FORMS"] = str(extra + 1)
    response = client.post(admin_url(mine, "change"), data)
    assert snapshot(their_row) == before, "the other item's row was changed, moved or deleted"
    assert snapshot(my_row) is not None
    if role != TRANSLATORS or attack == "rewrite":
        assert response.status_code == 200
        assert any("does not belong to this item" in message for message in errors(response)), errors(response)


def test_a_translator_still_translates_the_rows_of_their_own_item(role_client):
    client = role_client(TRANSLATORS)
    meeting, _other = two_meetings()
    _page, data = change_form(client, meeting)
    data["delegations-0-members-0-title_en"] = "Director-General"
    assert client.post(admin_url(meeting, "change"), data).status_code == 302
    assert DelegationMember.objects.get(delegation__meeting=meeting).title_en == "Director-General"


def test_an_editor_still_deletes_a_row_of_their_own_item(role_client):
    client = role_client(EDITORS)
    meeting, other = two_meetings()
    _page, data = change_form(client, meeting)
    data["delegations-0-members-0-DELETE"] = "on"
    response = client.post(admin_url(meeting, "change"), data)
    assert response.status_code == 302, errors(response)
    assert not DelegationMember.objects.filter(delegation__meeting=meeting).exists()
    assert DelegationMember.objects.filter(delegation__meeting=other).count() == 1


def test_the_reported_exploit_moves_nothing(role_client):
    """Meeting 3's form posting a member of published meeting 2 with a new English title, as a translator."""
    client = role_client(TRANSLATORS)
    published, draft = two_meetings()
    draft.publication_status, draft.publish_at = "draft", None
    draft.save()
    member = DelegationMember.objects.get(delegation__meeting=published)
    _page, data = change_form(client, draft)
    data["delegations-0-members-0-id"] = str(member.pk)
    data["delegations-0-members-0-title_en"] = "Moved"
    response = client.post(admin_url(draft, "change"), data)
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.delegation.meeting_id, member.title_en) == (published.pk, "Director")
    assert published.delegations.get().members.count() == 1
    assert datetime.date(2017, 3, 24) == published.start_date
