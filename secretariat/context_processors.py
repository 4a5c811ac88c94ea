"""Context every page template can rely on."""

from django.utils.functional import SimpleLazyObject

from editorial.limits import RELATED_LIMIT


def site(request):
    """``default_alternates``: this page's address in each language, for pages whose view gives none;
    ``related_limit``: how many related items a detail page lists before linking to all of them;
    ``footer_links``: the site's own pages (about, contact…); ``site_parties``: the two sides.

    The project's configuration layer may name every app: the footer and the identity span the site.
    """
    from editorial.views import alternate_urls

    return {
        "default_alternates": SimpleLazyObject(lambda: alternate_urls(request)),
        "related_limit": RELATED_LIMIT,
        "footer_links": SimpleLazyObject(_footer_links),
        "site_parties": SimpleLazyObject(_site_parties),
    }


def _footer_links():
    from archive.pages import footer_links

    return footer_links()


def _site_parties():
    """The two sides of the relationship, in their order, for the site's identity (kept until they change)."""
    from dialogue.models import Party
    from editorial.i18n import current_language, text_in
    from editorial.pagecache import cached

    language = current_language()
    return cached(
        f"site-parties:{language}", lambda: [text_in(party, "name", language) for party in Party.objects.all()]
    )
