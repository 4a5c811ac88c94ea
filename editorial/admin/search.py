"""Searching the admin's lists by date: “2017-03-24”, “24/03/2017”, “24 mars 2017”, “March 2017”, “2017”.

``date_span`` reads what an editor types into a list's search box as a day, a month or a year, in
the ways French and English write them, and gives the first and last day it covers; anything else
is None (and the search goes on as a text search).
"""

import calendar
import datetime
import re

from django.utils import translation
from django.utils.dates import MONTHS

from ..i18n import language_codes

_NUMERIC = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("year", "month", "day")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("day", "month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("year", "month")),
    (re.compile(r"^(\d{1,2})[/.](\d{4})$"), ("month", "year")),
    (re.compile(r"^(\d{4})$"), ("year",)),
]
_WORDS = re.compile(r"^(?:(\d{1,2})(?:er|st|nd|rd|th)?\s+)?([^\W\d_]+)\.?,?\s+(\d{4})$")
_ENGLISH_ORDER = re.compile(r"^([^\W\d_]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def month_number(word: str) -> int | None:
    """The month a word names in any site language, whole or abbreviated (“mars”, “févr”, “Sept”), else None."""
    word = word.lower()
    if len(word) < 3:
        return None
    found = set()
    for code in language_codes():
        with translation.override(code):
            found |= {number for number, name in MONTHS.items() if str(name).lower().startswith(word)}
    return found.pop() if len(found) == 1 else None  # “jui”: juin or juillet, so neither


def _span(year, month=None, day=None):
    try:
        if day is not None:
            found = datetime.date(year, month, day)
            return found, found
        if month is not None:
            return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:  # 31/02/2017, month 13, year 0
        return None


def date_span(term: str) -> tuple[datetime.date, datetime.date] | None:
    """(first day, last day) of the day, month or year ``term`` names, or None."""
    term = " ".join(term.split()).lower()
    for pattern, parts in _NUMERIC:
        if match := pattern.match(term):
            values = dict(zip(parts, (int(group) for group in match.groups()), strict=True))
            return _span(values["year"], values.get("month"), values.get("day"))
    day = month_name = year = None
    if match := _WORDS.match(term):
        day, month_name, year = match.groups()
    elif match := _ENGLISH_ORDER.match(term):
        month_name, day, year = match.groups()
    if month_name is None or (month := month_number(month_name)) is None:
        return None
    return _span(int(year), month, int(day) if day else None)
