"""Machine-readable descriptions of a page: JSON-LD blocks and absolute addresses.

What a page is about (an Event, a Legislation…) is described by the layer that knows it; this
module only gives the shared pieces: a JSON-LD ``<script>`` that cannot break out of its element,
the breadcrumb trail as a schema.org ``BreadcrumbList``, and absolute URLs.
"""

import json
from html import unescape
from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

#: Characters that could end a script element, start a comment or open markup.
_MARKUP_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def without_markup(json_text: str) -> str:
    """JSON text with ``<``, ``>`` and ``&`` written as ``\\u`` escapes: the same data for any JSON
    reader, and nothing a browser or a page embedding it could ever read as markup (JSON-LD
    blocks, and the API's and downloads' answers, which may repeat what a request sent)."""
    return json_text.translate(_MARKUP_ESCAPES)


def json_ld_script(data) -> str:
    """``<script type="application/ld+json">`` holding ``data``: never executed, so no nonce is needed."""
    text = without_markup(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str))
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def absolute(request, path: str) -> str:
    """``path`` (``/fr/reunions/…``) as a full address on the host the reader asked, percent-encoded
    (a path read from the request, such as a 404's, holds what the reader typed: ``1://`` in it
    does not make it an address, only a scheme at its start does)."""
    if not path or urlsplit(path).scheme:
        return path
    return f"{request.scheme}://{request.get_host()}{iri_to_uri(path)}"


def breadcrumb_list(request, crumbs) -> dict:
    """A schema.org ``BreadcrumbList`` of ``[(label, path)]``, the current page last."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": unescape(str(label)), "item": absolute(request, path)}
            for position, (label, path) in enumerate(crumbs, start=1)
        ],
    }
