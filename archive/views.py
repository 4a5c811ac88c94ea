"""Public pages of the archive: home, press releases, and everything by year."""

from collections import Counter

from django.db.models import Count, F, Value
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, TemplateView

from dialogue.models import Dialogue, Instrument, Meeting
from dialogue.models.instruments import LIFE_CYCLE
from dialogue.models.meetings import with_meeting_figures
from dialogue.views import CountedPaginator, ExtendedPageMixin, PaginatedFilterView, crumb
from editorial.formatting import partial_date
from editorial.pagecache import cached
from editorial.views import AlternatesMixin, TranslatedSlugDetailMixin, requested_page

from .filters import PressReleaseFilter
from .models import PressRelease, SitePage


class HomeView(ExtendedPageMixin, AlternatesMixin, TemplateView):
    """Latest press releases, recent and upcoming meetings, the dialogues."""

    template_name = "archive/home.html"
    page = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["press_releases"] = PressRelease.objects.published().order_by("-date", "-pk")[:5]
        context["upcoming_meetings"] = Meeting.objects.published().for_list().upcoming(today)[:5]
        context["recent_meetings"] = Meeting.objects.published().for_list().past(today)[:5]
        context["dialogues"] = with_meeting_figures(Dialogue.objects.published().order_by("order", "pk"))
        return context


class PressReleaseListView(PaginatedFilterView):
    template_name = "archive/press_release_list.html"
    filterset_class = PressReleaseFilter
    page = "press-release-list"

    def get_queryset(self):
        return PressRelease.objects.published().prefetch_related("issuers").order_by("-date", "-pk")


class PressReleaseDetailView(ExtendedPageMixin, TranslatedSlugDetailMixin, DetailView):
    template_name = "archive/press_release_detail.html"
    context_object_name = "release"
    page = "press-release"

    def get_breadcrumbs(self):
        return [crumb(_("Press releases"), "archive:press-release-list")]

    def get_queryset(self):
        return self.public(PressRelease.objects).for_page()


def counts_by_year():
    """{year: Counter(meetings=…, instruments=…, press_releases=…)} over the whole archive.

    An instrument counts in each year in which one step of its life cycle falls. Kept until the
    archive changes: it reads every public row.
    """
    return cached("counts-by-year", _count_by_year)


def _count_by_year():
    years: dict[int, Counter] = {}

    def add(kind, rows):
        for row in rows:
            years.setdefault(row["year"], Counter())[kind] += row["n"]

    def per_year(queryset, field):
        return (
            queryset.filter(**{f"{field}__isnull": False})
            .annotate(year=ExtractYear(field))
            .values("year")
            .annotate(n=Count("pk"))
            .order_by()
        )

    add("meetings", per_year(Meeting.objects.published(), "start_date"))
    add("press_releases", per_year(PressRelease.objects.published(), "date"))
    for name, _label in LIFE_CYCLE:
        add("instruments", per_year(Instrument.objects.published(), name))
    return years


class YearIndexView(ExtendedPageMixin, AlternatesMixin, TemplateView):
    """The years of the archive, newest first, with what each holds."""

    template_name = "archive/year_index.html"
    page = "year-index"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = counts_by_year()
        context["years"] = [
            {"year": year, "total": sum(counts.values()), **counts}
            for year, counts in sorted(years.items(), reverse=True)
        ]
        return context


def year_events(year: int):
    """(date, kind, step, pk) of everything public in ``year``, in date order, as one narrow query.

    Meetings by their first day, press releases by their date, and each step of an instrument's
    life cycle that falls in the year. Sliced for a page, it reads only that page's rows.
    """

    def rows(queryset, day, kind, step=""):
        columns = {"event_day": F(day), "event_kind": Value(kind), "event_step": Value(step), "event_pk": F("pk")}
        return queryset.order_by().annotate(**columns).values_list(*columns)

    parts = [
        rows(Meeting.objects.published().filter(start_date__year=year), "start_date", "meeting"),
        rows(PressRelease.objects.published().filter(date__year=year), "date", "press_release"),
        *(
            rows(Instrument.objects.published().filter(**{f"{name}__year": year}), name, "instrument", name)
            for name, _label in LIFE_CYCLE
        ),
    ]
    return parts[0].union(*parts[1:], all=True).order_by("event_day", "event_kind", "event_pk")


class YearEvents:
    """A year's events for Django's Paginator: counted once per archive state, read a page at a time."""

    def __init__(self, year: int):
        self.year = year

    def count(self):
        return cached(f"year-events:{self.year}", lambda: year_events(self.year).count())

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        rows = list(year_events(self.year)[window])
        found = {
            "meeting": Meeting.objects.for_list().in_bulk([pk for _d, kind, _s, pk in rows if kind == "meeting"]),
            "instrument": Instrument.objects.select_related("dialogue").in_bulk(
                [pk for _d, kind, _s, pk in rows if kind == "instrument"]
            ),
            "press_release": PressRelease.objects.in_bulk(
                [pk for _d, kind, _s, pk in rows if kind == "press_release"]
            ),
        }
        events = []
        for day, kind, step, pk in rows:
            item = found[kind][pk]
            if kind == "meeting":
                label = item.dates_display
            elif kind == "instrument":
                label = partial_date(day, getattr(item, step.replace("_on", "_precision")))
            else:
                label = item.date_display
            step_label = item.step_label(step) if kind == "instrument" else ""
            events.append({"kind": kind, "date": day, "label": label, "step": step_label, "item": item})
        return events


class YearDetailView(ExtendedPageMixin, AlternatesMixin, TemplateView):
    """Everything from one year in date order, a page at a time: meetings, steps of instruments, press releases."""

    template_name = "archive/year_detail.html"
    paginate_by = 20  # as the lists: a busy year costs what a quiet one does
    page = "year"

    def get_breadcrumbs(self):
        return [crumb(_("The archive by year"), "archive:year-index")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        years = counts_by_year()
        if year not in years:
            raise Http404("Nothing in the archive for this year.")
        paginator = CountedPaginator(YearEvents(year), self.paginate_by)
        page = paginator.get_page(requested_page(self.request.GET.get("page")))
        ordered = sorted(years)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            year=year,
            events=page.object_list,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
            query_without_page=query.urlencode(),
            previous_year=max((y for y in ordered if y < year), default=None),
            next_year=min((y for y in ordered if y > year), default=None),
            all_years=sorted(years, reverse=True),
        )
        return context


class SitePageView(TranslatedSlugDetailMixin, DetailView):
    """About, contact, legal notice, accessibility, personal data: the site's own pages."""

    template_name = "archive/site_page.html"
    context_object_name = "site_page"

    def get_queryset(self):
        return self.public(SitePage.objects)


def page_not_found(request, exception):
    """The 404 page, in the language of the address asked for."""
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """The 500 page: a bare template, since the database or a context processor may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()}))
