"""The editors' admin: every model, with each translated field's languages in tabs."""

import nested_admin
import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from editorial.admin import (
    AdminInputsMixin,
    AutocompleteMixin,
    LanguageColumnsMixin,
    NestedInlineFormSet,
    NestedTranslatedAdmin,
    OwnRowsInlineMixin,
    ProperLabelsMixin,
    PublishableAdmin,
    PublishableTranslatedAdmin,
    RoleLimitedMixin,
    TranslatedAdmin,
    VersionedAdmin,
)
from editorial.admin.autocomplete import posted_id
from editorial.admin.search import date_span
from editorial.i18n import language_codes

from . import services
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
from .models.parties import with_party

# Versions: a record is saved together with the records edited inline on its page.
reversion.register(DelegationMember)
reversion.register(Delegation, follow=["members"])
reversion.register(Meeting, follow=["delegations"])
reversion.register(InstrumentSignatory)
reversion.register(InstrumentDocument)
reversion.register(InstrumentRelation)
reversion.register(Instrument, follow=["signatories", "documents", "relations_from"])


@admin.register(Party)
class PartyAdmin(TranslatedAdmin):
    delete_selected_description = _("Delete the selected parties")
    list_display = ("name", "code", "adjective", "order")
    list_editable = ("order",)
    search_fields = ("name_fr", "name_en", "code")


@admin.register(Topic)
class TopicAdmin(TranslatedAdmin):
    delete_selected_description = _("Delete the selected topics")
    list_display = ("name", "key")
    search_fields = ("name_fr", "name_en", "key")
    prepopulated_fields = {"slug": ("name",)}


class SideChoiceMixin:
    """People and organizations chosen by name and side: namesakes told apart (“Ministère de la Défense
    — Japon”), and the records of the side being filled in offered first (``?prefer_party=`` from
    ``static/js/delegations.js``: a delegation's party, a signatory's)."""

    #: What the label reads beside the record, fetched with it.
    autocomplete_label_reads = ("party",)

    def autocomplete_label(self, obj):
        return with_party(obj)

    def autocomplete_preferred(self, request, queryset, source_field):
        party = posted_id(request, "prefer_party")
        if party is None:
            return queryset
        ordering = queryset.query.order_by or self.model._meta.ordering
        first = Case(When(party_id=party, then=Value(0)), default=Value(1), output_field=IntegerField())
        return queryset.annotate(other_side=first).order_by("other_side", *ordering)


@admin.register(Organization)
class OrganizationAdmin(SideChoiceMixin, TranslatedAdmin):
    delete_selected_description = _("Delete the selected organizations")
    list_display = ("name", "acronym", "kind", "party", "parent")
    list_filter = ("kind", "party")
    list_select_related = ("party", "parent")
    search_fields = ("name_fr", "name_en", "acronym_fr", "acronym_en", "key")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "acronym", "kind", "party", "parent", "website", "slug", "key")


@admin.register(Person)
class PersonAdmin(SideChoiceMixin, TranslatedAdmin):
    delete_selected_description = _("Delete the selected people")
    list_display = ("family_name", "given_name", "honorific", "party")
    list_display_links = ("family_name", "given_name")
    list_filter = ("party",)
    list_select_related = ("party",)
    search_fields = ("family_name", "given_name", "key")
    fields = ("honorific", "given_name", "family_name", "party", "slug", "key")


@admin.register(Dialogue)
class DialogueAdmin(PublishableTranslatedAdmin):
    delete_selected_description = _("Delete the selected dialogues")
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


class DelegationMemberInline(
    OwnRowsInlineMixin,
    RoleLimitedMixin,
    AutocompleteMixin,
    LanguageColumnsMixin,
    nested_admin.NestedTabularInline,
):
    """One row per member, the title in each language side by side: language tabs inside a table row
    would hide the rows added in the browser."""

    add_label = _("Add a delegation member")
    model = DelegationMember
    formset = NestedInlineFormSet
    extra = 0
    autocomplete_fields = ("person", "organization")
    sortable_field_name = ""

    def get_fields(self, request, obj=None):
        return ("order", "person", "role", *(f"title_{code}" for code in language_codes()), "organization")


class DelegationInline(
    OwnRowsInlineMixin,
    RoleLimitedMixin,
    AutocompleteMixin,
    nested_admin.NestedStackedInlineMixin,
    TranslationStackedInline,
):
    add_label = _("Add a delegation")
    model = Delegation
    formset = NestedInlineFormSet
    extra = 0
    max_num = 2
    autocomplete_fields = ("organizations",)
    fields = ("party", "organizations", "note")
    inlines = [DelegationMemberInline]


