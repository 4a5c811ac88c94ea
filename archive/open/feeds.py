"""Atom feeds, per language, built with ``django.contrib.syndication``.

- press releases: ``/fr/communiques/flux.atom``, ``/en/press-releases/feed.atom``;
- meetings: ``/fr/reunions/flux.atom``, ``/en/meetings/feed.atom``;
- each dialogue (its meetings, instruments and press releases): ``/en/dialogues/<slug>/feed.atom``;
- each topic (what is filed under it): ``/en/topics/<slug>/feed.atom``.

Each feed says its language (``xml:lang``); an entry whose text falls back to the other language
says so too. Entries carry the item's title, a summary, the item's own date (``published``), the
last change (``updated``), its page, and an id made from its key. The 50 most recent public items,
read in a fixed number of queries; a scheduled item enters the feed at its time.
"""

import heapq

from django.contrib.syndication.views import Feed
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.translation import gettext as _

from archive.models import PressRelease
from dialogue.models import Dialogue, Instrument, Meeting, Topic
from editorial.i18n import language_codes, text_in

from .entries import entry_for, tag_uri
from .lookup import public_by_slug

#: How many entries a feed holds: the most recent.
FEED_LIMIT = 50


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with the language of each entry whose text is in another language than the feed's,
    and links to the same feed in the other languages."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language") and item["language"] != self.feed["language"]:
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for code, url in self.feed.get("translations", ()):
            handler.addQuickElement(
                "link",
                "",
                {"rel": "alternate", "type": self.content_type.split(";")[0], "hreflang": code, "href": url},
            )


class ArchiveFeed(Feed):
    """What every feed of the archive shares: Atom, the entries of ``entries.py``, stable ids."""

    feed_type = AtomFeed
    url_name = ""

    @classmethod
    def as_view(cls):
        """A view building a new feed per request: the feed keeps the request it answers."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        view.__name__ = cls.__name__
        return view

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def feed_url_kwargs(self, obj) -> dict:
        return {}

    def feed_url(self, obj):
        return reverse(f"open:{self.url_name}", kwargs=self.feed_url_kwargs(obj))

    def feed_guid(self, obj):
        return tag_uri(
            self.request, "feed", f"{self.url_name}/{obj.key if obj else 'all'}", translation.get_language()
        )

    def feed_extra_kwargs(self, obj):
        translations = []
        for code in language_codes():
            if code != translation.get_language():
                with translation.override(code):
                    translations.append((code, self.request.build_absolute_uri(self.feed_url(obj))))
        return {"translations": translations}

    def author_name(self):
        return _("France–Japan dialogues secretariat")

    def items(self, obj):
        return [entry_for(item) for item in self.public_items(obj)]

    def item_title(self, entry):
        return entry.title  # Atom titles are text: no double escaping, unlike RSS

    def item_description(self, entry):
        return entry.summary

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return tag_uri(self.request, entry.kind, entry.item.key, translation.get_language())

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.date

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories

    def item_author_name(self, entry):
        return ", ".join(entry.authors) or None

    def item_extra_kwargs(self, entry):
        return {"language": entry.title_language}


class PressReleaseFeed(ArchiveFeed):
    url_name = "press-release-feed"

    def title(self):
        return _("Press releases — France–Japan dialogues")

    def subtitle(self):
        return _("The press releases of the France–Japan dialogues archive, newest first.")

    def link(self):
        return reverse("archive:press-release-list")

    def public_items(self, obj):
        return (
            PressRelease.objects.published()
            .prefetch_related("issuers", "topics")
            .order_by("-date", "-pk")[:FEED_LIMIT]
        )


class MeetingFeed(ArchiveFeed):
    url_name = "meeting-feed"

    def title(self):
        return _("Meetings — France–Japan dialogues")

    def subtitle(self):
        return _("The meetings of the France–Japan dialogues, the latest first.")

    def link(self):
        return reverse("dialogue:meeting-list")

    def public_items(self, obj):
        return (
            Meeting.objects.published()
            .for_list()
            .prefetch_related("topics")
            .order_by("-start_date", "pk")[:FEED_LIMIT]
        )


def latest_of(*lists, key, limit=FEED_LIMIT):
    """The ``limit`` latest items of several lists each already in that order (newest first)."""
    return list(heapq.merge(*lists, key=key, reverse=True))[:limit]


class MixedFeed(ArchiveFeed):
    """Meetings, instruments and press releases together, the most recent first: a dialogue's, a topic's."""

    model = None
    slug_kwarg = "slug"

    def get_object(self, request, slug):
        # Dialogues by their publication; topics have none, every topic is public (as their pages).
        obj, in_language = public_by_slug(self.model.objects.all(), slug)
        self.redirect = None if in_language else self.feed_url(obj)
        return obj

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if self.redirect:
            return HttpResponsePermanentRedirect(self.redirect)
        return response

    def feed_url_kwargs(self, obj):
        return {"slug": obj.slug}

    def link(self, obj):
        return obj.get_absolute_url()

    def title(self, obj):
        return _("%(name)s — France–Japan dialogues") % {"name": text_in(obj, "name")}

    def related(self, obj) -> dict:
        """The lookups from meetings, instruments and press releases to ``obj``."""
        raise NotImplementedError

    def items(self, obj):
        lookups = self.related(obj)
        meetings = (
            Meeting.objects.published()
            .for_list()
            .filter(**{lookups["meeting"]: obj})
            .prefetch_related("topics")
            .order_by("-start_date", "pk")[:FEED_LIMIT]
        )
        instruments = (
            Instrument.objects.published()
            .register()
            .filter(**{lookups["instrument"]: obj})
            .prefetch_related("topics")
            .order_by("-reference_date", "pk")[:FEED_LIMIT]
        )
        releases = (
            PressRelease.objects.published()
            .filter(**{lookups["press_release"]: obj})
            .prefetch_related("issuers", "topics")
            .order_by("-date", "-pk")[:FEED_LIMIT]
        )
        entries = [[entry_for(item) for item in items] for items in (meetings, instruments, releases)]
        return latest_of(
            *(sorted(group, key=lambda e: e.date, reverse=True) for group in entries), key=lambda e: e.date
        )


class DialogueFeed(MixedFeed):
    model = Dialogue
    url_name = "dialogue-feed"

    def subtitle(self, obj):
        return _("The meetings, instruments and press releases of this dialogue, the latest first.")

    def related(self, obj):
        return {"meeting": "dialogue", "instrument": "dialogue", "press_release": "dialogues"}


class TopicFeed(MixedFeed):
    model = Topic
    url_name = "topic-feed"

    def subtitle(self, obj):
        return _("The meetings, instruments and press releases filed under this topic, the latest first.")

    def related(self, obj):
        return {"meeting": "topics", "instrument": "topics", "press_release": "topics"}
