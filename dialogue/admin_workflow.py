"""The editorial workflow in the admin: versions, publication, roles' limits and edit conflicts.

- ``VersionedAdmin``: every save through the admin is a django-reversion version (who, when, what
  changed); the history page compares any two versions and reverts to one; deleted records are
  recovered from the list page.
- ``RoleLimitedMixin``: a user who may change but not add a kind of record (a translator) edits
  its texts only; every other field is read-only for them.
- ``PublishableAdmin``: the publication fields, actions to publish, withdraw and mark translations
  current, and the check that refuses a save over someone else's newer save.
"""

from datetime import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from .i18n import language_codes, text_fields, translated_fields
from .models.publication import PUBLISHER_STATES, Status
from .versions import current_state, edit_token, field_changes, related_changes, version_with_token


class RoleLimitedMixin:
    """Read-only everything but the texts for whoever may change records of this kind but not add them."""

    def texts_only(self, request) -> bool:
        opts = self.model._meta
        user = request.user
        return user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and not user.has_perm(
            f"{opts.app_label}.add_{opts.model_name}"
        )

    def revert_refusal(self, request, version, current):
        # A version restores every field and the records saved with it, not only the texts.
        if self.texts_only(request):
            return _("Restoring a version changes more than the texts: ask an editor to restore it.")
        parent = getattr(super(), "revert_refusal", None)
        return parent(request, version, current) if parent else None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.texts_only(request):
            return readonly
        opts = self.model._meta
        editable = {f"{name}_{code}" for name in text_fields(self.model) for code in language_codes()}
        originals = set(translated_fields(self.model))
        for field in [*opts.concrete_fields, *opts.many_to_many]:
            name = field.name
            if field.editable and not field.primary_key and name not in editable | originals | set(readonly):
                readonly.append(name)
        return readonly


