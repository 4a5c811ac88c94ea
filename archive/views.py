"""Public pages of the archive: home, press releases, and everything by year."""

from collections import Counter
from itertools import chain

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import DetailView, TemplateView

from dialogue.models import Dialogue, Instrument, Meeting
from dialogue.models.instruments import LIFE_CYCLE
from dialogue.models.parties import public_count
from dialogue.views import PaginatedFilterView
from editorial.formatting import partial_date
from editorial.views import AlternatesMixin, TranslatedSlugDetailMixin

from .filters import PressReleaseFilter
from .models import PressRelease


class HomeView(AlternatesMixin, TemplateView):
    """Latest press releases, recent and upcoming meetings, the dialogues."""

    template_name = "archive/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["press_releases"] = PressRelease.objects.published().order_by("-date", "-pk")[:5]
        context["upcoming_meetings"] = Meeting.objects.published().for_list().upcoming(today)[:5]
        context["recent_meetings"] = Meeting.objects.published().for_list().past(today)[:5]
        context["dialogues"] = (
            Dialogue.objects.published()
            .annotate(meeting_count=public_count("meetings", Meeting))
            .order_by("order", "pk")
        )
        return context


class PressReleaseListView(PaginatedFilterView):
    template_name = "archive/press_release_list.html"
    filterset_class = PressReleaseFilter

    def get_queryset(self):
        return PressRelease.objects.published().prefetch_related("issuers").order_by("-date", "-pk")


class PressReleaseDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "archive/press_release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return self.public(PressRelease.objects).for_page()


def counts_by_year():
    """{year: Counter(meetings=…, instruments=…, press_releases=…)} over the whole archive.

    An instrument counts in each year in which one step of its life cycle falls.
    """
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


class YearIndexView(AlternatesMixin, TemplateView):
    """The years of the archive, newest first, with what each holds."""

    template_name = "archive/year_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = counts_by_year()
        context["years"] = [
            {"year": year, "total": sum(counts.values()), **counts}
            for year, counts in sorted(years.items(), reverse=True)
        ]
        return context


class YearDetailView(AlternatesMixin, TemplateView):
    """Everything from one year in date order: meetings, steps of instruments, press releases."""

    template_name = "archive/year_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        if not 1000 <= year <= 9999:
            raise Http404("No such year.")
        meetings = Meeting.objects.published().for_list().filter(start_date__year=year)
        releases = PressRelease.objects.published().filter(date__year=year).prefetch_related("issuers")
        instruments = Instrument.objects.published().in_year(year).select_related("dialogue")
        events = chain(
            ({"kind": "meeting", "date": m.start_date, "label": m.dates_display, "item": m} for m in meetings),
            (
                {"kind": "instrument", "date": date, "label": partial_date(date, precision), "step": label, "item": i}
                for i in instruments
                for _name, label, date, precision in i.steps()
                if date.year == year
            ),
            ({"kind": "press_release", "date": r.date, "label": r.date_display, "item": r} for r in releases),
        )
        context["events"] = sorted(events, key=lambda event: (event["date"], event["kind"]))
        if not context["events"]:
            raise Http404("Nothing in the archive for this year.")
        years = sorted(counts_by_year())
        context["year"] = year
        context["previous_year"] = max((y for y in years if y < year), default=None)
        context["next_year"] = min((y for y in years if y > year), default=None)
        context["all_years"] = sorted(years, reverse=True)
        return context


def page_not_found(request, exception):
    """The 404 page, in the language of the address asked for."""
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """The 500 page: a bare template, since the database or a context processor may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()}))
