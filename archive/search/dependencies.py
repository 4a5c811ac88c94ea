"""The search index follows every record its entries read: each document is an ``editorial.derived``
dependent, whose paths (``documents.py``) say which saves, deletions and relation changes reindex
which items."""

from editorial import derived

from . import indexing
from .documents import DOCUMENTS


def connect():
    for document in DOCUMENTS:
        derived.register(
            derived.Dependent(
                name=f"search:{document.kind}",
                model=document.model,
                paths=tuple(document.paths()),
                refresh=lambda pks, document=document: indexing.reindex(document, pks),
            )
        )
