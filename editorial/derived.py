"""What is derived from records, kept current as they change: declared once, refreshed exactly.

A ``Dependent`` is something computed for the items of one model (a search entry per item, the
time a person becomes public…) from records it reaches by lookup paths
(``delegations__members__person`` from a meeting). It declares those paths once; this module
derives from them which saves, deletions and many-to-many changes affect which items, and calls
the dependent's ``refresh`` with them. A save is looked at before and after (a member moved from
one delegation to another changes both meetings); a deletion before it happens; a change of a
many-to-many relation from whichever side it is made.

Refreshing happens at once, or once at the end of an edit (``editorial.batch``), or, during a
fixture load (raw saves), once when the load commits. Dependents are refreshed in the order
they were registered: what others read (the time a person becomes public) comes first.
"""

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import ForeignObjectRel
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import batch


@dataclass(frozen=True)
class Dependent:
    """What is derived for the items of ``model`` from the records at the end of ``paths``."""

    name: str
    model: type
    paths: tuple[str, ...]
    refresh: Callable  # (set of item pks) -> None; items that no longer exist must be handled


@dataclass(frozen=True)
class Watch:
    """Records reached from ``dependent``'s items by ``path`` ("" for the items themselves).

    ``own_key`` says how the path's last step reaches them: by a foreign key they hold (its
    attribute name, ``meeting_id`` for a meeting's delegations), or, when None, by a foreign key
    or a many-to-many row pointing at them, which a record just inserted cannot have yet.
    """

    dependent: Dependent
    path: str
    own_key: str | None = None

    def affected(self, pks) -> set:
        pks = [pk for pk in pks if pk is not None]
        if not pks:
            return set()
        if not self.path:
            return set(pks)
        items = self.dependent.model._base_manager.filter(**{f"{self.path}__in": pks})
        return set(items.values_list("pk", flat=True).distinct())

    def affected_by_new(self, instance) -> set:
        """The items a record just inserted reaches: through the key it holds, or none yet."""
        if not self.path:
            return {instance.pk}
        if self.own_key is None:
            return set()
        before = Watch(self.dependent, self.path.rpartition("__")[0])
        return before.affected([getattr(instance, self.own_key)])


@dataclass(frozen=True)
class RelationWatch:
    """A many-to-many relation on a path: its rows changed for records of ``side`` (the end of ``path``)."""

    dependent: Dependent
    path: str
    side: type
    through: type
    side_column: str
    other_column: str

    def side_pks(self, instance, pk_set) -> set:
        if isinstance(instance, self.side):
            return {instance.pk}
        if pk_set is not None:
            return set(pk_set)
        rows = self.through._default_manager.filter(**{self.other_column: instance.pk})
        return set(rows.values_list(self.side_column, flat=True))

    def affected(self, instance, pk_set) -> set:
        return Watch(self.dependent, self.path).affected(self.side_pks(instance, pk_set))


DEPENDENTS: list[Dependent] = []
WATCHES: dict = defaultdict(list)
RELATIONS: dict = defaultdict(list)


def register(dependent: Dependent):
    """Follow every record ``dependent`` declares, and connect the receivers for new models."""
    if any(existing.name == dependent.name for existing in DEPENDENTS):
        return
    DEPENDENTS.append(dependent)
    _add(WATCHES[dependent.model], Watch(dependent, ""))
    for path in dependent.paths:
        model, steps = dependent.model, []
        for name in path.split("__"):
            relation = model._meta.get_field(name)
            if relation.many_to_many:
                watch = _relation_watch(dependent, "__".join(steps), model, relation)
                _add(RELATIONS[watch.through], watch)
            steps.append(name)
            model = relation.related_model
            _add(WATCHES[model], Watch(dependent, "__".join(steps), _own_key(relation)))
    _connect()


def _add(watches, watch):
    if watch not in watches:
        watches.append(watch)


def _own_key(relation) -> str | None:
    """The foreign key by which the records a step reaches name the record before, if they hold one."""
    if isinstance(relation, ForeignObjectRel) and not relation.many_to_many:
        return relation.field.attname  # a reverse foreign key or one-to-one: theirs
    return None  # a foreign key of the record before, or a many-to-many relation


def _field(relation):
    """The many-to-many field itself, whether ``relation`` is it or its reverse side."""
    return relation.field if isinstance(relation, ForeignObjectRel) else relation


def _relation_watch(dependent, path, side, relation):
    field = _field(relation)
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    if field is not relation:  # reached from the other side
        own, other = other, own
    return RelationWatch(dependent, path, side, field.remote_field.through, f"{own}_id", f"{other}_id")


