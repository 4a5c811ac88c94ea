"""Which saves reindex which items, derived from the documents' declarations (``documents.py``).

For every path a document declares (``delegations__members__person`` from a meeting), each record
on it is watched: saving, deleting or re-linking it reindexes the items that reach it by that
path, found by a query along the same path. A save is looked at before and after (a member moved
from one delegation to another changes both meetings); a deletion before it happens; a change of
a many-to-many relation from whichever side it is made.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import ForeignObjectRel
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import indexing
from .documents import DOCUMENTS, Document


@dataclass(frozen=True)
class Watch:
    """Records of a model reached from ``document``'s items by ``path`` ("" for the items themselves)."""

    document: Document
    path: str

    def affected(self, pks) -> set[int]:
        pks = [pk for pk in pks if pk is not None]
        if not pks:
            return set()
        if not self.path:
            return set(pks)
        items = self.document.model._base_manager.filter(**{f"{self.path}__in": pks})
        return set(items.values_list("pk", flat=True).distinct())


@dataclass(frozen=True)
class RelationWatch:
    """A many-to-many relation on ``path``: its rows changed for records of ``side`` (the end of ``path``)."""

    document: Document
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

    def affected(self, instance, pk_set) -> set[int]:
        return Watch(self.document, self.path).affected(self.side_pks(instance, pk_set))


def derive(documents=DOCUMENTS):
    """({model: [Watch]}, {through model: [RelationWatch]}) for every record the documents depend on."""
    watches, relations = defaultdict(list), defaultdict(list)
    for document in documents:
        watches[document.model].append(Watch(document, ""))
        for path in document.paths():
            model, steps = document.model, []
            for name in path.split("__"):
                relation = model._meta.get_field(name)
                if relation.many_to_many:
                    watch = _relation_watch(document, "__".join(steps), model, relation)
                    if watch not in relations[watch.through]:
                        relations[watch.through].append(watch)
                steps.append(name)
                model = relation.related_model
                watch = Watch(document, "__".join(steps))
                if watch not in watches[model]:
                    watches[model].append(watch)
    return dict(watches), dict(relations)


def _field(relation):
    """The many-to-many field itself, whether ``relation`` is it or its reverse side."""
    return relation.field if isinstance(relation, ForeignObjectRel) else relation


def _through(relation):
    return _field(relation).remote_field.through


def _relation_watch(document, path, side, relation):
    field = _field(relation)
    declared_on_side = field is relation
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    if not declared_on_side:
        own, other = other, own
    return RelationWatch(document, path, side, _through(relation), f"{own}_id", f"{other}_id")


WATCHES, RELATIONS = derive()


def _affected(instance) -> dict:
    """{document: {item pks}} that reach ``instance`` by a declared path, as the database stands now."""
    found = defaultdict(set)
    for watch in WATCHES.get(type(instance), ()):
        found[watch.document] |= watch.affected([instance.pk])
    return found


def before_save(sender, instance, raw=False, **kwargs):
    if instance.pk is not None and not instance._state.adding:
        instance._search_before = _affected(instance)


def after_save(sender, instance, raw=False, **kwargs):
    found = _affected(instance)
    for document, pks in getattr(instance, "_search_before", {}).items():
        found[document] |= pks
    instance.__dict__.pop("_search_before", None)
    indexing.schedule(found, raw=raw)


def before_delete(sender, instance, **kwargs):
    instance._search_before = _affected(instance)


def after_delete(sender, instance, **kwargs):
    indexing.schedule(instance.__dict__.pop("_search_before", {}))


def relation_changed(sender, instance, action, pk_set=None, **kwargs):
    if action == "pre_clear":
        instance._search_cleared = {watch: watch.side_pks(instance, None) for watch in RELATIONS.get(sender, ())}
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    found = defaultdict(set)
    cleared = instance.__dict__.pop("_search_cleared", {}) if action == "post_clear" else {}
    for watch in RELATIONS.get(sender, ()):
        sides = cleared.get(watch) if action == "post_clear" else watch.side_pks(instance, pk_set)
        found[watch.document] |= Watch(watch.document, watch.path).affected(sides or ())
    indexing.schedule(found, raw=indexing.loading())


def connect():
    for model in WATCHES:
        uid = f"search:{model._meta.label}"
        pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(after_save, sender=model, dispatch_uid=f"{uid}:post_save")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"{uid}:pre_delete")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"{uid}:post_delete")
    for through in RELATIONS:
        m2m_changed.connect(relation_changed, sender=through, dispatch_uid=f"search:{through._meta.label}:m2m")
