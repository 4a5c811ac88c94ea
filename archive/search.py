"""Search across the archive, in the language of the page.

Each item is indexed once per language as a ``SearchEntry``: its title (weight A), lead (B) and
body (C), taken from the page's language or, where a text is missing, from the language it falls
back to. PostgreSQL ranks ``websearch`` queries against a stored, GIN-indexed tsvector built with
an accent-insensitive French or English configuration; SQLite, the embedded default, matches
case- and accent-folded text with the same query syntax (quoted phrases, OR, -word).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import Case, Count, F, FloatField, Q, Value, When, Window, prefetch_related_objects
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from dialogue.i18n import language_codes
from dialogue.models import (
    Instrument,
    Meeting,
    Organization,
    Person,
)

from .models import PressRelease, SearchEntry

CONFIGURATIONS = {"fr": "fr_unaccent", "en": "en_unaccent"}
MAX_QUERY_LENGTH = 200


def fold(value: str) -> str:
    """Lower case without accents: “Tôkyô” → “tokyo”, “Réglementation” → “reglementation”."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


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
    titles = [text_in(m, "title", language) for m in person.memberships.all()]
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
    "person": ("memberships",),
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


def compute_vectors(queryset):
    """Fill ``vector`` on PostgreSQL, each language with its own configuration."""
    if connection.vendor != "postgresql":
        return
    for language, config in CONFIGURATIONS.items():
        head = SearchVector("title", weight="A", config=config) + SearchVector("lead", weight="B", config=config)
        queryset.filter(language=language).update(
            vector=head + SearchVector("body", weight="C", config=config), rank_vector=head
        )


def index(obj):
    """(Re)index one item in every language; called on every save that changes what it shows."""
    kind = KIND_OF_MODEL[type(obj)]
    prefetch_related_objects([obj], *PREFETCH[kind])
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id=obj.pk).delete()
        created = SearchEntry.objects.bulk_create(build_entries(obj))
        compute_vectors(SearchEntry.objects.filter(pk__in=[entry.pk for entry in created]))


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
    if not batch:
        return 0
    created = SearchEntry.objects.bulk_create(batch)
    compute_vectors(SearchEntry.objects.filter(pk__in=[entry.pk for entry in created]))
    return len(created)


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
    """SearchEntries matching ``query`` in ``language``, best first, with their ``rank``.

    Returns None when the query holds no searchable word (empty, or operators only).
    """
    parsed = parse(query)
    if not parsed.groups:
        return None
    entries = (
        (queryset if queryset is not None else SearchEntry.objects.all())
        .filter(language=language)
        .defer("norm_title", "norm_lead", "norm_body", "vector", "rank_vector")
    )
    if connection.vendor == "postgresql":
        config = CONFIGURATIONS[language]
        search_query = SearchQuery(query, search_type="websearch", config=config)
        return (
            entries.filter(vector=search_query)
            .annotate(
                # Ranked on the small title+lead vector: a title match outranks a lead match, which
                # outranks a body-only match (rank 0, then newest first). Ranking the full vector
                # would read every matching body, which costs too much on common words.
                rank=SearchRank(F("rank_vector"), search_query, weights=[0.0, 0.0, 0.4, 1.0]),
                total=Window(Count("pk")),
            )
            .order_by("-rank", "-date", "pk")
        )
    return _sqlite_search(entries, parsed)


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
    return entries.annotate(rank=rank, total=Window(Count("pk"))).order_by("-rank", "-date", "pk")


def snippet(entry, query: str) -> str:
    """Safe HTML: a passage of the entry with the matching words in <mark>.

    Done in Python on both databases: ts_headline over every result body cost more than the
    ranked query itself. Words are matched from their start, accent-insensitively, so the
    inflected forms stemming finds (“spatiales” for “spatiale”) are highlighted too.
    """
    terms = parse(query).terms
    for source in (entry.body, entry.lead):
        if source and any(term in normalize(source) for term in terms):
            return highlight(source, terms)
    return highlight(entry.body or entry.lead, terms)


def highlight(source: str, terms: list[str], width: int = 220) -> str:
    """Escape ``source`` around its first match and wrap every accent-insensitive match in <mark>."""
    if not source:
        return ""
    if source.isascii():
        folded_text, positions = source.lower(), range(len(source))
    else:
        folded, positions = [], []
        for index, char in enumerate(source):
            for folded_char in char.lower() if char.isascii() else _fold_char(char):
                folded.append(folded_char)
                positions.append(index)
        folded_text = "".join(folded)
    spans = []
    for term in sorted(set(terms), key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(term), folded_text):
            spans.append((positions[match.start()], positions[match.end() - 1] + 1))
    spans.sort()
    start = max(0, (spans[0][0] if spans else 0) - width // 3)
    end = min(len(source), start + width)
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces += [escape(source[cursor:span_start]), "<mark>", escape(source[span_start:span_end]), "</mark>"]
        cursor = span_end
    pieces.append(escape(source[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(source) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece of text is escaped


def language_of_page():
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


class ResultPage:
    """A page of results and their total from one query (``total`` is a window count).

    Paginator asks for ``count()`` and then for one slice; a separate COUNT would scan every
    match a second time.
    """

    def __init__(self, results, number: int, per_page: int):
        number = number if number >= 1 else 1
        self.rows = list(results[(number - 1) * per_page : number * per_page])
        if not self.rows and number > 1:  # beyond the last page: the paginator shows the last one
            first = list(results[:1])
            self.total = first[0].total if first else 0
            last = max(1, -(-self.total // per_page))
            self.rows = list(results[(last - 1) * per_page : last * per_page])
        else:
            self.total = self.rows[0].total if self.rows else 0

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, item):
        return self.rows
