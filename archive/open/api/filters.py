"""Filters of the API's lists: the public lists' own FilterSets, and a few for the lists that have no page filter.

The OpenAPI parameters of each list are derived from its FilterSet (``parameters_of``): one
declaration, for the pages, the API and its description alike.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from archive.filters import PressReleaseFilter
from dialogue.filters import InstrumentFilter, MeetingFilter
from dialogue.models import DelegationMember, Meeting, Organization, Party, Person


class PersonFilter(django_filters.FilterSet):
    """People by party."""

    party = django_filters.ModelChoiceFilter(
        field_name="party", queryset=Party.objects.all(), to_field_name="code", label=_("Party (FR, JP)")
    )

    class Meta:
        model = Person
        fields = ["party"]


class OrganizationFilter(django_filters.FilterSet):
    """Organizations by party, kind and parent."""

    party = django_filters.ModelChoiceFilter(
        field_name="party", queryset=Party.objects.all(), to_field_name="code", label=_("Party (FR, JP)")
    )
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"))
    parent = django_filters.ModelChoiceFilter(
        field_name="parent",
        queryset=Organization.objects.all(),
        to_field_name="key",
        label=_("Parent organization (key)"),
    )

    class Meta:
        model = Organization
        fields = ["party", "kind", "parent"]


class MembershipFilter(django_filters.FilterSet):
    """Memberships by person, organization, meeting and party."""

    person = django_filters.ModelChoiceFilter(
        field_name="person", queryset=Person.objects.all(), to_field_name="key", label=_("Person (key)")
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="organization",
        queryset=Organization.objects.all(),
        to_field_name="key",
        label=_("Organization (key)"),
    )
    meeting = django_filters.ModelChoiceFilter(
        field_name="delegation__meeting", queryset=Meeting.objects.all(), to_field_name="key", label=_("Meeting (key)")
    )
    party = django_filters.ModelChoiceFilter(
        field_name="delegation__party", queryset=Party.objects.all(), to_field_name="code", label=_("Party (FR, JP)")
    )

    class Meta:
        model = DelegationMember
        fields = ["person", "organization", "meeting", "party"]


def parameters_of(filterset_class) -> list[dict]:
    """The OpenAPI query parameters of a FilterSet: one per filter, with its choices where it has some."""
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        schema: dict = {"type": "string"}
        if isinstance(declared, django_filters.NumberFilter):
            schema = {"type": "integer"}
            if "min_value" in declared.extra:
                schema["minimum"] = declared.extra["min_value"]
            if "max_value" in declared.extra:
                schema["maximum"] = declared.extra["max_value"]
        elif isinstance(declared, django_filters.ModelChoiceFilter):
            schema = {"type": "string", "description": f"by {declared.extra.get('to_field_name', 'pk')}"}
        elif "choices" in declared.extra and not callable(declared.extra["choices"]):
            schema = {"type": "string", "enum": [str(value) for value, _label in declared.extra["choices"]]}
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": str(declared.label or name),
                "schema": schema,
            }
        )
    return parameters


FILTERS = {
    "meetings": MeetingFilter,
    "instruments": InstrumentFilter,
    "press-releases": PressReleaseFilter,
    "people": PersonFilter,
    "organizations": OrganizationFilter,
    "memberships": MembershipFilter,
}
