"""Limits every admin page holds, whatever is posted: a role's fields, and an inline's own rows.

- ``RoleLimitedMixin``: whoever may change records of a kind but not add them (a translator)
  edits their texts only; every other field is read-only, in the form and against a crafted POST.
- ``OwnRowsInlineMixin``: an inline (at any level of nesting) only ever touches rows of its own
  parent. Django's inline formsets ignore a posted id that is not the parent's, but
  django-nested-admin loads rows by the posted ids (``pk__in``) and would move, rewrite or delete
  a row of another item; a posted id that is not one of the parent's rows now fails the whole
  form, and nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..i18n import language_codes, text_fields, translated_fields
from .labels import UniqueRowsFormSetMixin


class RoleLimitedMixin:
    """Read-only everything but the texts for whoever may change records of this kind but not add them."""

    def texts_only(self, request) -> bool:
        opts = self.model._meta
        user = request.user
        return user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and not user.has_perm(
            f"{opts.app_label}.add_{opts.model_name}"
        )

    def restore_refusal(self, request, versions):
        # A version restores every field and the records saved with it, not only the texts.
        if self.texts_only(request):
            return _("Restoring a version changes more than the texts: ask an editor to restore it.")
        parent = getattr(super(), "restore_refusal", None)
        return parent(request, versions) if parent else None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.texts_only(request):
            return readonly
        opts = self.model._meta
        editable = {f"{name}_{code}" for name in text_fields(self.model) for code in language_codes()}
        originals = set(translated_fields(self.model))
        for field in [*opts.concrete_fields, *opts.many_to_many]:
            name = field.name
            if field.editable and not field.primary_key and name not in editable | originals | set(readonly):
                readonly.append(name)
        return readonly


class OwnRowsFormSetMixin:
    """An inline formset that refuses any posted row id that is not one of its parent's rows."""

    def own_row_ids(self) -> set[str]:
        if self.instance is None or self.instance.pk is None:
            return set()
        rows = self.model._default_manager.filter(**{self.fk.name: self.instance.pk})
        return {str(pk) for pk in rows.values_list("pk", flat=True)}

    def get_queryset(self):
        # Read once: a formset asks for its rows at every form it counts or builds.
        if not hasattr(self, "_own_rows"):
            queryset = super().get_queryset()
            if self.instance is None or self.instance.pk is None:
                self._own_rows = queryset.none()
            else:
                self._own_rows = queryset.filter(**{self.fk.name: self.instance.pk})
        return self._own_rows

    def clean(self):
        super().clean()
        if not self.is_bound:
            return
        own = self.own_row_ids()
        pk_name = self.model._meta.pk.name
        for index in range(self.total_form_count()):
            posted = self.data.get(f"{self.add_prefix(index)}-{pk_name}")
            if posted in (None, ""):
                continue
            if index >= self.initial_form_count() or str(posted).strip() not in own:
                raise ValidationError(
                    _(
                        "A row of “%(rows)s” does not belong to this item, so nothing was saved. Reload the "
                        "page and make your changes again."
                    ),
                    code="foreign_row",
                    params={"rows": self.model._meta.verbose_name_plural},
                )


class OwnRowsInlineMixin:
    """Gives an inline's formset ``OwnRowsFormSetMixin``: every inline of the admin uses it.

    (And ``UniqueRowsFormSetMixin``, so that two rows breaking a unique rule say so in words.)
    """

    def get_queryset(self, request):
        """The rows, with the records chosen in their autocompletes (which a row's heading names)."""
        queryset = super().get_queryset(request)
        chosen = set(self.get_autocomplete_fields(request))
        related = [
            field.name for field in self.model._meta.concrete_fields if field.many_to_one and field.name in chosen
        ]
        return queryset.select_related(*related) if related else queryset

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset, OwnRowsFormSetMixin):
            return formset
        return type(formset.__name__, (OwnRowsFormSetMixin, UniqueRowsFormSetMixin, formset), {})
