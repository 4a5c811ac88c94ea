"""Keep the search index current: any save that changes what an item shows reindexes it.

Fixtures load through the same signals (raw saves included), so the index is current after
``loaddata`` too.
"""

import contextlib

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from dialogue.models import (
    Delegation,
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentSignatory,
    Meeting,
    Organization,
    Person,
    Topic,
)

from . import search
from .models import PressContact, PressRelease, Quotation

INDEXED = (Meeting, Instrument, PressRelease, Organization, Person)

# Items waiting to be indexed when the fixture load that touched them commits.
_pending: set[tuple[type, int]] = set()
_deferred = False


@contextlib.contextmanager
def indexing_deferred():
    """Index each touched item once, at the end of the block, instead of on every save."""
    global _deferred
    _deferred = True
    try:
        yield
    finally:
        _deferred = False
        _flush_pending()


def _flush_pending():
    items = sorted(_pending, key=lambda item: (item[0].__name__, item[1]))
    _pending.clear()
    for model, pk in items:
        obj = model._default_manager.filter(pk=pk).first()
        if obj is not None:
            search.index(obj)


def _schedule(obj, raw):
    """Index now; during ``loaddata`` (raw saves), once per item when the load commits."""
    if obj is None or not obj.pk:
        return
    if _deferred:
        _pending.add((type(obj), obj.pk))
        return
    if raw:
        if not _pending:
            transaction.on_commit(_flush_pending)
        _pending.add((type(obj), obj.pk))
        return
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is not None:
        search.index(fresh)


def _reindex(obj, raw=False):
    _schedule(obj, raw)


@receiver(post_save)
def reindex_on_save(sender, instance, raw=False, **kwargs):
    if sender in INDEXED:
        # Indexed from a fresh copy: prefetching onto the saved instance would leave it stale caches.
        _schedule(instance, raw)
        if sender is Meeting and not raw:
            # People list the titles they held at public meetings: publishing or withdrawing changes them.
            for person in Person.objects.filter(memberships__delegation__meeting=instance).distinct():
                _reindex(person)
    elif sender is Delegation:
        _reindex(instance.meeting, raw)
    elif sender is DelegationMember:
        _reindex(instance.delegation.meeting, raw)
        _reindex(instance.person, raw)
    elif sender is InstrumentSignatory:
        _reindex(instance.instrument, raw)
    elif sender in (Quotation, PressContact):
        _reindex(instance.press_release, raw)
    elif sender is Dialogue:
        # Its meetings and instruments are public only while it is.
        for item in (*instance.meetings.all(), *instance.instruments.all()):
            _reindex(item, raw)
    elif sender is Topic:
        for related in (*instance.meetings.all(), *instance.instruments.all(), *instance.press_releases.all()):
            _reindex(related, raw)


@receiver(post_delete)
def unindex_on_delete(sender, instance, **kwargs):
    if sender in INDEXED:
        search.unindex(sender, instance.pk)
    elif sender is DelegationMember:
        # The meeting lists its participants and the person lists titles held: both change.
        delegation = Delegation.objects.filter(pk=instance.delegation_id).select_related("meeting").first()
        _reindex(delegation.meeting if delegation else None)
        _reindex(Person.objects.filter(pk=instance.person_id).first())
    elif sender is InstrumentSignatory:
        _reindex(Instrument.objects.filter(pk=instance.instrument_id).first())
    elif sender in (Quotation, PressContact):
        _reindex(PressRelease.objects.filter(pk=instance.press_release_id).first())


@receiver(m2m_changed)
def reindex_on_relation_change(sender, instance, action, reverse, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or reverse:
        return
    if type(instance) in INDEXED:
        _schedule(instance, _pending_load())
    elif type(instance) is Delegation:
        _reindex(instance.meeting, _pending_load())


def _pending_load():
    """True while a fixture load is under way (its M2M additions carry no ``raw`` flag)."""
    return bool(_pending) or _deferred
