"""Languages in the admin: each translated field in tabs, a column and a filter of translation status."""

import nested_admin
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from ..fields import HTMLField
from ..i18n import language_codes, missing_languages
from ..models import tracks_freshness
from ..widgets import RichTextWidget
from .history import VersionedAdmin
from .inputs import AdminInputsMixin
from .labels import ProperLabelsMixin
from .publication import PublishableAdmin
from .roles import RoleLimitedMixin
from .translator import TranslatorViewMixin


class TranslationStatusFilter(admin.SimpleListFilter):
    """Complete, or missing a language, or with a language left behind: what translators look for first."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = [("complete", _("Complete"))]
        names = {"fr": _("Missing French"), "en": _("Missing English")}
        choices += [(f"missing-{code}", names.get(code, code)) for code in language_codes()]
        if tracks_freshness(model_admin.model):
            outdated = {"fr": _("Outdated French"), "en": _("Outdated English")}
            choices += [(f"outdated-{code}", outdated.get(code, code)) for code in language_codes()]
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value and value in dict(self.lookup_choices):
            return queryset.translation_problem(value)
        return queryset


class TranslatedAdmin(
    AdminInputsMixin, ProperLabelsMixin, TranslatorViewMixin, RoleLimitedMixin, VersionedAdmin, TabbedTranslationAdmin
):
    """A model admin with language tabs, a translation column and filter, versions, role limits,
    the translator's view, and safe from crafted ids and filters."""

    formfield_overrides = {HTMLField: {"widget": RichTextWidget}}

    class Media:
        # The language switch, the next order number of new rows, no time-zone warning on dates alone.
        js = ("admin/js/jquery.init.js", "js/admin-editing.js")  # after django.jQuery is defined

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["language_switch"] = True  # templates/admin/includes/language_entry.html
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("languages"))
    def languages(self, obj):
        missing = missing_languages(obj)
        outdated = obj.outdated_languages() if hasattr(obj, "outdated_languages") else []

        def status(code):
            if code in missing:
                return "missing", _("missing"), "✗"
            if code in outdated:  # present, but older than the other language's last edit
                return "outdated", _("outdated"), "↻"
            return "complete", _("complete"), "✓"

        return format_html_join(
            " ",
            '<span class="language-status language-status--{}" title="{}">{} {}</span>',
            ((state, label, code.upper(), mark) for code in language_codes() for state, label, mark in [status(code)]),
        )

    def get_list_display(self, request):
        return (*super().get_list_display(request), "languages")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), TranslationStatusFilter)


class NestedTranslatedAdmin(nested_admin.NestedModelAdminMixin, TranslatedAdmin):
    """A translated admin whose inlines may themselves have inlines."""


class PublishableTranslatedAdmin(PublishableAdmin, TranslatedAdmin):
    """A translated admin with the publication workflow."""
