"""JSON-LD (schema.org) of each detail page, in the page's language.

A meeting is an ``Event``, an instrument a ``Legislation``, a press release a ``NewsArticle``, a
person a ``Person``, an organization a ``GovernmentOrganization`` (a ``Corporation`` for a
company), a dialogue an ``EventSeries``; the home page describes the ``WebSite`` and its search.
Each reads only what the page has read already (its ``for_page()`` prefetches): no query of its own.
The breadcrumbs' ``BreadcrumbList`` is in every page (``editorial.structured``).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from editorial.i18n import current_language, text_in, translated
from editorial.structured import absolute

from .entries import meeting_title, plain_text
from .site import permanent_path

SCHEMA = "https://schema.org"

#: Organizations of these kinds are public bodies; companies are corporations; forums, others, plain organizations.
GOVERNMENT_KINDS = {"ministry", "agency", "secretariat", "office", "armed_forces", "embassy"}

#: An instrument's status as schema.org's LegalForceStatus.
LEGAL_FORCE = {
    "in_force": f"{SCHEMA}/InForce",
    "terminated": f"{SCHEMA}/NotInForce",
    "signed": f"{SCHEMA}/NotInForce",
    "under_negotiation": f"{SCHEMA}/NotInForce",
}


def _clean(data: dict) -> dict:
    """Without empty values: an absent fact is left out rather than stated empty."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def page_url(request, item) -> str:
    return absolute(request, item.get_absolute_url())


def organization_node(request, organization, public=True) -> dict:
    kind = organization.kind
    schema_type = (
        "GovernmentOrganization"
        if kind in GOVERNMENT_KINDS
        else ("Corporation" if kind == "company" else "Organization")
    )
    return _clean(
        {
            "@type": schema_type,
            "@id": absolute(request, permanent_path("organization", organization.key)) if public else None,
            "name": text_in(organization, "name"),
            "alternateName": text_in(organization, "acronym"),
            "url": page_url(request, organization) if public else None,
        }
    )


def person_node(request, person, public=True) -> dict:
    return _clean(
        {
            "@type": "Person",
            "@id": absolute(request, permanent_path("person", person.key)) if public else None,
            "name": person.full_name,
            "givenName": person.given_name,
            "familyName": person.family_name,
            "url": page_url(request, person) if public else None,
        }
    )


def _image(request, item):
    if getattr(item, "image", None):
        return _clean(
            {
                "@type": "ImageObject",
                "contentUrl": absolute(request, reverse("upload", args=[item.image.name])),
                "description": text_in(item, "image_alt"),
                "creditText": text_in(item, "image_credit"),
            }
        )
    return None


def meeting(request, meeting) -> dict:
    """A schema.org ``Event``: its days, place, the delegations' organizations as attendees, the host's as organizer."""
    delegations = list(meeting.delegations.all())
    organizer, attendees = [], []
    for delegation in delegations:
        organizations = [organization_node(request, org) for org in delegation.organizations.all()]
        attendees += organizations
        if meeting.host_id and delegation.party_id == meeting.host_id:
            organizer += organizations
    city, venue = text_in(meeting, "city"), text_in(meeting, "venue")
    location = None
    if city or venue:
        location = _clean(
            {
                "@type": "Place",
                "name": venue or city,
                "address": _clean(
                    {
                        "@type": "PostalAddress",
                        "addressLocality": city,
                        "addressCountry": meeting.host.code if meeting.host else None,
                    }
                ),
            }
        )
    dialogue = meeting.dialogue
    return _clean(
        {
            "@context": SCHEMA,
            "@type": "Event",
            "@id": absolute(request, permanent_path("meeting", meeting.key)),
            "identifier": meeting.key,
            "name": meeting_title(meeting),
            "description": plain_text(text_in(meeting, "summary")),
            "url": page_url(request, meeting),
            "inLanguage": current_language(),
            "startDate": meeting.start_date.isoformat(),
            "endDate": (meeting.end_date or meeting.start_date).isoformat(),
            "eventStatus": f"{SCHEMA}/EventScheduled",
            "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
            "location": location,
            "organizer": organizer,
            "attendee": attendees,
            "superEvent": {
                "@type": "EventSeries",
                "name": text_in(dialogue, "name"),
                "url": page_url(request, dialogue),
            },
            "image": _image(request, meeting),
            "keywords": [text_in(topic, "name") for topic in meeting.topics.all()],
            "dateModified": meeting.modified_at.isoformat(),
        }
    )


