"""The API's response shapes, for validation and for the OpenAPI description (``/api/v1/openapi.json``)."""

from ninja import Schema
from pydantic import Field


class Text(Schema):
    """A text in each language; one missing in a language is the other's (the archive's one fallback rule)."""

    fr: str
    en: str


class Link(Schema):
    url: str
    note: str = Field(description="The language of the page (fr, en), or “website”.")


class Identifier(Schema):
    scheme: str
    identifier: str


class Page(Schema):
    """A page of a list: ``limit`` items from ``offset``, of ``count`` in all, with the addresses of the pages around."""

    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None


class Topic(Schema):
    key: str
    name: Text
    description: Text
    url: Text


class Dialogue(Schema):
    key: str
    name: Text
    short_name: Text
    description: Text = Field(description="HTML.")
    established: int | None
    topics: list[str] = Field(description="Keys of topics.")
    url: Text
    modified_at: str


class Member(Schema):
    person_id: str
    name: Text = Field(description="As each language writes it: Japanese names family name first in English.")
    role: str = Field(description="co_chair, head or member.")
    role_label: Text
    title: Text = Field(description="The title the person held at the time.")
    organization_id: str | None


class Delegation(Schema):
    party: str = Field(description="ISO 3166-1 alpha-2 code: FR, JP.")
    members: list[Member]
    organizations: list[str] = Field(description="Keys of the participating organizations.")
    note: Text


class Meeting(Schema):
    key: str
    title: Text
    dialogue: str
    number: int | None
    kind: str
    kind_label: Text
    start_date: str
    end_date: str
    city: Text
    venue: Text
    host: str | None
    summary: Text = Field(description="HTML.")
    outcomes: Text = Field(description="HTML.")
    topics: list[str]
    delegations: list[Delegation]
    instruments_signed: list[str]
    press_releases: list[str]
    url: Text
    modified_at: str


class StepDate(Schema):
    date: str
    precision: str = Field(description="day, month or year: how much of the date is known.")


class Signatory(Schema):
    party: str
    person_id: str | None
    name: Text | None
    organization_id: str | None
    title: Text


class Relation(Schema):
    kind: str = Field(description="implements, amends, supersedes; or implements_by… from the other side.")
    target: str


class Document(Schema):
    language: str
    title: Text
    url: str


class Instrument(Schema):
    key: str
    title: Text
    short_title: Text
    kind: str
    kind_label: Text
    status: str
    status_label: Text
    dates: dict[str, StepDate] = Field(
        description="The known steps of its life cycle: negotiations_opened_on, signed_on, in_force_on, ended_on."
    )
    place_of_signature: Text
    dialogue: str | None
    signed_at: str | None = Field(description="Key of the meeting where it was signed.")
    summary: Text = Field(description="HTML.")
    signatories: list[Signatory]
    relations: list[Relation]
    documents: list[Document]
    topics: list[str]
    url: Text
    modified_at: str


class Quotation(Schema):
    person_id: str | None
    speaker_title: Text
    text: Text


class PressRelease(Schema):
    key: str
    kind: str
    kind_label: Text
    reference: str
    date: str
    date_precision: str
    place: Text
    issuers: list[str]
    title: Text
    lead: Text
    body: Text = Field(description="HTML.")
    original_language: str
    quotations: list[Quotation]
    meetings: list[str]
    instruments: list[str]
    dialogues: list[str]
    topics: list[str]
    url: Text
    modified_at: str


class OtherName(Schema):
    name: str
    note: str
    lang: str


class Person(Schema):
    """A Popolo person."""

    id: str
    name: Text = Field(description="As each language writes it: Japanese names family name first in English.")
    given_name: str
    family_name: str
    sort_name: str
    honorific_prefix: Text
    national_identity: str | None
    identifiers: list[Identifier]
    links: list[Link]


class Organization(Schema):
    """A Popolo organization."""

    id: str
    name: Text
    other_names: list[OtherName]
    classification: str
    classification_label: Text
    parent_id: str | None
    party: str | None
    identifiers: list[Identifier]
    links: list[Link]


class Post(Schema):
    label: Text


class Membership(Schema):
    """A Popolo membership: a person in a delegation at a meeting."""

    id: str
    person_id: str
    organization_id: str | None
    role: Text
    label: Text = Field(description="The title the person held at the time.")
    post: Post
    on_behalf_of: str = Field(description="The party the delegation represented: FR, JP.")
    start_date: str
    end_date: str
    meeting: str
    links: list[Link]


def page_of(schema, name):
    """The schema of a page of ``schema`` items."""
    return type(name, (Page,), {"__annotations__": {"results": list[schema]}})


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
