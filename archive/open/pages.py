"""What the open archive adds to the pages (``dialogue.extensions.add_block``).

- in ``<head>``: the feeds, calendars and downloads of the page (``<link rel="alternate"
  type="application/atom+xml" hreflang=… title=…>``, ``text/calendar``, ``text/csv``), the API's
  description on the home page (``rel="service-desc"``, RFC 8631), and the page's JSON-LD;
- under a list's heading, the same feeds, calendars and downloads as visible links (“Follow”,
  “Download”);
- at the end of a meeting's, an instrument's and a press release's page: “Cite this page”.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from dialogue.extensions import Block, add_block
from editorial.i18n import current_language, text_in

from . import citations, structured

ATOM, CALENDAR, CSV, JSON = "application/atom+xml", "text/calendar", "text/csv", "application/json"


@dataclass(frozen=True)
class Link:
    href: str
    type: str
    title: str  # the <link title>: says what it is, for a feed reader's list
    label: str  # the visible link's text
    rel: str = "alternate"

    @property
    def hreflang(self):
        return current_language()


def list_query(request) -> str:
    """The list's filters, without its page: what a download or a calendar of “this list” takes."""
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


def press_release_feed():
    return Link(
        reverse("open:press-release-feed"),
        ATOM,
        _("Press releases — France–Japan dialogues (Atom feed)"),
        _("Press releases (Atom feed)"),
    )


def meeting_feed():
    return Link(
        reverse("open:meeting-feed"),
        ATOM,
        _("Meetings — France–Japan dialogues (Atom feed)"),
        _("Meetings (Atom feed)"),
    )


def meeting_calendar(query=""):
    return Link(
        reverse("open:meeting-calendar") + query,
        CALENDAR,
        _("Meetings — France–Japan dialogues (iCalendar)"),
        _("Calendar of the meetings (iCalendar)"),
    )


def downloads(kind, query):
    return [
        Link(reverse(f"open:{kind}-export", kwargs={"format": "csv"}) + query, CSV, _("This list as CSV"), _("CSV")),
        Link(
            reverse(f"open:{kind}-export", kwargs={"format": "json"}) + query, JSON, _("This list as JSON"), _("JSON")
        ),
    ]


def links_context(follow=(), download=(), service=False):
    return {
        "follow": list(follow),
        "download": list(download),
        "service_desc": reverse("api-v1:openapi-json") if service else "",
    }


def home(request, obj):
    return links_context([press_release_feed(), meeting_feed(), meeting_calendar()], service=True)


def press_release_list(request, obj):
    return links_context([press_release_feed()])


def meeting_list(request, obj):
    query = list_query(request)
    return links_context([meeting_feed(), meeting_calendar(query)], downloads("meeting", query))


def instrument_list(request, obj):
    return links_context(download=downloads("instrument", list_query(request)))


def dialogue(request, obj):
    name = text_in(obj, "name")
    feed = Link(
        reverse("open:dialogue-feed", kwargs={"slug": obj.slug}),
        ATOM,
        _("%(name)s (Atom feed)") % {"name": name},
        _("This dialogue (Atom feed)"),
    )
    calendar = Link(
        reverse("open:meeting-calendar") + f"?dialogue={obj.key}",
        CALENDAR,
        _("%(name)s: meetings (iCalendar)") % {"name": name},
        _("Calendar of its meetings (iCalendar)"),
    )
    return links_context([feed, calendar])


def topic(request, obj):
    feed = Link(
        reverse("open:topic-feed", kwargs={"slug": obj.slug}),
        ATOM,
        _("%(name)s (Atom feed)") % {"name": text_in(obj, "name")},
        _("This topic (Atom feed)"),
    )
    return links_context([feed])


def meeting(request, obj):
    event = Link(
        reverse("open:meeting-ics", kwargs={"slug": obj.slug}),
        CALENDAR,
        _("This meeting (iCalendar)"),
        _("Add to a calendar (iCalendar)"),
    )
    return links_context([event])


LINKS = {
    "home": home,
    "press-release-list": press_release_list,
    "meeting-list": meeting_list,
    "instrument-list": instrument_list,
    "dialogue": dialogue,
    "topic": topic,
    "meeting": meeting,
}


def json_ld(build):
    def context(request, obj):
        return {"data": build(request, obj)}

    return context


def instrument_json_ld(request, obj):
    signed_at = obj.signed_at if obj.signed_at_id and obj.signed_at.is_public() else None
    return structured.instrument(request, obj, signed_at)


def organization_json_ld(request, obj):
    return structured.organization(request, obj, parent_is_public=bool(obj.parent and obj.parent.is_public()))


JSON_LD = {
    "home": lambda request, obj: structured.website(request),
    "meeting": structured.meeting,
    "instrument": instrument_json_ld,
    "press-release": structured.press_release,
    "person": structured.person,
    "organization": organization_json_ld,
    "dialogue": structured.dialogue,
}


def cite(kind):
    def context(request, obj):
        citation = citations.citation_of(request, kind, obj)
        request.cache_until = citations.until_midnight()  # “consulted on” today: not served tomorrow
        name = f"open:{kind}-citation"
        return {
            "citation": citation,
            "bibtex_url": reverse(name, kwargs={"slug": obj.slug, "format": "bib"}),
            "csl_url": reverse(name, kwargs={"slug": obj.slug, "format": "json"}),
        }

    return context


def register():
    for page, build in LINKS.items():
        add_block(page, Block("head", "archive/open/_head_links.html", build))
        add_block(page, Block("follow", "archive/open/_follow.html", build))
    for page, build in JSON_LD.items():
        add_block(page, Block("head", "archive/open/_json_ld.html", json_ld(build)))
    for kind in ("meeting", "instrument", "press-release"):
        add_block(kind, Block("cite", "archive/open/_cite.html", cite(kind)))
