"""Database rules derived from the model's own declarations.

Every field with choices on a content model gets a CHECK constraint that its value is one of
them (a fixture with ``"bogus"`` does not load): the choices are declared once, on the field, and
the constraint follows from them, so a new field with choices cannot be forgotten. A model opts
in with ``check_choices = True``, which the editorial bases set.

A base may also give its concrete models constraints of its own (``derived_constraints()``):
Django drops an abstract base's ``Meta.constraints`` as soon as the model declares its own Meta.
"""

from django.db import models
from django.db.models import Q
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


def choices_constraint(model, field) -> models.CheckConstraint:
    """CHECK (field IN (its choices)), blank and NULL allowed where the field allows them."""
    values = [value for value, _label in field.flatchoices]
    condition = Q(**{f"{field.attname}__in": values})
    if field.blank and "" not in values:
        condition |= Q(**{field.attname: ""})
    if field.null:
        condition |= Q(**{f"{field.attname}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_valid"[:63],
        violation_error_message=_("Choose a value from the list."),
    )


@receiver(class_prepared, dispatch_uid="editorial.choices_constraints")
def add_choices_constraints(sender, **kwargs):
    if not getattr(sender, "check_choices", False) or sender._meta.abstract or sender._meta.proxy:
        return
    existing = {constraint.name for constraint in sender._meta.constraints}
    derived = [choices_constraint(sender, field) for field in sender._meta.concrete_fields if field.choices]
    if hasattr(sender, "derived_constraints"):
        derived += sender.derived_constraints()
    derived = [constraint for constraint in derived if constraint.name not in existing]
    if derived:
        sender._meta.constraints = [*sender._meta.constraints, *derived]
