"""The admin's words, in proper French and English rather than Django's fill-in-the-blank templates.

Django builds several labels by putting a model's name into one sentence for every model:
“Supprimer les %(verbose_name_plural)s sélectionnés” (“les réunions sélectionnés”), “Ajouter un
objet %(verbose_name)s supplémentaire” (title-cased by django-nested-admin: “Membre De
Délégation”), “Corrigez les données en double dans %(field)s” (with the field's code name). French
nouns have a gender, so each admin and each inline says it in its own words, translated whole:

- ``ProperLabelsMixin.delete_selected_description`` on every model admin: “Delete the selected
  meetings” / “Supprimer les réunions sélectionnées”;
- ``add_label`` on every inline: “Add a delegation member” / “Ajouter un membre de délégation”
  (Django's inlines read it from the formset's data, django-nested-admin's from the templates
  in ``templates/nesting/admin/inlines/``);
- ``UniqueRowsFormSetMixin``: two rows that break a unique rule get that rule's own message
  (“This person is already a member of this delegation.”), else one naming the fields by their
  names in the reader's language;
- ``LanguageColumnsMixin``: an inline showing a text's languages side by side (not in tabs) labels
  each column with its language: “Fonction à l'époque (FR)”, “(EN)”, where both read the same.
"""

import dataclasses
import json

from django.contrib.admin.options import ActionLocation
from django.db.models import UniqueConstraint
from django.utils.text import capfirst, format_lazy, get_text_list
from django.utils.translation import gettext as _


class ProperLabelsMixin:
    """A model admin whose delete action and inlines' “add” links have words of their own."""

    #: “Delete the selected meetings”: the delete action, whole, in the model's own words.
    delete_selected_description = None

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        delete = actions.get("delete_selected")
        if delete is not None and self.delete_selected_description:
            actions["delete_selected"] = dataclasses.replace(
                delete,
                description=self.delete_selected_description,
                plural_description=self.delete_selected_description,
            )
        return actions

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            labelled(inline_admin_formset)
        return inline_admin_formsets


class _LabelledInlineAdminFormSet:
    """Django's inlines.js reads the “add” link's text from this data: the inline's ``add_label``."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        label = getattr(self.opts, "add_label", None)
        if label:
            data["options"]["addText"] = str(label)
        return json.dumps(data)


_labelled_classes: dict[type, type] = {}


def labelled(inline_admin_formset):
    """Give an admin inline formset its inline's ``add_label`` (it is built by Django's admin, not by us)."""
    cls = type(inline_admin_formset)
    if not issubclass(cls, _LabelledInlineAdminFormSet):
        if cls not in _labelled_classes:
            _labelled_classes[cls] = type(cls.__name__, (_LabelledInlineAdminFormSet, cls), {})
        inline_admin_formset.__class__ = _labelled_classes[cls]
    return inline_admin_formset


class UniqueRowsFormSetMixin:
    """Two rows breaking a unique rule: the rule's own message, or the fields by their verbose names."""

    def get_unique_error_message(self, unique_check):
        return unique_error_message(self.model, unique_check, parent=getattr(self, "fk", None))


def unique_error_message(model, fields, parent=None) -> str:
    """The message of ``model``'s unique constraint on ``fields``, or one naming them in the reader's language."""
    wanted = set(fields)
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and constraint.condition is None
            and set(constraint.fields) == wanted
            and constraint.violation_error_message != constraint.default_violation_error_message
        ):
            return str(constraint.violation_error_message)
    names = [
        _("“%(name)s”") % {"name": capfirst(model._meta.get_field(name).verbose_name)}
        for name in fields
        if parent is None or name != parent.name
    ]
    return _("Two rows give the same %(fields)s: each must be different.") % {"fields": get_text_list(names, _("and"))}


class LanguageColumnsMixin:
    """Each language of a translated field, shown in its own column, labelled with its language."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)  # modeltranslation's column of one language
        if formfield is not None and original is not None:
            formfield.label = format_lazy("{} ({})", capfirst(original.verbose_name), db_field.language.upper())
        return formfield
