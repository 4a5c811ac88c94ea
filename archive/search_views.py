"""The search page: one box for meetings, instruments, press releases, organizations and people."""

import django_filters
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from dialogue.filters import YearFilter, dialogue_filter
from dialogue.views import ExtendedPageMixin
from editorial.i18n import current_language
from editorial.views import AlternatesMixin, requested_page

from . import search
from .models import SearchEntry


class SearchFilter(django_filters.FilterSet):
    """Narrow results by type, year and dialogue."""

    type = django_filters.ChoiceFilter(
        field_name="kind", choices=SearchEntry.Kind.choices, label=_("Type"), empty_label=_("All types")
    )
    year = YearFilter(field_name="date", lookup_expr="year", label=_("Year"))
    dialogue = dialogue_filter()

    class Meta:
        model = SearchEntry
        fields = ["type", "year", "dialogue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["dialogue"].method = self.filter_dialogue

    def filter_dialogue(self, queryset, name, value):
        return queryset.filter(dialogue_ids__contains=f" {value.pk} ")


class SearchView(ExtendedPageMixin, AlternatesMixin, TemplateView):
    template_name = "archive/search.html"
    page = "search"
    filterset_class = SearchFilter
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        query = search.clean_query(raw)
        filterset = self.filterset_class(self.request.GET or None, queryset=SearchEntry.objects.public())
        context.update(
            query=query,
            filter=filterset,
            truncated=search.was_shortened(raw, query),
            max_length=search.MAX_QUERY_LENGTH,
            max_terms=search.MAX_QUERY_TERMS,
        )
        if not query:
            context["message"] = _("Type one or more words to search the archive.") if raw or self.request.GET else ""
            return context
        if filterset.is_bound and not filterset.is_valid():
            context["message"] = _("Some filter values are not valid; correct them to see results.")
            return context
        filters = sorted(
            (name, str(getattr(value, "pk", value))) for name, value in filterset.form.cleaned_data.items()
        )
        key = f"{current_language()}:{query}:{filters}"
        results = search.search(query, current_language(), filterset.qs, count_key=key)
        if results is None:
            context["message"] = _("Your search has no word to look for. Add a word, not only operators.")
            return context
        number = requested_page(self.request.GET.get("page"))
        paginator = Paginator(search.ResultPage(results, number, self.paginate_by), self.paginate_by)
        page = paginator.get_page(number)
        for entry in page.object_list:
            entry.snippet = search.snippet(entry, query)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            page_obj=page, paginator=paginator, results=page.object_list, is_paginated=page.has_other_pages()
        )
        context["query_without_page"] = params.urlencode()
        return context
