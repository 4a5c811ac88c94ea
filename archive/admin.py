"""The editors' admin for press releases, their quotations and their press contacts."""

import reversion
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from editorial.admin import (
    AutocompleteMixin,
    OwnRowsInlineMixin,
    PublishableTranslatedAdmin,
    RoleLimitedMixin,
    TranslatedAdmin,
)

from .models import PressContact, PressRelease, Quotation, SitePage

reversion.register(Quotation)
reversion.register(PressContact)
reversion.register(PressRelease, follow=["quotations", "contacts"])


class QuotationInline(OwnRowsInlineMixin, RoleLimitedMixin, AutocompleteMixin, TranslationStackedInline):
    add_label = _("Add a quotation")
    model = Quotation
    extra = 0
    autocomplete_fields = ("speaker",)
    fields = ("order", "speaker", "speaker_title", "text")


class PressContactInline(OwnRowsInlineMixin, RoleLimitedMixin, AutocompleteMixin, TranslationTabularInline):
    add_label = _("Add a press contact")
    model = PressContact
    extra = 0
    autocomplete_fields = ("person", "organization")
    fields = ("order", "person", "role", "organization", "phone", "email")


@admin.register(PressRelease)
class PressReleaseAdmin(PublishableTranslatedAdmin):
    delete_selected_description = _("Delete the selected press releases")
    list_display = ("title", "kind", "reference", "date", "place", "original_language")
    list_filter = ("kind", "original_language", "issuers", "topics")
    date_hierarchy = "date"
    search_fields = ("title_fr", "title_en", "reference", "lead_fr", "lead_en", "key")
    autocomplete_fields = (
        "issuers",
        "translation_of",
        "meetings",
        "instruments",
        "dialogues",
        "topics",
        "people",
        "organizations",
    )
    inlines = [QuotationInline, PressContactInline]
    fieldsets = (
        (None, {"fields": ("kind", "reference", ("date", "date_precision"), "place", "issuers")}),
        (_("Original"), {"fields": (("original_language", "translation_of"), "original_url")}),
        (_("Text"), {"fields": ("title", "lead", "body")}),
        (_("Image"), {"fields": ("image", "image_alt", "image_credit")}),
        (
            _("Related"),
            {
                "fields": (
                    "meetings",
                    "instruments",
                    "dialogues",
                    "topics",
                    "people",
                    "organizations",
                    "press_office_url",
                )
            },
        ),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )


@admin.register(Quotation)
class QuotationAdmin(TranslatedAdmin):
    delete_selected_description = _("Delete the selected quotations")
    list_display = ("speaker", "speaker_title", "press_release")
    list_select_related = ("speaker", "press_release")
    search_fields = ("speaker__family_name", "text_fr", "text_en")
    autocomplete_fields = ("press_release", "speaker")


@admin.register(PressContact)
class PressContactAdmin(TranslatedAdmin):
    delete_selected_description = _("Delete the selected press contacts")
    list_display = ("person", "role", "organization", "phone", "email", "press_release")
    list_select_related = ("person", "organization", "press_release")
    search_fields = ("person__family_name", "email", "phone")
    autocomplete_fields = ("press_release", "person", "organization")


@admin.register(SitePage)
class SitePageAdmin(PublishableTranslatedAdmin):
    delete_selected_description = _("Delete the selected site pages")
    list_display = ("title", "role", "in_footer", "order")
    list_filter = ("role", "in_footer")
    search_fields = ("title_fr", "title_en", "key")
    fieldsets = (
        (None, {"fields": ("role", "title", "lead", "body")}),
        (_("Footer"), {"fields": ("in_footer", "order")}),
        (_("Identifiers"), {"fields": ("slug", "key"), "classes": ("collapse",)}),
    )