def _connect():
    for model in WATCHES:
        uid = f"derived:{model._meta.label}"
        pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(after_save, sender=model, dispatch_uid=f"{uid}:post_save")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"{uid}:pre_delete")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"{uid}:post_delete")
    for through in RELATIONS:
        m2m_changed.connect(relation_changed, sender=through, dispatch_uid=f"derived:{through._meta.label}:m2m")


# Receivers ---------------------------------------------------------------------------------------


def _affected(instance, new=False) -> dict:
    """{dependent: {item pks}} that reach ``instance`` by a declared path, as the database stands now.

    A record the application has just inserted (``new``) is named by no other record yet: only
    the keys it holds lead to items, read without a query when the item is the one it names. A
    fixture load may insert rows in any order (its foreign keys are checked at commit), so a raw
    save is always looked up.
    """
    found = defaultdict(set)
    for watch in WATCHES.get(type(instance), ()):
        found[watch.dependent] |= watch.affected_by_new(instance) if new else watch.affected([instance.pk])
    return found


def before_save(sender, instance, raw=False, **kwargs):
    if instance.pk is not None and not instance._state.adding:
        instance._derived_before = _affected(instance)


def after_save(sender, instance, created=False, raw=False, **kwargs):
    found = _affected(instance, new=created and not raw)
    for dependent, pks in instance.__dict__.pop("_derived_before", {}).items():
        found[dependent] |= pks
    schedule(found, raw=raw)


def before_delete(sender, instance, **kwargs):
    instance._derived_before = _affected(instance)


def after_delete(sender, instance, **kwargs):
    schedule(instance.__dict__.pop("_derived_before", {}))


def relation_changed(sender, instance, action, pk_set=None, **kwargs):
    if action == "pre_clear":
        instance._derived_cleared = {watch: watch.side_pks(instance, None) for watch in RELATIONS.get(sender, ())}
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    found = defaultdict(set)
    cleared = instance.__dict__.pop("_derived_cleared", {}) if action == "post_clear" else {}
    for watch in RELATIONS.get(sender, ()):
        sides = cleared.get(watch) if action == "post_clear" else watch.side_pks(instance, pk_set)
        found[watch.dependent] |= Watch(watch.dependent, watch.path).affected(sides or ())
    schedule(found, raw=loading())


# Refreshing -----------------------------------------------------------------------------------------

_local = threading.local()


def _waiting() -> dict[str, set]:
    """{dependent name: {pks}} waiting for the end of this thread's edit or fixture load.

    Kept per thread, as the database connection whose commit they wait for is: with threads
    (gunicorn's gthread worker, Django's development server), one request's edit neither waits
    for another's commit nor drops what another collected.
    """
    if not hasattr(_local, "pending"):
        _local.pending = defaultdict(set)
    return _local.pending


def _flush_due() -> bool:
    """Whether a flush waits for the commit of the transaction under way (a rollback cancels it)."""
    return any(callback is flush for _savepoints, callback, _robust in transaction.get_connection().run_on_commit)


def _drop_rolled_back() -> None:
    """Forget what a fixture load that was rolled back had collected: nothing of it was saved, and
    the saves that follow must not wait for a commit that will not refresh them."""
    if not batch.in_batch() and not _flush_due():
        _waiting().clear()


def loading() -> bool:
    """True while a fixture load waits for its commit (its many-to-many additions carry no ``raw`` flag)."""
    _drop_rolled_back()
    return bool(_waiting()) and not batch.in_batch()


def schedule(found: dict, raw: bool = False) -> None:
    """Refresh ``{dependent: {pks}}``: now, at the end of the edit under way, or when a fixture load commits."""
    found = {dependent: pks for dependent, pks in found.items() if pks}
    if not found:
        return
    if batch.in_batch() or raw:
        _drop_rolled_back()
        for dependent, pks in found.items():
            _waiting()[dependent.name] |= pks
        if raw and not batch.in_batch() and not _flush_due():
            transaction.on_commit(flush)  # at once, outside a transaction
        return
    for dependent in DEPENDENTS:  # in the order they were registered
        if dependent in found:
            dependent.refresh(found[dependent])


def flush() -> None:
    """Refresh everything waiting in this thread, once, dependents in the order they were registered."""
    waiting = {name: set(pks) for name, pks in _waiting().items()}
    _waiting().clear()
    for dependent in DEPENDENTS:
        if dependent.name in waiting:
            dependent.refresh(waiting[dependent.name])


def discard() -> None:
    _waiting().clear()


batch.after_batch(flush, discard)
