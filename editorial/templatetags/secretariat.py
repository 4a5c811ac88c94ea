"""Template helpers for the public pages: texts with their fallback marked, dates, ordinals."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from editorial import formatting
from editorial.fields import HTMLField
from editorial.i18n import current_language, text_in, translated

register = template.Library()


def _in_language(code):
    """“in French”, “in English”, as a short notice after a text shown in the other language."""
    names = {"fr": _("in French"), "en": _("in English")}
    return names.get(code, get_language_info(code)["name_translated"])


@register.simple_tag
def tr(obj, field, default=""):
    """A translated text; when it falls back to the other language, it carries that ``lang`` and a notice.

    HTML fields were sanitized on save and are output as they are; other texts are escaped.
    """
    value, language = translated(obj, field)
    if not value:
        return default
    is_html = isinstance(obj._meta.get_field(field), HTMLField)
    content = mark_safe(value) if is_html else value  # noqa: S308 - sanitized by HTMLField on save
    if language == current_language():
        return content
    if is_html:
        notice = _("This text is not yet translated; it is shown %(in_language)s.") % {
            "in_language": _in_language(language)
        }
        return format_html(
            '<p class="fallback-notice">{}</p><div lang="{}" class="fallback">{}</div>', notice, language, content
        )
    return format_html(
        '<span lang="{}" class="fallback">{}</span> <span class="fallback-notice">({})</span>',
        language,
        content,
        _in_language(language),
    )


@register.simple_tag
def tr_plain(obj, field):
    """The translated text alone, falling back to another language: for attributes such as ``alt``."""
    return text_in(obj, field)


@register.filter
def elided_page_range(page):
    """The page numbers around ``page``, the first and the last, with “…” between: never every page."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def long_date(value):
    return formatting.long_date(value)


@register.filter
def ordinal(number):
    return formatting.ordinal(number) if number else ""


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label):
    """A navigation link, marked as the current section when the page is in it."""
    url = reverse(url_name)
    path = context["request"].path
    current = ' aria-current="page"' if path == url else (' aria-current="true"' if path.startswith(url) else "")
    return format_html('<a href="{}"{}>{}</a>', url, mark_safe(current), label)  # noqa: S308 - constant markup


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with ``changes`` applied (None removes a key), for links that keep filters."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
