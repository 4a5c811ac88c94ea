"""The translation dashboard: what lacks a translation and what is outdated, by content type and year."""

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, IntegerField, Q, Value
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .admin import missing_in, outdated_in
from .i18n import language_codes, missing_languages

#: (app label, model name, date field giving the year, or None)
TRACKED = (
    ("dialogue", "meeting", "start_date"),
    ("dialogue", "instrument", "signed_on"),
    ("archive", "pressrelease", "date"),
    ("dialogue", "dialogue", None),
    ("dialogue", "organization", None),
    ("dialogue", "person", None),
    ("dialogue", "topic", None),
)
#: How many items each content type lists; the counts link to the complete, filtered admin list.
ITEMS_SHOWN = 100


def conditions(model) -> dict[str, Q]:
    """{"missing-fr": Q, …, "outdated-en": Q}: the translation problems this model can have."""
    found = {f"missing-{code}": missing_in(model, code) for code in language_codes()}
    if hasattr(model, "outdated_languages"):
        found |= {f"outdated-{code}": outdated_in(model, code) for code in language_codes()}
    return found


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
            for app_label, model_name, date_field in TRACKED
            if (section := self.section(apps.get_model(app_label, model_name), date_field)) is not None
        ]
        return context

    def section(self, model, date_field):
        opts = model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            return None
        checks = conditions(model)
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        rows = model._default_manager.order_by()
        any_problem = Q(pk__in=[])
        for condition in checks.values():
            any_problem |= condition
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
        problems = rows.filter(any_problem)
        if parents := getattr(model, "publication_parents", ()):
            problems = problems.select_related(*parents)
        items = list(problems.order_by("-year" if date_field else "pk")[:ITEMS_SHOWN])
        total = rows.filter(any_problem).count()
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
                }
                for item in items
            ],
        }


def _name(key):
    return key.replace("-", "_")


def _names(checks):
    return {_name(key): condition for key, condition in checks.items()}
