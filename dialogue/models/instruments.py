"""Instruments: letters of intent, arrangements, agreements, roadmaps, and their life cycle."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from editorial.fields import HTMLField
from editorial.formatting import partial_date
from editorial.i18n import ORIGINAL_LANGUAGES
from editorial.models import (
    DatePrecision,
    KeyedModel,
    NaturalKeyModel,
    Original,
    Publishable,
    PublishableManager,
    PublishableQuerySet,
)
from editorial.uploads import DOCUMENT_KINDS, RandomName, UploadValidator

from . import grammar
from .meetings import Dialogue, Meeting
from .parties import Organization, Party, Person, Topic

#: The steps of an instrument's life cycle, in order, as (date field, label).
LIFE_CYCLE = (
    ("negotiations_opened_on", _("negotiations opened")),
    ("signed_on", _("signed")),
    ("in_force_on", _("entered into force")),
    ("ended_on", _("ended")),
)


def _dates_in_order():
    """A condition true when every known life-cycle date is on or after every earlier one."""
    condition = Q()
    fields = [name for name, _label in LIFE_CYCLE]
    for index, earlier in enumerate(fields):
        for later in fields[index + 1 :]:
            condition &= (
                Q(**{f"{earlier}__isnull": True})
                | Q(**{f"{later}__isnull": True})
                | Q(**{f"{later}__gte": F(earlier)})
            )
    return condition


class InstrumentQuerySet(PublishableQuerySet):
    def register(self):
        """With ``reference_date`` (signature, else the first known step) and its ``year``, for lists."""
        return self.select_related("dialogue").annotate(
            reference_date=Coalesce("signed_on", "negotiations_opened_on", "in_force_on", "ended_on"),
            year=ExtractYear(Coalesce("signed_on", "negotiations_opened_on", "in_force_on", "ended_on")),
        )

    def for_page(self):
        """With what an instrument's page shows: signatories by side, documents, public relations, topics."""
        return self.select_related("dialogue", "signed_at__dialogue").prefetch_related(
            Prefetch(
                "signatories",
                queryset=InstrumentSignatory.objects.select_related("party", "person", "organization__party").order_by(
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
            "topics",
        )

    def in_year(self, year: int):
        """Instruments with a step of their life cycle in ``year``."""
        condition = Q()
        for name, _label in LIFE_CYCLE:
            condition |= Q(**{f"{name}__year": year})
        return self.filter(condition)


class Instrument(Publishable, Original, KeyedModel):
    """A text that binds or commits the parties, with the dates of each step of its life cycle."""

    class Kind(models.TextChoices):
        LETTER_OF_INTENT = "letter_of_intent", _("letter of intent")
        TECHNICAL_ARRANGEMENT = "technical_arrangement", _("technical arrangement")
        AGREEMENT = "agreement", _("agreement")
        MEMORANDUM = "memorandum", _("memorandum of understanding")
        ROADMAP = "roadmap", _("roadmap")
        JOINT_STATEMENT = "joint_statement", _("joint statement")

    class Status(models.TextChoices):
        UNDER_NEGOTIATION = "under_negotiation", _("under negotiation")
        SIGNED = "signed", _("signed")
        IN_FORCE = "in_force", _("in force")
        TERMINATED = "terminated", _("terminated")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED)
    title = models.CharField(_("title"), max_length=500)
    short_title = models.CharField(
        _("short title"), max_length=150, blank=True, help_text=_("A common name or acronym: ACSA, RAA…")
    )
    slug = models.SlugField(_("slug"), max_length=255, blank=True)
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialogue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
    )
    negotiations_opened_on = models.DateField(_("negotiations opened on"), null=True, blank=True)
    negotiations_opened_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    signed_on = models.DateField(pgettext_lazy("instrument", "signed on"), null=True, blank=True)
    signed_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    in_force_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place_of_signature = models.CharField(_("place of signature"), max_length=150, blank=True)
    signed_at = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting where signed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instruments_signed",
    )
    summary = HTMLField(_("summary"), blank=True)
    text_pdf = models.FileField(
        _("text (PDF)"),
        upload_to=RandomName("instruments"),
        validators=[UploadValidator(*DOCUMENT_KINDS)],
        blank=True,
        max_length=255,
        help_text=_("The text of the instrument in this language, as a PDF file."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="instruments")
    parties = models.ManyToManyField(
        Party,
        verbose_name=_("parties to the instrument"),
        blank=True,
        related_name="instruments",
        help_text=_("The sides the instrument binds or commits: both, for a bilateral instrument, whoever signed it."),
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related instruments"),
        through="InstrumentRelation",
        symmetrical=False,
        blank=True,
        related_name="related_from",
    )

    objects = PublishableManager.from_queryset(InstrumentQuerySet)()

    publication_parents = ("dialogue",)

    #: The translators' dashboard lists this kind (by the year of this date).
    translation_year_field = "signed_on"

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        permissions = [("publish_instrument", _("Can publish and withdraw instruments"))]
        constraints = [
            models.CheckConstraint(
                condition=_dates_in_order(),
                name="instrument_dates_in_life_cycle_order",
                violation_error_message=_(
                    "The dates must follow the life cycle: negotiations, signature, entry into force, end."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="under_negotiation") | Q(signed_on__isnull=True),
                name="instrument_under_negotiation_not_signed",
                violation_error_message=_("An instrument under negotiation cannot have a date of signature."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(status="terminated"),
                name="instrument_ended_is_terminated",
                violation_error_message=_("An instrument with an end date must have the status “terminated”."),
            ),
        ]
        indexes = [models.Index(fields=["signed_on"], name="instrument_signed_on_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dialogue:instrument-detail", kwargs={"slug": self.slug})

    def slug_text(self, language):
        return getattr(self, f"title_{language}", "") or ""

    def text_pdfs(self):
        """[(language code, language name, file)] of the PDF texts this instrument carries."""
        return [
            (code, name, getattr(self, f"text_pdf_{code}"))
            for code, name in settings.LANGUAGES
            if getattr(self, f"text_pdf_{code}", None)
        ]

    def clean(self):
        super().clean()
        errors = {}
        known = [(name, label, getattr(self, name)) for name, label in LIFE_CYCLE if getattr(self, name)]
        for index, (name, label, value) in enumerate(known):
            for _earlier_name, earlier_label, earlier_value in known[:index]:
                if value < earlier_value:
                    errors.setdefault(name, []).append(
                        _("The date “%(step)s” cannot be before the date “%(earlier)s”.")
                        % {"step": label, "earlier": earlier_label}
                    )
        if self.status == self.Status.UNDER_NEGOTIATION and self.signed_on:
            errors.setdefault("status", []).append(
                _("An instrument under negotiation cannot have a date of signature.")
            )
        if self.ended_on and self.status != self.Status.TERMINATED:
            errors.setdefault("status", []).append(
                _("An instrument with an end date must have the status “terminated”.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def life_cycle(self):
        """The known steps, in order, as (label, formatted date) pairs in the active language.

        The labels agree with the noun of the instrument's kind (“signée” for a roadmap).
        """
        return [
            (grammar.step_label(self.kind, name), partial_date(value, precision))
            for name, _label, value, precision in self.steps()
        ]

    @property
    def status_label(self) -> str:
        """The status, agreeing with the noun of the kind: “signée” for a roadmap, “signé” for an agreement."""
        return grammar.status_label(self.kind, self.status)

    @property
    def latest_step(self) -> str:
        """The last known step as a phrase: “signée le 26 juin 2019”, “signed in June 2019”."""
        steps = self.steps()
        if not steps:
            return ""
        name, _label, value, precision = steps[-1]
        return grammar.step_phrase(self.kind, name, partial_date(value, precision), precision)

    def step_label(self, name: str) -> str:
        return grammar.step_label(self.kind, name)

    def steps(self):
        """The known steps, in order, as (field name, label, date, precision)."""
        return [
            (name, label, getattr(self, name), getattr(self, name.replace("_on", "_precision")))
            for name, label in LIFE_CYCLE
            if getattr(self, name)
        ]

    @property
    def display_title(self):
        return self.title

    def signatory_mismatches(self) -> list[tuple]:
        """[(signatory, person or organization)] signing for one side but belonging to the other."""
        found = []
        for signatory in self.signatories.select_related("person__party", "organization__party", "party"):
            for record in (signatory.person, signatory.organization):
                if record is not None and record.party_id not in (None, signatory.party_id):
                    found.append((signatory, record))
        return found


class InstrumentSignatory(NaturalKeyModel):
    """Who signed an instrument, for which party, with the title they held then."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="signatories"
    )
    party = models.ForeignKey(
        Party,
        verbose_name=pgettext_lazy("side of a bilateral relationship", "party"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        help_text=_("Leave empty when the sources name only the authority."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    title = models.CharField(
        _("title or authority"),
        max_length=300,
        blank=True,
        help_text=_("The signatory's title at the time, or the authority as the text names it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    natural_key_fields = ("instrument__key", "order")
    natural_key_dependencies = ("dialogue.instrument",)

    class Meta:
        ordering = ["instrument", "order", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "order"],
                name="instrument_signatory_order_unique",
                violation_error_message=_("Two signatories of this instrument have the same order."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False) | ~Q(title=""),
                name="instrument_signatory_identified",
                violation_error_message=_("Give a person, an organization or an authority."),
            ),
        ]

    def __str__(self):
        return str(self.person or self.organization or self.title)


class InstrumentRelation(NaturalKeyModel):
    """How one instrument relates to another: it implements, amends or supersedes it.

    Recorded once, from the source; read from the target, each kind has its inverse: a source that
    supersedes its target is superseded by it (``inverse_label``, ``label_for``).
    """

    class Kind(models.TextChoices):
        IMPLEMENTS = "implements", _("implements")
        AMENDS = "amends", _("amends")
        SUPERSEDES = "supersedes", _("supersedes")

    #: Each kind as read from the target: “the roadmap is implemented by the arrangement”.
    INVERSE_LABELS = {
        Kind.IMPLEMENTS: _("implemented by"),
        Kind.AMENDS: _("amended by"),
        Kind.SUPERSEDES: _("superseded by"),
    }

    source = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="relations_from"
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    target = models.ForeignKey(
        Instrument, verbose_name=_("related instrument"), on_delete=models.CASCADE, related_name="relations_to"
    )

    natural_key_fields = ("source__key", "kind", "target__key")
    natural_key_dependencies = ("dialogue.instrument",)

    class Meta:
        ordering = ["source", "kind"]
        verbose_name = _("relation between instruments")
        verbose_name_plural = _("relations between instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target"],
                name="instrument_relation_unique",
                violation_error_message=_("This relation is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="instrument_relation_not_to_self",
                violation_error_message=_("An instrument cannot be related to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.source} — {self.get_kind_display()} — {self.target}"

    @property
    def inverse_label(self) -> str:
        """The kind as read from the target: “superseded by”, “amended by”, “implemented by”."""
        return str(self.INVERSE_LABELS.get(self.kind, self.get_kind_display()))

    def label_for(self, instrument) -> str:
        """The relation as read on ``instrument``'s page: “supersedes” on the source, “superseded by” on the target."""
        return self.inverse_label if instrument.pk == self.target_id else self.get_kind_display()

    def other(self, instrument):
        """The instrument at the other end, seen from ``instrument``."""
        return self.source if instrument.pk == self.target_id else self.target


class InstrumentDocument(NaturalKeyModel):
    """The text of an instrument in one language, as published by an official source."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="documents"
    )
    language = models.CharField(
        _("language of the text"),
        max_length=5,
        choices=ORIGINAL_LANGUAGES,
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("address of the text"), max_length=500, help_text=_("An http or https address."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    natural_key_fields = ("instrument__key", "language", "order")
    natural_key_dependencies = ("dialogue.instrument",)

    class Meta:
        ordering = ["instrument", "order", "language"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "language", "order"],
                name="instrument_document_unique",
                violation_error_message=_("This instrument already has a document in this language at this order."),
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="instrument_document_http_url",
                violation_error_message=_("The address must start with http:// or https://."),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.instrument} ({self.get_language_display()})"
