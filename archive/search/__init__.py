"""Search across the archive, in the language of the page.

Each item is indexed once per language as a ``SearchEntry``: its title (weight A), lead (B) and
body (C), taken from the page's language or, where a text is missing, from the language it falls
back to (``editorial.i18n.translated``).

- ``documents``: what each kind of item puts in the index and every record it reads, declared once;
- ``dependencies``: which saves reindex which items, derived from those declarations (``editorial.derived``);
- ``indexing``: building, writing and rebuilding entries, and keeping them current;
- ``query``: parsing web-search syntax, matching and ranking on PostgreSQL and SQLite;
- ``snippets``: passages with the query's words marked.
"""

from .indexing import CONFIGURATIONS, build_entries, index, rebuild, reindex, unindex
from .query import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_TERMS,
    RankedResults,
    ResultPage,
    Results,
    clean_query,
    parse,
    search,
    was_shortened,
)
from .snippets import highlight, snippet
from .text import fold, normalize

__all__ = [
    "CONFIGURATIONS",
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_TERMS",
    "RankedResults",
    "ResultPage",
    "Results",
    "build_entries",
    "clean_query",
    "fold",
    "highlight",
    "index",
    "normalize",
    "parse",
    "rebuild",
    "reindex",
    "search",
    "snippet",
    "unindex",
    "was_shortened",
]
