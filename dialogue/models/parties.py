"""The actors of the relationship: parties, organizations, people, and the shared topics."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import KeyedManager, KeyedModel


class PartyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Party(models.Model):
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

    objects = PartyManager()

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

    def natural_key(self):
        return (self.code,)

    @property
    def side(self):
        """“Japanese side” / “côté japonais”."""
        return _("%(adjective)s side") % {"adjective": self.adjective}


class Topic(KeyedModel):
    """A shared vocabulary for filtering meetings, instruments and press releases."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dialogue:topic-detail", kwargs={"slug": self.slug})


class Organization(KeyedModel):
    """A ministry, agency, secretariat, armed force or company taking part in the relationship."""

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

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organization cannot be placed under one of its own units.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Person(KeyedModel):
    """Someone who takes part: a title is recorded per participation, since titles change."""

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

    objects = KeyedManager()

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
        """Given name then family name in capitals, as the seeds write it: Toshiro IIJIMA."""
        return f"{self.given_name} {self.family_name.upper()}".strip()

    @property
    def sort_name(self):
        return f"{self.family_name.upper()}, {self.given_name}"
