"""iCalendar (RFC 5545) files of the meetings, built with the ``icalendar`` package.

- every public meeting, filtered as the meetings list is (``?dialogue=space``, ``?year=2017``…):
  ``/fr/reunions/calendrier.ics``, ``/en/meetings/calendar.ics``;
- one meeting: ``/en/meetings/<slug>/calendar.ics``.

Each event is an all-day event (the archive records days, not hours: ``DTEND`` is the day after
the last), with its place, its dialogue (``CATEGORIES`` and the description), its page (``URL``)
and a ``UID`` made from the meeting's key, so that an edit updates the event in a subscribed
calendar instead of adding another. Texts are in the address's language (``LANGUAGE=``).
"""

import datetime

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from dialogue.filters import MeetingFilter
from dialogue.models import Meeting
from editorial.i18n import text_in

from .entries import authority, meeting_title, plain_text
from .lookup import public_by_slug

#: The most meetings one calendar holds (the latest); filters narrow it (per dialogue, per year).
CALENDAR_LIMIT = 500


def meeting_uid(request, meeting) -> str:
    return f"meeting-{meeting.key}@{authority(request)}"


def meeting_event(request, meeting) -> Event:
    """The meeting as a VEVENT, in the active language."""
    language = translation.get_language()
    event = Event()
    event.add("uid", meeting_uid(request, meeting))
    # DTSTAMP: when this description last changed, so that the same archive gives the same file.
    event.add("dtstamp", meeting.modified_at)
    event.add("last-modified", meeting.modified_at)
    event.add("dtstart", meeting.start_date)
    event.add("dtend", (meeting.end_date or meeting.start_date) + datetime.timedelta(days=1))
    event.add("summary", meeting_title(meeting), parameters={"LANGUAGE": language})
    place = ", ".join(part for part in (text_in(meeting, "venue"), text_in(meeting, "city")) if part)
    if place:
        event.add("location", place, parameters={"LANGUAGE": language})
    dialogue = text_in(meeting.dialogue, "name")
    url = request.build_absolute_uri(meeting.get_absolute_url())
    lines = [
        _("%(kind)s of the %(dialogue)s.") % {"kind": meeting.get_kind_display().capitalize(), "dialogue": dialogue}
    ]
    if meeting.host:
        lines.append(_("Hosted by %(host)s.") % {"host": meeting.host.name})
    summary = plain_text(text_in(meeting, "summary"))
    if summary:
        lines.append(summary)
    lines.append(url)
    event.add("description", "\n\n".join(lines), parameters={"LANGUAGE": language})
    event.add("categories", [dialogue], parameters={"LANGUAGE": language})
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def calendar_of(request, meetings, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add(
        "prodid", "-//France-Japan dialogues secretariat//Open archive//" + translation.get_language().upper()
    )
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for meeting in meetings:
        calendar.add_component(meeting_event(request, meeting))
    return calendar


def ics_response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def meeting_calendar(request):
    """Every public meeting (the latest ``CALENDAR_LIMIT``), filtered as the meetings list; a bad filter is a 400."""
    queryset = Meeting.objects.published().for_list().order_by("-start_date", "pk")
    filterset = MeetingFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(filter_errors(filterset), content_type="text/plain; charset=utf-8")
    meetings = list(filterset.qs[:CALENDAR_LIMIT])
    name = _("Meetings — France–Japan dialogues")
    dialogue = filterset.form.cleaned_data.get("dialogue")
    if dialogue is not None:
        name = _("%(name)s — France–Japan dialogues") % {"name": text_in(dialogue, "name")}
    return ics_response(calendar_of(request, meetings, name), f"meetings-{translation.get_language()}.ics")


def single_meeting_calendar(request, slug):
    meeting, in_language = public_by_slug(Meeting.objects.for_list(), slug)
    if not in_language:
        return HttpResponsePermanentRedirect(reverse("open:meeting-ics", kwargs={"slug": meeting.slug}))
    name = meeting_title(meeting)
    return ics_response(calendar_of(request, [meeting], name), f"{meeting.key}.ics")


def filter_errors(filterset) -> str:
    """The messages of a filter form with errors, one a line: what to correct, for a 400."""
    lines = [_("Some filter values are not valid:")]
    for name, errors in filterset.form.errors.items():
        for error in errors:
            lines.append(f"{name}: {error}" if name != "__all__" else str(error))
    return "\n".join(lines) + "\n"
