"""Languages of a record: its translated fields, what is missing, and the one rule of fallback.

Every reader-facing text exists in each language of ``settings.LANGUAGES`` (django-modeltranslation
adds ``title_fr``, ``title_en``…). Where a language is empty, pages, the search index, feeds and
the API all show the text of the language it falls back to, by ``translated()``, which follows
``MODELTRANSLATION_FALLBACK_LANGUAGES``.
"""

from django.conf import settings
from django.db.models import FileField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.translator import NotRegistered, TranslationOptions, translator
from modeltranslation.utils import resolution_order


class Untranslated(TranslationOptions):
    """No language is required by the form: editors write in one, translators add the other."""

    required_languages = ()


#: The languages a text may have been first written in: the site's, and Japanese, in which many of
#: the sources are written first (an item's original, an instrument's official text).
ORIGINAL_LANGUAGES = [("fr", _("French")), ("en", _("English")), ("ja", _("Japanese"))]

#: The names as they read inside a sentence (“missing in English”, “manque en anglais”).
_NAMES_IN_SENTENCE = {
    "fr": pgettext_lazy("language name inside a sentence", "French"),
    "en": pgettext_lazy("language name inside a sentence", "English"),
    "ja": pgettext_lazy("language name inside a sentence", "Japanese"),
}


def language_name(code: str, *, in_sentence: bool = False) -> str:
    """“French” / “Français” as a label; “French” / “français” inside a sentence."""
    if in_sentence and code in _NAMES_IN_SENTENCE:
        return str(_NAMES_IN_SENTENCE[code])
    return str(dict(ORIGINAL_LANGUAGES).get(code, code))


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


#: The language interface strings are written in (their msgids): what gettext returns when
#: translations are deactivated (``translation.override(None)``, ``@no_translations`` commands).
SOURCE_LANGUAGE = "en"


def current_language() -> str:
    """The active language as a code of ``settings.LANGUAGES`` (``fr``, ``en``).

    With translations deactivated, gettext speaks the source language: texts follow it, so
    that a phrase and the words put into it never mix languages (“japonais side”).
    """
    from django.utils.translation import get_language

    return (get_language() or SOURCE_LANGUAGE).split("-")[0]


def fallback_order(language: str) -> tuple[str, ...]:
    """``language`` then the languages it falls back to, as modeltranslation's settings say."""
    return resolution_order(language, getattr(settings, "MODELTRANSLATION_FALLBACK_LANGUAGES", None))


def translated(obj, field: str, language: str | None = None) -> tuple[str, str]:
    """(text, language it is written in) of ``field`` in ``language``, or in the first it falls back to.

    The one rule of fallback: templates (``{% tr %}``), the search index, feeds and exports use it.
    An empty text everywhere gives ("", ``language``).
    """
    language = language or current_language()
    for code in fallback_order(language):
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return value, code
    return "", language


def fold_text(value: str) -> str:
    """Lower case without accents, to compare names: “Japonaise” contains “japonais”."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", (value or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def text_in(obj, field: str, language: str | None = None) -> str:
    """The text alone of ``translated()``."""
    return translated(obj, field, language)[0]


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
