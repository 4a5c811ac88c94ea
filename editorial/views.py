"""What every public page shares: its addresses in each language, lookups by translated slug, page numbers."""

import unicodedata

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .i18n import current_language
from .models import Publishable


def alternate_urls(request, obj=None):
    """[(language code, URL of this page in that language)], for hreflang links and the switcher."""
    alternates = []
    for code, _name in settings.LANGUAGES:
        if obj is not None:
            with translation.override(code):
                url = obj.get_absolute_url()
        else:
            url = translate_url(request.get_full_path(), code)
        alternates.append((code, url))
    return alternates


#: Far past the last page of any archive, and far below the 64-bit row offsets SQLite and
#: PostgreSQL accept: a page number is never larger, whatever the address says.
MAX_PAGE = 10**9


def requested_page(value: str | None) -> int:
    """The page a ``?page=`` value asks for, between 1 and ``MAX_PAGE``, for ``Paginator.get_page``.

    Whole numbers are read as they are, in any script's digits (“٣” is 3); “last” and numbers
    past ``MAX_PAGE`` give ``MAX_PAGE``, which the paginator turns into the last page; anything
    else (“-1”, “0”, “1e9”, “2.5”, words, nothing) is the first page. Never an error, never a
    number too large for the database's offset.
    """
    value = (value or "").strip()
    if value == "last":
        return MAX_PAGE
    if not value.isdecimal():
        return 1
    digits = "".join(str(unicodedata.decimal(char)) for char in value).lstrip("0")
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(digits or "0"), 1), MAX_PAGE)


class AlternatesMixin:
    """Puts the page's addresses in every language in the context, as ``alternates``, and the pages
    between the home page and this one, as ``breadcrumbs`` (the visible trail and its JSON-LD)."""

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        """[(label, path)] of the pages above this one, the home page excepted."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alternates"] = alternate_urls(self.request, getattr(self, "object", None))
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context


class TranslatedSlugDetailMixin(AlternatesMixin):
    """Finds the object by its slug in the page's language.

    A slug from the other language (a link followed across languages, an old address) redirects
    permanently to the object's address in this language. An item not yet public is found only
    for staff, who see it as a preview under a banner; ``get_queryset`` passes its main queryset
    through ``self.public()`` for that.
    """

    previewing = False

    def public(self, queryset):
        """The items this page shows: the public ones, or any when staff preview an unpublished one."""
        return queryset if self.previewing else queryset.published()

    def find(self, queryset):
        slug = self.kwargs["slug"]
        language = current_language()
        languages = [language] + [code for code, _name in settings.LANGUAGES if code != language]
        for code in languages:
            found = queryset.filter(**{f"slug_{code}": slug}).first()
            if found is not None:
                return found
        return None

    def get_object(self, queryset=None):
        found = self.find(self.get_queryset() if queryset is None else queryset)
        model = self.get_queryset().model
        user = self.request.user
        if (
            found is None
            and hasattr(model, "published_q")
            and user.is_staff
            and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        ):
            self.previewing = True
            found = self.find(self.get_queryset())
        if found is None:
            raise Http404("No such item.")
        return found

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.previewing:
            obj, meta = self.object, self.object._meta
            if isinstance(obj, Publishable):
                status, scheduled, publish_at = obj.get_publication_status_display(), obj.is_scheduled, obj.publish_at
            else:  # public only through the items naming it, and none of them is public yet
                status, scheduled, publish_at = _("named by no public item yet"), False, None
            context["preview"] = {
                "status": status,
                "scheduled": scheduled,
                "publish_at": publish_at,
                "admin_url": reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]),
            }
        return context

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{canonical}?{query}" if query else canonical)
        context = self.get_context_data(object=self.object)
        response = self.render_to_response(context)
        if self.previewing:
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def switch_language(request, code):
    """Go to ``next`` (the same page in language ``code``), remembering the choice for when the reader lands on /.

    A GET that answers with a redirect and the language cookie: the pages themselves stay free of
    cookies (and of CSRF tokens), so that shared caches may keep them.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = f"/{code}/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
