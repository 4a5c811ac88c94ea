"""Addresses of the open archive under each language, with path segments in that language.

Feeds end in ``.atom``, calendars in ``.ics``, downloads in ``.csv``/``.json``, citations in
``.bib``/``.json``: a dot never appears in a slug, so no item's page can shadow them.
"""

from django.urls import path, register_converter
from django.utils.translation import pgettext_lazy

from . import calendars, citations, exports, feeds, site

app_name = "open"


class ExportFormat:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CitationFormat(ExportFormat):
    regex = "bib|json"


register_converter(ExportFormat, "exportformat")
register_converter(CitationFormat, "citeformat")


def cite(kind):
    def view(request, slug, format):
        return citations.citation_download(request, kind, slug, format)

    return view


def export(kind):
    def view(request, format):
        return exports.export(request, kind, format)

    return view


urlpatterns = [
    path(pgettext_lazy("URL path segment", "open-data/"), site.OpenDataView.as_view(), name="open-data"),
    path("site.webmanifest", site.manifest, name="manifest"),
    path("id/<str:kind>/<slug:key>/", site.permalink, name="permalink"),
    # Feeds
    path(
        pgettext_lazy("URL path segment", "press-releases/feed.atom"),
        feeds.PressReleaseFeed.as_view(),
        name="press-release-feed",
    ),
    path(pgettext_lazy("URL path segment", "meetings/feed.atom"), feeds.MeetingFeed.as_view(), name="meeting-feed"),
    path(
        pgettext_lazy("URL path segment", "dialogues/<slug:slug>/feed.atom"),
        feeds.DialogueFeed.as_view(),
        name="dialogue-feed",
    ),
    path(
        pgettext_lazy("URL path segment", "topics/<slug:slug>/feed.atom"), feeds.TopicFeed.as_view(), name="topic-feed"
    ),
    # Calendars
    path(
        pgettext_lazy("URL path segment", "meetings/calendar.ics"), calendars.meeting_calendar, name="meeting-calendar"
    ),
    path(
        pgettext_lazy("URL path segment", "meetings/<slug:slug>/calendar.ics"),
        calendars.single_meeting_calendar,
        name="meeting-ics",
    ),
    # Downloads of the lists
    path(
        pgettext_lazy("URL path segment", "meetings/export.<exportformat:format>"),
        export("meetings"),
        name="meeting-export",
    ),
    path(
        pgettext_lazy("URL path segment", "instruments/export.<exportformat:format>"),
        export("instruments"),
        name="instrument-export",
    ),
    # Citations
    path(
        pgettext_lazy("URL path segment", "meetings/<slug:slug>/citation.<citeformat:format>"),
        cite("meeting"),
        name="meeting-citation",
    ),
    path(
        pgettext_lazy("URL path segment", "instruments/<slug:slug>/citation.<citeformat:format>"),
        cite("instrument"),
        name="instrument-citation",
    ),
    path(
        pgettext_lazy("URL path segment", "press-releases/<slug:slug>/citation.<citeformat:format>"),
        cite("press-release"),
        name="press-release-citation",
    ),
]
