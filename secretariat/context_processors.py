"""Context every page template can rely on."""

from django.utils.functional import SimpleLazyObject

from editorial.limits import RELATED_LIMIT


def site(request):
    """``default_alternates``: this page's address in each language, for pages whose view gives none;
    ``related_limit``: how many related items a detail page lists before linking to all of them."""
    from editorial.views import alternate_urls

    return {"default_alternates": SimpleLazyObject(lambda: alternate_urls(request)), "related_limit": RELATED_LIMIT}
