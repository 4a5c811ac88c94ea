"""Public pages of the relationship: dialogues, meetings, instruments, organizations, people, topics.

Each view reads through a fixed set of queries (the models' ``for_page()`` and ``for_list()``
QuerySet methods), so a page costs the same number of queries whatever the size of the archive.
Other apps add related lists to these pages through ``dialogue.extensions``.
"""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from editorial.i18n import text_in
from editorial.pagecache import cached
from editorial.views import AlternatesMixin, TranslatedSlugDetailMixin, requested_page

from . import extensions
from .filters import InstrumentFilter, MeetingFilter
from .models import Dialogue, Instrument, Meeting, Organization, Person, Topic
from .models.meetings import with_meeting_figures


class CountedPaginator(Paginator):
    """A paginator whose total is kept until the archive changes (``editorial.pagecache.cached``):
    counting the public rows of a big table on every request is what made lists slow at scale."""

    count_key: str | None = None

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        return cached(self.count_key, lambda: Paginator.count.func(self))


class ExtendedPageMixin:
    """A page other apps may add blocks to (``dialogue.extensions.Block``), under its name ``page``."""

    page = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_blocks"] = extensions.blocks_of(self.page, self.request, getattr(self, "object", None))
        return context


def crumb(label, url_name) -> tuple[str, str]:
    return (label, reverse(url_name))


class PaginatedFilterView(ExtendedPageMixin, AlternatesMixin, FilterView):
    """A filtered, paginated list; an invalid filter value shows on the form and lists nothing.

    Any ``?page=`` shows a page: the one asked for, else the first (not a number) or the last
    (past the end), as the search page does. A form with errors is never cached: its answer says
    what to correct, for this query only.
    """

    paginate_by = 20
    strict = True
    paginator_class = CountedPaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        paginator = super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)
        form = self.filterset.form
        if not form.is_bound:  # no query string: the whole list (an unbound form is never "valid")
            paginator.count_key = f"count:{type(self).__name__}:[]"
        elif form.is_valid():
            values = sorted(
                (name, str(getattr(value, "pk", value)))
                for name, value in form.cleaned_data.items()
                if name != "sort" and value not in (None, "", [])
            )
            paginator.count_key = f"count:{type(self).__name__}:{values}"
        return paginator

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.filterset.form.errors:
            patch_cache_control(response, no_store=True, private=True)
        return response

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


class ExtendedDetailMixin(ExtendedPageMixin, TranslatedSlugDetailMixin):
    """A detail page that other apps may add related lists and blocks to (``dialogue.extensions``), under ``page``."""

    def page_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.page_queryset().prefetch_related(*extensions.prefetches(self.page))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["extra_sections"] = extensions.sections_of(self.page, self.object)
        return context


class DialogueListView(ExtendedPageMixin, AlternatesMixin, ListView):
    template_name = "dialogue/dialogue_list.html"
    context_object_name = "dialogues"
    page = "dialogue-list"

    def get_queryset(self):
        return with_meeting_figures(Dialogue.objects.published().order_by("order", "pk"))


class DialogueDetailView(ExtendedDetailMixin, DetailView):
    template_name = "dialogue/dialogue_detail.html"
    context_object_name = "dialogue"
    page = "dialogue"

    def get_breadcrumbs(self):
        return [crumb(_("Dialogues"), "dialogue:dialogue-list")]

    def page_queryset(self):
        return self.public(Dialogue.objects).for_page()


class MeetingListView(PaginatedFilterView):
    template_name = "dialogue/meeting_list.html"
    filterset_class = MeetingFilter
    page = "meeting-list"

    def get_queryset(self):
        return Meeting.objects.published().for_list().order_by("-start_date", "pk")


