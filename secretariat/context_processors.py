"""Context every page template can rely on."""

from django.utils.functional import SimpleLazyObject


def site(request):
    """``default_alternates``: this page's address in each language, for pages whose view gives none."""
    from editorial.views import alternate_urls

    return {"default_alternates": SimpleLazyObject(lambda: alternate_urls(request))}
