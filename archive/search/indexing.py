"""Writing the index: entries built from the documents' declarations, kept current as records change.

``reindex()`` is called by ``editorial.derived`` with the items a change touches (see
``dependencies``): at once, once at the end of an edit, or once when a fixture load commits.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, transaction
from django.db.models.expressions import Expression
from django.utils import translation

from editorial.i18n import language_codes

from ..models import SearchEntry
from .documents import ALWAYS, BY_MODEL, DOCUMENTS
from .text import normalize

CONFIGURATIONS = {"fr": "fr_unaccent", "en": "en_unaccent"}


def build_entries(obj) -> list[SearchEntry]:
    """The item's entry in each language, from its document's builder."""
    document = BY_MODEL[type(obj)]
    public_from = obj.public_since() if hasattr(obj, "public_since") else ALWAYS
    entries = []
    for language in language_codes():
        with translation.override(language):
            title, lead, body, date, dialogues = document.build(obj, language)
            url = obj.get_absolute_url()
        entries.append(
            SearchEntry(
                kind=document.kind,
                object_id=obj.pk,
                language=language,
                text_language=language if _has_title_in(document, obj, language) else _other(language),
                title=title,
                lead=lead,
                body=body,
                norm_title=normalize(title),
                norm_lead=normalize(lead),
                norm_body=normalize(body),
                url=url,
                date=date,
                dialogue_ids=" " + " ".join(str(pk) for pk in sorted(set(filter(None, dialogues)))) + " ",
                public_from=public_from,
            )
        )
    return entries


def _has_title_in(document, obj, language):
    """Whether the entry's title is written in ``language`` rather than taken from another one."""
    if document.title_in_every_language:
        return True
    field = document.title_field
    if not any(getattr(obj, f"{field}_{code}", None) for code in language_codes()) and hasattr(obj, "display_title"):
        return True  # the title is built (a meeting's number and dialogue), in the page's language
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


def reindex(document, pks) -> None:
    """Rebuild the entries of these items of one kind; those that no longer exist leave the index."""
    pks = sorted(set(pks))
    if not pks:
        return
    items = list(document.queryset().filter(pk__in=pks))
    with transaction.atomic():
        SearchEntry.objects.filter(kind=document.kind, object_id__in=pks).delete()
        SearchEntry.objects.bulk_create(with_vectors([entry for item in items for entry in build_entries(item)]))


def index(obj):
    """(Re)index one item in every language."""
    reindex(BY_MODEL[type(obj)], [obj.pk])


def unindex(model, pk):
    SearchEntry.objects.filter(kind=BY_MODEL[model].kind, object_id=pk).delete()


def rebuild(batch_size=500, stdout=None):
    """Rebuild the whole index: after a bulk import, or to repair it."""
    SearchEntry.objects.all().delete()
    total = 0
    for document in DOCUMENTS:
        entries = []
        for obj in document.queryset().order_by("pk").iterator(chunk_size=batch_size):
            entries += build_entries(obj)
            if len(entries) >= batch_size:
                total += _write(entries)
                entries = []
        total += _write(entries)
        if stdout:
            stdout.write(f"indexed {document.kind}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE archive_searchentry")
    return total


def _write(entries):
    # One language after the other: a search reads one language, so its rows sit on fewer pages.
    entries.sort(key=lambda entry: entry.language)
    return len(SearchEntry.objects.bulk_create(with_vectors(entries))) if entries else 0
