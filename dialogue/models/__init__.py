"""The relationship itself: parties, organizations, people, dialogues, meetings, instruments."""

from editorial.models import register_reference

from .instruments import Instrument, InstrumentDocument, InstrumentRelation, InstrumentSignatory
from .meetings import Delegation, DelegationMember, Dialogue, Meeting
from .parties import Organization, Party, Person, Topic

# People and organizations are public while a public meeting or instrument names them.
register_reference(Person, Meeting, "delegations__members__person")
register_reference(Person, Instrument, "signatories__person")
register_reference(Organization, Meeting, "delegations__organizations")
register_reference(Organization, Meeting, "delegations__members__organization")
register_reference(Organization, Instrument, "signatories__organization")

__all__ = [
    "Delegation",
    "DelegationMember",
    "Dialogue",
    "Instrument",
    "InstrumentDocument",
    "InstrumentRelation",
    "InstrumentSignatory",
    "Meeting",
    "Organization",
    "Party",
    "Person",
    "Topic",
]
