"""Which languages a record is complete in, from modeltranslation's registry."""

from django.conf import settings
from modeltranslation.translator import NotRegistered, translator


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def translated_fields(model) -> list[str]:
    """The names of ``model``'s translated fields (``title``, not ``title_fr``)."""
    try:
        return list(translator.get_options_for_model(model).all_fields.keys())
    except NotRegistered:
        return []


def text_fields(model) -> list[str]:
    """The translated fields holding text: what a translation is complete or outdated on.

    Files (an instrument's PDF in each language) are left out: an official text may exist in
    one language only.
    """
    from django.db.models import FileField

    return [name for name in translated_fields(model) if not isinstance(model._meta.get_field(name), FileField)]


def missing_languages(instance) -> list[str]:
    """The languages in which a text is empty although another language has it.

    A field left empty in every language (an optional venue, say) is not missing anywhere.
    """
    missing = []
    fields = text_fields(type(instance))
    for code in language_codes():
        for field in fields:
            value = getattr(instance, f"{field}_{code}", None)
            others = [getattr(instance, f"{field}_{other}", None) for other in language_codes() if other != code]
            if not value and any(others):
                missing.append(code)
                break
    return missing
