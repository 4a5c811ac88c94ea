"""Filters of the public lists. Values are readable keys (space, ssa, FR) so filtered URLs can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Dialogue, Instrument, Meeting, Organization, Party, Person, Topic


class YearFilter(django_filters.NumberFilter):
    """A four-digit year; anything else is a form error, never a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1000)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


def dialogue_filter(field_name="dialogue"):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=lambda request: Dialogue.objects.published().order_by("order", "pk"),  # “now” at each request
        to_field_name="key",
        label=_("Dialogue"),
        empty_label=_("All dialogues"),
    )


def topic_filter():
    return django_filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="key",
        label=_("Topic"),
        empty_label=_("All topics"),
        distinct=True,
    )


class MeetingFilter(django_filters.FilterSet):
    """Meetings by dialogue, year, host party and kind."""

    dialogue = dialogue_filter()
    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("Year"))
    host = django_filters.ModelChoiceFilter(
        field_name="host",
        queryset=Party.objects.all(),
        to_field_name="code",
        label=_("Host"),
        empty_label=_("Either side"),
    )
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, label=_("Kind"), empty_label=_("All kinds"))
    topic = topic_filter()
    # Reached from a person's or an organization's page (“all the meetings…”): kept, not offered.
    person = django_filters.ModelChoiceFilter(
        field_name="delegations__members__person",
        queryset=Person.objects.all(),
        to_field_name="key",
        widget=forms.HiddenInput,
        distinct=True,
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="delegations__organizations",
        queryset=Organization.objects.all(),
        to_field_name="key",
        widget=forms.HiddenInput,
        distinct=True,
    )

    class Meta:
        model = Meeting
        fields = ["dialogue", "year", "host", "kind", "topic", "person", "organization"]


class InstrumentFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and first > last:
            raise forms.ValidationError(_("The first year cannot be after the last year."), code="year_range")
        return data


class InstrumentFilter(django_filters.FilterSet):
    """The instrument register: by kind, status, dialogue, party, year range and topic, sortable.

    The queryset must carry ``year`` and ``reference_date`` (``Instrument.objects.register()``).
    """

    kind = django_filters.ChoiceFilter(choices=Instrument.Kind.choices, label=_("Kind"), empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        choices=Instrument.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    dialogue = dialogue_filter()
    party = django_filters.ModelChoiceFilter(
        queryset=Party.objects.all(),
        to_field_name="code",
        label=pgettext_lazy("side of a bilateral relationship", "Party"),
        empty_label=_("Either side"),
        method="filter_party",
    )
    year_from = YearFilter(field_name="year", lookup_expr="gte", label=_("From year"))
    year_to = YearFilter(field_name="year", lookup_expr="lte", label=_("To year"))
    topic = topic_filter()
    sort = django_filters.OrderingFilter(
        fields=(("title", "title"), ("kind", "kind"), ("status", "status"), ("reference_date", "date")),
        label=_("Sort by"),
        field_labels={"title": _("Title"), "kind": _("Kind"), "status": _("Status"), "reference_date": _("Date")},
        empty_label=_("Default order"),
    )

    def filter_party(self, queryset, name, value):
        """The instruments that bind the side, whether or not a signatory of it is recorded (the ACSA)."""
        return queryset.filter(Q(parties=value) | Q(signatories__party=value)).distinct()

    class Meta:
        model = Instrument
        form = InstrumentFilterForm
        fields = ["kind", "status", "dialogue", "party", "year_from", "year_to", "topic"]