def instrument(request, instrument, signed_at=None) -> dict:
    """A schema.org ``Legislation``: kind, date, legal force, its signatories as who passed it."""
    signatories = []
    for signatory in instrument.signatories.all():
        if signatory.person:
            node = person_node(request, signatory.person)
            if signatory.title:
                node["jobTitle"] = text_in(signatory, "title")
            if signatory.organization:
                node["affiliation"] = organization_node(request, signatory.organization)
        elif signatory.organization:
            node = organization_node(request, signatory.organization)
        else:
            node = {"@type": "Organization", "name": text_in(signatory, "title")}
        signatories.append(node)
    steps = {name: value for name, _label, value, _precision in instrument.steps()}
    date = steps.get("signed_on") or next(iter(steps.values()), None)
    jurisdictions = sorted({signatory.party.code for signatory in instrument.signatories.all()})
    amends = [
        {"@type": "Legislation", "name": text_in(relation.target, "title"), "url": page_url(request, relation.target)}
        for relation in instrument.relations_from.all()
        if relation.kind == "amends"
    ]
    based_on = [
        {"@type": "Legislation", "name": text_in(relation.target, "title"), "url": page_url(request, relation.target)}
        for relation in instrument.relations_from.all()
        if relation.kind != "amends"
    ]
    return _clean(
        {
            "@context": SCHEMA,
            "@type": "Legislation",
            "@id": absolute(request, permanent_path("instrument", instrument.key)),
            "identifier": instrument.key,
            "legislationIdentifier": instrument.key,
            "name": text_in(instrument, "title"),
            "alternateName": text_in(instrument, "short_title"),
            "description": plain_text(text_in(instrument, "summary")),
            "url": page_url(request, instrument),
            "inLanguage": current_language(),
            "legislationType": instrument.get_kind_display(),
            "legislationDate": date.isoformat() if date else None,
            "legislationDateOfApplicability": steps["in_force_on"].isoformat() if "in_force_on" in steps else None,
            "legislationLegalForce": LEGAL_FORCE.get(instrument.status),
            "legislationPassedBy": signatories,
            "legislationJurisdiction": jurisdictions,
            "legislationChanges": amends,
            "isBasedOn": based_on,
            "locationCreated": _clean({"@type": "Place", "name": text_in(instrument, "place_of_signature")}) or None,
            "recordedAt": (
                {"@type": "Event", "name": meeting_title(signed_at), "url": page_url(request, signed_at)}
                if signed_at
                else None
            ),
            "keywords": [text_in(topic, "name") for topic in instrument.topics.all()],
            "dateModified": instrument.modified_at.isoformat(),
        }
    )


def press_release(request, release) -> dict:
    """A schema.org ``NewsArticle``: headline, date, language, its issuers as publisher, its meetings as what it is about."""
    headline, language = translated(release, "title")
    issuers = [organization_node(request, issuer) for issuer in release.issuers.all()]
    about = [
        {
            "@type": "Event",
            "@id": absolute(request, permanent_path("meeting", meeting.key)),
            "name": meeting_title(meeting),
            "startDate": meeting.start_date.isoformat(),
            "url": page_url(request, meeting),
        }
        for meeting in release.meetings.all()
    ]
    about += [
        {"@type": "Legislation", "name": text_in(item, "title"), "url": page_url(request, item)}
        for item in release.instruments.all()
    ]
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "@id": absolute(request, permanent_path("press-release", release.key)),
        "identifier": release.reference or release.key,
        "headline": headline[:110],
        "name": headline,
        "description": text_in(release, "lead"),
        "url": page_url(request, release),
        "inLanguage": language,
        "datePublished": release.date.isoformat(),
        "dateModified": release.modified_at.isoformat(),
        "publisher": issuers or {"@type": "Organization", "name": _("France–Japan dialogues secretariat")},
        "author": issuers,
        "about": about,
        "contentLocation": _clean({"@type": "Place", "name": text_in(release, "place")}) or None,
        "image": _image(request, release),
        "keywords": [text_in(topic, "name") for topic in release.topics.all()],
        "isAccessibleForFree": True,
    }
    if release.original_language != current_language():
        data["translationOfWork"] = {"@type": "NewsArticle", "inLanguage": release.original_language}
    return _clean(data)


def person(request, person) -> dict:
    """A schema.org ``Person``: names, honorific, nationality, the organizations they represented."""
    affiliations, seen = [], set()
    for membership in getattr(person, "public_memberships", []):
        organization = membership.organization
        if organization is not None and organization.pk not in seen:
            seen.add(organization.pk)
            affiliations.append(organization_node(request, organization))
    titles = [text_in(m, "title") for m in getattr(person, "public_memberships", []) if m.title]
    return _clean(
        {
            "@context": SCHEMA,
            **person_node(request, person),
            "identifier": person.key,
            "honorificPrefix": text_in(person, "honorific"),
            "nationality": {"@type": "Country", "name": person.party.name} if person.party else None,
            "jobTitle": titles[0] if titles else None,
            "affiliation": affiliations,
        }
    )


def organization(request, organization, parent_is_public=False) -> dict:
    """A schema.org ``GovernmentOrganization`` with its ``parentOrganization`` and public units."""
    data = {
        "@context": SCHEMA,
        **organization_node(request, organization),
        "identifier": organization.key,
        "sameAs": organization.website,
        "areaServed": {"@type": "Country", "name": organization.party.name} if organization.party else None,
        "parentOrganization": (
            organization_node(request, organization.parent, public=parent_is_public) if organization.parent else None
        ),
        "subOrganization": [organization_node(request, child) for child in organization.children.all()],
    }
    return _clean(data)


def dialogue(request, dialogue) -> dict:
    """A schema.org ``EventSeries``: the dialogue and its public sessions."""
    return _clean(
        {
            "@context": SCHEMA,
            "@type": "EventSeries",
            "@id": absolute(request, permanent_path("dialogue", dialogue.key)),
            "identifier": dialogue.key,
            "name": text_in(dialogue, "name"),
            "description": plain_text(text_in(dialogue, "description")),
            "url": page_url(request, dialogue),
            "inLanguage": current_language(),
            "subEvent": [
                {
                    "@type": "Event",
                    "name": meeting_title(meeting),
                    "startDate": meeting.start_date.isoformat(),
                    "url": page_url(request, meeting),
                }
                for meeting in dialogue.public_meetings
            ],
        }
    )


def website(request) -> dict:
    """The site itself, with the search the archive offers (a ``SearchAction``)."""
    search = absolute(request, reverse("archive:search"))
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": _("France–Japan dialogues"),
        "url": absolute(request, reverse("archive:home")),
        "inLanguage": current_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
