"""Restoring a version: of one item and the records it owns, never of anything else saved alongside.

django-reversion stores a revision per save, and a revision may hold several items (a bulk action
used to save two press releases in one). Its ``Revision.revert()`` restores every record of the
revision; here a version is restored with only the records that its item owns, found by following
the item's registered relations (a meeting's delegations, their members) through the values the
stored records hold. Owned records that exist now but not in the version are deleted, as
reversion's own revert does.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version
from reversion.revisions import _get_options

from .models import PUBLICATION_FIELDS, PUBLISHER_STATES, Publishable


def owned_relations(model):
    """The one-to-many relations a model's versions follow: the records it owns (reverse foreign keys)."""
    for name in _get_options(model).follow:
        field = model._meta.get_field(name)
        if field.one_to_many:
            yield field.related_model, field.field.attname


def owned_lookups(model, to_root: str = "") -> list[tuple[type, str]]:
    """[(model, lookup from its rows to the root item)] of the records ``model`` owns, recursively:
    a meeting's ``(Delegation, "meeting")`` and ``(DelegationMember, "delegation__meeting")``."""
    found = []
    for name in _get_options(model).follow:
        field = model._meta.get_field(name)
        if field.one_to_many:
            lookup = f"{field.field.name}__{to_root}" if to_root else field.field.name
            found.append((field.related_model, lookup))
            found += owned_lookups(field.related_model, lookup)
    return found


def item_versions(version: Version) -> list[Version]:
    """``version`` and the versions of the records its item owns, from the same revision."""
    by_type = defaultdict(list)
    for other in version.revision.version_set.select_related("content_type"):
        by_type[other.content_type_id].append(other)
    found, queue = [version], [version]
    while queue:
        parent = queue.pop()
        model = parent._model
        for child_model, attname in owned_relations(model):
            child_type = ContentType.objects.get_for_model(child_model)
            for child in by_type[child_type.pk]:
                if child not in found and str(child.field_dict.get(attname)) == str(parent.object_id):
                    found.append(child)
                    queue.append(child)
    return found


def owned_records(obj) -> list:
    """The records ``obj`` owns now, recursively (a meeting's delegations and their members)."""
    found = []
    for child_model, attname in owned_relations(type(obj)):
        for child in child_model._default_manager.filter(**{attname: obj.pk}):
            found.append(child)
            found += owned_records(child)
    return found


def current_record(version: Version):
    return version._model._default_manager.filter(pk=version.object_id).first()


def publication_refusal(user, versions) -> str | None:
    """Why ``user`` may not restore ``versions``: one of them would move a publication they may not move."""
    for version in versions:
        model = version._model
        if not issubclass(model, Publishable):
            continue
        if user.has_perm(f"{model._meta.app_label}.publish_{model._meta.model_name}"):
            continue
        stored, current = version.field_dict, current_record(version)
        if current is None:
            moved = stored.get("publication_status") in PUBLISHER_STATES
        else:
            moved = any(
                _to_seconds(stored.get(name)) != _to_seconds(getattr(current, name)) for name in PUBLICATION_FIELDS
            )
        if moved:
            return _(
                "Only a publisher can restore this version: it would change the publication of “%(item)s” "
                "(its status, time or one-language exception)."
            ) % {"item": version.object_repr}
    return None


def _to_seconds(value):
    """Times compared to the second: versions keep milliseconds, and the admin's form keeps seconds."""
    return value.replace(microsecond=0) if hasattr(value, "microsecond") else value


def restore(version: Version) -> None:
    """Bring back ``version``'s item and the records it owned then; delete those it owns now but did not.

    Runs in a transaction (the caller's, or its own): a version that cannot be saved changes nothing.
    """
    versions = item_versions(version)
    kept = {(v.content_type_id, str(v.object_id)) for v in versions}
    with transaction.atomic(using=version.db):
        current = current_record(version)
        if current is not None:
            extra = [
                obj
                for obj in owned_records(current)
                if (ContentType.objects.get_for_model(obj).pk, str(obj.pk)) not in kept
            ]
            if extra:
                collector = Collector(using=version.db)
                collector.collect(extra)
                collector.delete()
        _revert_in_order(versions)


def _revert_in_order(versions):
    """Save each stored record, retrying those that wait for another (a member before its delegation)."""
    pending = list(versions)
    while pending:
        failed = []
        for version in pending:
            try:
                with transaction.atomic(using=version.db):
                    version.revert()
            except (IntegrityError, ObjectDoesNotExist):
                failed.append(version)
        if len(failed) == len(pending):
            raise RevertError(_("This version cannot be restored: a record it needs no longer exists."))
        pending = failed
