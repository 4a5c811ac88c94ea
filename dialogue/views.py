"""Public pages of the relationship: dialogues, meetings, instruments, organizations, people, topics.

Each view reads through a fixed set of queries (select_related / prefetch_related), so a page costs
the same number of queries whatever the size of the archive.
"""

from django.apps import apps
from django.db.models import Case, Count, IntegerField, Max, Min, Prefetch, Value, When
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from .filters import InstrumentFilter, MeetingFilter
from .models import (
    Delegation,
    DelegationMember,
    Dialogue,
    Instrument,
    InstrumentRelation,
    InstrumentSignatory,
    Meeting,
    Organization,
    Person,
    Topic,
)
from .views_base import AlternatesMixin, TranslatedSlugDetailMixin

ROLE_ORDER = Case(
    When(role=DelegationMember.Role.CO_CHAIR, then=Value(0)),
    When(role=DelegationMember.Role.HEAD, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def press_releases_prefetch(lookup="press_releases"):
    """Related press releases, newest first. The archive app builds on this one, so it is named, not imported."""
    return Prefetch(lookup, queryset=apps.get_model("archive", "PressRelease").objects.order_by("-date", "-pk"))


class PaginatedFilterView(AlternatesMixin, FilterView):
    """A filtered, paginated list; an invalid filter value shows on the form and lists nothing."""

    paginate_by = 20
    strict = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["is_filtered"] = any(value for key, value in self.request.GET.items() if key not in {"page", "sort"})
        form = self.filterset.form
        for name in form.errors:
            if name in form.fields:  # tie each message to its control for screen readers
                form.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})
        return context


class DialogueListView(AlternatesMixin, ListView):
    template_name = "dialogue/dialogue_list.html"
    context_object_name = "dialogues"
    queryset = Dialogue.objects.annotate(
        meeting_count=Count("meetings"),
        first_meeting=Min("meetings__start_date"),
        last_meeting=Max("meetings__start_date"),
    ).order_by("order", "pk")


class DialogueDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/dialogue_detail.html"
    context_object_name = "dialogue"
    queryset = Dialogue.objects.prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.select_related("host").order_by("start_date")),
        Prefetch("instruments", queryset=Instrument.objects.register().order_by("reference_date")),
        press_releases_prefetch(),
        "topics",
    )


class MeetingListView(PaginatedFilterView):
    template_name = "dialogue/meeting_list.html"
    filterset_class = MeetingFilter
    queryset = Meeting.objects.for_list().order_by("-start_date", "pk")


class MeetingDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/meeting_detail.html"
    context_object_name = "meeting"
    queryset = Meeting.objects.select_related("dialogue", "host").prefetch_related(
        Prefetch(
            "delegations",
            queryset=Delegation.objects.select_related("party")
            .order_by("party__order", "party__code")
            .prefetch_related(
                Prefetch(
                    "members",
                    queryset=DelegationMember.objects.select_related("person", "organization").order_by(
                        ROLE_ORDER, "order", "pk"
                    ),
                ),
                Prefetch("organizations", queryset=Organization.objects.order_by("name")),
            ),
        ),
        Prefetch("instruments_signed", queryset=Instrument.objects.order_by("title")),
        press_releases_prefetch(),
        "topics",
    )


class InstrumentListView(PaginatedFilterView):
    template_name = "dialogue/instrument_list.html"
    filterset_class = InstrumentFilter
    paginate_by = 25
    queryset = Instrument.objects.register().select_related("dialogue").order_by("-reference_date", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort_columns"] = [
            ("title", _("Title")),
            ("kind", _("Kind")),
            ("status", _("Status")),
            ("date", _("Date")),
        ]
        sort = self.request.GET.get("sort", "")
        context["current_sort"] = sort if sort.lstrip("-") in dict(context["sort_columns"]) else ""
        return context


class InstrumentDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/instrument_detail.html"
    context_object_name = "instrument"
    queryset = Instrument.objects.select_related("dialogue", "signed_at__dialogue").prefetch_related(
        Prefetch(
            "signatories",
            queryset=InstrumentSignatory.objects.select_related("party", "person", "organization").order_by(
                "party__order", "order"
            ),
        ),
        "documents",
        Prefetch("relations_from", queryset=InstrumentRelation.objects.select_related("target")),
        Prefetch("relations_to", queryset=InstrumentRelation.objects.select_related("source")),
        press_releases_prefetch(),
        "topics",
    )


class OrganizationListView(AlternatesMixin, ListView):
    template_name = "dialogue/organization_list.html"
    context_object_name = "organizations"
    queryset = Organization.objects.select_related("party", "parent").order_by("party__order", "party", "name")


class OrganizationDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/organization_detail.html"
    context_object_name = "organization"
    queryset = Organization.objects.select_related("party", "parent").prefetch_related(
        Prefetch("children", queryset=Organization.objects.order_by("name")),
        Prefetch(
            "delegations",
            queryset=Delegation.objects.select_related("meeting__dialogue", "meeting__host", "party").order_by(
                "-meeting__start_date"
            ),
        ),
        Prefetch(
            "memberships",
            queryset=DelegationMember.objects.select_related("person", "delegation__meeting__dialogue").order_by(
                "-delegation__meeting__start_date", "order"
            ),
        ),
        Prefetch("signatures", queryset=InstrumentSignatory.objects.select_related("instrument")),
        press_releases_prefetch(),
    )


class PersonListView(AlternatesMixin, ListView):
    template_name = "dialogue/person_list.html"
    context_object_name = "people"
    queryset = Person.objects.select_related("party").order_by("family_name", "given_name")


class PersonDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/person_detail.html"
    context_object_name = "person"
    queryset = Person.objects.select_related("party").prefetch_related(
        Prefetch(
            "memberships",
            queryset=DelegationMember.objects.select_related(
                "organization", "delegation__party", "delegation__meeting__dialogue"
            ).order_by("delegation__meeting__start_date"),
        ),
        Prefetch("signatures", queryset=InstrumentSignatory.objects.select_related("instrument", "organization")),
        "quotations__press_release",
        "press_contacts__press_release",
        "press_contacts__organization",
    )


class TopicListView(AlternatesMixin, ListView):
    template_name = "dialogue/topic_list.html"
    context_object_name = "topics"
    queryset = Topic.objects.annotate(
        meeting_count=Count("meetings", distinct=True),
        instrument_count=Count("instruments", distinct=True),
        press_release_count=Count("press_releases", distinct=True),
    ).order_by("name")


class TopicDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/topic_detail.html"
    context_object_name = "topic"
    queryset = Topic.objects.prefetch_related(
        Prefetch("dialogues", queryset=Dialogue.objects.order_by("order")),
        Prefetch("meetings", queryset=Meeting.objects.for_list().order_by("-start_date")),
        Prefetch("instruments", queryset=Instrument.objects.register().order_by("-reference_date")),
        press_releases_prefetch(),
    )
