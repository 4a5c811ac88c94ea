"""Machine-readable descriptions of a page: JSON-LD blocks and absolute addresses.

What a page is about (an Event, a Legislation…) is described by the layer that knows it; this
module only gives the shared pieces: a JSON-LD ``<script>`` that cannot break out of its element,
the breadcrumb trail as a schema.org ``BreadcrumbList``, and absolute URLs.
"""

import json
from html import unescape

from django.utils.safestring import mark_safe

#: Characters that could end the script element or start a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data) -> str:
    """``<script type="application/ld+json">`` holding ``data``: never executed, so no nonce is needed."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def absolute(request, path: str) -> str:
    """``path`` (``/fr/reunions/…``) as a full address on the host the reader asked."""
    if not path or "://" in path:
        return path
    return f"{request.scheme}://{request.get_host()}{path}"


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
