"""Reading the index: web-search queries matched and ranked in the page's language.

PostgreSQL matches ``websearch`` queries against a stored, GIN-indexed tsvector built with an
accent-insensitive French or English configuration, and ranks only the matches whose title or lead
hold the query's words (``RankedResults``); SQLite, the embedded default, matches case- and
accent-folded text with the same query syntax (quoted phrases, OR, -word).
"""

import functools
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, Value, When, Window

from editorial.pagecache import cached
from editorial.views import MAX_PAGE

from ..models import SearchEntry
from .indexing import CONFIGURATIONS
from .text import fold

MAX_QUERY_LENGTH = 200
#: Words or quoted phrases a query may hold (OR between them not counted): each is one more
#: condition on every entry, and SQLite's parser overflowed on some 85 of them (a 500).
MAX_QUERY_TERMS = 12


@dataclass
class ParsedQuery:
    """A web-search query split into what SQLite can match: required, optional (OR) and excluded."""

    groups: list[list[str]]  # each group: alternatives joined by OR; every group must match
    excluded: list[str]

    @property
    def terms(self):
        return [term for group in self.groups for term in group]


TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse(query: str) -> ParsedQuery:
    """Parse web-search syntax the way PostgreSQL's websearch_to_tsquery reads it."""
    groups, excluded, pending_or = [], [], False
    for negation, phrase, word in TOKEN.findall(query):
        if word and word.upper() == "OR":
            pending_or = bool(groups)
            continue
        negated = bool(negation) or (word.startswith("-") and len(word) > 1)
        term = fold(phrase if phrase else word.lstrip("-"))
        term = " ".join(re.findall(r"\w+", term))
        if not term:
            continue
        if negated:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return ParsedQuery(groups, excluded)


#: Typographic quotation marks a reader may type (French « », with their inner spaces, English “ ”)
#: read as the phrase quotes.
QUOTES = re.compile(r"«\s*|\s*»|[“”„]")


def plain_query(raw: str) -> str:
    """The query with its whitespace collapsed and typographic quotes made plain, uncut."""
    return " ".join(QUOTES.sub('"', raw or "").split())


def clean_query(raw: str) -> str:
    """The plain query (``plain_query``) cut at its limits: ``MAX_QUERY_LENGTH`` characters, then
    ``MAX_QUERY_TERMS`` words or phrases."""
    query = plain_query(raw)[:MAX_QUERY_LENGTH]
    kept, terms = [], 0
    for match in TOKEN.finditer(query):
        token = match.group(0)
        if token.upper() != "OR":
            terms += 1
            if terms > MAX_QUERY_TERMS:
                return " ".join(kept)
        kept.append(token)
    return query


def was_shortened(raw: str, query: str) -> bool:
    """Whether ``clean_query`` cut ``raw`` to ``query``: French quotation marks, with their inner
    spaces, make a query shorter without cutting anything from it."""
    return len(plain_query(raw)) > len(query)


def search(query: str, language: str, queryset=None, count_key: str | None = None):
    """The SearchEntries matching ``query`` in ``language``, best first, as ``Results``.

    Returns None when the query holds no searchable word (empty, or operators only). With a
    ``count_key`` (the query and its filters, normalized), the total is kept until the archive
    changes: counting every match again on each page of a common word is what costs at scale.
    """
    parsed = parse(query)
    if not parsed.groups:
        return None
    entries = (
        (queryset if queryset is not None else SearchEntry.objects.public())
        .filter(language=language)
        .defer("norm_title", "norm_lead", "norm_body", "vector", "rank_vector")
    )
    if connection.vendor == "postgresql":
        results = RankedResults(entries, query, language)
    else:
        results = Results(_sqlite_search(entries, parsed))
    results.count_key = count_key
    return results


#: Newest first; undated entries (organizations, people, an undated instrument) after dated ones,
#: as SQLite sorts them. On PostgreSQL this order also cannot be read from the (language, date)
#: index, so the planner never walks that index hoping to meet matches early: a search reads its
#: matches through the GIN index and sorts them, at a cost that follows the number of matches.
NEWEST_FIRST = (F("date").desc(nulls_last=True), "pk")
ZERO = Value(0.0, output_field=FloatField())


class Results:
    """The matches of one query, best first, read a page at a time with their total."""

    count_key: str | None = None

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        if self.count_key is None:
            return self.queryset.count()
        return cached(f"search-total:{self.count_key}", self.queryset.count)

    def read(self, start: int, stop: int) -> tuple[list[SearchEntry], int]:
        """The entries from ``start`` to ``stop``, and how many match in all.

        The query that reads them counts the matches (a window); past the end, ``count()`` does.
        """
        rows = list(self.queryset.annotate(total=Window(Count("pk")))[start:stop])
        return rows, rows[0].total if rows else self.count() if start else 0


