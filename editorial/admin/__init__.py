"""The admin's editorial layer, which the content apps' admins build on.

- ``history``: versions, comparison, restore and recovery, held to the user's role;
- ``roles``: what a role may change, and inlines that only touch their parent's rows;
- ``publication``: the workflow's fields and actions, and the refusal of conflicting edits;
- ``translation``: language tabs, the translation column and filter;
- ``translator``: the translator's view, each source text beside its translation, with its changes;
- ``autocomplete``: results labelled and ordered by the searched model's admin (“… — Japon”);
- ``labels``: the admin's words (delete actions, “add” links, duplicate rows) in proper French and English;
- ``accounts``: the locked-out page of throttled sign-ins, and unlocking accounts.
"""

from . import accounts  # noqa: F401 - registers the users' admin with its unlock action
from .autocomplete import AutocompleteLabelsMixin
from .history import VersionedAdmin
from .labels import LanguageColumnsMixin, ProperLabelsMixin
from .publication import PublishableAdmin, PublishableForm
from .roles import OwnRowsFormSetMixin, OwnRowsInlineMixin, RoleLimitedMixin
from .translation import NestedTranslatedAdmin, PublishableTranslatedAdmin, TranslatedAdmin, TranslationStatusFilter

__all__ = [
    "AutocompleteLabelsMixin",
    "LanguageColumnsMixin",
    "NestedTranslatedAdmin",
    "OwnRowsFormSetMixin",
    "OwnRowsInlineMixin",
    "ProperLabelsMixin",
    "PublishableAdmin",
    "PublishableForm",
    "PublishableTranslatedAdmin",
    "RoleLimitedMixin",
    "TranslatedAdmin",
    "TranslationStatusFilter",
    "VersionedAdmin",
]
