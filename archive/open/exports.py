"""Downloads of the instrument register and the meetings list, with the list's filters: CSV and JSON.

``/en/instruments/export.csv``, ``/fr/instruments/export.json``, ``/en/meetings/export.csv``,
``/fr/reunions/export.json``; the query string of the list (``?dialogue=space&year=2017``) narrows
them as it narrows the list, and an invalid value is a 400 saying why.

- CSV: UTF-8 with a byte-order mark (so that Excel reads accents right), one row per item,
  column names in English (stable for scripts), values in the address's language; a text that a
  spreadsheet would run as a formula (``=…``, ``+…``, ``@…``) starts with an apostrophe.
- JSON: an array of the items as the API gives them (``archive.open.api.shapes``), both languages.

Both are streamed, read by chunks of ``CHUNK`` items (each chunk: one query and its prefetches),
so that a download of the whole archive never holds it in memory. A download reads a whole list (at a
hundred times the archive, seconds of a worker's time) and no cache keeps it: an address may make
``DOWNLOAD_ANON_RATE`` of them (signed-in staff, any number), and is then answered 429.
"""

import csv
import json

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogue.filters import InstrumentFilter, MeetingFilter
from editorial.i18n import current_language, text_in
from editorial.structured import without_markup

from .api import AnonymousThrottle
from .api import views as api
from .api.shapes import instrument as instrument_shape
from .api.shapes import meeting as meeting_shape
from .calendars import filter_errors
from .entries import meeting_title

CHUNK = 500
BOM = "\ufeff"


class Echo:
    """A file whose ``write`` gives back what it is given: csv.writer then yields rows to stream."""

    def write(self, value):
        return value


def meeting_row(request, meeting) -> dict:
    return {
        "key": meeting.key,
        "title": meeting_title(meeting),
        "dialogue": meeting.dialogue.key,
        "dialogue_name": text_in(meeting.dialogue, "name"),
        "number": meeting.number or "",
        "kind": meeting.get_kind_display(),
        "start_date": meeting.start_date.isoformat(),
        "end_date": (meeting.end_date or meeting.start_date).isoformat(),
        "city": text_in(meeting, "city"),
        "venue": text_in(meeting, "venue"),
        "host": meeting.host.code if meeting.host else "",
        "co_chairs": "; ".join(
            member.person.full_name
            for delegation in meeting.delegations.all()
            for member in delegation.members.all()
            if member.role == "co_chair"
        ),
        "topics": "; ".join(text_in(topic, "name") for topic in meeting.topics.all()),
        "url": request.build_absolute_uri(meeting.get_absolute_url()),
    }


def instrument_row(request, instrument) -> dict:
    dates = {name: (value.isoformat(), precision) for name, _label, value, precision in instrument.steps()}
    row = {
        "key": instrument.key,
        "title": text_in(instrument, "title"),
        "short_title": text_in(instrument, "short_title"),
        "kind": instrument.get_kind_display(),
        "status": instrument.get_status_display(),
    }
    for name in ("negotiations_opened_on", "signed_on", "in_force_on", "ended_on"):
        value, precision = dates.get(name, ("", ""))
        row[name] = value[: {"year": 4, "month": 7}.get(precision, 10)]
    row.update(
        {
            "place_of_signature": text_in(instrument, "place_of_signature"),
            "dialogue": instrument.dialogue.key if instrument.dialogue else "",
            "signatories": "; ".join(
                " — ".join(
                    part
                    for part in (
                        signatory.person.full_name if signatory.person else "",
                        text_in(signatory.organization, "name") if signatory.organization else "",
                        signatory.party.code,
                    )
                    if part
                )
                for signatory in instrument.signatories.all()
            ),
            "topics": "; ".join(text_in(topic, "name") for topic in instrument.topics.all()),
            "url": request.build_absolute_uri(instrument.get_absolute_url()),
        }
    )
    return row


#: A cell starting with one of these is read as a formula by spreadsheets: such text is written
#: after an apostrophe, which they show as text (OWASP's advice against CSV injection).
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def cell(value):
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def chunks(queryset):
    """The items of ``queryset`` in its order, read ``CHUNK`` at a time with its prefetches."""
    return queryset.iterator(chunk_size=CHUNK)


def csv_stream(request, queryset, row):
    writer = None
    pseudo = Echo()
    yield BOM
    for item in chunks(queryset):
        values = row(request, item)
        if writer is None:
            writer = csv.DictWriter(pseudo, fieldnames=list(values))
            yield writer.writeheader()
        yield writer.writerow({name: cell(value) for name, value in values.items()})


def json_stream(request, queryset, shape):
    yield "["
    for index, item in enumerate(chunks(queryset)):
        yield ("," if index else "") + "\n" + without_markup(json.dumps(shape(request, item), ensure_ascii=False))
    yield "\n]\n"


#: {list: (queryset, order, FilterSet, CSV row, JSON shape, file name)}
EXPORTS = {
    "meetings": (api.meetings, api.KINDS["meetings"][1], MeetingFilter, meeting_row, meeting_shape),
    "instruments": (api.instruments, api.KINDS["instruments"][1], InstrumentFilter, instrument_row, instrument_shape),
}


def too_many(format, seconds):
    message = ngettext(
        "Too many downloads from your address: try again in %(seconds)s second.",
        "Too many downloads from your address: try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}
    if format == "json":
        response = HttpResponse(json.dumps({"detail": message}, ensure_ascii=False), content_type="application/json")
    else:
        response = HttpResponse(message, content_type="text/plain; charset=utf-8")
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def export(request, kind, format):
    throttle = AnonymousThrottle(rate_setting="DOWNLOAD_ANON_RATE", scope="downloads")
    if not request.user.is_authenticated and not throttle.allow_request(request):
        return too_many(format, max(1, round(throttle.wait() or 1)))
    build, order, filterset_class, row, shape = EXPORTS[kind]
    queryset = build().order_by(*order)  # in the list's order; the register's ``sort`` may reorder it
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        if format == "json":
            errors = {name: [str(m) for m in messages] for name, messages in filterset.form.errors.items()}
            body = json.dumps({"detail": _("Some filter values are not valid:"), "errors": errors}, ensure_ascii=False)
            return HttpResponseBadRequest(without_markup(body), content_type="application/json")
        return HttpResponseBadRequest(filter_errors(filterset), content_type="text/plain; charset=utf-8")
    queryset = filterset.qs
    filename = f"{kind}-{current_language()}.{format}"
    if format == "csv":
        response = StreamingHttpResponse(csv_stream(request, queryset, row), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_stream(request, queryset, shape), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