class RankedResults(Results):
    """PostgreSQL: the matches in three tiers, so that only those that can come first are ranked.

    1. Entries whose title and lead alone match the query (``rank_vector @@ query``);
    2. entries whose title or lead hold some of the query's words, the body the rest;
    3. entries that match only with their body.

    The first two are ranked by ``ts_rank`` over title (weight A, 1.0) and lead (B, 0.4), then
    newest first, then by key; the third (rank 0) newest first, then by key. A title match thus
    comes before a lead match for the same words, and both before a body-only match.
    ``full_ranking`` gives the same order in one query over every match; the tests and
    ``benchmark_search --check`` compare the two.

    A page reads the first tier, found through the GIN index on the small ``rank_vector``, and
    the other two (one query, through the GIN index on ``vector``) only if it goes past the
    first: the first page of a common word (6,000 matches, 1,700 of them with the word in their
    title or lead) ranks those 1,700 small vectors and never reads the others. The total is
    exact: a COUNT over the GIN index on ``vector`` when the first tier fills the page, else
    the first tier's size plus the others', counted by the query that reads them.
    """

    def __init__(self, entries, query, language):
        search_query = SearchQuery(query, search_type="websearch", config=CONFIGURATIONS[language])
        matches = entries.filter(vector=search_query)
        head = Q(rank_vector=search_query)
        rank = SearchRank(F("rank_vector"), search_query, weights=[0.0, 0.0, 0.4, 1.0])
        # Without an excluded word, a title and lead that match are a match: rank_vector is a
        # prefix of vector, positions included. An excluded word may stand in the body.
        first = (matches if "-" in query else entries).filter(head)
        self.first = first.annotate(rank=rank).order_by("-rank", *NEWEST_FIRST)
        some_word = Q(rank_vector=AnyWordOf(query, search_type="websearch", config=CONFIGURATIONS[language]))
        self.tier = Case(When(head, then=Value(1)), When(some_word, then=Value(2)), default=Value(3))
        self.rank = Case(When(some_word, then=rank), default=ZERO, output_field=FloatField())
        self.head, self.ts_rank, self.entries = head, rank, entries
        super().__init__(matches)

    @functools.cached_property
    def rest(self):
        """The second and third tiers, in one query: only a page past the first tier needs them."""
        return (
            self.queryset.exclude(self.head)
            .annotate(tier=self.tier, rank=self.rank)
            .order_by("tier", "-rank", *NEWEST_FIRST)
        )

    def read(self, start: int, stop: int) -> tuple[list[SearchEntry], int]:
        # Each tier is ranked and cut on narrow rows (key, rank, date): texts are read for the page only.
        page = self.first.values("pk")[start:stop]
        rows = list(self.entries.filter(pk__in=page).annotate(rank=self.ts_rank).order_by("-rank", *NEWEST_FIRST))
        if len(rows) == stop - start:
            return rows, self.count()
        # The first tier ends before this page does: the others carry on from where it ends.
        first_total = start + len(rows) if rows or not start else self.first.count()
        rest, rest_total = self.read_rest(max(0, start - first_total), stop - start - len(rows))
        return rows + rest, self.count() if rest_total is None else first_total + rest_total

    def read_rest(self, start: int, size: int) -> tuple[list[SearchEntry], int | None]:
        """``size`` entries of the second and third tiers from ``start``, and how many they hold.

        The query that reads them counts them (a window); past their end, nothing tells: None.
        """
        ranked = list(
            self.rest.annotate(total=Window(Count("pk"))).values_list("pk", "rank", "total")[start : start + size]
        )
        found = self.entries.in_bulk([pk for pk, _rank, _total in ranked])
        for pk, rank, _total in ranked:
            found[pk].rank = rank
        total = ranked[0][2] if ranked else None if start else 0
        return [found[pk] for pk, _rank, _total in ranked], total

    def full_ranking(self):
        """Every match ranked and sorted in one query, in the tiers' order: slow, for checks only."""
        return self.queryset.annotate(tier=self.tier, rank=self.rank).order_by("tier", "-rank", *NEWEST_FIRST)


class AnyWordOf(SearchQuery):
    """Any word of a query, excluded ones too, as alternatives: 'space' | 'situat' | 'cybersecur'.

    Its lexemes are read from the text PostgreSQL prints for the parsed query, where each one is
    quoted, a quote inside doubled; they are cast back to a tsquery, not normalized again.
    """

    template = (
        "(SELECT string_agg(word[1], ' | ')::tsquery"
        " FROM regexp_matches(%(function)s(%(expressions)s)::text, '(''(?:[^'']|'''')*'')', 'g') AS word)"
    )


def _contains(term, field):
    """Words starting with ``term`` (a rough stemming: “signature” finds “signatures”)."""
    return Q(**{f"{field}__contains": f" {term}"})


def _sqlite_search(entries, parsed):
    fields = ("norm_title", "norm_lead", "norm_body")
    for group in parsed.groups:
        alternatives = Q()
        for term in group:
            for field in fields:
                alternatives |= _contains(term, field)
        entries = entries.filter(alternatives)
    for term in parsed.excluded:
        for field in fields:
            entries = entries.exclude(_contains(term, field))
    rank = Value(0.0, output_field=FloatField())
    for term in parsed.terms:
        rank = rank + Case(
            When(_contains(term, "norm_title"), then=Value(1.0)),
            When(_contains(term, "norm_lead"), then=Value(0.4)),
            default=Value(0.1),
            output_field=FloatField(),
        )
    return entries.annotate(rank=rank).order_by("-rank", *NEWEST_FIRST)


class ResultPage:
    """One page of ``Results`` and their total, for Django's Paginator.

    A page number past the last page reads the last page, as the paginator then shows it; a
    number past ``MAX_PAGE`` is read as ``MAX_PAGE``, so that its offset fits the database's.
    """

    def __init__(self, results, number: int, per_page: int):
        number = min(max(number, 1), MAX_PAGE)
        self.rows, self.total = results.read((number - 1) * per_page, number * per_page)
        last = max(1, -(-self.total // per_page))
        if number > last:
            self.rows, self.total = results.read((last - 1) * per_page, last * per_page)

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, item):
        return self.rows
