"""The fields a reader sees, translated into every language of ``settings.LANGUAGES``."""

from modeltranslation.translator import register

from dialogue.translation import Untranslated

from .models import PressContact, PressRelease, Quotation, SitePage


@register(PressRelease)
class PressReleaseTranslation(Untranslated):
    fields = ("title", "slug", "place", "lead", "body", "image_alt", "image_credit")


@register(Quotation)
class QuotationTranslation(Untranslated):
    fields = ("speaker_title", "text")


@register(PressContact)
class PressContactTranslation(Untranslated):
    fields = ("role",)


@register(SitePage)
class SitePageTranslation(Untranslated):
    fields = ("title", "slug", "lead", "body")
