"""Model fields shared by the apps."""

import nh3
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The tags an editor may use in long texts. Anything else is stripped on save.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "q",
    "cite",
    "abbr",
    "h2",
    "h3",
    "h4",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "ol": {"start"}, "*": {"lang"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(value: str) -> str:
    """Return ``value`` reduced to the allow-listed tags, attributes and link schemes."""
    if not value:
        return value
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


#: The rich-text editor's tools: exactly what the allow-list keeps, links restricted to its schemes.
RICH_TEXT_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    }
}


class HTMLFormField(forms.CharField):
    """Cleans what the editor sends as it will be stored, so that the record, its language stamps
    and its versions see the stored text, not the pasted one."""

    def clean(self, value):
        value = super().clean(value)
        return sanitize_html(value) if isinstance(value, str) else value


class HTMLField(models.TextField):
    """A long text stored as sanitized HTML.

    Sanitizing happens in ``get_db_prep_save`` so that every write is covered:
    forms, services and ``loaddata`` (which saves in raw mode and skips ``pre_save``).
    Templates may therefore mark the stored value safe. Forms sanitize too (``HTMLFormField``).
    """

    description = _("HTML text, sanitized on save")

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": HTMLFormField, **kwargs})

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = sanitize_html(value)
        return super().get_db_prep_save(value, connection)
