"""Search across the archive, in the language of the page.

Each item is indexed once per language as a ``SearchEntry``: its title (weight A), lead (B) and
body (C), taken from the page's language or, where a text is missing, from the language it falls
back to. PostgreSQL matches ``websearch`` queries against a stored, GIN-indexed tsvector built with
an accent-insensitive French or English configuration, and ranks only the matches whose title or
lead hold the query's words (``RankedResults``); SQLite, the embedded default, matches case- and
accent-folded text with the same query syntax (quoted phrases, OR, -word).
"""

import bisect
import datetime
import functools
import html
import itertools
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, transaction
from django.db.models import Case, Count, F, FloatField, Q, Value, When, Window, prefetch_related_objects
from django.db.models.expressions import Expression
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from dialogue.i18n import language_codes
from dialogue.models import (
    Instrument,
    Meeting,
    Organization,
    Person,
)
from dialogue.views_base import MAX_PAGE

from .models import PressRelease, SearchEntry

CONFIGURATIONS = {"fr": "fr_unaccent", "en": "en_unaccent"}
#: When organizations and people, which have no publication state, became public: always.
ALWAYS = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
MAX_QUERY_LENGTH = 200


def fold(value: str) -> str:
    """Lower case without accents: “Tôkyô” → “tokyo”, “Réglementation” → “reglementation”."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    if not decomposed.isascii():
        for mark in {char for char in set(decomposed) if unicodedata.combining(char)}:
            decomposed = decomposed.replace(mark, "")
    return decomposed


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def normalize(value: str) -> str:
    """Folded words separated by single spaces, with a leading and trailing space, for SQLite matching."""
    return " " + " ".join(re.findall(r"\w+", fold(value))) + " "


def plain(value: str) -> str:
    """Text of sanitized HTML, with whitespace collapsed."""
    return " ".join(strip_tags(value or "").split())


def text_in(obj, field, language):
    """``field`` in ``language``, else in the first language that has it."""
    value = getattr(obj, f"{field}_{language}", None)
    if value:
        return value
    for code in language_codes():
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return value
    return ""


def _join(*parts):
    return " · ".join(part for part in parts if part)


# Each builder returns (title, lead, body, date, dialogue ids) for one item in one language.


def _meeting(meeting, language):
    names, organizations = [], []
    for delegation in meeting.delegations.all():
        for member in delegation.members.all():
            names += [member.person.full_name, text_in(member, "title", language)]
        for organization in delegation.organizations.all():
            organizations += [text_in(organization, "name", language), *acronyms(organization)]
    lead = _join(
        text_in(meeting, "city", language),
        text_in(meeting, "venue", language),
        *[text_in(topic, "name", language) for topic in meeting.topics.all()],
        *names,
        *organizations,
    )
    body = _join(plain(text_in(meeting, "summary", language)), plain(text_in(meeting, "outcomes", language)))
    title = _join(
        text_in(meeting, "title", language) or meeting.display_title, text_in(meeting.dialogue, "name", language)
    )
    return title, lead, body, meeting.start_date, [meeting.dialogue_id]


def _instrument(instrument, language):
    parties = []
    for signatory in instrument.signatories.all():
        parties += [signatory.person.full_name if signatory.person else "", text_in(signatory, "title", language)]
        if signatory.organization:
            parties += [text_in(signatory.organization, "name", language), *acronyms(signatory.organization)]
    title = _join(text_in(instrument, "title", language), text_in(instrument, "short_title", language))
    lead = _join(
        instrument.get_kind_display(),
        text_in(instrument, "place_of_signature", language),
        *[text_in(topic, "name", language) for topic in instrument.topics.all()],
        *parties,
    )
    date = instrument.signed_on or instrument.negotiations_opened_on or instrument.in_force_on or instrument.ended_on
    return title, lead, plain(text_in(instrument, "summary", language)), date, [instrument.dialogue_id]


def _press_release(release, language):
    issuers = [
        part for issuer in release.issuers.all() for part in (text_in(issuer, "name", language), *acronyms(issuer))
    ]
    quotations, contacts = release.quotations.all(), release.contacts.all()
    lead = _join(
        text_in(release, "lead", language), *issuers, *[text_in(t, "name", language) for t in release.topics.all()]
    )
    body = _join(
        plain(text_in(release, "body", language)),
        *[_join(text_in(q, "text", language), q.speaker.full_name if q.speaker else "") for q in quotations],
        *[contact.person.full_name for contact in contacts],
    )
    dialogues = [d.pk for d in release.dialogues.all()] + [m.dialogue_id for m in release.meetings.all()]
    return _join(text_in(release, "title", language), release.reference), lead, body, release.date, dialogues


def _organization(organization, language):
    title = _join(text_in(organization, "name", language), *acronyms(organization))
    parent = text_in(organization.parent, "name", language) if organization.parent else ""
    return title, _join(organization.get_kind_display(), parent), "", None, []


def _person(person, language):
    # Titles held at public meetings only: a draft's delegation must not show through a person.
    titles = [text_in(m, "title", language) for m in person.memberships.all() if m.delegation.meeting.public_since()]
    return _join(text_in(person, "honorific", language), person.full_name), _join(*titles), "", None, []


def acronyms(organization):
    """An organization's acronyms in every language: MOD and MINDEF both find the ministry."""
    return list(dict.fromkeys(a for code in language_codes() if (a := getattr(organization, f"acronym_{code}"))))


