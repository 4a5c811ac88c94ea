"""What every site answers at its root: robots.txt, the favicon, the web app manifest; and the
“Open data” page that lists every feed, calendar, download and the API."""

import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from archive.models import PressRelease
from dialogue.models import Dialogue, Instrument, Meeting, Organization, Person, Topic
from dialogue.views import ExtendedPageMixin
from editorial.i18n import language_codes
from editorial.views import AlternatesMixin

#: One week: the icons change with a release, not with the archive.
ICON_MAX_AGE = 7 * 24 * 3600


def robots_txt(request):
    """Crawlers welcome everywhere but the admin, the search results and the language switch; the sitemap named."""
    lines = ["User-agent: *"]
    for code in language_codes():
        with translation.override(code):
            lines += [f"Disallow: {reverse('admin:index')}", f"Disallow: {reverse('archive:search')}"]
    lines += ["Disallow: /i18n/", "Allow: /", "", f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}"]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@cache
def _static_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise Http404("No such file.")
    with open(found, "rb") as file:
        return file.read()


def favicon(request):
    """``/favicon.ico``, which browsers ask for whatever the page says: served here, never a 404."""
    response = HttpResponse(_static_bytes("icons/favicon.ico"), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response


def manifest(request):
    """The web app manifest, in the page's language (``/fr/site.webmanifest``, ``/en/site.webmanifest``)."""
    language = translation.get_language()
    data = {
        "name": _("France–Japan dialogues"),
        "short_name": _("FR–JP dialogues"),
        "description": _(
            "Archive of the France–Japan dialogues: meetings, delegations, instruments and press releases."
        ),
        "lang": language,
        "dir": "ltr",
        "start_url": reverse("archive:home"),
        "scope": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#123f7a",
        "icons": [
            {"src": static("icons/favicon.svg"), "type": "image/svg+xml", "sizes": "any"},
            {"src": static("icons/icon-192.png"), "type": "image/png", "sizes": "192x192"},
            {"src": static("icons/icon-512.png"), "type": "image/png", "sizes": "512x512"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "type": "image/png",
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


#: The kinds of record a permanent address may name, and their models.
PERMALINK_KINDS = {
    "meeting": Meeting,
    "instrument": Instrument,
    "press-release": PressRelease,
    "dialogue": Dialogue,
    "organization": Organization,
    "person": Person,
    "topic": Topic,
}


def permalink(request, kind, key):
    """``/<language>/id/<kind>/<key>/``: the permanent address citations give, whatever the item's slug becomes.

    It redirects (302, so that no browser keeps the slug of the day) to the item's page in the
    address's language, while the item is public; otherwise a 404.
    """
    model = PERMALINK_KINDS.get(kind)
    if model is None:
        raise Http404("No such kind of item.")
    queryset = model.objects.published() if hasattr(model.objects, "published") else model.objects.all()
    item = queryset.filter(key=key).first()
    if item is None:
        raise Http404("No such item.")
    return HttpResponseRedirect(item.get_absolute_url())


def permanent_path(kind: str, key: str) -> str:
    """The permanent address of an item in the active language (``/fr/id/meeting/space-2017-03-24/``)."""
    return reverse("open:permalink", kwargs={"kind": kind, "key": key})


class OpenDataView(ExtendedPageMixin, AlternatesMixin, TemplateView):
    """Every output of the open archive, with its address in the page's language."""

    template_name = "archive/open/open_data.html"
    page = "open-data"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        space = Dialogue.objects.published().order_by("order", "pk").first()
        topic = Topic.objects.order_by("name").first()
        context.update(
            example_dialogue=space,
            example_topic=topic,
            api_docs=reverse("api-v1:openapi-view"),
            api_schema=reverse("api-v1:openapi-json"),
            api_root=reverse("api-v1:api-root"),
            languages=settings.LANGUAGES,
        )
        return context
