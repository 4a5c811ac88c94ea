"""Helpers for public-page tests: the address of an item in a language, and archive growth."""

import datetime

from django.utils import translation

from archive.models import PressRelease, Quotation
from dialogue.models import (
    Delegation,
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentDocument,
    InstrumentSignatory,
    Meeting,
    Organization,
    Party,
    Person,
    Topic,
)

from .factories import PUBLIC


def url_of(obj, language):
    with translation.override(language):
        return obj.get_absolute_url()


def grow_archive(count=50):
    """Add ``count`` more of everything around the reference archive's key items.

    The new items hang off the pages that tests measure (the 2017 space session, CNES, Jean-Yves
    Le Gall, the SSA topic, the year 2017), so that a page querying in a loop would show it.
    """
    from editorial.batch import batch

    with batch():
        _grow(count)


def _grow(count):
    space = Dialogue.objects.get(key="space")
    meeting = Meeting.objects.get(key="space-2017-03-24")
    france, japan = Party.objects.get(code="FR"), Party.objects.get(code="JP")
    cnes = Organization.objects.get(key="cnes")
    le_gall = Person.objects.get(key="jean-yves-le-gall")
    ssa = Topic.objects.get(key="ssa")
    delegation = Delegation.objects.get(meeting=meeting, party=france)
    instrument = Instrument.objects.get(key="space-letter-of-intent-2017")
    for n in range(count):
        organization = Organization.objects.create(
            name_fr=f"Agence {n}",
            name_en=f"Agency {n}",
            acronym_fr=f"A{n}",
            acronym_en=f"A{n}",
            party=japan,
            parent=cnes,
        )
        person = Person.objects.create(given_name="Jean", family_name=f"Dupont{n}", party=france)
        DelegationMember.objects.create(
            delegation=delegation,
            person=person,
            organization=organization,
            title_fr="membre",
            title_en="member",
            order=10 + n,
        )
        delegation.organizations.add(organization)
        other = Meeting.objects.create(
            dialogue=space,
            number=100 + n,
            start_date=datetime.date(2017, 1, 1) + datetime.timedelta(days=n),
            host=japan,
            **PUBLIC,
        )
        other.topics.add(ssa)
        other_delegation = Delegation.objects.create(meeting=other, party=france)
        other_delegation.organizations.add(cnes)
        DelegationMember.objects.create(delegation=other_delegation, person=le_gall, organization=cnes, order=1)
        new_instrument = Instrument.objects.create(
            kind="agreement",
            title_fr=f"Accord {n}",
            title_en=f"Agreement {n}",
            dialogue=space,
            signed_on=datetime.date(2017, 6, 1),
            signed_at=meeting,
            **PUBLIC,
        )
        new_instrument.topics.add(ssa)
        InstrumentSignatory.objects.create(
            instrument=new_instrument, party=france, person=le_gall, organization=cnes, order=1
        )
        InstrumentSignatory.objects.create(instrument=instrument, party=japan, organization=organization, order=10 + n)
        InstrumentDocument.objects.create(
            instrument=instrument, language="fr", url=f"https://example.org/{n}.pdf", order=n
        )
        release = PressRelease.objects.create(
            title_fr=f"Communiqué {n}",
            title_en=f"Release {n}",
            date=datetime.date(2017, 5, 1),
            original_language="fr",
            **PUBLIC,
        )
        release.issuers.add(cnes, organization)
        release.meetings.add(meeting)
        release.instruments.add(instrument)
        release.dialogues.add(space)
        release.topics.add(ssa)
        Quotation.objects.create(press_release=release, speaker=le_gall, text_fr="Oui.", text_en="Yes.", order=1)