@admin.register(Meeting)
class MeetingAdmin(PublishableAdmin, NestedTranslatedAdmin):
    delete_selected_description = _("Delete the selected meetings")
    list_display = ("__str__", "dialogue", "number", "kind", "start_date", "city", "host", "original_language")
    list_filter = ("dialogue", "kind", "host", "original_language")
    list_select_related = ("dialogue", "host")
    date_hierarchy = "start_date"
    search_fields = (
        "title_fr",
        "title_en",
        "city_fr",
        "city_en",
        "venue_fr",
        "venue_en",
        "key",
        "dialogue__name_fr",
        "dialogue__name_en",
        "dialogue__short_name_fr",
        "dialogue__short_name_en",
    )
    search_help_text = _("A title, a place, a dialogue's name, or a date: 2017-03-24, 24/03/2017, March 2017, 2017.")
    autocomplete_fields = ("topics",)
    ordering = ("-start_date",)
    inlines = [DelegationInline]
    fieldsets = (
        (None, {"fields": ("dialogue", "number", "kind", "title", ("start_date", "end_date"))}),
        (_("Place"), {"fields": ("city", "venue", "host")}),
        (_("Content"), {"fields": ("summary", "outcomes", "topics")}),
        (_("Original"), {"fields": ("original_language", "original_url")}),
        (_("Image"), {"fields": ("image", "image_alt", "image_credit")}),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )
    actions = [*PublishableAdmin.actions, "duplicate_as_next_session"]

    class Media:
        js = ("admin/js/jquery.init.js", "js/delegations.js")

    def get_search_results(self, request, queryset, search_term):
        """Text as usual, and a date typed in any usual way: the meetings held on that day, month or year."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if span := date_span(search_term):
            first, last = span
            held = Q(start_date__lte=last) & (Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
            results |= queryset.filter(held)
        return results, may_have_duplicates

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for delegation in form.instance.delegations.select_related("party"):
            if not self.texts_only(request):  # a translator adds no member and changes no order
                delegation.number_new_members()
            warn_of_other_sides(request, delegation)

    @admin.action(description=_("Duplicate as the next session of its dialogue"), permissions=["add"])
    def duplicate_as_next_session(self, request, queryset):
        created = []
        for meeting in queryset.select_related("dialogue", "host").order_by("pk"):
            try:
                created.append(services.duplicate_as_next_session(meeting=meeting, user=request.user))
            except (ValidationError, PermissionDenied) as error:
                problems = error.messages if isinstance(error, ValidationError) else [str(error)]
                self.message_user(request, f"{meeting}: {' '.join(problems)}", messages.ERROR)
        if len(created) == 1:
            self.message_user(
                request, _("Next session created as a draft: check its dates and place."), messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:dialogue_meeting_change", args=[created[0].pk]))
        if created:
            self.message_user(
                request,
                ngettext(
                    "%(n)d next session created as a draft.", "%(n)d next sessions created as drafts.", len(created)
                )
                % {"n": len(created)},
                messages.SUCCESS,
            )
        return None


def warn_of_other_sides(request, delegation):
    """A non-blocking warning for each person or organization of the other side in ``delegation``."""
    for record in delegation.party_mismatches():
        messages.warning(
            request,
            _(
                "“%(name)s” (party: %(party)s) is listed in the delegation of another party (%(delegation)s): "
                "check that this is intended."
            )
            % {"name": record, "party": record.party, "delegation": delegation.party},
        )


class InstrumentSignatoryInline(OwnRowsInlineMixin, RoleLimitedMixin, AutocompleteMixin, TranslationTabularInline):
    add_label = _("Add a signatory")
    model = InstrumentSignatory
    extra = 0
    autocomplete_fields = ("person", "organization")
    fields = ("order", "party", "person", "organization", "title")


class InstrumentDocumentInline(OwnRowsInlineMixin, RoleLimitedMixin, TranslationTabularInline):
    add_label = _("Add a document")
    model = InstrumentDocument
    extra = 0
    fields = ("order", "language", "title", "url")


class InstrumentRelationInline(AutocompleteMixin, OwnRowsInlineMixin, RoleLimitedMixin, admin.TabularInline):
    add_label = _("Add a related instrument")
    model = InstrumentRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ("target",)
    verbose_name = _("related instrument")
    verbose_name_plural = _("related instruments")


@admin.register(Instrument)
class InstrumentAdmin(PublishableTranslatedAdmin):
    delete_selected_description = _("Delete the selected instruments")
    list_display = ("title", "short_title", "kind", "status", "signed_on", "dialogue", "original_language")
    list_filter = ("kind", "status", "dialogue", "original_language")
    list_select_related = ("dialogue",)
    date_hierarchy = "signed_on"
    search_fields = ("title_fr", "title_en", "short_title_fr", "short_title_en", "key")
    autocomplete_fields = ("signed_at", "topics")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "parties":
            kwargs["widget"] = forms.CheckboxSelectMultiple  # two sides to tick
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    inlines = [InstrumentSignatoryInline, InstrumentDocumentInline, InstrumentRelationInline]
    readonly_fields = ("relations_to_this",)

    class Media:
        js = ("admin/js/jquery.init.js", "js/delegations.js")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("relations_to__source")

    @admin.display(description=_("relations recorded on other instruments"))
    def relations_to_this(self, obj):
        """The relations other instruments record to this one, read from here: “superseded by …”."""
        relations = list(obj.relations_to.all()) if obj is not None and obj.pk else []
        if not relations:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '{} <a href="{}">{}</a>',
            (
                (
                    relation.inverse_label,
                    reverse("admin:dialogue_instrument_change", args=[relation.source_id]),
                    relation.source,
                )
                for relation in relations
            ),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for signatory, record in form.instance.signatory_mismatches():
            messages.warning(
                request,
                _(
                    "“%(name)s” (party: %(party)s) signs for another party (%(signatory)s): check that this is "
                    "intended."
                )
                % {"name": record, "party": record.party, "signatory": signatory.party},
            )

    fieldsets = (
        (None, {"fields": ("title", "short_title", "kind", "status", "dialogue", "parties")}),
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
        (_("Original"), {"fields": ("original_language", "original_url")}),
        (_("Relations"), {"fields": ("relations_to_this",)}),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )


@admin.register(Delegation)
class DelegationAdmin(NestedTranslatedAdmin):
    delete_selected_description = _("Delete the selected delegations")
    list_display = ("meeting", "party")
    list_filter = ("party", "meeting__dialogue")
    list_select_related = ("meeting__dialogue", "party")
    search_fields = ("meeting__title_fr", "meeting__title_en", "meeting__key")
    autocomplete_fields = ("meeting", "organizations")
    inlines = [DelegationMemberInline]

    class Media:
        js = ("admin/js/jquery.init.js", "js/delegations.js")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not self.texts_only(request):
            form.instance.number_new_members()
        warn_of_other_sides(request, form.instance)


@admin.register(DelegationMember)
class DelegationMemberAdmin(TranslatedAdmin):
    """Every participation, to follow a person or an organization from meeting to meeting."""

    delete_selected_description = _("Delete the selected delegation members")
    list_display = ("person", "role", "title", "organization", "delegation")
    list_filter = ("role", "delegation__party", "delegation__meeting__dialogue")
    list_select_related = ("person", "organization", "delegation__meeting__dialogue", "delegation__party")
    search_fields = ("person__family_name", "person__given_name", "title_fr", "title_en")
    autocomplete_fields = ("delegation", "person", "organization")


@admin.register(InstrumentSignatory)
class InstrumentSignatoryAdmin(TranslatedAdmin):
    delete_selected_description = _("Delete the selected signatories")
    list_display = ("__str__", "title", "party", "instrument")
    list_filter = ("party",)
    list_select_related = ("person", "organization", "party", "instrument")
    search_fields = ("person__family_name", "title_fr", "title_en", "instrument__title_fr", "instrument__title_en")
    autocomplete_fields = ("instrument", "person", "organization")


@admin.register(InstrumentRelation)
class InstrumentRelationAdmin(AdminInputsMixin, ProperLabelsMixin, RoleLimitedMixin, VersionedAdmin):
    delete_selected_description = _("Delete the selected relations between instruments")
    list_display = ("source", "kind", "target")
    list_filter = ("kind",)
    list_select_related = ("source", "target")
    search_fields = ("source__title_fr", "source__title_en", "target__title_fr", "target__title_en")
    autocomplete_fields = ("source", "target")


@admin.register(InstrumentDocument)
class InstrumentDocumentAdmin(TranslatedAdmin):
    delete_selected_description = _("Delete the selected documents")
    list_display = ("__str__", "language", "url", "instrument")
    list_filter = ("language",)
    list_select_related = ("instrument",)
    search_fields = ("title_fr", "title_en", "url", "instrument__title_fr", "instrument__title_en")
    autocomplete_fields = ("instrument",)
