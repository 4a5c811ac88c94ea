"""Messages of the history and of the admin's log, kept in every language and read in the reader's.

Django stores a change message as JSON whose labels were read with translations off, and
django-reversion copies that message into the revision once rendered in the saver's language: a
French editor's save read “Modification de City [en]” for everyone, and the names of inline
records mixed languages (“japonais side at 1re session”). Here a message is stored with its text
rendered in each language of ``settings.LANGUAGES`` when it is written — the field labels, the
names of the records it touched and the words around them, each in that language — next to
Django's own structure (kept, in English, for Django's readers), and the history shows the text
of the reader's language.
"""

import json
import re
from collections.abc import Callable

from django.contrib.admin.models import LogEntry
from django.utils import translation
from django.utils.functional import Promise

from .i18n import current_language, fallback_order, language_codes

#: The key of the texts in a stored message: ``[..., {"text": {"fr": "…", "en": "…"}}]``.
TEXT = "text"


def in_every_language(message: Callable[[], str] | Promise | str) -> dict[str, str]:
    """{code: the message rendered in that language}: ``message`` is a lazy string or a function."""
    texts = {}
    for code in language_codes():
        with translation.override(code):
            texts[code] = str(message() if callable(message) else message)
    return texts


def stored(message, structure=()) -> str:
    """What a log entry or a revision keeps of ``message``: JSON with its text in every language."""
    return json.dumps([*structure, {TEXT: in_every_language(message)}], ensure_ascii=False)


def readable(stored_message: str) -> str:
    """A stored message in the reader's language (else the nearest one); an older message as Django reads it."""
    texts = _texts(stored_message)
    if texts:
        for code in fallback_order(current_language()):
            if texts.get(code):
                return texts[code]
        return next(iter(texts.values()), "")
    return LogEntry(change_message=stored_message or "").get_change_message()


def _texts(stored_message: str) -> dict | None:
    if not stored_message or not stored_message.startswith("["):
        return None
    try:
        parts = json.loads(stored_message)
    except json.JSONDecodeError:
        return None
    for part in parts if isinstance(parts, list) else ():
        if isinstance(part, dict) and isinstance(part.get(TEXT), dict):
            return part[TEXT]
    return None


# What a change form saved ----------------------------------------------------------------------


def form_change_message(form, formsets, add: bool) -> list:
    """Django's structure of a change form's save (in English), followed by its text in every language."""
    changed = form.changed_data  # read once, in the request's language (dates, numbers)
    with translation.override("en"):
        structure = _structure(form, changed, formsets, add)
    texts = {}
    for code in language_codes():
        with translation.override(code):
            local = json.dumps(_structure(form, changed, formsets, add))
            texts[code] = LogEntry(change_message=local).get_change_message()
    return [*structure, {TEXT: texts}]


def _structure(form, changed, formsets, add) -> list:
    """What Django's ``construct_change_message`` records, with labels and names in the active language."""
    parts = []
    if add:
        parts.append({"added": {}})
    elif changed:
        parts.append({"changed": {"fields": _labels(form, changed)}})
    for formset in _every_formset(formsets or ()):
        for obj in getattr(formset, "new_objects", ()):
            parts.append({"added": {"name": str(obj._meta.verbose_name), "object": str(obj)}})
        for obj, fields in getattr(formset, "changed_objects", ()):
            parts.append(
                {
                    "changed": {
                        "name": str(obj._meta.verbose_name),
                        "object": str(obj),
                        "fields": _labels(formset.forms[0], fields),
                    }
                }
            )
        for obj in getattr(formset, "deleted_objects", ()):
            parts.append({"deleted": {"name": str(obj._meta.verbose_name), "object": str(obj)}})
    return parts


def _every_formset(formsets):
    """The formsets and, depth first, those nested in their forms (django-nested-admin's)."""
    for formset in formsets:
        yield formset
        for form in formset.forms:
            yield from _every_formset(getattr(form, "nested_formsets", None) or ())


#: modeltranslation labels a language's column “title [en]”; the history writes “title (EN)”.
LANGUAGE_SUFFIX = re.compile(r" \[([a-z_-]+)\]$")


def _labels(form, names) -> list[str]:
    labels = []
    for name in names:
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        if label[:1].isupper() and not label[1:2].isupper():  # a form's “Title”, inside a sentence: “title”
            label = label[0].lower() + label[1:]
        labels.append(LANGUAGE_SUFFIX.sub(lambda match: f" ({match.group(1).upper()})", label))
    return labels
