"""The editors' admin: every model, with each translated field's languages in tabs."""

import nested_admin
import reversion
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .admin_workflow import PublishableAdmin, RoleLimitedMixin, VersionedAdmin
from .fields import HTMLField
from .i18n import language_codes, missing_languages, text_fields
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
from .widgets import AutocompleteSelect, AutocompleteSelectMultiple, RichTextWidget, could_be_id

# Versions: a record is saved together with the records edited inline on its page.
reversion.register(DelegationMember)
reversion.register(Delegation, follow=["members"])
reversion.register(Meeting, follow=["delegations"])
reversion.register(InstrumentSignatory)
reversion.register(InstrumentDocument)
reversion.register(InstrumentRelation)
reversion.register(Instrument, follow=["signatories", "documents", "relations_from"])


def missing_in(model, code: str) -> Q:
    """Records with a text present in another language but empty in ``code``."""
    condition = Q(pk__in=[])
    for field in text_fields(model):
        empty = Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})
        present_elsewhere = Q(pk__in=[])
        for other in language_codes():
            if other != code:
                present_elsewhere |= Q(**{f"{field}_{other}__isnull": False}) & ~Q(**{f"{field}_{other}": ""})
        condition |= empty & present_elsewhere
    return condition


def outdated_in(model, code: str) -> Q:
    """Records whose text in ``code`` was last updated before another language was edited."""
    condition = Q(pk__in=[])
    for other in language_codes():
        if other != code:
            condition |= Q(**{f"text_updated_{code}__lt": F(f"text_updated_{other}")})
    return condition & ~missing_in(model, code)


class TranslationStatusFilter(admin.SimpleListFilter):
    """Complete, or missing a language: what translators look for first."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = [("complete", _("Complete"))]
        names = {"fr": _("Missing French"), "en": _("Missing English")}
        choices += [(f"missing-{code}", names.get(code, code)) for code in language_codes()]
        if hasattr(model_admin.model, "outdated_languages"):
            outdated = {"fr": _("Outdated French"), "en": _("Outdated English")}
            choices += [(f"outdated-{code}", outdated.get(code, code)) for code in language_codes()]
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "complete":
            for code in language_codes():
                queryset = queryset.exclude(missing_in(queryset.model, code))
            return queryset
        if value and value.startswith("missing-") and value[8:] in language_codes():
            return queryset.filter(missing_in(queryset.model, value[8:]))
        if value and value.startswith("outdated-") and value[9:] in language_codes():
            return queryset.filter(outdated_in(queryset.model, value[9:]))
        return queryset


class AutocompleteMixin:
    """Autocomplete fields whose widgets show a form sent back with a bad id, with its error, not a 500."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NestedInlineFormSet(nested_admin.formsets.NestedInlineFormSet):
    """django-nested-admin's formset, which looks up the ids sent for existing rows without checking them.

    A row sent back with ``abc``, a NUL or a twenty-digit number for its id (only a crafted POST
    does that: the id is a hidden field) raised a database error; such ids are now left out, and
    the form is refused as invalid. The loop is bounded by the number of forms the formset reads,
    whatever the management form claims.
    """

    def get_queryset(self):
        if not self.data:
            return super().get_queryset()
        pk = self.model._meta.pk
        sent = (
            self.data.get(f"{self.add_prefix(i)}-{pk.name}")
            for i in range(min(self.initial_form_count(), self.total_form_count()))
        )
        rows = self.model._default_manager.filter(
            pk__in=[id_ for id_ in sent if id_ and could_be_id(pk, id_, connection)]
        )
        return rows if rows.ordered else rows.order_by(pk.name)