class VersionedAdmin(VersionAdmin):
    """History with a comparison of any two versions, revert, and recovery of deleted records."""

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

    def revert_refusal(self, request, version, current):
        """Why ``request.user`` may not restore ``version`` over ``current`` (None when deleted), or None.

        Restoring saves the whole stored record: it must stay within what the user's role may change.
        """
        return None

    def _refused(self, request, version, current, back):
        reason = self.revert_refusal(request, version, current)
        if reason is None:
            return None
        if request.method == "POST":
            messages.error(request, reason)
            return redirect(back)
        messages.warning(request, reason)  # looking at the version is allowed; saving it is not
        return None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        opts = self.model._meta
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        current = self.model._default_manager.filter(pk=unquote(object_id)).first()
        back = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", args=[object_id])
        refused = self._refused(request, version, current, back)
        return refused or super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        opts = self.model._meta
        version = get_object_or_404(Version, pk=version_id)
        back = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_recoverlist")
        refused = self._refused(request, version, None, back) if self.has_add_permission(request) else None
        return refused or super().recover_view(request, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """The versions, newest first, each with its id so that two can be compared."""
        opts = self.model._meta
        versions = self._reversion_order_version_queryset(
            request,
            Version.objects.get_for_object_reference(self.model, unquote(object_id)).select_related("revision__user"),
        )
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
            }
            for version in versions
        ]
        return super().history_view(request, object_id, {**(extra_context or {}), "action_list": action_list})

    def compare_view(self, request, object_id):
        """Two versions of one record side by side: its fields, then the records saved with it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        versions = Version.objects.get_for_object_reference(self.model, object_id).select_related("revision__user")
        try:
            chosen = [int(request.GET.get(name, "")) for name in ("from", "to")]
        except ValueError:
            chosen = []
        found = {version.pk: version for version in versions.filter(pk__in=chosen)}
        if len(chosen) != 2 or len(found) != len(set(chosen)):
            messages.error(request, _("Choose two versions of this item to compare."))
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id]))
        old, new = sorted((found[pk] for pk in chosen), key=lambda version: version.revision.date_created)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Compare versions of %(name)s") % {"name": new.object_repr},
            "old": old,
            "new": new,
            "changes": field_changes(self.model, old.field_dict, new.field_dict),
            "related": related_changes(old, new),
            "object_id": object_id,
        }
        return TemplateResponse(request, "admin/versions/compare.html", context)


class PublishableForm(forms.ModelForm):
    """Refuses a save when someone else saved the record after this form was opened.

    The form carries the record's last-modified time; if the record has changed since, the
    editor's input stays in the form and the message shows who saved, when, and what they changed.
    """

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    can_publish = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_token"].initial = edit_token(self.instance.modified_at)
        status = self.fields.get("publication_status")
        if status is not None and not self.can_publish:
            if self.instance.publication_status in PUBLISHER_STATES:
                status.disabled = True
            else:
                status.choices = [(value, label) for value, label in status.choices if value not in PUBLISHER_STATES]
            for name in ("publish_at", "single_language", "single_language_reason"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def _update_errors(self, errors):
        # The model's rules may name a field this user's form lacks (read-only for a translator, say):
        # Django would raise ValueError for it, so such errors are shown above the form instead.
        if hasattr(errors, "error_dict"):
            outside = [name for name in errors.error_dict if name != NON_FIELD_ERRORS and name not in self.fields]
            if outside:
                kept = {name: errs for name, errs in errors.error_dict.items() if name not in outside}
                moved = [error for name in outside for error in errors.error_dict[name]]
                kept[NON_FIELD_ERRORS] = [*kept.get(NON_FIELD_ERRORS, []), *moved]
                errors = ValidationError(kept)
        super()._update_errors(errors)

    def clean(self):
        cleaned = super().clean()
        sent = self.data.get(self.add_prefix("edit_token"), "")
        if self.instance.pk and sent and sent != edit_token(self.instance.modified_at):
            raise ValidationError(conflict_messages(self.instance, sent))
        return cleaned


def conflict_messages(instance, sent_token) -> list[ValidationError]:
    """Who saved the record since the form was opened, and what they changed."""
    since = Version.objects.get_for_object(instance).select_related("revision__user")
    base = version_with_token(instance, sent_token)
    opened_at = _token_time(sent_token)
    if opened_at is not None:  # the saves stamped after the form was opened, with a version or not
        later = [v for v in since if (v.field_dict.get("modified_at") or v.revision.date_created) > opened_at]
    else:
        later = [v for v in since if base is None or v.revision.date_created > base.revision.date_created]
    people = sorted({str(v.revision.user) for v in later if v.revision.user} or {str(_("another editor"))})
    when = localize(template_localtime(instance.modified_at))
    errors = [
        ValidationError(
            _(
                "Not saved: %(people)s saved this item on %(when)s, after you opened it. Your changes are "
                "still in the form below. Their changes are listed here; open the item again to start "
                "from their version, then apply yours."
            ),
            code="conflict",
            params={"people": ", ".join(people), "when": when},
        )
    ]
    if base is not None:
        for change in field_changes(type(instance), base.field_dict, current_state(instance)):
            errors.append(
                ValidationError(
                    _("%(field)s: “%(old)s” → “%(new)s”"),
                    code="conflict_change",
                    params={"field": change["field"], "old": _shorten(change["old"]), "new": _shorten(change["new"])},
                )
            )
    return errors


def _token_time(token):
    """The last-modified time an edit token carries, or None if it is not one."""
    try:
        stamp = datetime.fromisoformat(token)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else None


#: The fields only a publisher sets (the form disables them for everyone else).
PUBLICATION_FIELDS = ("publication_status", "publish_at", "single_language", "single_language_reason")


def _to_seconds(value):
    """Times compared to the second: versions keep milliseconds, and the admin's form keeps seconds."""
    return value.replace(microsecond=0) if isinstance(value, datetime) else value


