"""The fields a reader sees, translated into every language of ``settings.LANGUAGES``."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Delegation,
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentDocument,
    InstrumentSignatory,
    Meeting,
    Organization,
    Party,
    Person,
    Topic,
)


class Untranslated(TranslationOptions):
    """No language is required by the form: editors write in one, translators add the other."""

    required_languages = ()


@register(Party)
class PartyTranslation(Untranslated):
    fields = ("name", "adjective")


@register(Topic)
class TopicTranslation(Untranslated):
    fields = ("name", "slug", "description")


@register(Organization)
class OrganizationTranslation(Untranslated):
    fields = ("name", "acronym", "slug")


@register(Person)
class PersonTranslation(Untranslated):
    fields = ("honorific", "slug")


@register(Dialogue)
class DialogueTranslation(Untranslated):
    fields = ("name", "short_name", "slug", "description")


@register(Meeting)
class MeetingTranslation(Untranslated):
    fields = ("title", "slug", "city", "venue", "summary", "outcomes", "image_alt", "image_credit")


@register(Delegation)
class DelegationTranslation(Untranslated):
    fields = ("note",)


@register(DelegationMember)
class DelegationMemberTranslation(Untranslated):
    fields = ("title",)


@register(Instrument)
class InstrumentTranslation(Untranslated):
    fields = ("title", "short_title", "slug", "place_of_signature", "summary", "text_pdf")


@register(InstrumentSignatory)
class InstrumentSignatoryTranslation(Untranslated):
    fields = ("title",)


@register(InstrumentDocument)
class InstrumentDocumentTranslation(Untranslated):
    fields = ("title",)
