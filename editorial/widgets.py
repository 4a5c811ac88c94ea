"""Form widgets of the editors' admin."""

import json

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils.translation import gettext as _
from django_prose_editor.widgets import AdminProseEditorWidget

from .fields import RICH_TEXT_EDITOR


def toolbar_labels() -> dict[str, str]:
    """{the English tooltip (or menu option) django-prose-editor writes: the same in the active language}.

    The editor writes its toolbar's tooltips in English, whatever the page's language (and
    reads only its dialogs through ``gettext``, from the catalogue ``rich_text_catalogue`` serves).
    """
    labels = {
        "paragraph": _("Paragraph"),
        "Paragraph": _("Paragraph"),
        "unordered list": _("Bulleted list"),
        "ordered list": _("Numbered list"),
        "List properties": _("List properties"),
        "blockquote": _("Quotation"),
        "bold": _("Bold"),
        "italic": _("Italic"),
        "underline": _("Underline"),
        "strike": _("Strikethrough"),
        "subscript": _("Subscript"),
        "superscript": _("Superscript"),
        "insert link": _("Insert a link"),
        "remove link": _("Remove the link"),
        "undo": _("Undo"),
        "redo": _("Redo"),
        "hard break": _("Line break"),
    }
    for level in RICH_TEXT_EDITOR["extensions"]["Heading"]["levels"]:
        labels[f"heading {level}"] = labels[f"Heading {level}"] = _("Heading %(level)d") % {"level": level}
    return labels


class RichTextWidget(AdminProseEditorWidget):
    """The rich-text editor (ProseMirror, served from this site: works offline and under the CSP).

    Its tools are exactly what the allow-list keeps, and pasted text goes through its schema, so
    what a word processor puts on the clipboard comes out as plain paragraphs, lists and links.
    ``HTMLField`` sanitizes what it saves again: the editor is a convenience, not the guard.
    Its tooltips and dialogs speak the admin's language (``static/js/rich-text.js``).
    """

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, config=RICH_TEXT_EDITOR, preset="configurable")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-toolbar-labels"] = json.dumps(toolbar_labels(), ensure_ascii=False)
        return context

    @property
    def media(self):
        # The catalogue is a classic script: it runs before the editor's modules read ``gettext``.
        return super().media + forms.Media(js=[reverse("rich-text-catalogue"), "js/rich-text.js"])


class KnownIdsOnlyMixin:
    """Renders only the selected values that can be ids of the related model.

    Django's autocomplete widgets look up the selected values as they are, to show their labels,
    so a form sent back with ``abc``, a NUL or a twenty-digit number for an id, and shown again
    with its error, raised a ``ValueError``, a ``DataError`` (PostgreSQL) or an ``OverflowError``
    (SQLite) instead of showing the message.
    """

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        connection = connections[self.db or DEFAULT_DB_ALIAS]
        usable = [choice for choice in value if could_be_id(target, choice, connection)]
        return super().optgroups(name, usable, attr)


def could_be_id(field, value, connection) -> bool:
    """Whether ``value``, sent by a form, can be looked up in ``field`` without a database error."""
    if "\x00" in str(value):
        return False
    try:
        prepared = field.get_prep_value(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    if isinstance(prepared, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or low <= prepared) and (high is None or prepared <= high)
    return True


class AutocompleteSelect(KnownIdsOnlyMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(KnownIdsOnlyMixin, widgets.AutocompleteSelectMultiple):
    pass
