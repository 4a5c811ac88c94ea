"""History in the admin: every save a version; compare any two; restore one; recover a deleted item.

Restoring is editing, and is held to the same rules, whatever URL is posted to:

- a version is restored only from the admin of its own model, for its own object (a press
  release's version posted to the quotations' admin is a 404), and “recover” only brings back
  an item that no longer exists;
- only the item and the records it owns are restored (``editorial.history``), never another
  item saved in the same revision;
- the user's role bounds it: a translator restores nothing, and no one but a publisher restores
  a version that would move an item's publication;
- it counts only once the admin's form has really saved the item: then it writes a new version
  and a log entry; anything else rolls the whole restore back.
"""

from contextlib import nullcontext

import reversion
from django.contrib import messages
from django.contrib.admin.models import ADDITION
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals

from .. import logmessages, services
from ..batch import batch
from ..history import item_versions, publication_refusal, restore
from ..versions import field_changes, related_changes

#: The largest primary key a 64-bit column holds: anything larger is not an id, it is a 404.
LARGEST_ID = 2**63 - 1


def database_id(value) -> int:
    """``value`` as a row id, or Http404: neither garbage nor a number the database cannot hold reaches it."""
    try:
        number = int(str(value), 10)
    except (TypeError, ValueError) as error:
        raise Http404(_("No such item.")) from error
    if not 0 < number <= LARGEST_ID:
        raise Http404(_("No such item."))
    return number


class _Rollback(Exception):
    def __init__(self, response):
        self.response = response


