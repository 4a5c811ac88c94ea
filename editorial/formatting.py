"""Dates, ordinals and ranges written as each language writes them: “1er mars 2017”, “2nd session”."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from .i18n import current_language


def ordinal(number: int, language: str | None = None) -> str:
    """“2e” in French (feminine “1re”, as in “1re session”), “2nd” in English."""
    language = language or current_language()
    if language == "fr":
        return "1re" if number == 1 else f"{number}e"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def long_date(value: datetime.date | None) -> str:
    """“24 mars 2017” / “24 March 2017”; French writes the first of the month “1er”."""
    if value is None:
        return ""
    text = formats.date_format(value, "DATE_FORMAT")
    if value.day == 1 and current_language() == "fr":
        text = "1er" + text[1:]
    return text


def partial_date(value: datetime.date | None, precision: str) -> str:
    """A date showing only the part that is known: “2019”, “octobre 2015”, “2 mai 2024”."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return long_date(value)


def date_range(start: datetime.date, end: datetime.date | None) -> str:
    """“24 March 2017”, or “19 to 20 January 2023” / “du 19 au 20 janvier 2023”."""
    if not end or end == start:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        first = str(start.day) if not (start.day == 1 and current_language() == "fr") else "1er"
    elif start.year == end.year:
        first = formats.date_format(start, "MONTH_DAY_FORMAT")
        if start.day == 1 and current_language() == "fr":
            first = "1er" + first[1:]
    else:
        first = long_date(start)
    return _("%(start)s to %(end)s") % {"start": first, "end": long_date(end)}
