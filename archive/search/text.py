"""Text as the index stores and matches it: folded for SQLite, plain for snippets, joined for fields."""

import functools
import re
import unicodedata

from django.utils.html import strip_tags

from editorial.i18n import language_codes


def fold(value: str) -> str:
    """Lower case without accents: “Tôkyô” → “tokyo”, “Réglementation” → “reglementation”."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    if not decomposed.isascii():
        for mark in {char for char in set(decomposed) if unicodedata.combining(char)}:
            decomposed = decomposed.replace(mark, "")
    return decomposed


@functools.lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    return fold(char)


def normalize(value: str) -> str:
    """Folded words separated by single spaces, with a leading and trailing space, for SQLite matching."""
    return " " + " ".join(re.findall(r"\w+", fold(value))) + " "


def plain(value: str) -> str:
    """Text of sanitized HTML, with whitespace collapsed."""
    return " ".join(strip_tags(value or "").split())


def join(*parts):
    """The non-empty parts, separated as the index and snippets show them."""
    return " · ".join(part for part in parts if part)


def acronyms(organization):
    """An organization's acronyms in every language: MOD and MINDEF both find the ministry."""
    return list(dict.fromkeys(a for code in language_codes() if (a := getattr(organization, f"acronym_{code}"))))
