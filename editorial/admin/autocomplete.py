"""Autocomplete fields that tell records apart, and offer the likeliest first.

Two ministries of defence read the same (“Ministère de la Défense”): a model admin may label its
records for choosing (``autocomplete_label``, “Ministère de la Défense — Japon”), used both by the
results of the autocomplete search and by the option already chosen in a form, and name the
relations the label reads (``autocomplete_label_reads``), fetched with the records in both; and it
may order the results for the field being filled (``autocomplete_preferred``: a delegation's own
side first).

Django serves every autocomplete from one view of the admin site; ``LabelledAutocompleteJsonView``
is that view with these two hooks, served at the same address (``secretariat/urls.py`` routes
``admin/autocomplete/`` to it before the admin's own URLs), under the same rules: staff only,
the searched model's view permission, its admin's search fields.
"""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.http import Http404

from ..widgets import AutocompleteSelect, AutocompleteSelectMultiple
from .history import database_id


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, with the searched model admin's label and preferred order."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        return result

    def get_queryset(self):
        queryset = super().get_queryset().select_related(*label_reads(self.model_admin))
        preferred = getattr(self.model_admin, "autocomplete_preferred", None)
        return preferred(self.request, queryset, self.source_field) if preferred else queryset


def label_reads(model_admin) -> tuple[str, ...]:
    return tuple(getattr(model_admin, "autocomplete_label_reads", ()))


def posted_id(request, name: str) -> int | None:
    """A record id given in the query string (``?prefer_party=2``), or None for anything else."""
    try:
        return database_id(request.GET.get(name, ""))
    except Http404:
        return None


class AutocompleteMixin:
    """Autocomplete fields whose options already chosen read as the results do (with their party…),
    and whose widgets show a form sent back with a bad id (``abc``, a NUL, a twenty-digit number)
    with its error, not a 500 (``editorial.widgets.KnownIdsOnlyMixin``)."""

    def _label_choices(self, formfield, db_field):
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        label = getattr(related_admin, "autocomplete_label", None)
        if formfield is not None and label is not None:
            formfield.label_from_instance = label
            if label_reads(related_admin):  # the options already chosen, with what their labels read
                formfield.queryset = formfield.queryset.select_related(*label_reads(related_admin))
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return self._label_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return self._label_choices(super().formfield_for_manytomany(db_field, request, **kwargs), db_field)
