"""The editors' admin: every model, with each translated field's languages in tabs."""

import nested_admin
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .i18n import language_codes, missing_languages, translated_fields
from .models import (
    Delegation,
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentDocument,
    InstrumentRelation,
    InstrumentSignatory,
    Meeting,
    Organization,
    Party,
    Person,
    Topic,
)


def missing_in(model, code: str) -> Q:
    """Records with a text present in another language but empty in ``code``."""
    condition = Q(pk__in=[])
    for field in translated_fields(model):
        empty = Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})
        present_elsewhere = Q(pk__in=[])
        for other in language_codes():
            if other != code:
                present_elsewhere |= Q(**{f"{field}_{other}__isnull": False}) & ~Q(**{f"{field}_{other}": ""})
        condition |= empty & present_elsewhere
    return condition


class TranslationStatusFilter(admin.SimpleListFilter):
    """Complete, or missing a language: what translators look for first."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = [("complete", _("Complete"))]
        names = {"fr": _("Missing French"), "en": _("Missing English")}
        choices += [(f"missing-{code}", names.get(code, code)) for code in language_codes()]
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "complete":
            for code in language_codes():
                queryset = queryset.exclude(missing_in(queryset.model, code))
            return queryset
        if value and value.startswith("missing-") and value[8:] in language_codes():
            return queryset.filter(missing_in(queryset.model, value[8:]))
        return queryset


class TranslatedAdmin(TabbedTranslationAdmin):
    """A model admin with language tabs, a translation column and a translation filter."""

    @admin.display(description=_("languages"))
    def languages(self, obj):
        missing = missing_languages(obj)
        return format_html_join(
            " ",
            '<span class="language-status language-status--{}" title="{}">{} {}</span>',
            (
                (
                    "missing" if code in missing else "complete",
                    _("missing") if code in missing else _("complete"),
                    code.upper(),
                    "✗" if code in missing else "✓",
                )
                for code in language_codes()
            ),
        )

    def get_list_display(self, request):
        return (*super().get_list_display(request), "languages")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), TranslationStatusFilter)


class NestedTranslatedAdmin(nested_admin.NestedModelAdminMixin, TranslatedAdmin):
    """A translated admin whose inlines may themselves have inlines."""


@admin.register(Party)
class PartyAdmin(TranslatedAdmin):
    list_display = ("name", "code", "adjective", "order")
    list_editable = ("order",)
    search_fields = ("name_fr", "name_en", "code")


@admin.register(Topic)
class TopicAdmin(TranslatedAdmin):
    list_display = ("name", "key")
    search_fields = ("name_fr", "name_en", "key")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Organization)
class OrganizationAdmin(TranslatedAdmin):
    list_display = ("name", "acronym", "kind", "party", "parent")
    list_filter = ("kind", "party")
    list_select_related = ("party", "parent")
    search_fields = ("name_fr", "name_en", "acronym_fr", "acronym_en", "key")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "acronym", "kind", "party", "parent", "website", "slug", "key")


@admin.register(Person)
class PersonAdmin(TranslatedAdmin):
    list_display = ("family_name", "given_name", "honorific", "party")
    list_display_links = ("family_name", "given_name")
    list_filter = ("party",)
    list_select_related = ("party",)
    search_fields = ("family_name", "given_name", "key")
    fields = ("honorific", "given_name", "family_name", "party", "slug", "key")


@admin.register(Dialogue)
class DialogueAdmin(TranslatedAdmin):
    list_display = ("name", "short_name", "established", "meeting_count", "order")
    search_fields = ("name_fr", "name_en", "short_name_fr", "short_name_en", "key")
    autocomplete_fields = ("topics",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings", distinct=True))

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


class DelegationMemberInline(nested_admin.NestedTabularInlineMixin, TranslationTabularInline):
    model = DelegationMember
    extra = 0
    autocomplete_fields = ("person", "organization")
    fields = ("order", "person", "role", "title", "organization")
    sortable_field_name = ""


class DelegationInline(nested_admin.NestedStackedInlineMixin, TranslationStackedInline):
    model = Delegation
    extra = 0
    max_num = 2
    autocomplete_fields = ("organizations",)
    fields = ("party", "organizations", "note")
    inlines = [DelegationMemberInline]


@admin.register(Meeting)
class MeetingAdmin(NestedTranslatedAdmin):
    list_display = ("__str__", "dialogue", "number", "kind", "start_date", "city", "host")
    list_filter = ("dialogue", "kind", "host")
    list_select_related = ("dialogue", "host")
    date_hierarchy = "start_date"
    search_fields = ("title_fr", "title_en", "city_fr", "city_en", "venue_fr", "venue_en", "key")
    autocomplete_fields = ("topics",)
    ordering = ("-start_date",)
    inlines = [DelegationInline]
    fieldsets = (
        (None, {"fields": ("dialogue", "number", "kind", "title", ("start_date", "end_date"))}),
        (_("Place"), {"fields": ("city", "venue", "host")}),
        (_("Content"), {"fields": ("summary", "outcomes", "topics")}),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )


class InstrumentSignatoryInline(TranslationTabularInline):
    model = InstrumentSignatory
    extra = 0
    autocomplete_fields = ("person", "organization")
    fields = ("order", "party", "person", "organization", "title")


class InstrumentDocumentInline(TranslationTabularInline):
    model = InstrumentDocument
    extra = 0
    fields = ("order", "language", "title", "url")


class InstrumentRelationInline(admin.TabularInline):
    model = InstrumentRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ("target",)
    verbose_name = _("related instrument")
    verbose_name_plural = _("related instruments")


@admin.register(Instrument)
class InstrumentAdmin(TranslatedAdmin):
    list_display = ("title", "short_title", "kind", "status", "signed_on", "dialogue")
    list_filter = ("kind", "status", "dialogue")
    list_select_related = ("dialogue",)
    date_hierarchy = "signed_on"
    search_fields = ("title_fr", "title_en", "short_title_fr", "short_title_en", "key")
    autocomplete_fields = ("signed_at", "topics")
    inlines = [InstrumentSignatoryInline, InstrumentDocumentInline, InstrumentRelationInline]
    fieldsets = (
        (None, {"fields": ("title", "short_title", "kind", "status", "dialogue")}),
        (
            _("Life cycle"),
            {
                "fields": (
                    ("negotiations_opened_on", "negotiations_opened_precision"),
                    ("signed_on", "signed_precision"),
                    ("in_force_on", "in_force_precision"),
                    ("ended_on", "ended_precision"),
                    "place_of_signature",
                    "signed_at",
                )
            },
        ),
        (_("Content"), {"fields": ("summary", "topics")}),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )


@admin.register(Delegation)
class DelegationAdmin(NestedTranslatedAdmin):
    list_display = ("meeting", "party")
    list_filter = ("party", "meeting__dialogue")
    list_select_related = ("meeting__dialogue", "party")
    search_fields = ("meeting__title_fr", "meeting__title_en", "meeting__key")
    autocomplete_fields = ("meeting", "organizations")
    inlines = [DelegationMemberInline]


@admin.register(DelegationMember)
class DelegationMemberAdmin(TranslatedAdmin):
    """Every participation, to follow a person or an organization from meeting to meeting."""

    list_display = ("person", "role", "title", "organization", "delegation")
    list_filter = ("role", "delegation__party", "delegation__meeting__dialogue")
    list_select_related = ("person", "organization", "delegation__meeting__dialogue", "delegation__party")
    search_fields = ("person__family_name", "person__given_name", "title_fr", "title_en")
    autocomplete_fields = ("delegation", "person", "organization")


@admin.register(InstrumentSignatory)
class InstrumentSignatoryAdmin(TranslatedAdmin):
    list_display = ("__str__", "title", "party", "instrument")
    list_filter = ("party",)
    list_select_related = ("person", "organization", "party", "instrument")
    search_fields = ("person__family_name", "title_fr", "title_en", "instrument__title_fr", "instrument__title_en")
    autocomplete_fields = ("instrument", "person", "organization")


@admin.register(InstrumentRelation)
class InstrumentRelationAdmin(admin.ModelAdmin):
    list_display = ("source", "kind", "target")
    list_filter = ("kind",)
    list_select_related = ("source", "target")
    search_fields = ("source__title_fr", "source__title_en", "target__title_fr", "target__title_en")
    autocomplete_fields = ("source", "target")


@admin.register(InstrumentDocument)
class InstrumentDocumentAdmin(TranslatedAdmin):
    list_display = ("__str__", "language", "url", "instrument")
    list_filter = ("language",)
    list_select_related = ("instrument",)
    search_fields = ("title_fr", "title_en", "url", "instrument__title_fr", "instrument__title_en")
    autocomplete_fields = ("instrument",)
