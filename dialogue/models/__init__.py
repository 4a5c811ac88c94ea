"""The relationship itself: parties, organizations, people, dialogues, meetings, instruments."""

from .base import DatePrecision, KeyedManager, KeyedModel
from .instruments import Instrument, InstrumentDocument, InstrumentRelation, InstrumentSignatory
from .meetings import Delegation, DelegationMember, Dialogue, Meeting
from .parties import Organization, Party, Person, Topic

__all__ = [
    "DatePrecision",
    "Delegation",
    "DelegationMember",
    "Dialogue",
    "Instrument",
    "InstrumentDocument",
    "InstrumentRelation",
    "InstrumentSignatory",
    "KeyedManager",
    "KeyedModel",
    "Meeting",
    "Organization",
    "Party",
    "Person",
    "Topic",
]
