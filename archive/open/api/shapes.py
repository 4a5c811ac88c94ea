"""The archive's items as the API gives them (and the JSON downloads): plain dicts, keyed by ``key``.

Every text is given in each language (``{"fr": …, "en": …}``), by the one fallback rule
(``editorial.i18n``): a text missing in one language is the other's. HTML texts (summaries,
outcomes, bodies) are the sanitized HTML the pages show. People, organizations and memberships
follow Popolo (https://www.popoloproject.com/): ``id``, ``name``, ``identifiers``, ``links``,
``parent_id``, ``person_id``, ``organization_id``, ``role``, ``label``, ``start_date``…

Each function reads only what its QuerySet (``KINDS`` in ``views``) prefetched. Lists of keys are
sorted by key, so that an item reads the same whatever the language of the request.
"""

from django.utils import translation

from editorial.i18n import language_codes, text_in
from editorial.structured import absolute

from ..entries import meeting_title

#: The scheme of the identifiers this archive mints (Popolo ``identifiers``).
SCHEME = "france-japan-dialogues"


def texts(obj, field: str) -> dict:
    """{"fr": …, "en": …} of a translated field, each language falling back by the one rule."""
    return {code: text_in(obj, field, code) for code in language_codes()}


def in_each_language(compute) -> dict:
    """{"fr": compute(), "en": compute()} with each language active (titles built from ordinals, choices)."""
    values = {}
    for code in language_codes():
        with translation.override(code):
            values[code] = str(compute())
    return values


def names(person) -> dict:
    """A person's full name as each language writes it (Japanese names family first in English)."""
    return in_each_language(lambda: person.full_name)


def urls(request, obj) -> dict:
    """The item's page in each language."""
    return in_each_language(lambda: absolute(request, obj.get_absolute_url()))


def choice(obj, field: str) -> dict:
    return in_each_language(getattr(obj, f"get_{field}_display"))


def iso(value):
    return value.isoformat() if value else None


def ref(request, obj) -> dict:
    """A short reference to another item: its key, its name or title, its page."""
    return {"key": obj.key, "name": texts(obj, "name"), "url": urls(request, obj)}


def topic(request, obj) -> dict:
    return {
        "key": obj.key,
        "name": texts(obj, "name"),
        "description": texts(obj, "description"),
        "url": urls(request, obj),
    }


def dialogue(request, obj) -> dict:
    return {
        "key": obj.key,
        "name": texts(obj, "name"),
        "short_name": texts(obj, "short_name"),
        "description": texts(obj, "description"),
        "established": obj.established,
        "topics": sorted(item.key for item in obj.topics.all()),
        "url": urls(request, obj),
        "modified_at": iso(obj.modified_at),
    }


def member(request, item) -> dict:
    return {
        "person_id": item.person.key,
        "name": names(item.person),
        "role": item.role,
        "role_label": choice(item, "role"),
        "title": texts(item, "title"),
        "organization_id": item.organization.key if item.organization else None,
    }


def meeting(request, obj) -> dict:
    delegations = [
        {
            "party": delegation.party.code,
            "members": [member(request, item) for item in delegation.members.all()],
            "organizations": sorted(organization.key for organization in delegation.organizations.all()),
            "note": texts(delegation, "note"),
        }
        for delegation in obj.delegations.all()
    ]
    return {
        "key": obj.key,
        "title": in_each_language(lambda: meeting_title(obj)),
        "dialogue": obj.dialogue.key,
        "number": obj.number,
        "kind": obj.kind,
        "kind_label": choice(obj, "kind"),
        "start_date": iso(obj.start_date),
        "end_date": iso(obj.end_date or obj.start_date),
        "city": texts(obj, "city"),
        "venue": texts(obj, "venue"),
        "host": obj.host.code if obj.host else None,
        "summary": texts(obj, "summary"),
        "outcomes": texts(obj, "outcomes"),
        "topics": sorted(item.key for item in obj.topics.all()),
        "delegations": delegations,
        "instruments_signed": sorted(item.key for item in obj.public_instruments_signed),
        "press_releases": sorted(item.key for item in obj.public_press_releases),
        "url": urls(request, obj),
        "modified_at": iso(obj.modified_at),
    }


def step_dates(obj) -> dict:
    return {name: {"date": iso(value), "precision": precision} for name, _label, value, precision in obj.steps()}


