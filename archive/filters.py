"""Filters of the press-release list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from dialogue.filters import YearFilter, dialogue_filter, topic_filter
from dialogue.models import Organization

from .models import PressRelease


class PressReleaseFilter(django_filters.FilterSet):
    """Press releases by year, kind, issuer, dialogue and topic."""

    year = YearFilter(field_name="date", lookup_expr="year", label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=PressRelease.Kind.choices, label=_("Kind"), empty_label=_("All kinds"))
    issuer = django_filters.ModelChoiceFilter(
        field_name="issuers",
        queryset=lambda request: (
            Organization.objects.filter(PressRelease.published_q("press_releases__")).distinct().order_by("name")
        ),
        to_field_name="key",
        label=_("Issuer"),
        empty_label=_("All issuers"),
        distinct=True,
    )
    dialogue = dialogue_filter("dialogues")
    topic = topic_filter()

    class Meta:
        model = PressRelease
        fields = ["year", "kind", "issuer", "dialogue", "topic"]
