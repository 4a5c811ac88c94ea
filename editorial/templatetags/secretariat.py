"""Template helpers for the public pages: texts with their fallback marked, dates, ordinals."""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from editorial import formatting, structured
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


# What every page's <head> carries: its title captured once, breadcrumbs, Open Graph, JSON-LD -----------


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # The output is already escaped by the template: kept as safe text for reuse in attributes.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: render once, reuse as ``{{ name }}``.

    The base template captures the page's title block, so that ``<title>``, ``og:title``, the last
    breadcrumb and the ``BreadcrumbList`` all say the same thing. Blocks inside stay overridable.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def page_blocks(context, slot):
    """What other apps add to this page in ``slot`` (``head``, ``follow``, ``cite``): ``page_blocks`` in the context.

    Each is a (template name, extra context) pair, from ``dialogue.extensions.blocks_of``.
    """
    output = []
    for template_name, extra in (context.get("page_blocks") or {}).get(slot, ()):
        block = context.template.engine.get_template(template_name)
        with context.push(**extra):
            output.append(block.render(context))
    return mark_safe("".join(output))  # noqa: S308 - rendered templates, escaped by them


@register.simple_tag(takes_context=True)
def trail(context, title, home):
    """[(label, path)] from the home page (``home``, its path) to this one: the visible breadcrumbs and
    the ``BreadcrumbList``; the pages in between are the view's ``breadcrumbs``."""
    request = context["request"]
    crumbs = [(_("Home"), home)]
    if request.path != home:
        crumbs += list(context.get("breadcrumbs") or ())
        crumbs.append((title, request.path))
    return crumbs


@register.simple_tag(takes_context=True)
def breadcrumbs_json_ld(context, crumbs):
    return structured.json_ld_script(structured.breadcrumb_list(context["request"], crumbs))


@register.simple_tag
def json_ld(data):
    return structured.json_ld_script(data) if data else ""


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """``path`` as a full address on the host the reader asked (Open Graph wants absolute ones)."""
    return structured.absolute(context["request"], str(path))


@register.simple_tag(takes_context=True)
def canonical_address(context, pages):
    """The full address of this page in the page's language, from its [(language, path)] alternates.

    On a paginated list, the page number is the page shown (none for the first): ``?page=999``
    past the end shows the last page, and names that page's address as its own.
    """
    language = current_language()
    request = context["request"]
    path = next((path for code, path in pages if code == language), request.path)
    page = context.get("page_obj")
    if page is not None and hasattr(page, "number"):
        address, _, query = path.partition("?")
        params = QueryDict(query, mutable=True)
        params.pop("page", None)
        if page.number > 1:
            params["page"] = str(page.number)
        path = f"{address}?{params.urlencode()}" if params else address
    return structured.absolute(request, path)


#: Open Graph locales: the country each language is written for here.
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@register.filter
def og_locale(code):
    return OG_LOCALES.get(code, code)


@register.simple_tag(takes_context=True)
def absolute_url_tag(context, name, *args):
    """``{% url name … %}`` as a full address, to show it written out."""
    return structured.absolute(context["request"], reverse(name, args=args))
