"""“Cite this page”: a formatted citation in the page's language, a BibTeX entry, a CSL-JSON record.

What is cited: who issued the item (a press release's issuers, an instrument's signatory
organizations, the secretariat for a meeting), its title, its kind and reference, its place and
date, its permanent address (``/fr/id/meeting/<key>/``, which outlives a corrected slug), and the
day it was consulted.

The day consulted is the day the page (or the download) is served. Pages are cached; so that a
cached page never shows yesterday's date, a page or a file carrying a citation is kept in the
page cache only until midnight (``editorial.pagecache.keep_until``), and a browser or CDN at most
their usual few minutes past it.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from archive.models import PressRelease
from dialogue.models import Instrument, Meeting
from editorial.formatting import long_date, partial_date
from editorial.i18n import current_language, text_in, translated
from editorial.pagecache import keep_until

from .entries import meeting_title
from .lookup import public_by_slug
from .site import permanent_path

#: BibTeX's language names (babel), for the ``language`` field.
BIBTEX_LANGUAGES = {"fr": "french", "en": "english"}


@dataclass
class Citation:
    """What a citation says of an item, in one language."""

    key: str
    csl_type: str
    title: str
    title_language: str
    authors: list[str]
    genre: str
    number: str
    place: str
    issued: datetime.date | None
    issued_precision: str
    issued_text: str
    url: str
    accessed: datetime.date
    language: str
    keywords: list[str] = field(default_factory=list)

    # The formatted citation, as each language writes it --------------------------------------

    def html(self):
        """“CNES, <cite>Titre</cite>, communiqué de presse PR051 – 2016, Paris, 11 mars 2016. En ligne : <…> (consulté le …).”"""
        authors = ", ".join(self.authors)
        description = " ".join(part for part in (self.genre, self.number) if part)
        where = ", ".join(part for part in (self.place, self.issued_text) if part)
        if self.language == "fr":
            return format_html(
                '{}<cite{}>{}</cite>{}{}. En ligne : &lt;<a href="{}">{}</a>&gt; (consulté le {}).',
                f"{authors}, " if authors else "",
                self._lang_attribute(),
                self.title,
                f", {description}" if description else "",
                f", {where}" if where else "",
                self.url,
                self.url,
                long_date(self.accessed),
            )
        return format_html(
            "{}<cite{}>{}</cite>.{}{} {} (accessed {}).",
            f"{authors}. " if authors else "",
            self._lang_attribute(),
            self.title,
            f" {description[:1].upper()}{description[1:]}." if description else "",
            f" {where}." if where else "",
            format_html('<a href="{}">{}</a>', self.url, self.url),
            long_date(self.accessed),
        )

    def _lang_attribute(self):
        return format_html(' lang="{}"', self.title_language) if self.title_language != self.language else ""

    def text(self) -> str:
        """The formatted citation as plain text (the title between asterisks, as in Markdown)."""
        from html import unescape

        from django.utils.html import strip_tags

        return unescape(strip_tags(str(self.html()).replace("<cite", "*<cite").replace("</cite>", "</cite>*")))

    # BibTeX ------------------------------------------------------------------------------------

    def bibtex(self) -> str:
        fields = [
            ("author", " and ".join("{" + bibtex_escape(author) + "}" for author in self.authors)),
            ("title", "{" + bibtex_escape(self.title) + "}"),
            ("howpublished", bibtex_escape(" ".join(part for part in (self.genre, self.number) if part))),
            ("address", bibtex_escape(self.place)),
            ("year", str(self.issued.year) if self.issued else ""),
            ("month", str(self.issued.month) if self.issued and self.issued_precision != "year" else ""),
            ("date", self._iso_issued()),
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
            ("note", bibtex_escape(_("Consulted on %(date)s") % {"date": long_date(self.accessed)})),
            ("language", BIBTEX_LANGUAGES.get(self.title_language, self.title_language)),
            ("keywords", bibtex_escape(", ".join(self.keywords))),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def _iso_issued(self) -> str:
        if not self.issued:
            return ""
        return self.issued.strftime({"year": "%Y", "month": "%Y-%m"}.get(self.issued_precision, "%Y-%m-%d"))

    # CSL-JSON ----------------------------------------------------------------------------------

    def csl(self) -> dict:
        """A CSL-JSON item (the format Zotero, Mendeley and citation processors read)."""
        data = {
            "id": self.key,
            "type": self.csl_type,
            "title": self.title,
            "author": [{"literal": author} for author in self.authors],
            "genre": self.genre,
            "number": self.number,
            "publisher-place": self.place,
            "event-place": self.place if self.csl_type == "event" else "",
            "container-title": _("France–Japan dialogues"),
            "URL": self.url,
            "accessed": {"date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]},
            "language": self.title_language,
            "keyword": ", ".join(self.keywords),
        }
        if self.issued:
            parts = [self.issued.year, self.issued.month, self.issued.day]
            data["issued"] = {"date-parts": [parts[: {"year": 1, "month": 2}.get(self.issued_precision, 3)]]}
        return {name: value for name, value in data.items() if value not in ("", [], None)}


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: its special characters escaped, braces balanced."""
    replacements = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
    return "".join(replacements.get(character, character) for character in str(text))


