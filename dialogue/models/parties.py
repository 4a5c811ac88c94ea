"""The actors of the relationship: parties, organizations, people, and the shared topics."""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from editorial.i18n import current_language, fold_text, text_in
from editorial.limits import RELATED_LIMIT
from editorial.models import (
    KeyedManager,
    KeyedModel,
    NaturalKeyManager,
    NaturalKeyModel,
    Referenced,
    ReferencedManager,
    ReferencedQuerySet,
    TranslatableQuerySet,
)


class Party(NaturalKeyModel):
    """A side of the bilateral relationship (France, Japan), shown in a fixed order."""

    code = models.CharField(
        _("country code"),
        max_length=2,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 code, in capitals: FR, JP."),
    )
    name = models.CharField(_("name"), max_length=100)
    adjective = models.CharField(
        _("adjective"),
        max_length=100,
        help_text=_("As in “the Japanese side”: japonais / Japanese."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Pages that show both sides show them in this order.")
    )

    natural_key_fields = ("code",)
    #: Reference data kept by administrators: the editorial roles may only view it.
    editorial_role = "view"

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = pgettext_lazy("side of a bilateral relationship", "party")
        verbose_name_plural = pgettext_lazy("sides of a bilateral relationship", "parties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"),
                name="party_code_two_capitals",
                violation_error_message=_("The country code must be two capital letters, such as FR or JP."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def side(self):
        """“Japanese side” / “côté japonais”: the phrase and the adjective in the same, active language."""
        return _("%(adjective)s side") % {"adjective": text_in(self, "adjective")}


class TopicQuerySet(TranslatableQuerySet):
    def with_counts(self):
        """Each topic with the number of public meetings and instruments filed under it."""
        from .instruments import Instrument
        from .meetings import Meeting

        return self.annotate(
            meeting_count=public_count(Meeting.topics), instrument_count=public_count(Instrument.topics)
        )

    def for_page(self):
        """With what a topic's page shows: its public dialogues, meetings and instruments."""
        from .instruments import Instrument
        from .meetings import Dialogue, Meeting

        return self.prefetch_related(
            Prefetch("dialogues", queryset=Dialogue.objects.published().order_by("order")),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.published().for_list().order_by("-start_date")[:RELATED_LIMIT],
                to_attr="public_meetings",
            ),
            Prefetch(
                "instruments",
                queryset=Instrument.objects.published().register().order_by("-reference_date")[:RELATED_LIMIT],
                to_attr="public_instruments",
            ),
        )


def public_count(relation) -> Subquery:
    """The number of public items naming each row through ``relation`` (``Meeting.topics``…).

    A subquery of its own for each relation: counted in one query, the relations of a row were joined
    together, a row for each of its meetings × instruments × press releases before the count, which
    grew with the cube of a topic's items (seconds for a topic with a hundred of each).
    """
    field = relation.field
    items = (
        field.model._default_manager.filter(field.model.published_q(), **{field.name: OuterRef("pk")})
        .order_by()
        .annotate(counted=Func(F("pk"), function="COUNT"))
        .values("counted")
    )
    return Subquery(items, output_field=IntegerField())


class OrganizationQuerySet(ReferencedQuerySet):
    def for_page(self):
        """With what an organization's page shows: its public units, and where public items name it."""
        from .instruments import Instrument, InstrumentSignatory
        from .meetings import Delegation, DelegationMember, Meeting

        return self.select_related("party", "parent").prefetch_related(
            Prefetch("children", queryset=Organization.objects.published().select_related("party").order_by("name")),
            Prefetch(
                "delegations",
                queryset=Delegation.objects.filter(Meeting.published_q("meeting__"))
                .select_related("meeting__dialogue", "meeting__host", "party")
                .order_by("-meeting__start_date")[:RELATED_LIMIT],
                to_attr="public_delegations",
            ),
            Prefetch(
                "memberships",
                queryset=DelegationMember.objects.filter(Meeting.published_q("delegation__meeting__"))
                .select_related("person", "delegation__meeting__dialogue")
                .order_by("-delegation__meeting__start_date", "order")[:RELATED_LIMIT],
                to_attr="public_memberships",
            ),
            Prefetch(
                "signatures",
                queryset=InstrumentSignatory.objects.filter(Instrument.published_q("instrument__"))
                .select_related("instrument")
                .order_by("-instrument__signed_on", "pk")[:RELATED_LIMIT],
                to_attr="public_signatures",
            ),
        )


class PersonQuerySet(ReferencedQuerySet):
    def for_page(self):
        """With what a person's page shows: the public meetings and instruments that name them."""
        from .instruments import Instrument, InstrumentSignatory
        from .meetings import DelegationMember, Meeting

        return self.select_related("party").prefetch_related(
            Prefetch(
                "memberships",
                queryset=DelegationMember.objects.filter(Meeting.published_q("delegation__meeting__"))
                .select_related("organization__party", "delegation__party", "delegation__meeting__dialogue")
                .order_by("-delegation__meeting__start_date")[:RELATED_LIMIT],
                to_attr="public_memberships",
            ),
            Prefetch(
                "signatures",
                queryset=InstrumentSignatory.objects.filter(Instrument.published_q("instrument__"))
                .select_related("instrument", "organization")
                .order_by("-instrument__signed_on", "pk")[:RELATED_LIMIT],
                to_attr="public_signatures",
            ),
        )


class Topic(KeyedModel):
    """A shared vocabulary for filtering meetings, instruments and press releases."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = KeyedManager.from_queryset(TopicQuerySet)()

    #: The translators' dashboard lists this kind (by the year of this date).
    translation_year_field = None

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dialogue:topic-detail", kwargs={"slug": self.slug})


def with_party(record) -> str:
    """“Ministère de la Défense (MOD) — Japon”: a record's name and its side, to tell namesakes apart."""
    if record.party_id is None:
        return str(record)
    return _("%(name)s — %(party)s") % {"name": record, "party": record.party}


class Organization(Referenced, KeyedModel):
    """A ministry, agency, secretariat, armed force or company taking part in the relationship.

    Public while a public item names it, or one of its units (``Referenced``).
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        AGENCY = "agency", _("agency")
        SECRETARIAT = "secretariat", _("secretariat")
        OFFICE = "office", _("government office")
        ARMED_FORCES = "armed_forces", _("armed forces")
        EMBASSY = "embassy", _("embassy")
        COMPANY = "company", _("company")
        FORUM = "forum", _("international forum")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    party = models.ForeignKey(
        Party,
        verbose_name=pgettext_lazy("side of a bilateral relationship", "party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Leave empty for an organization that belongs to neither side."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)

    public_through_units = "children"

    objects = ReferencedManager.from_queryset(OrganizationQuerySet)()

    #: The translators' dashboard lists this kind (by the year of this date).
    translation_year_field = None

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
        ]

    def __str__(self):
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    def get_absolute_url(self):
        return reverse("dialogue:organization-detail", kwargs={"slug": self.slug})

    @property
    def short_name(self):
        return self.acronym or self.name

    #: Kinds whose names repeat from one country to the other (a ministry of defence on each side).
    GOVERNMENT_KINDS = {"ministry", "agency", "secretariat", "office", "armed_forces"}

    @property
    def country(self) -> str:
        """The side's name, when the organization's name alone would not tell which country it belongs to.

        “Ministère des Affaires étrangères” reads as the French ministry to a French reader: a public
        body whose name, in the page's language, names neither its country nor its nationality is
        shown with it: “Ministère des Affaires étrangères (Japon)”. “Agence d'exploration
        aérospatiale japonaise” and “Ambassade du Japon en France” need nothing more.
        """
        if self.party_id is None or self.kind not in self.GOVERNMENT_KINDS:
            return ""
        party = self.party
        name = fold_text(text_in(self, "name"))
        if any(word and fold_text(word) in name for word in (text_in(party, "name"), text_in(party, "adjective"))):
            return ""
        return text_in(party, "name")

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organization cannot be placed under one of its own units.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


#: (party code, language) in which people's names are written family name first.
FAMILY_NAME_FIRST = {("JP", "en")}


@functools.cache
def family_name_first_parties(language: str) -> frozenset:
    """The ids of the parties whose people are named family name first in ``language``.

    Parties are reference data (two rows, changed by administrators only): read once per process,
    and again after a party is saved, so that no name on a page costs a query.
    """
    codes = {code for code, lang in FAMILY_NAME_FIRST if lang == language}
    return frozenset(Party.objects.filter(code__in=codes).values_list("pk", flat=True))


@receiver(post_save, sender="dialogue.Party")
@receiver(post_delete, sender="dialogue.Party")
def forget_name_orders(**kwargs):
    family_name_first_parties.cache_clear()


class Person(Referenced, KeyedModel):
    """Someone who takes part: a title is recorded per participation, since titles change.

    Public while a public item names them (``Referenced``).
    """

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    honorific = models.CharField(
        _("honorific or rank"),
        max_length=100,
        blank=True,
        help_text=_("M., Mme, Général… / Mr, Ms, Air Marshal…"),
    )
    slug = models.SlugField(_("slug"), max_length=200, blank=True)
    party = models.ForeignKey(
        Party,
        verbose_name=pgettext_lazy("side of a bilateral relationship", "party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )

    objects = ReferencedManager.from_queryset(PersonQuerySet)()

    #: The translators' dashboard lists this kind (by the year of this date).
    translation_year_field = None

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("dialogue:person-detail", kwargs={"slug": self.slug})

    def slug_text(self, language):
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self):
        """The name as the page's language writes it, family name in capitals.

        One convention per language, as the seeds do: French writes the given name first
        (“Toshiro IIJIMA”, “Fumio KISHIDA”); English writes Japanese names family name first, as
        Japan's government and the 2023 joint release do (“IIJIMA Toshiro”, “KISHIDA Fumio”), and
        every other name given name first (“Jean-Yves LE GALL”).
        """
        family, given = self.family_name.upper(), self.given_name
        if self.party_id in family_name_first_parties(current_language()):
            return f"{family} {given}".strip()
        return f"{given} {family}".strip()

    @property
    def sort_name(self):
        return f"{self.family_name.upper()}, {self.given_name}"