class DateDrillDownChangeList(ChangeList):
    """Django's list, with a date drill-down it cannot compute refused as a bad filter, not a 500.

    Django catches only the ``ValueError`` of an impossible date; ``?signed_on__year=9999`` (its
    next year is 10000) and a year of twenty digits (``OverflowError``) escaped. They now take the
    admin's own way for a bad filter: back to the list with an error flag.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class TranslatedAdmin(AutocompleteMixin, RoleLimitedMixin, VersionedAdmin, TabbedTranslationAdmin):
    """A model admin with language tabs, a translation column and filter, versions and role limits."""

    formfield_overrides = {HTMLField: {"widget": RichTextWidget}}

    def get_changelist(self, request, **kwargs):
        return DateDrillDownChangeList

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
class DialogueAdmin(PublishableTranslatedAdmin):
    list_display = ("name", "short_name", "established", "meeting_count", "order")
    search_fields = ("name_fr", "name_en", "short_name_fr", "short_name_en", "key")
    autocomplete_fields = ("topics",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "short_name", "established", "order")}),
        (_("Content"), {"fields": ("description", "topics")}),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings", distinct=True))

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


class DelegationMemberInline(AutocompleteMixin, RoleLimitedMixin, nested_admin.NestedTabularInline):
    """One row per member, the title in each language side by side: language tabs inside a table row
    would hide the rows added in the browser."""

    model = DelegationMember
    formset = NestedInlineFormSet
    extra = 0
    autocomplete_fields = ("person", "organization")
    sortable_field_name = ""

    def get_fields(self, request, obj=None):
        return ("order", "person", "role", *(f"title_{code}" for code in language_codes()), "organization")


class DelegationInline(
    AutocompleteMixin, RoleLimitedMixin, nested_admin.NestedStackedInlineMixin, TranslationStackedInline
):
    model = Delegation
    formset = NestedInlineFormSet
    extra = 0
    max_num = 2
    autocomplete_fields = ("organizations",)
    fields = ("party", "organizations", "note")
    inlines = [DelegationMemberInline]


@admin.register(Meeting)
class MeetingAdmin(PublishableAdmin, NestedTranslatedAdmin):
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
        (_("Image"), {"fields": ("image", "image_alt", "image_credit")}),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )
    actions = [*PublishableAdmin.actions, "duplicate_as_next_session"]

    @admin.action(description=_("Duplicate as the next session of its dialogue"), permissions=["add"])
    def duplicate_as_next_session(self, request, queryset):
        created = []
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(str(_("Duplicated from the previous session.")))
            for meeting in queryset.select_related("dialogue", "host"):
                try:
                    with transaction.atomic():
                        copy = meeting.duplicate_as_next_session()
                except ValueError as error:
                    self.message_user(request, f"{meeting}: {error}", messages.ERROR)
                    continue
                # The members are created in bulk, without the signal reversion listens to: version the
                # delegations again now that they have them, or reverting to this version would delete them.
                # (Queried afresh: ``copy.delegations`` may hold a cache filled while ``copy`` was saved.)
                for delegation in Delegation.objects.filter(meeting=copy):
                    reversion.add_to_revision(delegation)
                self.log_addition(request, copy, str(_("Duplicated from %(meeting)s.") % {"meeting": meeting}))
                created.append(copy)
        if len(created) == 1:
            self.message_user(
                request, _("Next session created as a draft: check its dates and place."), messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:dialogue_meeting_change", args=[created[0].pk]))
        if created:
            self.message_user(
                request, _("%(n)d next sessions created as drafts.") % {"n": len(created)}, messages.SUCCESS
            )
        return None


class InstrumentSignatoryInline(AutocompleteMixin, RoleLimitedMixin, TranslationTabularInline):
    model = InstrumentSignatory
    extra = 0
    autocomplete_fields = ("person", "organization")
    fields = ("order", "party", "person", "organization", "title")


class InstrumentDocumentInline(RoleLimitedMixin, TranslationTabularInline):
    model = InstrumentDocument
    extra = 0
    fields = ("order", "language", "title", "url")


class InstrumentRelationInline(AutocompleteMixin, RoleLimitedMixin, admin.TabularInline):
    model = InstrumentRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ("target",)
    verbose_name = _("related instrument")
    verbose_name_plural = _("related instruments")


@admin.register(Instrument)
class InstrumentAdmin(PublishableTranslatedAdmin):
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
        (_("Content"), {"fields": ("summary", "text_pdf", "topics")}),
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
class InstrumentRelationAdmin(AutocompleteMixin, RoleLimitedMixin, VersionedAdmin):
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