def _shorten(text, limit=160):
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class PublishableAdmin(admin.ModelAdmin):
    """Publication fields and actions, for meetings, instruments, press releases and dialogues."""

    form = PublishableForm
    actions = ["publish_selected", "withdraw_selected", "mark_translations_current"]
    publication_fields = (
        "publication_status",
        "publish_at",
        ("single_language", "single_language_reason"),
        "publication_record",
        "edit_token",
    )

    def has_publish_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def revert_refusal(self, request, version, current):
        if not self.has_publish_permission(request):
            stored = version.field_dict
            if current is None:
                moved = stored.get("publication_status") in PUBLISHER_STATES
            else:
                moved = any(
                    _to_seconds(stored.get(name)) != _to_seconds(getattr(current, name)) for name in PUBLICATION_FIELDS
                )
            if moved:
                return _(
                    "Only a publisher can restore this version: it would change the item's publication "
                    "(its status, time or one-language exception)."
                )
        return super().revert_refusal(request, version, current)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"can_publish": self.has_publish_permission(request)})

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in self._publication_names()]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [(_("Publication"), {"fields": self.publication_fields}), *fieldsets]

    def _publication_names(self):
        names = set()
        for item in self.publication_fields:
            names.update(item if isinstance(item, tuple) else (item,))
        return names

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "publication_record"] if "publication_record" not in readonly else readonly

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        display.insert(1, "publication")
        return display

    def get_list_filter(self, request):
        return ("publication_status", *super().get_list_filter(request))

    @admin.display(description=_("publication"), ordering="publication_status")
    def publication(self, obj):
        label = obj.get_publication_status_display()
        if obj.is_scheduled:
            return format_html(
                '<span class="publication publication--scheduled">{} {}</span>',
                _("scheduled for"),
                localize(template_localtime(obj.publish_at)),
            )
        return format_html('<span class="publication publication--{}">{}</span>', obj.publication_status, label)

    @admin.display(description=_("record"))
    def publication_record(self, obj):
        if obj is None or not obj.pk:
            return "—"
        lines = [(_("Last modified"), localize(template_localtime(obj.modified_at)))]
        for code in language_codes():
            stamp = getattr(obj, f"text_updated_{code}")
            lines.append(
                (
                    _("Text last updated (%(language)s)") % {"language": code.upper()},
                    localize(template_localtime(stamp)) if stamp else "—",
                )
            )
        if outdated := obj.outdated_languages():
            lines.append((_("Outdated"), ", ".join(code.upper() for code in outdated)))
        if obj.single_language:
            lines.append(
                (
                    _("One-language exception"),
                    f"{obj.single_language_by or '—'}, {localize(template_localtime(obj.single_language_at))}",
                )
            )
        return format_html(
            '<dl class="publication-record">{}</dl>', format_html_join("", "<dt>{}</dt><dd>{}</dd>", lines)
        )

    def save_model(self, request, obj, form, change):
        if obj.single_language and (not change or "single_language" in form.changed_data):
            obj.single_language_by = request.user
            obj.single_language_at = timezone.now()
        if obj.publication_status == Status.PUBLISHED and obj.publish_at is None:
            obj.publish()
        super().save_model(request, obj, form, change)

    # Actions ------------------------------------------------------------------------------

    def _act(self, request, queryset, apply, message, done_message):
        done, refused = 0, []
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            pks = list(queryset.values_list("pk", flat=True))
            for obj in self.model._default_manager.filter(pk__in=pks).select_for_update():
                problems = apply(obj)
                if problems:
                    refused.append((obj, problems))
                    continue
                obj.save()
                self.log_change(request, obj, str(message))
                done += 1
            reversion.set_comment(str(message))
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for obj, problems in refused:
            self.message_user(request, f"{obj}: {' '.join(problems)}", messages.ERROR)

    @admin.action(description=_("Publish the selected items"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        def apply(obj):
            problems = obj.publication_errors()
            if problems:
                return [message for error in problems for message in error.messages]
            obj.publish()
            return None

        self._act(
            request,
            queryset,
            apply,
            _("Published."),
            lambda n: ngettext("%(n)d item published.", "%(n)d items published.", n) % {"n": n},
        )

    @admin.action(description=_("Withdraw the selected items"), permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        def apply(obj):
            obj.withdraw()
            return None

        self._act(
            request,
            queryset,
            apply,
            _("Withdrawn."),
            lambda n: ngettext("%(n)d item withdrawn.", "%(n)d items withdrawn.", n) % {"n": n},
        )

    @admin.action(description=_("Mark the translations of the selected items as up to date"), permissions=["change"])
    def mark_translations_current(self, request, queryset):
        def apply(obj):
            obj.mark_translations_current()
            return None

        self._act(
            request,
            queryset,
            apply,
            _("Translations marked as up to date."),
            lambda n: (
                ngettext(
                    "%(n)d item marked as translated and up to date.",
                    "%(n)d items marked as translated and up to date.",
                    n,
                )
                % {"n": n}
            ),
        )
