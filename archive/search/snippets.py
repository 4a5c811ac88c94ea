"""Passages of a result with the words of the query marked, done in Python on both databases."""

import bisect
import functools
import html
import itertools

from django.utils.safestring import mark_safe

from .query import parse
from .text import fold_char, normalize


def snippet(entry, query: str) -> str:
    """Safe HTML: a passage of the entry with the matching words in <mark>.

    Done in Python on both databases: ts_headline over every result body cost more than the
    ranked query itself. Words are matched from their start, accent-insensitively, so the
    inflected forms stemming finds (“spatiales” for “spatiale”) are highlighted too.
    """
    terms = _terms(query)
    for source in (entry.body, entry.lead):
        normalized = normalize(source) if source else ""
        if any(term in normalized for term in terms):
            return highlight(source, terms)
    return highlight(entry.body or entry.lead, terms)


@functools.lru_cache(maxsize=256)
def _terms(query: str) -> tuple[str, ...]:
    return tuple(parse(query).terms)


def highlight(source: str, terms, width: int = 220) -> str:
    """Escape ``source`` around its first match and wrap every accent-insensitive match in <mark>."""
    if not source:
        return ""
    folded_text, positions = _fold_with_positions(source)
    terms = {term for term in terms if term}
    firsts = [index for term in terms for index in itertools.islice(_occurrences(folded_text, term), 1)]
    start = word_start(source, max(0, (positions[min(firsts)] if firsts else 0) - width // 3))
    end = word_end(source, min(len(source), start + width))
    # Only the matches inside the passage are marked: look for them in that part of the text.
    low, high = bisect.bisect_left(positions, start), bisect.bisect_left(positions, end)
    spans = sorted(
        (positions[index], positions[index + len(term) - 1] + 1)
        for term in terms
        for index in _occurrences(folded_text, term, low, high)
    )
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor:
            continue
        pieces += [
            html.escape(source[cursor:span_start]),
            "<mark>",
            html.escape(source[span_start:span_end]),
            "</mark>",
        ]
        cursor = span_end
    pieces.append(html.escape(source[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(source) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece of text is escaped


def word_start(text: str, index: int) -> int:
    """``index`` moved back to the start of the word it falls in: a passage never starts mid-word."""
    while index > 0 and (text[index - 1].isalnum() or text[index - 1] in "’'-"):
        index -= 1
    return index


def word_end(text: str, index: int) -> int:
    """``index`` moved on to the end of the word it falls in: a passage never ends mid-word."""
    while index < len(text) and index > 0 and text[index - 1].isalnum() and text[index].isalnum():
        index += 1
    return index


def _occurrences(text: str, term: str, low: int = 0, high: int | None = None):
    r"""Where ``term`` starts a word in ``text[low:high]``, as ``re.finditer(r"(?<!\w)" + term)``."""
    high = len(text) if high is None else high
    index = text.find(term, low, high)
    while index >= 0:
        if index and (text[index - 1].isalnum() or text[index - 1] == "_"):
            index = text.find(term, index + 1, high)
        else:
            yield index
            index = text.find(term, index + len(term), high)


def _fold_with_positions(source: str):
    """``source`` folded character by character, and the source position of each folded character."""
    if source.isascii():
        return source.lower(), range(len(source))
    table = {char: fold_char(char) for char in set(source)}
    if all(len(folded) == 1 for folded in table.values()):
        # Every character folds to exactly one (“é” → “e”), as in French and English, so
        # positions stay those of the source; one replace() per character that changes.
        changes = {char: folded for char, folded in table.items() if folded != char}
        if all(table.get(folded, folded) == folded for folded in changes.values()):
            for char, folded in changes.items():
                source = source.replace(char, folded)
            return source, range(len(source))
        return source.translate(str.maketrans(table)), range(len(source))
    folded, positions = [], []
    for index, char in enumerate(source):
        for folded_char in table[char]:
            folded.append(folded_char)
            positions.append(index)
    return "".join(folded), positions