#: What each builder reads, fetched in a fixed number of queries per batch.
PREFETCH = {
    "meeting": ("dialogue", "topics", "delegations__organizations", "delegations__members__person"),
    "instrument": ("topics", "signatories__person", "signatories__organization"),
    "press_release": ("issuers", "topics", "dialogues", "meetings", "quotations__speaker", "contacts__person"),
    "organization": ("parent",),
    "person": ("memberships__delegation__meeting__dialogue",),
}

BUILDERS = {
    SearchEntry.Kind.MEETING: (Meeting, _meeting),
    SearchEntry.Kind.INSTRUMENT: (Instrument, _instrument),
    SearchEntry.Kind.PRESS_RELEASE: (PressRelease, _press_release),
    SearchEntry.Kind.ORGANIZATION: (Organization, _organization),
    SearchEntry.Kind.PERSON: (Person, _person),
}
KIND_OF_MODEL = {model: kind for kind, (model, _builder) in BUILDERS.items()}


def build_entries(obj) -> list[SearchEntry]:
    kind = KIND_OF_MODEL[type(obj)]
    builder = BUILDERS[kind][1]
    entries = []
    for language in language_codes():
        with translation.override(language):
            title, lead, body, date, dialogues = builder(obj, language)
            url = obj.get_absolute_url()
        text_language = language if _has_title_in(obj, kind, language) else _other(language)
        entries.append(
            SearchEntry(
                kind=kind,
                object_id=obj.pk,
                language=language,
                text_language=text_language,
                title=title,
                lead=lead,
                body=body,
                norm_title=normalize(title),
                norm_lead=normalize(lead),
                norm_body=normalize(body),
                url=url,
                date=date,
                dialogue_ids=" " + " ".join(str(pk) for pk in sorted(set(filter(None, dialogues)))) + " ",
                public_from=obj.public_since() if hasattr(obj, "public_since") else ALWAYS,
            )
        )
    return entries


def _has_title_in(obj, kind, language):
    """Whether the entry's title is written in ``language`` rather than taken from the other one."""
    if kind == SearchEntry.Kind.PERSON:
        return True  # a person's name is the same in every language
    field = "name" if kind == SearchEntry.Kind.ORGANIZATION else "title"
    if kind == SearchEntry.Kind.MEETING and not any(getattr(obj, f"title_{code}") for code in language_codes()):
        return True  # the title is built from the number and the dialogue, in the page's language
    return bool(getattr(obj, f"{field}_{language}", None))


