"""Accounts in the admin: the page a locked-out sign-in gets, and unlocking from the users' list.

Logins are throttled by django-axes (settings: ``AXES_*``): after repeated failures an account,
and the address the attempts came from, are locked for a while. The page says so in the reader's
language; a superuser may unlock accounts from the users' list at once. The admins of users,
groups and sign-in records say their delete action in their own words (``labels``).
"""

from axes.conf import settings
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .labels import ProperLabelsMixin


def locked_out(request, original_response=None, credentials=None):
    """The “too many attempts” page (status 429), in the admin's look and the reader's language."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    context = {**admin.site.each_context(request), "cooloff_minutes": minutes, "title": _("Sign-in locked")}
    response = render(request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Cache-Control"] = "private, no-store"
    return response


User = get_user_model()


class AccountAdmin(ProperLabelsMixin, UserAdmin):
    """Django's users' admin, with whether each account is locked out and an action to unlock it."""

    actions = [*UserAdmin.actions, "unlock_selected"]
    delete_selected_description = _("Delete the selected users")

    def get_list_display(self, request):
        return (*super().get_list_display(request), "locked_out")

    def get_queryset(self, request):
        failures = AccessAttempt.objects.filter(
            username=OuterRef("username"), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        )
        return super().get_queryset(request).annotate(is_locked_out=Exists(failures))

    @admin.display(description=_("locked out"), boolean=True, ordering="is_locked_out")
    def locked_out(self, obj):
        return obj.is_locked_out

    @admin.action(description=_("Unlock the selected accounts"), permissions=["unlock"])
    def unlock_selected(self, request, queryset):
        unlocked = [user for user in queryset if reset(username=user.get_username())]
        self.message_user(
            request,
            ngettext("%(n)d account unlocked.", "%(n)d accounts unlocked.", len(unlocked)) % {"n": len(unlocked)},
            messages.SUCCESS,
        )

    def has_unlock_permission(self, request):
        return request.user.is_active and request.user.is_superuser


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


def relabel(model, description):
    """Register ``model``'s admin again, its delete action in words of its own."""
    if not admin.site.is_registered(model):
        return
    base = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    name = f"Labelled{base.__name__}"
    admin.site.register(model, type(name, (ProperLabelsMixin, base), {"delete_selected_description": description}))


relabel(Group, _("Delete the selected groups"))
relabel(AccessAttempt, _("Delete the selected access attempts"))
relabel(AccessLog, _("Delete the selected access logs"))
relabel(AccessFailureLog, _("Delete the selected access failures"))
