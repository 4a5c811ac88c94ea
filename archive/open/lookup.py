"""Finding the public item an address names: by its slug in either language, or by its key."""

from django.conf import settings
from django.http import Http404

from editorial.i18n import current_language


def public_by_slug(queryset, slug: str):
    """(item, whether ``slug`` is its slug in the active language) among ``queryset``'s public items.

    A slug of the other language still finds the item (a link followed across languages): the
    caller redirects to the address in the page's language. Nothing public: a 404.
    """
    queryset = queryset.published() if hasattr(queryset, "published") else queryset
    language = current_language()
    for code in [language, *(code for code, _name in settings.LANGUAGES if code != language)]:
        found = queryset.filter(**{f"slug_{code}": slug}).first()
        if found is not None:
            return found, code == language
    raise Http404("No such item.")
