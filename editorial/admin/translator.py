"""The translator's view: every text of an item in the source language, read-only, beside the field
that translates it, with what changed in the source since the translation was last brought up to date.

``/<language>/admin/<app>/<model>/<id>/translate/`` (linked from the change form and from the
translation dashboard) serves Translators and every role above them, on the items they may change.
It shows the item's own texts and those of the records it owns (a meeting's delegations and their
members, a release's quotations…), one pair per text: the source, rendered (HTML fields were
sanitized on save), and the field in the target language. The changes are the word difference
between the source as it stood when the target was last updated (the stored version whose source
stamp is not after the target's ``text_updated_<code>``) and the source now.

The direction: from the original language when it is one of the site's, else from the language
that is ahead (or the only one written); ``?from=en&to=fr`` chooses another. Saving goes through
the admin's own form (validation, the edit token that refuses a save over someone else's, the
role's limits), and writes one version and one log entry; only the target language's texts are
in the form, so nothing else can change, whatever is posted.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import BaseModelFormSet, modelformset_factory
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..batch import batch
from ..fields import HTMLField
from ..history import item_versions, owned_lookups
from ..i18n import language_codes, language_name, missing_languages, text_fields
from ..versions import source_changes, version_translated_from
from ..widgets import RichTextWidget


def translatable_fields(model) -> list[str]:
    """The texts a translator translates: the translated text fields, but slugs (made from the titles)."""
    names = {name for name in text_fields(model) if not isinstance(model._meta.get_field(name), models.SlugField)}
    return [field.name for field in model._meta.fields if field.name in names]  # in the form's order


def default_direction(obj) -> tuple[str, str]:
    """(source, target): from the original language if it is a site language, else from the one ahead."""
    codes = language_codes()
    source = getattr(obj, "source_language", None)
    missing = missing_languages(obj)
    if source is None and missing and len(missing) < len(codes):
        source = next(code for code in codes if code not in missing)
    if source is None:
        stamps = {code: getattr(obj, f"text_updated_{code}", None) for code in codes}
        dated = [code for code in codes if stamps[code] is not None]
        source = max(dated, key=lambda code: stamps[code]) if dated else codes[0]
    target = next((code for code in missing if code != source), None) or next(c for c in codes if c != source)
    return source, target


class OwnedTextsFormSet(BaseModelFormSet):
    """The texts of the records an item owns, in one language: those rows only, none added or removed."""

    def clean(self):
        super().clean()
        own = {str(pk) for pk in self.get_queryset().values_list("pk", flat=True)}
        if self.total_form_count() != self.initial_form_count() or self.initial_form_count() > len(own):
            raise ValidationError(_("Rows cannot be added here: nothing was saved."), code="extra_rows")
        pk_name = self.model._meta.pk.name
        for index in range(self.total_form_count()):
            posted = self.data.get(f"{self.add_prefix(index)}-{pk_name}")
            if posted is None or str(posted).strip() not in own:
                raise ValidationError(
                    _(
                        "A row of “%(rows)s” does not belong to this item, so nothing was saved. Reload the "
                        "page and make your changes again."
                    ),
                    code="foreign_row",
                    params={"rows": self.model._meta.verbose_name_plural},
                )

    def save(self, commit=True):
        return self.save_existing_objects(commit)  # never a new row, whatever the management form says


def _text_widget(field):
    if isinstance(field, HTMLField):
        return RichTextWidget()
    if isinstance(field, models.TextField):
        return forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"})
    return forms.TextInput(attrs={"class": "vTextField"})


def _owned_formfield(db_field, **kwargs):
    return db_field.formfield(widget=_text_widget(db_field), **kwargs)


class TranslatorViewMixin:
    """Adds the translator's view to a translated model admin (with versions: ``VersionedAdmin``)."""

    translate_template = "admin/translate.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/translate/",
                self.admin_site.admin_view(self.translate_view),
                name=f"{opts.app_label}_{opts.model_name}_translate",
            ),
            *super().get_urls(),
        ]

    def has_translator_view(self) -> bool:
        return bool(translatable_fields(self.model)) and len(language_codes()) > 1

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_translator_view() and self.has_change_permission(request):
            extra_context["translate_url"] = self._url("translate", object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    # The view ------------------------------------------------------------------------------------

    def translate_view(self, request, object_id):
        if not self.has_translator_view():
            raise Http404(_("This kind of item has no texts to translate."))
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("No such item."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        source, target = self._direction(request, obj)
        form_class = self.get_form(
            request, obj, change=True, fields=[f"{name}_{target}" for name in translatable_fields(self.model)]
        )
        data = request.POST if request.method == "POST" else None
        form = form_class(data, instance=obj)
        owned = self._owned_formsets(obj, target, data)
        for bound in [form, *(row for formset, _model in owned for row in formset.forms)]:
            for field in bound.fields.values():
                field.widget.attrs["lang"] = target  # spelling and reading in the target language
        if request.method == "POST" and form.is_valid() and all(formset.is_valid() for formset, _m in owned):
            self._save_translation(request, form, [formset for formset, _model in owned])
            messages.success(
                request,
                _("The %(language)s texts of “%(item)s” were saved.")
                % {"language": language_name(target, in_sentence=True), "item": obj},
            )
            return HttpResponseRedirect(f"{request.path}?from={source}&to={target}")
        return TemplateResponse(
            request, self.translate_template, self._context(request, obj, source, target, form, owned)
        )

    def _direction(self, request, obj) -> tuple[str, str]:
        codes = language_codes()
        asked = (request.GET.get("from"), request.GET.get("to"))
        if asked[0] in codes and asked[1] in codes and asked[0] != asked[1]:
            return asked
        return default_direction(obj)

    def _owned_formsets(self, obj, target, data):
        """[(formset, model)]: the texts in ``target`` of each kind of record ``obj`` owns."""
        found = []
        for model, lookup in owned_lookups(self.model):
            names = translatable_fields(model)
            if not names:
                continue
            formset_class = modelformset_factory(
                model,
                formset=OwnedTextsFormSet,
                fields=[f"{name}_{target}" for name in names],
                extra=0,
                can_delete=False,
                formfield_callback=_owned_formfield,
            )
            rows = model._default_manager.filter(**{lookup: obj.pk}).order_by(*model._meta.ordering or ["pk"], "pk")
            found.append((formset_class(data, queryset=rows, prefix=model._meta.model_name), model))
        return found

    def _save_translation(self, request, form, formsets):
        """The admin's own save, with one version and one log entry; any failure saves nothing."""
        with batch(), transaction.atomic(), self.create_revision(request):
            obj = self.save_form(request, form, change=True)
            self.save_model(request, obj, form, change=True)
            for formset in formsets:
                formset.save()
            self.log_change(request, obj, self.construct_change_message(request, form, formsets))

    # What the page shows ---------------------------------------------------------------------------

    def _context(self, request, obj, source, target, form, owned):
        baseline = version_translated_from(obj, source, target)
        known = baseline is not None
        item_fields = translatable_fields(self.model)
        item_changes = source_changes(baseline.field_dict if known else None, _state(obj), item_fields, source)
        stored = {}
        if known:
            for version in item_versions(baseline):
                stored[(version.content_type.model_class(), str(version.object_id))] = version.field_dict
        sections = [
            {
                "title": capfirst(self.model._meta.verbose_name),
                "rows": [
                    {
                        "name": str(obj),
                        "pairs": _pairs(obj, item_fields, form, source, target, item_changes if known else {}),
                    }
                ],
                "errors": form.non_field_errors(),
            }
        ]
        for formset, model in owned:
            names = translatable_fields(model)
            rows = []
            for row_form in formset.forms:
                row = row_form.instance
                if row.pk is None:  # a row posted beyond the item's own: refused by the formset, not shown
                    continue
                changes = {}
                if known:
                    changes = source_changes(stored.get((model, str(row.pk))), _state(row), names, source)
                pairs = _pairs(row, names, row_form, source, target, changes)
                rows.append({"name": str(row), "pairs": pairs, "form": row_form})
            if rows or formset.non_form_errors():
                sections.append(
                    {
                        "title": capfirst(model._meta.verbose_name_plural),
                        "rows": rows,
                        "errors": formset.non_form_errors(),
                        "formset": formset,
                    }
                )
        changed = sum(1 for section in sections for row in section["rows"] for pair in row["pairs"] if pair["diff"])
        if not any(getattr(obj, f"{name}_{target}", None) for name in item_fields):
            status = "unwritten"
        elif not known:
            status = "unknown"
        else:
            status = "changed" if changed else "current"
        opts = self.model._meta
        media = form.media
        for formset, _model in owned:
            media += formset.media
        return {
            **self.admin_site.each_context(request),
            "title": _("Translate “%(item)s”") % {"item": obj},
            "opts": opts,
            "original": obj,
            "object_id": quote(obj.pk),
            "form": form,
            "sections": sections,
            "management_forms": [formset.management_form for formset, _model in owned],
            "media": media,
            "source": source,
            "target": target,
            "source_name": language_name(source),
            "target_name": language_name(target),
            "source_in_sentence": language_name(source, in_sentence=True),
            "target_in_sentence": language_name(target, in_sentence=True),
            "is_original": getattr(obj, "original_language", None) == source,
            "reverse_url": f"{request.path}?from={target}&to={source}",
            "status": status,
            "changed_count": changed,
            "has_errors": bool(form.errors or any(formset.total_error_count() for formset, _m in owned)),
            "change_url": self._url("change", quote(obj.pk)),
        }


def _state(record) -> dict:
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def _pairs(record, names, form, source, target, changes) -> list[dict]:
    """One pair per text: the source (label, rendered text, changes) beside the target's bound field."""
    pairs = []
    for name in names:
        field = record._meta.get_field(name)
        text = getattr(record, f"{name}_{source}") or ""
        # HTML fields were sanitized by HTMLField on every save; other texts are escaped by linebreaks.
        html = text if isinstance(field, HTMLField) else linebreaks(text, autoescape=True)
        rendered = mark_safe(html)  # noqa: S308 - sanitized or escaped, as said above
        pairs.append(
            {
                "name": name,
                "label": capfirst(field.verbose_name),
                "source": rendered,
                "empty": not text,
                "diff": changes.get(name),
                "field": form[f"{name}_{target}"],
            }
        )
    return pairs
