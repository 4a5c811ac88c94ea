"""Form widgets of the editors' admin."""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django_prose_editor.widgets import AdminProseEditorWidget

from .fields import RICH_TEXT_EDITOR


class RichTextWidget(AdminProseEditorWidget):
    """The rich-text editor (ProseMirror, served from this site: works offline and under the CSP).

    Its tools are exactly what the allow-list keeps, and pasted text goes through its schema, so
    what a word processor puts on the clipboard comes out as plain paragraphs, lists and links.
    ``HTMLField`` sanitizes what it saves again: the editor is a convenience, not the guard.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, config=RICH_TEXT_EDITOR, preset="configurable")


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
