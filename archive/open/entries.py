"""One description per kind of item for the feeds and calendars: title, summary, date, link, id.

The texts come from ``editorial.i18n`` (the one fallback rule), in the active language; the id
comes from the record's stable ``key``, never from a title or a slug, so that correcting a title
does not make a feed reader show an entry twice.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from archive.models import PressRelease
from dialogue.models import Instrument, Meeting
from editorial.i18n import current_language, text_in, translated

#: The year in the ``tag:`` ids (RFC 4151): when the secretariat started publishing at this address.
TAG_YEAR = 2017


def authority(request) -> str:
    """The host name that mints ids (``tag:`` URIs, iCalendar UIDs): the site's, without a port."""
    return request.get_host().split(":")[0].lower()


def tag_uri(request, kind: str, key: str, language: str | None = None) -> str:
    """``tag:dialogues.example.org,2017:meeting/space-2017-03-24`` (with ``:fr`` for a feed entry in French)."""
    suffix = f":{language}" if language else ""
    return f"tag:{authority(request)},{TAG_YEAR}:{kind}/{key}{suffix}"


def meeting_title(meeting) -> str:
    """A meeting's title in the active language: its own, or the one built from its number and dialogue, capitalized."""
    return capfirst(text_in(meeting, "title") or meeting.display_title)


def day_start(day: datetime.date | None) -> datetime.datetime | None:
    """Midnight of ``day`` in the site's time zone: the time of an item known by its day only."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class Entry:
    """An item as a feed shows it, in the active language."""

    kind: str
    item: object
    title: str
    title_language: str
    summary: str  # HTML (sanitized on save, or escaped here)
    date: datetime.datetime
    updated: datetime.datetime
    categories: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    @property
    def link(self) -> str:
        return self.item.get_absolute_url()


def _updated(item, date):
    modified = getattr(item, "modified_at", None)
    return max(modified, date) if modified and date else (modified or date)


def _topics(item) -> list[str]:
    return [text_in(topic, "name") for topic in item.topics.all()]


def meeting_entry(meeting: Meeting) -> Entry:
    title, language = translated(meeting, "title")
    if not title:
        language = current_language()
    title = meeting_title(meeting)
    place = ", ".join(part for part in (text_in(meeting, "venue"), text_in(meeting, "city")) if part)
    summary = format_html("<p>{}{}</p>", meeting.dates_display, f" — {place}" if place else "")
    summary += mark_safe(text_in(meeting, "summary"))  # noqa: S308 - sanitized HTML (HTMLField)
    date = day_start(meeting.start_date)
    return Entry(
        "meeting",
        meeting,
        title,
        language,
        summary,
        date,
        _updated(meeting, date),
        [text_in(meeting.dialogue, "name"), *_topics(meeting)],
    )


def instrument_entry(instrument: Instrument) -> Entry:
    title, language = translated(instrument, "title")
    steps = " · ".join(f"{label} {date}" for label, date in instrument.life_cycle)
    summary = format_html("<p>{} — {}</p>", instrument.get_kind_display(), steps or instrument.get_status_display())
    summary += mark_safe(text_in(instrument, "summary"))  # noqa: S308 - sanitized HTML (HTMLField)
    known = [value for _name, _label, value, _precision in instrument.steps()]
    date = day_start(known[-1] if known else None) or instrument.publish_at
    categories = [text_in(instrument.dialogue, "name")] if instrument.dialogue else []
    return Entry(
        "instrument",
        instrument,
        title,
        language,
        summary,
        date,
        _updated(instrument, date),
        categories + _topics(instrument),
    )


def press_release_entry(release: PressRelease) -> Entry:
    title, language = translated(release, "title")
    dateline = ", ".join(part for part in (text_in(release, "place"), release.date_display) if part)
    kind = release.get_kind_display()
    heading = f"{kind} {release.reference}" if release.reference else kind
    summary = format_html("<p>{} — {}</p>", heading[:1].upper() + heading[1:], dateline)
    lead = text_in(release, "lead")
    if lead:
        summary += format_html("<p>{}</p>", lead)
    date = day_start(release.date)
    issuers = [text_in(issuer, "acronym") or text_in(issuer, "name") for issuer in release.issuers.all()]
    return Entry(
        "press-release", release, title, language, summary, date, _updated(release, date), _topics(release), issuers
    )


def entry_for(item) -> Entry:
    if isinstance(item, Meeting):
        return meeting_entry(item)
    if isinstance(item, Instrument):
        return instrument_entry(item)
    return press_release_entry(item)


def plain_text(html: str) -> str:
    """An HTML text as plain text, for calendars: tags removed, entities decoded, blank lines trimmed."""
    from html import unescape

    lines = [" ".join(line.split()) for line in unescape(strip_tags(html.replace("</p>", "</p>\n"))).splitlines()]
    return "\n".join(line for line in lines if line)