class VersionedAdmin(VersionAdmin):
    """History with a comparison of any two versions, restore, and recovery of deleted records."""

    object_history_template = "admin/versions/object_history.html"
    history_latest_first = True

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args)

    # What a restore may touch -------------------------------------------------------------

    def restore_refusal(self, request, versions) -> str | None:
        """Why ``request.user`` may not restore ``versions`` (an item and what it owns), or None."""
        return publication_refusal(request.user, versions)

    def _own_version(self, version_id, object_id=None):
        """The version ``version_id`` of a record of this admin's model (and of ``object_id``), else 404."""
        content_type = ContentType.objects.get_for_model(self.model)
        lookup = {"pk": database_id(version_id), "content_type": content_type}
        if object_id is not None:
            lookup["object_id"] = self._object_pk(object_id)
        return get_object_or_404(Version, **lookup)

    def _object_pk(self, object_id) -> str:
        """``object_id`` as this model's primary key would store it, or 404 (never a database error)."""
        try:
            return str(self.model._meta.pk.to_python(object_id))
        except (ValidationError, ValueError, TypeError) as error:
            raise Http404(_("No such item.")) from error

    def revision_view(self, request, object_id, version_id, extra_context=None):
        object_id = self._object_pk(unquote(object_id))
        version = self._own_version(version_id, object_id)
        if not self.model._default_manager.filter(pk=object_id).exists():
            raise Http404(_("This item no longer exists: recover it from the list of deleted items."))
        context = {"title": _("Revert %(name)s") % {"name": version.object_repr}, "revert": True}
        return self._restore_view(
            request,
            version,
            "revert",
            self.revision_form_template or self._reversion_get_template_list("revision_form.html"),
            {**context, **(extra_context or {})},
            back=self._url("history", quote(object_id)),
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = self._own_version(version_id)
        if self.model._default_manager.filter(pk=version.object_id).exists():
            messages.error(request, _("This item still exists: open its history to go back to one of its versions."))
            return redirect(self._url("history", quote(version.object_id)))
        context = {"title": _("Recover %(name)s") % {"name": version.object_repr}, "recover": True}
        return self._restore_view(
            request,
            version,
            "recover",
            self.recover_form_template or self._reversion_get_template_list("recover_form.html"),
            {**context, **(extra_context or {})},
            back=self._url("recoverlist"),
        )

    def _restore_view(self, request, version, kind, template_name, context, back):
        versions = item_versions(version)
        refusal = self.restore_refusal(request, versions)
        if refusal is not None:
            if request.method == "POST":
                messages.error(request, refusal)
                return redirect(back)
            messages.warning(request, refusal)  # looking at the version is allowed; restoring it is not
        if request.method == "POST" and "_saveasnew" in request.POST:
            messages.error(request, _("A version is restored onto its own item, not saved as a new one."))
            return redirect(back)
        request.history_restore = {"kind": kind, "version": version, "saved": False}
        with batch():
            return self._restore(request, version, template_name, context, back)

    def _restore(self, request, version, template_name, context, back):
        # Looking changes nothing: no signal (search index, caches) hears the temporary restore.
        muted = mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
        try:
            with transaction.atomic(using=version.db), muted if request.method != "POST" else nullcontext():
                restore(version)
                with self.create_revision(request):
                    response = self.changeform_view(request, quote(version.object_id), request.path, context)
                    if request.method == "POST" and response.status_code == 302:
                        if not request.history_restore["saved"]:
                            raise RevertError(_("The version was not restored: the item could not be saved."))
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()  # with the restored records, before they are rolled back
                        raise _Rollback(response)
                    else:
                        raise RevertError(_("The version was not restored: the item could not be saved."))
        except (RevertError, models.ProtectedError) as error:
            messages.error(request, str(error))
            return redirect(back)
        except _Rollback as rollback:
            return rollback.response
        return response

    # Saving and logging -------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if restoring := getattr(request, "history_restore", None):
            restoring["saved"] = True

    def restore_message(self, request) -> str | None:
        """The log message of a restore or a recovery (stored in every language), or None."""
        restoring = getattr(request, "history_restore", None)
        if not restoring:
            return None
        version = restoring["version"]
        user = version.revision.user or "—"

        def message():
            when = localize(template_localtime(version.revision.date_created))
            if restoring["kind"] == "recover":
                return _("Recovered from the version of %(when)s (saved by %(user)s).") % {"when": when, "user": user}
            return _("Restored the version of %(when)s (saved by %(user)s).") % {"when": when, "user": user}

        return logmessages.stored(message)

    def construct_change_message(self, request, form, formsets, add=False):
        # Labels and names in every language, so that the history reads in its reader's.
        return logmessages.form_change_message(form, formsets, add)

    def _logged(self, log, request, obj, message):
        """Log with Django's admin, and give the revision the same message (every language), not a rendering."""
        entry = log(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.change_message)
        return entry

    def log_addition(self, request, obj, message):
        message = message or logmessages.stored(gettext_lazy("Initial version."))
        return self._logged(super(VersionAdmin, self).log_addition, request, obj, message)

    def log_change(self, request, obj, message):
        restored = self.restore_message(request)
        if restored and request.history_restore["kind"] == "recover":
            return self.log_addition(request, obj, restored)
        log = super(VersionAdmin, self).log_change
        if not reversion.is_active():
            # A save outside a change form (a list's editable column): a revision for this record alone.
            with services.revision(user=request.user):
                reversion.add_to_revision(obj)
                return self._logged(log, request, obj, restored or message)
        return self._logged(log, request, obj, restored or message)

    def changelist_view(self, request, extra_context=None):
        # Not one revision around the whole list: each action and each edited row records its own.
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        with batch():
            return super(VersionAdmin, self).changelist_view(request, context)

    # One edit, one refresh of what depends on it (the search index…), at its end ----------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with batch():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with batch():
            return super().delete_view(request, object_id, extra_context)

    # Reading the history ------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """The versions, newest first, each with its id so that two can be compared."""
        versions = self._reversion_order_version_queryset(
            request,
            Version.objects.get_for_object_reference(self.model, unquote(object_id)).select_related("revision__user"),
        )
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "message": logmessages.readable(version.revision.comment),
                "url": self._url("revision", quote(version.object_id), version.pk),
            }
            for version in versions
        ]
        return super().history_view(request, object_id, {**(extra_context or {}), "action_list": action_list})

    def _name(self, object_id, version) -> str:
        """The item's name in the reader's language while it exists; else as its version recorded it."""
        current = self.model._default_manager.filter(pk=self._object_pk(object_id)).first()
        return str(current) if current is not None else version.object_repr

    def compare_view(self, request, object_id):
        """Two versions of one record side by side: its fields, then the records saved with it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        versions = Version.objects.get_for_object_reference(self.model, object_id).select_related("revision__user")
        try:
            chosen = [database_id(request.GET.get(name, "")) for name in ("from", "to")]
        except Http404:
            chosen = []
        found = {version.pk: version for version in versions.filter(pk__in=chosen)} if len(chosen) == 2 else {}
        if len(chosen) != 2 or len(found) != len(set(chosen)):
            messages.error(request, _("Choose two versions of this item to compare."))
            return redirect(self._url("history", quote(object_id)))
        old, new = sorted((found[pk] for pk in chosen), key=lambda version: version.revision.date_created)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Compare versions of %(name)s") % {"name": (name := self._name(object_id, new))},
            "name": name,
            "old": old,
            "new": new,
            "changes": field_changes(self.model, old.field_dict, new.field_dict),
            "related": related_changes(old, new),
            "object_id": object_id,
        }
        return TemplateResponse(request, "admin/versions/compare.html", context)


__all__ = ["ADDITION", "VersionedAdmin"]