def _permanent_url(request, kind, key):
    return request.build_absolute_uri(permanent_path(kind, key))


def _organization_name(organization):
    return text_in(organization, "acronym") or text_in(organization, "name")


def _topics(item):
    return [text_in(topic, "name") for topic in item.topics.all()]


def for_press_release(request, release, today) -> Citation:
    title, title_language = translated(release, "title")
    return Citation(
        key=release.key,
        csl_type="article",
        title=title,
        title_language=title_language,
        authors=[_organization_name(issuer) for issuer in release.issuers.all()],
        genre=release.get_kind_display(),
        number=release.reference,
        place=text_in(release, "place"),
        issued=release.date,
        issued_precision=release.date_precision,
        issued_text=release.date_display,
        url=_permanent_url(request, "press-release", release.key),
        accessed=today,
        language=current_language(),
        keywords=_topics(release),
    )


def for_instrument(request, instrument, today) -> Citation:
    title, title_language = translated(instrument, "title")
    authors = []
    for signatory in instrument.signatories.all():
        name = _organization_name(signatory.organization) if signatory.organization else signatory.party.name
        if name not in authors:
            authors.append(name)
    steps = instrument.steps()
    signed = next((step for step in steps if step[0] == "signed_on"), steps[0] if steps else None)
    return Citation(
        key=instrument.key,
        csl_type="treaty",
        title=title,
        title_language=title_language,
        authors=authors,
        genre=instrument.get_kind_display(),
        number=text_in(instrument, "short_title"),
        place=text_in(instrument, "place_of_signature"),
        issued=signed[2] if signed else None,
        issued_precision=signed[3] if signed else "day",
        issued_text=partial_date(signed[2], signed[3]) if signed else "",
        url=_permanent_url(request, "instrument", instrument.key),
        accessed=today,
        language=current_language(),
        keywords=_topics(instrument),
    )


def for_meeting(request, meeting, today) -> Citation:
    title, title_language = translated(meeting, "title")
    if not title:
        title_language = current_language()
    title = meeting_title(meeting)
    return Citation(
        key=meeting.key,
        csl_type="event",
        title=title,
        title_language=title_language,
        authors=[_("France–Japan dialogues secretariat")],
        genre=meeting.get_kind_display(),
        number="",
        place=text_in(meeting, "city"),
        issued=meeting.start_date,
        issued_precision="day",
        issued_text=meeting.dates_display,
        url=_permanent_url(request, "meeting", meeting.key),
        accessed=today,
        language=current_language(),
        keywords=_topics(meeting),
    )


CITERS = {"meeting": for_meeting, "instrument": for_instrument, "press-release": for_press_release}
QUERYSETS = {
    "meeting": lambda: Meeting.objects.for_list().prefetch_related("topics"),
    "instrument": lambda: Instrument.objects.prefetch_related(
        "topics", "signatories__party", "signatories__organization"
    ),
    "press-release": lambda: PressRelease.objects.prefetch_related("issuers", "topics"),
}


def citation_of(request, kind, item) -> Citation:
    return CITERS[kind](request, item, timezone.localdate())


def until_midnight() -> float:
    """The next midnight in the site's time zone, as a timestamp: when “consulted on” changes."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min)).timestamp()


def citation_download(request, kind, slug, format):
    """``…/citation.bib`` (BibTeX) or ``…/citation.json`` (CSL-JSON) of a public item."""
    item, in_language = public_by_slug(QUERYSETS[kind](), slug)
    if not in_language:
        return HttpResponsePermanentRedirect(
            reverse(f"open:{kind}-citation", kwargs={"slug": item.slug, "format": format})
        )
    citation = citation_of(request, kind, item)
    if format == "bib":
        response = HttpResponse(citation.bibtex(), content_type="application/x-bibtex; charset=utf-8")
        filename = f"{item.key}.bib"
    else:
        body = json.dumps([citation.csl()], ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/vnd.citationstyles.csl+json; charset=utf-8")
        filename = f"{item.key}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    keep_until(response, until_midnight())
    return response
