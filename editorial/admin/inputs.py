"""What a crafted request sends the admin, answered with the admin's own errors, never a 500.

- ``autocomplete.AutocompleteMixin``: autocomplete widgets that show a form sent back with a bad
  id (``abc``, a NUL, a twenty-digit number), with its error;
- ``NestedInlineFormSet``: django-nested-admin's formset, which looks up posted row ids unchecked;
- ``DateDrillDownChangeList``: a date drill-down Django cannot compute is a bad filter;
- ``AdminInputsMixin``: the first and the last, for a model admin; ``guard_every_admin`` gives it
  to the admins of other apps (accounts, sign-in records) too.
"""

from datetime import MAXYEAR, MINYEAR

import nested_admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import connection

from ..widgets import could_be_id
from .autocomplete import AutocompleteMixin


class NestedInlineFormSet(nested_admin.formsets.NestedInlineFormSet):
    """django-nested-admin's formset, which looks up the ids sent for existing rows without checking them.

    A row sent back with ``abc``, a NUL or a twenty-digit number for its id (only a crafted POST
    does that: the id is a hidden field) raised a database error; such ids are now left out, and
    the form is refused as invalid (``roles.OwnRowsFormSetMixin`` names the row). The loop is
    bounded by the number of forms the formset reads, whatever the management form claims.
    """

    def get_queryset(self):
        if not self.data:
            return super().get_queryset()
        if not hasattr(self, "_sent_rows"):  # read once, as Django's own formset does
            pk = self.model._meta.pk
            sent = (
                self.data.get(f"{self.add_prefix(i)}-{pk.name}")
                for i in range(min(self.initial_form_count(), self.total_form_count()))
            )
            rows = self.model._default_manager.filter(
                pk__in=[id_ for id_ in sent if id_ and could_be_id(pk, id_, connection)]
            )
            self._sent_rows = rows if rows.ordered else rows.order_by(pk.name)
        return self._sent_rows


class DateDrillDownChangeList(ChangeList):
    """Django's list, with a date drill-down it cannot compute refused as a bad filter, not a 500.

    Django catches only the ``ValueError`` of an impossible date; ``?signed_on__year=9999`` (its
    next year is 10000) and a year of twenty digits (``OverflowError``) escaped. They now take the
    admin's own way for a bad filter: back to the list with an error flag.
    """

    def get_filters(self, request):
        if self.date_hierarchy:
            year = self.params.get(f"{self.date_hierarchy}__year")
            year = year[-1] if isinstance(year, list) else year
            # Years 1 and 9999 make dates, but not once moved to UTC to be compared in the database.
            if year is not None and not (year.isascii() and year.isdigit() and MINYEAR < int(year) < MAXYEAR):
                raise IncorrectLookupParameters(f"year out of range: {year!r}")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class AdminInputsMixin(AutocompleteMixin):
    """A model admin's autocomplete fields and list filters, safe from crafted values."""

    def get_changelist(self, request, **kwargs):
        return DateDrillDownChangeList


def guard_every_admin(site) -> None:
    """Give every model admin of ``site`` ``AdminInputsMixin``, those of other apps too (accounts,
    sign-in records): their lists and drill-downs take the same crafted parameters. Called once
    every app's admin is registered."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, AdminInputsMixin):
            guarded = type(type(model_admin).__name__, (AdminInputsMixin, type(model_admin)), {})
            site.unregister(model)
            site.register(model, guarded)