class MeetingDetailView(ExtendedDetailMixin, DetailView):
    template_name = "dialogue/meeting_detail.html"
    context_object_name = "meeting"
    page = "meeting"

    def get_breadcrumbs(self):
        dialogue = self.object.dialogue
        return [
            crumb(_("Meetings"), "dialogue:meeting-list"),
            (text_in(dialogue, "name"), dialogue.get_absolute_url()),
        ]

    def page_queryset(self):
        return self.public(Meeting.objects).for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        context["previous_session"], context["next_session"] = meeting.neighbouring_sessions()
        signed_here = {instrument.pk for instrument in meeting.public_instruments_signed}
        context["dialogue_instruments"] = [
            instrument for instrument in meeting.dialogue_instruments() if instrument.pk not in signed_here
        ]
        return context


class InstrumentListView(PaginatedFilterView):
    template_name = "dialogue/instrument_list.html"
    filterset_class = InstrumentFilter
    paginate_by = 25
    page = "instrument-list"

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


class InstrumentDetailView(ExtendedDetailMixin, DetailView):
    template_name = "dialogue/instrument_detail.html"
    context_object_name = "instrument"
    page = "instrument"

    def get_breadcrumbs(self):
        return [crumb(_("Register of instruments"), "dialogue:instrument-list")]

    def page_queryset(self):
        return self.public(Instrument.objects).for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object.signed_at
        context["signed_at"] = meeting if meeting is not None and meeting.is_public() else None
        return context


class OrganizationListView(ExtendedPageMixin, AlternatesMixin, ListView):
    template_name = "dialogue/organization_list.html"
    context_object_name = "organizations"
    page = "organization-list"

    def get_queryset(self):
        return Organization.objects.published().select_related("party").order_by("party__order", "party", "name")


class OrganizationDetailView(ExtendedDetailMixin, DetailView):
    template_name = "dialogue/organization_detail.html"
    context_object_name = "organization"
    page = "organization"

    def get_breadcrumbs(self):
        return [crumb(_("Organizations"), "dialogue:organization-list")]

    def page_queryset(self):
        return self.public(Organization.objects).for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parent = self.object.parent
        context["parent_is_public"] = parent is not None and parent.is_public()
        return context


class PersonListView(ExtendedPageMixin, AlternatesMixin, ListView):
    template_name = "dialogue/person_list.html"
    context_object_name = "people"
    page = "person-list"

    def get_queryset(self):
        return Person.objects.published().select_related("party").order_by("family_name", "given_name")


class PersonDetailView(ExtendedDetailMixin, DetailView):
    template_name = "dialogue/person_detail.html"
    context_object_name = "person"
    page = "person"

    def get_breadcrumbs(self):
        return [crumb(_("People"), "dialogue:person-list")]

    def page_queryset(self):
        return self.public(Person.objects).for_page()


class TopicListView(ExtendedPageMixin, AlternatesMixin, ListView):
    template_name = "dialogue/topic_list.html"
    context_object_name = "topics"
    page = "topic-list"

    def get_queryset(self):
        return Topic.objects.order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = topic_counts()
        for topic in context["topics"]:
            for name, value in counts.get(topic.pk, {}).items():
                setattr(topic, name, value)
            topic.extra_counts = extensions.counts_of("topic-list", topic)
        return context


def topic_counts() -> dict:
    """{topic pk: {count name: number}} of the public items filed under each topic, kept until the archive changes."""

    def compute():
        extra = extensions.annotations("topic-list")
        rows = Topic.objects.with_counts().annotate(**extra).values("pk", "meeting_count", "instrument_count", *extra)
        return {row.pop("pk"): row for row in rows}

    return cached("topic-counts", compute)


class TopicDetailView(ExtendedDetailMixin, DetailView):
    template_name = "dialogue/topic_detail.html"
    context_object_name = "topic"
    page = "topic"

    def get_breadcrumbs(self):
        return [crumb(_("Topics"), "dialogue:topic-list")]

    def page_queryset(self):
        return Topic.objects.for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        context["is_empty"] = not (
            topic.dialogues.all()
            or topic.public_meetings
            or topic.public_instruments
            or any(section["items"] for section in context["extra_sections"])
        )
        return context


__all__ = ["CountedPaginator", "ExtendedPageMixin", "PaginatedFilterView", "crumb"]
