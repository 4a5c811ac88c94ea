"""Publication in the admin: the workflow's fields and actions, and the refusal of conflicting edits.

``PublishableForm`` carries the record's last-modified time and refuses a save over someone
else's newer save; ``PublishableAdmin`` shows the publication fields (only publishers may change
them) and the actions to publish, withdraw and mark translations current, each of which calls
the service in ``editorial.services`` for every item it is given.
"""

from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.models import Version

from .. import services
from ..i18n import language_codes
from ..models import PUBLISHER_STATES, Status
from ..versions import current_state, edit_token, field_changes, version_with_token


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
        # The form disables the publication fields for non-publishers; this holds against a crafted POST.
        services.check_publication_change(item=obj, user=request.user, changed_fields=form.changed_data)
        services.stamp_single_language_exception(
            item=obj, user=request.user, changed_fields=form.changed_data if change else None
        )
        if obj.publication_status == Status.PUBLISHED and obj.publish_at is None:
            obj.publish()
        super().save_model(request, obj, form, change)

    # Actions: each item through its service, each with its own version and log entry --------

    def _act(self, request, queryset, service, done_message):
        done, refused = 0, []
        for obj in queryset.order_by("pk"):
            try:
                service(item=obj, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                refused.append((obj, error.messages if isinstance(error, ValidationError) else [str(error)]))
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for obj, problems in refused:
            self.message_user(request, f"{obj}: {' '.join(problems)}", messages.ERROR)

    @admin.action(description=_("Publish the selected items"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._act(
            request,
            queryset,
            services.publish,
            lambda n: ngettext("%(n)d item published.", "%(n)d items published.", n) % {"n": n},
        )

    @admin.action(description=_("Withdraw the selected items"), permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        self._act(
            request,
            queryset,
            services.withdraw,
            lambda n: ngettext("%(n)d item withdrawn.", "%(n)d items withdrawn.", n) % {"n": n},
        )

    @admin.action(description=_("Mark the translations of the selected items as up to date"), permissions=["change"])
    def mark_translations_current(self, request, queryset):
        self._act(
            request,
            queryset,
            services.mark_translations_current,
            lambda n: (
                ngettext(
                    "%(n)d item marked as translated and up to date.",
                    "%(n)d items marked as translated and up to date.",
                    n,
                )
                % {"n": n}
            ),
        )