def instrument(request, obj) -> dict:
    return {
        "key": obj.key,
        "title": texts(obj, "title"),
        "short_title": texts(obj, "short_title"),
        "kind": obj.kind,
        "kind_label": choice(obj, "kind"),
        "status": obj.status,
        "status_label": choice(obj, "status"),
        "dates": step_dates(obj),
        "place_of_signature": texts(obj, "place_of_signature"),
        "dialogue": obj.dialogue.key if obj.dialogue else None,
        "signed_at": obj.signed_at.key if obj.signed_at_id and obj.signed_at_is_public else None,
        "summary": texts(obj, "summary"),
        "signatories": [
            {
                "party": item.party.code,
                "person_id": item.person.key if item.person else None,
                "name": names(item.person) if item.person else None,
                "organization_id": item.organization.key if item.organization else None,
                "title": texts(item, "title"),
            }
            for item in obj.signatories.all()
        ],
        "relations": [{"kind": relation.kind, "target": relation.target.key} for relation in obj.relations_from.all()]
        + [{"kind": f"{relation.kind}_by", "target": relation.source.key} for relation in obj.relations_to.all()],
        "documents": [
            {"language": item.language, "title": texts(item, "title"), "url": item.url} for item in obj.documents.all()
        ],
        "topics": sorted(item.key for item in obj.topics.all()),
        "url": urls(request, obj),
        "modified_at": iso(obj.modified_at),
    }


def press_release(request, obj) -> dict:
    return {
        "key": obj.key,
        "kind": obj.kind,
        "kind_label": choice(obj, "kind"),
        "reference": obj.reference,
        "date": iso(obj.date),
        "date_precision": obj.date_precision,
        "place": texts(obj, "place"),
        "issuers": sorted(item.key for item in obj.issuers.all()),
        "title": texts(obj, "title"),
        "lead": texts(obj, "lead"),
        "body": texts(obj, "body"),
        "original_language": obj.original_language,
        "quotations": [
            {
                "person_id": item.speaker.key if item.speaker else None,
                "speaker_title": texts(item, "speaker_title"),
                "text": texts(item, "text"),
            }
            for item in obj.quotations.all()
        ],
        "meetings": sorted(item.key for item in obj.meetings.all()),
        "instruments": sorted(item.key for item in obj.instruments.all()),
        "dialogues": sorted(item.key for item in obj.dialogues.all()),
        "topics": sorted(item.key for item in obj.topics.all()),
        "url": urls(request, obj),
        "modified_at": iso(obj.modified_at),
    }


# Popolo ------------------------------------------------------------------------------------------


def links(request, obj, website="") -> list:
    found = [{"url": url, "note": code} for code, url in urls(request, obj).items()]
    if website:
        found.append({"url": website, "note": "website"})
    return found


def person(request, obj) -> dict:
    """A Popolo person."""
    return {
        "id": obj.key,
        "name": names(obj),
        "given_name": obj.given_name,
        "family_name": obj.family_name,
        "sort_name": obj.sort_name,
        "honorific_prefix": texts(obj, "honorific"),
        "national_identity": obj.party.code if obj.party else None,
        "identifiers": [{"scheme": SCHEME, "identifier": obj.key}],
        "links": links(request, obj),
    }


def organization(request, obj) -> dict:
    """A Popolo organization (its acronym in ``other_names``)."""
    acronyms = texts(obj, "acronym")
    return {
        "id": obj.key,
        "name": texts(obj, "name"),
        "other_names": [{"name": name, "note": "acronym", "lang": code} for code, name in acronyms.items() if name],
        "classification": obj.kind,
        "classification_label": choice(obj, "kind"),
        "parent_id": obj.parent.key if obj.parent else None,
        "party": obj.party.code if obj.party else None,
        "identifiers": [{"scheme": SCHEME, "identifier": obj.key}],
        "links": links(request, obj, obj.website),
    }


def membership(request, obj) -> dict:
    """A Popolo membership: a person in a delegation, at a meeting, with the title they held then."""
    meeting = obj.delegation.meeting
    party = obj.delegation.party.code
    return {
        "id": f"{meeting.key}/{party}/{obj.person.key}",
        "person_id": obj.person.key,
        "organization_id": obj.organization.key if obj.organization else None,
        "role": choice(obj, "role"),
        "label": texts(obj, "title"),
        "post": {"label": texts(obj, "title")},
        "on_behalf_of": party,
        "start_date": iso(meeting.start_date),
        "end_date": iso(meeting.end_date or meeting.start_date),
        "meeting": meeting.key,
        "links": [{"url": url, "note": code} for code, url in urls(request, meeting).items()],
    }