def _other(language):
    return next((code for code in language_codes() if code != language), language)


class TextVector(Expression):
    """The tsvector of an entry's title (weight A), lead (B) and body (C), as its INSERT computes it.

    Written out rather than built from SearchVector, whose generic expressions took longer to
    compile for each of 50,000 entries than PostgreSQL took to insert them.
    """

    output_field = SearchVectorField()

    def __init__(self, config, *texts):
        super().__init__()
        self.config, self.texts = config, texts

    def as_sql(self, compiler, connection):
        parts = [f"setweight(to_tsvector(%s::regconfig, %s), '{weight}')" for weight in "ABC"[: len(self.texts)]]
        return " || ".join(parts), [value for text in self.texts for value in (self.config, text)]


def with_vectors(entries):
    """On PostgreSQL, give new entries their vectors, computed by the INSERT itself.

    ``vector`` (title A, lead B, body C) is what a query matches; ``rank_vector`` (title A and
    lead B only) is what ranks, and is a prefix of ``vector`` with the same positions. Filling them
    in the INSERT rather than by an UPDATE afterwards leaves no dead copy of every row behind: a
    rebuilt index stays as compact as the rows it holds.
    """
    if connection.vendor == "postgresql":
        for entry in entries:
            config = CONFIGURATIONS[entry.language]
            entry.rank_vector = TextVector(config, entry.title, entry.lead)
            entry.vector = TextVector(config, entry.title, entry.lead, entry.body)
    return entries


def index(obj):
    """(Re)index one item in every language; called on every save that changes what it shows."""
    kind = KIND_OF_MODEL[type(obj)]
    prefetch_related_objects([obj], *PREFETCH[kind])
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id=obj.pk).delete()
        SearchEntry.objects.bulk_create(with_vectors(build_entries(obj)))


def unindex(model, pk):
    SearchEntry.objects.filter(kind=KIND_OF_MODEL[model], object_id=pk).delete()


def rebuild(batch_size=500, stdout=None):
    """Rebuild the whole index: after a bulk import, or to repair it."""
    SearchEntry.objects.all().delete()
    total = 0
    for kind, (model, _builder) in BUILDERS.items():
        queryset = model.objects.order_by("pk").prefetch_related(*PREFETCH[kind])
        batch = []
        for obj in queryset.iterator(chunk_size=batch_size):
            batch += build_entries(obj)
            if len(batch) >= batch_size:
                total += _flush(batch)
                batch = []
        total += _flush(batch)
        if stdout:
            stdout.write(f"indexed {kind}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE archive_searchentry")
    return total


def _flush(batch):
    # One language after the other: a search reads one language, so its rows sit on fewer pages.
    batch.sort(key=lambda entry: entry.language)
    return len(SearchEntry.objects.bulk_create(with_vectors(batch))) if batch else 0


# Queries


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


def clean_query(raw: str) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def search(query: str, language: str, queryset=None):
    """The SearchEntries matching ``query`` in ``language``, best first, as ``Results``.

    Returns None when the query holds no searchable word (empty, or operators only).
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
        return RankedResults(entries, query, language)
    return Results(_sqlite_search(entries, parsed))


#: Newest first; undated entries (organizations, people, an undated instrument) after dated ones,
#: as SQLite sorts them. On PostgreSQL this order also cannot be read from the (language, date)
#: index, so the planner never walks that index hoping to meet matches early: a search reads its
#: matches through the GIN index and sorts them, at a cost that follows the number of matches.
NEWEST_FIRST = (F("date").desc(nulls_last=True), "pk")
ZERO = Value(0.0, output_field=FloatField())


class Results:
    """The matches of one query, best first, read a page at a time with their total."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

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
    start = max(0, (positions[min(firsts)] if firsts else 0) - width // 3)
    end = min(len(source), start + width)
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
    table = {char: _fold_char(char) for char in set(source)}
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


def language_of_page():
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


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
