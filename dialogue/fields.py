"""Model fields shared by the apps."""

import nh3
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


class HTMLField(models.TextField):
    """A long text stored as sanitized HTML.

    Sanitizing happens in ``get_db_prep_save`` so that every write is covered:
    forms, services and ``loaddata`` (which saves in raw mode and skips ``pre_save``).
    Templates may therefore mark the stored value safe.
    """

    description = _("HTML text, sanitized on save")

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = sanitize_html(value)
        return super().get_db_prep_save(value, connection)
