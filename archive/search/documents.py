"""What each kind of item puts in the index, and what it reads to do so: declared once.

A ``Document`` names the records its texts are built from (``prefetch``: the lookups read with a
batch of items in a fixed number of queries, and ``depends_on``: lookups the texts or the
publication time depend on without reading them). Every record at the end of one of those paths,
or on the way, is a dependency: ``archive.search.dependencies`` derives from these declarations
which saves, deletions and relation changes reindex which items, so that the two cannot drift.

What decides when an entry becomes public is derived too: an item's publication parents (a
meeting's dialogue) for items with a state of their own, and, for people and organizations, the
items that name them (``editorial.models.register_reference``), whose ``public_from`` the
editorial layer keeps (and refreshes first).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch

from dialogue.models import DelegationMember, Instrument, Meeting, Organization, Person
from editorial.i18n import text_in
from editorial.models.publication import referenced_paths

from ..models import PressRelease, SearchEntry
from .text import acronyms, join, plain

#: When records that are always public (none today) became public.
ALWAYS = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


# Each builder returns (title, lead, body, date, dialogue ids) for one item in one language.


def build_meeting(meeting, language):
    names, organizations = [], []
    for delegation in meeting.delegations.all():
        for member in delegation.members.all():
            names += [member.person.full_name, text_in(member, "title", language)]
        for organization in delegation.organizations.all():
            organizations += [text_in(organization, "name", language), *acronyms(organization)]
    lead = join(
        text_in(meeting, "city", language),
        text_in(meeting, "venue", language),
        *[text_in(topic, "name", language) for topic in meeting.topics.all()],
        *names,
        *organizations,
    )
    body = join(plain(text_in(meeting, "summary", language)), plain(text_in(meeting, "outcomes", language)))
    title = join(
        text_in(meeting, "title", language) or meeting.display_title, text_in(meeting.dialogue, "name", language)
    )
    return title, lead, body, meeting.start_date, [meeting.dialogue_id]


def build_instrument(instrument, language):
    parties = []
    for signatory in instrument.signatories.all():
        parties += [signatory.person.full_name if signatory.person else "", text_in(signatory, "title", language)]
        if signatory.organization:
            parties += [text_in(signatory.organization, "name", language), *acronyms(signatory.organization)]
    title = join(text_in(instrument, "title", language), text_in(instrument, "short_title", language))
    lead = join(
        instrument.get_kind_display(),
        text_in(instrument, "place_of_signature", language),
        *[text_in(topic, "name", language) for topic in instrument.topics.all()],
        *parties,
    )
    date = instrument.signed_on or instrument.negotiations_opened_on or instrument.in_force_on or instrument.ended_on
    return title, lead, plain(text_in(instrument, "summary", language)), date, [instrument.dialogue_id]


def build_press_release(release, language):
    issuers = [
        part for issuer in release.issuers.all() for part in (text_in(issuer, "name", language), *acronyms(issuer))
    ]
    lead = join(
        text_in(release, "lead", language), *issuers, *[text_in(t, "name", language) for t in release.topics.all()]
    )
    body = join(
        plain(text_in(release, "body", language)),
        *[
            join(text_in(q, "text", language), q.speaker.full_name if q.speaker else "")
            for q in release.quotations.all()
        ],
        *[contact.person.full_name for contact in release.contacts.all()],
        *[person.full_name for person in release.people.all()],
        *[part for org in release.organizations.all() for part in (text_in(org, "name", language), *acronyms(org))],
    )
    dialogues = [d.pk for d in release.dialogues.all()] + [m.dialogue_id for m in release.meetings.all()]
    return join(text_in(release, "title", language), release.reference), lead, body, release.date, dialogues


def build_organization(organization, language):
    title = join(text_in(organization, "name", language), *acronyms(organization))
    parent = text_in(organization.parent, "name", language) if organization.parent else ""
    return title, join(organization.get_kind_display(), parent), "", None, []


def build_person(person, language):
    # Titles held at public meetings only (``public_memberships``): a draft's delegation must not show.
    titles = [text_in(member, "title", language) for member in person.public_memberships]
    return join(text_in(person, "honorific", language), person.full_name), join(*titles), "", None, []


def public_memberships():
    """A person's participations in meetings public now, for the titles their entry lists."""
    return Prefetch(
        "memberships",
        queryset=DelegationMember.objects.filter(Meeting.published_q("delegation__meeting__")),
        to_attr="public_memberships",
    )


@dataclass(frozen=True)
class Document:
    """One kind of item in the index: how its texts are built, and every record they come from."""

    kind: str
    model: type
    build: Callable
    prefetch: tuple = ()
    depends_on: tuple = ()
    title_field: str = "title"
    title_in_every_language: bool = False

    def queryset(self):
        """The items with what their entries read, in a fixed number of queries per batch."""
        return self.model._default_manager.with_public_since().prefetch_related(*self.prefetch)

    def paths(self) -> list[str]:
        """Every lookup from the item to a record its entry depends on."""
        read = [lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup for lookup in self.prefetch]
        found = [*read, *self.depends_on, *referenced_paths(self.model)]
        return list(dict.fromkeys(path for path in found if path))


DOCUMENTS = [
    Document(
        SearchEntry.Kind.MEETING,
        Meeting,
        build_meeting,
        prefetch=("dialogue", "topics", "delegations__organizations", "delegations__members__person"),
    ),
    Document(
        SearchEntry.Kind.INSTRUMENT,
        Instrument,
        build_instrument,
        prefetch=("topics", "signatories__person", "signatories__organization"),
    ),
    Document(
        SearchEntry.Kind.PRESS_RELEASE,
        PressRelease,
        build_press_release,
        prefetch=(
            "issuers",
            "topics",
            "dialogues",
            "meetings",
            "quotations__speaker",
            "contacts__person",
            "people",
            "organizations",
        ),
    ),
    Document(
        SearchEntry.Kind.ORGANIZATION,
        Organization,
        build_organization,
        prefetch=("parent",),
        title_field="name",
    ),
    Document(
        SearchEntry.Kind.PERSON,
        Person,
        build_person,
        prefetch=(public_memberships(),),
        depends_on=("memberships__delegation__meeting__dialogue",),
        title_in_every_language=True,  # a person's name is the same in every language
    ),
]

BY_KIND = {document.kind: document for document in DOCUMENTS}
BY_MODEL = {document.model: document for document in DOCUMENTS}
