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
from .views_base import AlternatesMixin, TranslatedSlugDetailMixin, requested_page

ROLE_ORDER = Case(
    When(role=DelegationMember.Role.CO_CHAIR, then=Value(0)),
    When(role=DelegationMember.Role.HEAD, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def press_releases_prefetch(lookup="press_releases"):
    """Related public press releases, newest first. The archive app builds on this one, so it is named, not imported."""
    return Prefetch(
        lookup, queryset=apps.get_model("archive", "PressRelease").objects.published().order_by("-date", "-pk")
    )


def public_count(relation: str, model) -> Count:
    """Count the public items of ``relation`` (``"meetings"``…) of each row."""
    return Count(relation, filter=model.published_q(f"{relation}__"), distinct=True)


class PaginatedFilterView(AlternatesMixin, FilterView):
    """A filtered, paginated list; an invalid filter value shows on the form and lists nothing.

    Any ``?page=`` shows a page: the one asked for, else the first (not a number) or the last
    (past the end), as the search page does.
    """

    paginate_by = 20
    strict = True

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        page = paginator.get_page(requested_page(self.request.GET.get(self.page_kwarg)))
        return paginator, page, page.object_list, page.has_other_pages()

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

    def get_queryset(self):
        public = Meeting.published_q("meetings__")
        return (
            Dialogue.objects.published()
            .annotate(
                meeting_count=public_count("meetings", Meeting),
                first_meeting=Min("meetings__start_date", filter=public),
                last_meeting=Max("meetings__start_date", filter=public),
            )
            .order_by("order", "pk")
        )


class DialogueDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/dialogue_detail.html"
    context_object_name = "dialogue"

    def get_queryset(self):
        return self.public(Dialogue.objects).prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.published().select_related("host").order_by("start_date")),
            Prefetch("instruments", queryset=Instrument.objects.published().register().order_by("reference_date")),
            press_releases_prefetch(),
            "topics",
        )


class MeetingListView(PaginatedFilterView):
    template_name = "dialogue/meeting_list.html"
    filterset_class = MeetingFilter

    def get_queryset(self):
        return Meeting.objects.published().for_list().order_by("-start_date", "pk")


class MeetingDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return (
            self.public(Meeting.objects)
            .select_related("dialogue", "host")
            .prefetch_related(
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
                Prefetch("instruments_signed", queryset=Instrument.objects.published().order_by("title")),
                press_releases_prefetch(),
                "topics",
            )
        )


class InstrumentListView(PaginatedFilterView):
    template_name = "dialogue/instrument_list.html"
    filterset_class = InstrumentFilter
    paginate_by = 25

    def get_queryset(self):
        return Instrument.objects.published().register().select_related("dialogue").order_by("-reference_date", "pk")

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object.signed_at
        context["signed_at"] = meeting if meeting is not None and meeting.is_public() else None
        return context

    def get_queryset(self):
        return (
            self.public(Instrument.objects)
            .select_related("dialogue", "signed_at__dialogue")
            .prefetch_related(
                Prefetch(
                    "signatories",
                    queryset=InstrumentSignatory.objects.select_related("party", "person", "organization").order_by(
                        "party__order", "order"
                    ),
                ),
                "documents",
                Prefetch(
                    "relations_from",
                    queryset=InstrumentRelation.objects.filter(Instrument.published_q("target__")).select_related(
                        "target"
                    ),
                ),
                Prefetch(
                    "relations_to",
                    queryset=InstrumentRelation.objects.filter(Instrument.published_q("source__")).select_related(
                        "source"
                    ),
                ),
                press_releases_prefetch(),
                "topics",
            )
        )


class OrganizationListView(AlternatesMixin, ListView):
    template_name = "dialogue/organization_list.html"
    context_object_name = "organizations"
    queryset = Organization.objects.select_related("party", "parent").order_by("party__order", "party", "name")


class OrganizationDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return Organization.objects.select_related("party", "parent").prefetch_related(
            Prefetch("children", queryset=Organization.objects.order_by("name")),
            Prefetch(
                "delegations",
                queryset=Delegation.objects.filter(Meeting.published_q("meeting__"))
                .select_related("meeting__dialogue", "meeting__host", "party")
                .order_by("-meeting__start_date"),
            ),
            Prefetch(
                "memberships",
                queryset=DelegationMember.objects.filter(Meeting.published_q("delegation__meeting__"))
                .select_related("person", "delegation__meeting__dialogue")
                .order_by("-delegation__meeting__start_date", "order"),
            ),
            Prefetch(
                "signatures",
                queryset=InstrumentSignatory.objects.filter(Instrument.published_q("instrument__")).select_related(
                    "instrument"
                ),
            ),
            press_releases_prefetch(),
        )


class PersonListView(AlternatesMixin, ListView):
    template_name = "dialogue/person_list.html"
    context_object_name = "people"
    queryset = Person.objects.select_related("party").order_by("family_name", "given_name")


class PersonDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        release = apps.get_model("archive", "PressRelease")
        return Person.objects.select_related("party").prefetch_related(
            Prefetch(
                "memberships",
                queryset=DelegationMember.objects.filter(Meeting.published_q("delegation__meeting__"))
                .select_related("organization", "delegation__party", "delegation__meeting__dialogue")
                .order_by("delegation__meeting__start_date"),
            ),
            Prefetch(
                "signatures",
                queryset=InstrumentSignatory.objects.filter(Instrument.published_q("instrument__")).select_related(
                    "instrument", "organization"
                ),
            ),
            Prefetch(
                "quotations",
                queryset=apps.get_model("archive", "Quotation")
                .objects.filter(release.published_q("press_release__"))
                .select_related("press_release"),
            ),
            Prefetch(
                "press_contacts",
                queryset=apps.get_model("archive", "PressContact")
                .objects.filter(release.published_q("press_release__"))
                .select_related("press_release", "organization"),
            ),
        )


class TopicListView(AlternatesMixin, ListView):
    template_name = "dialogue/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.annotate(
            meeting_count=public_count("meetings", Meeting),
            instrument_count=public_count("instruments", Instrument),
            press_release_count=public_count("press_releases", apps.get_model("archive", "PressRelease")),
        ).order_by("name")


class TopicDetailView(TranslatedSlugDetailMixin, DetailView):
    template_name = "dialogue/topic_detail.html"
    context_object_name = "topic"

    def get_queryset(self):
        return Topic.objects.prefetch_related(
            Prefetch("dialogues", queryset=Dialogue.objects.published().order_by("order")),
            Prefetch("meetings", queryset=Meeting.objects.published().for_list().order_by("-start_date")),
            Prefetch("instruments", queryset=Instrument.objects.published().register().order_by("-reference_date")),
            press_releases_prefetch(),
        )
