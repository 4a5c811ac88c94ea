"""Sitemaps (``django.contrib.sitemaps``): every public page, in both languages, with its alternates.

``/sitemap.xml`` is an index of the sections (``/sitemap-meetings.xml``…), each split in pages of
at most ``SITEMAP_LIMIT`` addresses (``?p=2``). Each address carries its ``xhtml:link``
alternates (``hreflang="fr"``, ``"en"`` and ``"x-default"``, the French page: French is the
secretariat's reference language) and, where the item records its last change (``modified_at``),
a ``lastmod``. A page of a section reads only its own items (a count, then one slice), and the
whole answer is kept until the archive changes (``editorial.pagecache.cached``).
"""

import math
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation

from archive.models import PressRelease
from dialogue.models import Dialogue, Instrument, Meeting, Organization, Person, Topic
from editorial.i18n import language_codes
from editorial.pagecache import cached

#: At most this many addresses in one sitemap page (the protocol allows 50,000; smaller pages are
#: quicker to build and to read, with three alternates each).
SITEMAP_LIMIT = getattr(settings, "SITEMAP_LIMIT", 10_000)


class LanguagePairs:
    """(item, language) pairs of a QuerySet, for Django's paginator, read a slice at a time.

    Django's i18n sitemaps list every pair in memory; this counts in the database and reads only
    the items of the page asked for.
    """

    def __init__(self, queryset, languages):
        self.queryset, self.languages = queryset, list(languages)

    def count(self):
        return self.queryset.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        per_item = len(self.languages)
        start, stop = window.start or 0, window.stop
        items = list(self.queryset[start // per_item : math.ceil(stop / per_item)])
        pairs = [(item, code) for item in items for code in self.languages]
        offset = start - (start // per_item) * per_item
        return pairs[offset : offset + (stop - start)]


class ArchiveSitemap(Sitemap):
    """Both languages, with alternates; the x-default alternate is the French page."""

    i18n = True
    alternates = True
    x_default = False  # Django's would drop the /fr/ prefix, which our translated paths do not have
    reference_language = "fr"

    @property
    def limit(self):
        return getattr(settings, "SITEMAP_LIMIT", SITEMAP_LIMIT)

    @property
    def paginator(self):
        return Paginator(LanguagePairs(self.items(), self._languages()), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            reference = next((alt for alt in url["alternates"] if alt["lang_code"] == self.reference_language), None)
            if reference:
                url["alternates"].append({"location": reference["location"], "lang_code": "x-default"})
        return urls


class PublishableSitemap(ArchiveSitemap):
    """The public items of a model, newest changes last known by ``modified_at``."""

    model = None
    order = ("pk",)

    def items(self):
        slugs = [f"slug_{code}" for code in language_codes()]
        return self.model.objects.published().only("pk", "key", "modified_at", *slugs).order_by(*self.order)

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        return self.model.objects.published().aggregate(latest=Max("modified_at"))["latest"]


class MeetingSitemap(PublishableSitemap):
    model = Meeting


class InstrumentSitemap(PublishableSitemap):
    model = Instrument


class PressReleaseSitemap(PublishableSitemap):
    model = PressRelease


class DialogueSitemap(PublishableSitemap):
    model = Dialogue


class RecordSitemap(ArchiveSitemap):
    """People, organizations, topics: public by the rule of each, with no time of their own to give."""

    model = None

    def items(self):
        slugs = [f"slug_{code}" for code in language_codes()]
        manager = self.model.objects
        queryset = manager.published() if hasattr(manager, "published") else manager.all()
        return queryset.only("pk", "key", *slugs).order_by("pk")


class PersonSitemap(RecordSitemap):
    model = Person


class OrganizationSitemap(RecordSitemap):
    model = Organization


class TopicSitemap(RecordSitemap):
    model = Topic


def latest_change():
    """The last change of any public item: when a list or the home page last changed."""

    def compute():
        times = [
            model.objects.published().aggregate(latest=Max("modified_at"))["latest"]
            for model in (Meeting, Instrument, PressRelease, Dialogue)
        ]
        return max((time for time in times if time), default=None)

    return cached("open:latest-change", compute)


class PageSitemap(ArchiveSitemap):
    """The home page, the lists and the year pages."""

    LISTS = (
        "archive:home",
        "dialogue:dialogue-list",
        "dialogue:meeting-list",
        "dialogue:instrument-list",
        "archive:press-release-list",
        "archive:year-index",
        "dialogue:organization-list",
        "dialogue:person-list",
        "dialogue:topic-list",
        "open:open-data",
    )

    def items(self):
        from archive.views import counts_by_year

        return [(name, {}) for name in self.LISTS] + [
            ("archive:year-detail", {"year": year}) for year in sorted(counts_by_year(), reverse=True)
        ]

    @property
    def paginator(self):
        return Paginator(self._items(), self.limit)

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)

    @cached_property
    def latest(self):
        return latest_change()

    def lastmod(self, item):
        return self.latest

    def get_latest_lastmod(self):
        return self.latest


SITEMAPS = {
    "pages": PageSitemap,
    "dialogues": DialogueSitemap,
    "meetings": MeetingSitemap,
    "instruments": InstrumentSitemap,
    "press-releases": PressReleaseSitemap,
    "organizations": OrganizationSitemap,
    "people": PersonSitemap,
    "topics": TopicSitemap,
}


def _cached_xml(request, name, build, *, paged):
    """The sitemap's XML, kept until the archive changes (the rendered bytes, per host and page).

    A section's page is kept under its number as the sitemap view reads it (``int()``): ``?p=01``,
    ``?p=+1`` or ``?p=١`` each kept a copy of page 1 before, a whole page of addresses per spelling
    anyone sent. A number the view refuses is a 404, which is not kept. The index has no pages.
    """
    page = ""
    if paged:
        try:
            page = int(request.GET.get("p", 1))
        except ValueError:
            page = request.GET["p"]
    key = f"open:sitemap:{request.scheme}://{request.get_host()}:{name}:{page}"

    def compute():
        response = build()
        response.render()
        return {"status": response.status_code, "content": response.content, "headers": dict(response.items())}

    stored = cached(key, compute)
    response = HttpResponse(stored["content"], status=stored["status"])
    for header, value in stored["headers"].items():
        response[header] = value
    return response


def index(request):
    with translation.override(None):
        return _cached_xml(
            request,
            "index",
            lambda: sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section"),
            paged=False,
        )


def section(request, section):
    with translation.override(None):
        return _cached_xml(
            request, section, lambda: sitemap_views.sitemap(request, SITEMAPS, section=section), paged=True
        )
