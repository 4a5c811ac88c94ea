"""The bases every content model of the archive builds on: keys, translation status, publication, images,
original languages."""

from .constraints import choices_constraint
from .generation import SiteGeneration
from .images import Illustrated
from .keys import DatePrecision, KeyedManager, KeyedModel, NaturalKeyManager, NaturalKeyModel, unique_slug
from .originals import Original
from .publication import (
    PUBLICATION_FIELDS,
    PUBLISHER_STATES,
    Publishable,
    PublishableManager,
    PublishableQuerySet,
    Referenced,
    ReferencedManager,
    ReferencedQuerySet,
    Status,
    references_to,
    register_reference,
    requires_all_languages,
)
from .translation import TranslatableQuerySet, missing_q, outdated_q, problem_conditions, tracks_freshness

__all__ = [
    "PUBLICATION_FIELDS",
    "PUBLISHER_STATES",
    "DatePrecision",
    "Illustrated",
    "KeyedManager",
    "KeyedModel",
    "NaturalKeyManager",
    "NaturalKeyModel",
    "Original",
    "Publishable",
    "PublishableManager",
    "PublishableQuerySet",
    "Referenced",
    "ReferencedManager",
    "ReferencedQuerySet",
    "SiteGeneration",
    "Status",
    "TranslatableQuerySet",
    "choices_constraint",
    "missing_q",
    "outdated_q",
    "problem_conditions",
    "references_to",
    "register_reference",
    "requires_all_languages",
    "tracks_freshness",
    "unique_slug",
]
