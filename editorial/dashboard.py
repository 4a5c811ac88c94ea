"""The translation dashboard: what lacks a translation and what is outdated, by content type and year.

A model takes part by saying which of its dates gives an item's year (``translation_year_field``,
None for records without one); the dashboard finds every such model of the content apps.
"""

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, IntegerField, Value
from django.db.models.functions import ExtractYear
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .i18n import language_codes, missing_languages
from .models import problem_conditions
from .roles import content_apps

#: How many items each content type lists; the counts link to the complete, filtered admin list.
ITEMS_SHOWN = 100


def tracked_models() -> list[tuple[type, str | None]]:
    """[(model, date field giving the year, or None)]: dated kinds first, in the apps' order."""
    found = [
        (model, model.translation_year_field)
        for label in content_apps()
        for model in apps.get_app_config(label).get_models()
        if hasattr(model, "translation_year_field")
    ]
    return sorted(found, key=lambda pair: pair[1] is None)


class TranslationDashboardView(TemplateView):
    template_name = "admin/translation_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin.site.each_context(self.request))
        context["title"] = _("Translations to do")
        context["columns"] = [
            *(f"missing-{code}" for code in language_codes()),
            *(f"outdated-{code}" for code in language_codes()),
        ]
        context["sections"] = [
            section
            for model, date_field in tracked_models()
            if (section := self.section(model, date_field)) is not None
        ]
        return context

    def section(self, model, date_field):
        opts = model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            return None
        checks = problem_conditions(model)
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        rows = model._default_manager.order_by()
        if date_field:
            rows = rows.annotate(year=ExtractYear(date_field))
        else:
            rows = rows.annotate(year=Value(None, output_field=IntegerField()))  # one row for the whole type
        counts = rows.values("year").annotate(**{key: Count("pk", filter=q) for key, q in _names(checks).items()})
        years = []
        for row in sorted(counts, key=lambda r: (r["year"] is None, -(r["year"] or 0))):
            cells = []
            for key in [*(f"missing-{c}" for c in language_codes()), *(f"outdated-{c}" for c in language_codes())]:
                n = row.get(_name(key))
                link = None
                if n:
                    query = f"?translation={key}"
                    if date_field and row["year"]:
                        query += f"&{date_field}__year={row['year']}"
                    link = changelist + query
                cells.append({"key": key, "count": n, "link": link})
            if any(cell["count"] for cell in cells):
                years.append({"year": row["year"] if date_field else None, "cells": cells})
        # Parents read by the item's name (an untitled meeting is named after its dialogue).
        problems = rows.needing_translation()
        if parents := getattr(model, "publication_parents", ()):
            problems = problems.select_related(*parents)
        items = list(problems.order_by("-year" if date_field else "pk")[:ITEMS_SHOWN])
        can_translate = self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        total = rows.needing_translation().count()
        return {
            "name": opts.verbose_name_plural,
            "changelist": changelist,
            "has_years": bool(date_field),
            "years": years,
            "total": total,
            "items": [
                {
                    "object": item,
                    "year": getattr(item, "year", None) if date_field else None,
                    "missing": missing_languages(item),
                    "outdated": item.outdated_languages() if hasattr(item, "outdated_languages") else [],
                    "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]),
                    "translate_url": translate_url(item) if can_translate else None,
                }
                for item in items
            ],
        }


def translate_url(item) -> str | None:
    """The translator's view of ``item``, where its admin has one (``editorial.admin.translator``)."""
    opts = item._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_translate", args=[item.pk])
    except NoReverseMatch:
        return None


def _name(key):
    return key.replace("-", "_")


def _names(checks):
    return {_name(key): condition for key, condition in checks.items()}
