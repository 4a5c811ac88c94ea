"""The admin's editorial layer, which the content apps' admins build on.

- ``history``: versions, comparison, restore and recovery, held to the user's role;
- ``roles``: what a role may change, and inlines that only touch their parent's rows;
- ``publication``: the workflow's fields and actions, and the refusal of conflicting edits;
- ``translation``: language tabs, the translation column and filter;
- ``accounts``: the locked-out page of throttled sign-ins, and unlocking accounts;
- ``translator``: the translator's view, each source text beside its translation, with its changes;
- ``autocomplete``: results labelled and ordered by the searched model's admin (“… — Japon”), and
  safe from crafted ids;
- ``labels``: the admin's words (delete actions, “add” links, duplicate rows) in proper French and English;
- ``inputs``: crafted ids and filters answered with the admin's own errors, never a 500.
"""

from . import accounts  # noqa: F401 - registers the users' admin with its unlock action
from .autocomplete import AutocompleteMixin
from .history import VersionedAdmin
from .inputs import AdminInputsMixin, NestedInlineFormSet
from .labels import LanguageColumnsMixin, ProperLabelsMixin
from .publication import PublishableAdmin, PublishableForm
from .roles import OwnRowsFormSetMixin, OwnRowsInlineMixin, RoleLimitedMixin
from .translation import NestedTranslatedAdmin, PublishableTranslatedAdmin, TranslatedAdmin, TranslationStatusFilter

__all__ = [
    "AdminInputsMixin",
    "AutocompleteMixin",
    "LanguageColumnsMixin",
    "NestedInlineFormSet",
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
