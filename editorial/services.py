"""Writes of the editorial workflow, in one place: the admin, management commands and any API call these.

Each function is keyword-only and runs inside ``transaction.atomic()``: it locks the record it
changes, checks the user's right on that record's model, saves, and records what it did as one
django-reversion revision for that record alone (with the records it owns) and one entry in the
admin's log. A refusal raises ``PermissionDenied`` or ``ValidationError`` and changes nothing.
"""

from contextlib import contextmanager

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import logmessages
from .models import PUBLICATION_FIELDS, PUBLISHER_STATES, Publishable


def permission(model, action: str) -> str:
    """``"dialogue.publish_meeting"``: the permission to ``action`` records of ``model``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


#: Why an action is refused, in the reader's language.
REFUSALS = {
    "add": gettext_lazy("You may not add items of this kind."),
    "change": gettext_lazy("You may not change this item."),
    "delete": gettext_lazy("You may not delete this item."),
    "publish": gettext_lazy("Only a publisher can publish or withdraw an item."),
}


def require(user, model, action: str):
    """Raise PermissionDenied unless ``user`` may ``action`` records of ``model``."""
    if user is None or not user.has_perm(permission(model, action)):
        raise PermissionDenied(str(REFUSALS[action]))


def lock(item):
    """The record as it is in the database now, locked until the transaction ends."""
    return type(item)._base_manager.select_for_update().get(pk=item.pk)


@contextmanager
def revision(*, user, comment: str = ""):
    """A revision block: the records saved or added inside it become one version each, with ``user``.

    Nested in a revision already open (an admin change form saving several inline records),
    its records join that one, as they belong to the same edit.
    """
    with reversion.create_revision():
        reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        yield


def record(*, item, user, message, flag: int = CHANGE, owned=()):
    """A version of ``item`` (and of the ``owned`` records created with it) and an admin log entry.

    ``message`` is a lazy string or a function giving the message in the active language: it is
    stored in every language (``editorial.logmessages``), so the history reads in its reader's.
    """
    message = logmessages.stored(message)
    with revision(user=user, comment=message):
        reversion.add_to_revision(item)
        for obj in owned:
            reversion.add_to_revision(obj)
    return LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[item], action_flag=flag, change_message=message, single_object=True
    )


# Publication ----------------------------------------------------------------------------------


def publish(*, item: Publishable, user, now=None) -> Publishable:
    """Publish ``item`` (at once, or at the time already set), if the user may and its languages allow."""
    with transaction.atomic():
        require(user, type(item), "publish")
        current = lock(item)
        if problems := current.publication_errors():
            raise ValidationError(problems)
        current.publish(now=now)
        current.save()
        record(item=current, user=user, message=gettext_lazy("Published."))
    return current


def withdraw(*, item: Publishable, user) -> Publishable:
    """Take ``item`` off the public site; its history keeps every version."""
    with transaction.atomic():
        require(user, type(item), "publish")
        current = lock(item)
        current.withdraw()
        current.save()
        record(item=current, user=user, message=gettext_lazy("Withdrawn."))
    return current


def mark_translations_current(*, item: Publishable, user) -> Publishable:
    """Record that every language of ``item`` says the same thing as of now."""
    with transaction.atomic():
        require(user, type(item), "change")
        current = lock(item)
        current.mark_translations_current()
        current.save()
        record(item=current, user=user, message=gettext_lazy("Translations marked as up to date."))
    return current


def check_publication_change(*, item: Publishable, user, changed_fields) -> None:
    """Refuse an edit that moves ``item``'s publication unless the user may publish.

    The admin's form already disables those fields for editors; this holds against a crafted
    POST as well. Call it before saving a form-driven edit.
    """
    if not isinstance(item, Publishable) or user.has_perm(permission(type(item), "publish")):
        return
    moved = set(changed_fields) & set(PUBLICATION_FIELDS)
    if item.pk is None:
        moved = {"publication_status"} if item.publication_status in PUBLISHER_STATES else set()
    if moved:
        raise PermissionDenied(_("Only a publisher can change an item's publication."))


def stamp_single_language_exception(*, item: Publishable, user, changed_fields=None) -> None:
    """Record who granted the one-language exception, and when, as the exception is set or changed."""
    if item.single_language and (item.pk is None or changed_fields is None or "single_language" in changed_fields):
        item.single_language_by = user
        item.single_language_at = timezone.now()


__all__ = [
    "ADDITION",
    "CHANGE",
    "check_publication_change",
    "lock",
    "mark_translations_current",
    "permission",
    "publish",
    "record",
    "require",
    "revision",
    "stamp_single_language_exception",
    "withdraw",
]
