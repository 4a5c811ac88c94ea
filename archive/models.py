"""What is published about the relationship: press releases and news items."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models import Dialogue, Instrument, Meeting, Organization, Person, Topic
from editorial.fields import HTMLField
from editorial.formatting import partial_date
from editorial.i18n import ORIGINAL_LANGUAGES
from editorial.models import (
    DatePrecision,
    Illustrated,
    KeyedModel,
    NaturalKeyModel,
    Original,
    Publishable,
    PublishableManager,
    PublishableQuerySet,
    register_reference,
)


class PressReleaseQuerySet(PublishableQuerySet):
    def for_page(self):
        """With what a press release's page shows: issuers, quotations, contacts, and the public items it is about."""
        return self.prefetch_related(
            Prefetch("issuers", queryset=Organization.objects.select_related("party")),
            Prefetch("quotations", queryset=Quotation.objects.select_related("speaker").order_by("order")),
            Prefetch(
                "contacts", queryset=PressContact.objects.select_related("person", "organization").order_by("order")
            ),
            Prefetch("meetings", queryset=Meeting.objects.published().for_list().order_by("start_date")),
            Prefetch("instruments", queryset=Instrument.objects.published().register().order_by("reference_date")),
            Prefetch("dialogues", queryset=Dialogue.objects.published().order_by("order")),
            "topics",
            Prefetch("people", queryset=Person.objects.order_by("family_name", "given_name")),
            Prefetch("organizations", queryset=Organization.objects.select_related("party").order_by("name")),
        )


class PressRelease(Publishable, Original, Illustrated, KeyedModel):
    """A news item, press release, joint press release or statement, with its dateline."""

    class Kind(models.TextChoices):
        NEWS_ITEM = "news_item", _("news item")
        PRESS_RELEASE = "press_release", _("press release")
        JOINT_PRESS_RELEASE = "joint_press_release", _("joint press release")
        STATEMENT = "statement", _("statement")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.PRESS_RELEASE)
    reference = models.CharField(
        _("reference number"), max_length=50, blank=True, help_text=_("As printed on the release: PR051 – 2016.")
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Choose “year” when the source gives only the year of publication."),
    )
    place = models.CharField(_("place"), max_length=100, blank=True, help_text=_("The city of the dateline."))
    issuers = models.ManyToManyField(
        Organization, verbose_name=_("issuing organizations"), blank=True, related_name="press_releases"
    )
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=255, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = HTMLField(_("body"), blank=True)
    press_office_url = models.URLField(_("press office website"), blank=True)
    original_language = models.CharField(  # required here: a release always says who wrote it first
        _("original language"),
        max_length=5,
        choices=ORIGINAL_LANGUAGES,
        help_text=_("The language the release was first written in; the others are translations."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The release in the archive that this one translates, when both versions are published."),
    )
    meetings = models.ManyToManyField(
        Meeting, verbose_name=_("related meetings"), blank=True, related_name="press_releases"
    )
    instruments = models.ManyToManyField(
        Instrument, verbose_name=_("related instruments"), blank=True, related_name="press_releases"
    )
    dialogues = models.ManyToManyField(
        Dialogue, verbose_name=_("related dialogues"), blank=True, related_name="press_releases"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="press_releases")
    people = models.ManyToManyField(
        Person,
        verbose_name=_("people named"),
        blank=True,
        related_name="press_releases_naming",
        help_text=_("People the release speaks of, other than those quoted or given as contacts."),
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations named"),
        blank=True,
        related_name="press_releases_naming",
        help_text=_("Organizations the release speaks of, other than its issuers."),
    )

    objects = PublishableManager.from_queryset(PressReleaseQuerySet)()

    upload_folder = "press-releases"

    #: The translators' dashboard lists this kind (by the year of this date).
    translation_year_field = "date"

    class Meta:
        ordering = ["-date", "-pk"]
        get_latest_by = "date"
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        permissions = [("publish_pressrelease", _("Can publish and withdraw press releases"))]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="press_release_reference_unique",
                violation_error_message=_("Another press release already has this reference number."),
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")),
                name="press_release_not_own_translation",
                violation_error_message=_("A press release cannot be a translation of itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["date"], name="press_release_date_idx"),
            # The public lists, newest first: read in order from the published rows alone.
            models.Index(
                fields=["-date", "-id"], name="press_release_public_idx", condition=Q(publication_status="published")
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("archive:press-release-detail", kwargs={"slug": self.slug})

    def slug_text(self, language):
        return getattr(self, f"title_{language}", "") or ""

    @property
    def date_display(self):
        return partial_date(self.date, self.date_precision)

    def clean(self):
        super().clean()
        original = self.translation_of
        if original is None:
            return
        seen = set()
        while original is not None and original.pk not in seen:
            if self.pk and original.pk == self.pk:
                raise ValidationError(
                    {"translation_of": _("This release cannot translate a release that translates it.")}
                )
            seen.add(original.pk)
            original = original.translation_of
        if self.translation_of.original_language == self.original_language:
            raise ValidationError(
                {
                    "translation_of": _(
                        "A translation is first written in another language than its original: change the "
                        "original language of one of them."
                    )
                }
            )


class Quotation(NaturalKeyModel):
    """Words quoted in a press release, with who said them and in what capacity."""

    press_release = models.ForeignKey(
        PressRelease, verbose_name=_("press release"), on_delete=models.CASCADE, related_name="quotations"
    )
    speaker = models.ForeignKey(
        Person, verbose_name=_("speaker"), on_delete=models.PROTECT, null=True, blank=True, related_name="quotations"
    )
    speaker_title = models.CharField(_("speaker's title"), max_length=300, blank=True)
    text = models.TextField(_("quotation"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    natural_key_fields = ("press_release__key", "order")
    natural_key_dependencies = ("archive.pressrelease",)

    class Meta:
        ordering = ["press_release", "order"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        constraints = [
            models.UniqueConstraint(
                fields=["press_release", "order"],
                name="quotation_order_unique",
                violation_error_message=_("Two quotations of this press release have the same order."),
            ),
        ]

    def __str__(self):
        return f"{self.speaker or ''}: {self.text[:60]}"


class PressContact(NaturalKeyModel):
    """A press officer to call or write to about a release."""

    press_release = models.ForeignKey(
        PressRelease, verbose_name=_("press release"), on_delete=models.CASCADE, related_name="contacts"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="press_contacts"
    )
    role = models.CharField(_("role"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="press_contacts",
    )
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    natural_key_fields = ("press_release__key", "order")
    natural_key_dependencies = ("archive.pressrelease",)

    class Meta:
        ordering = ["press_release", "order"]
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["press_release", "order"],
                name="press_contact_order_unique",
                violation_error_message=_("Two contacts of this press release have the same order."),
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""),
                name="press_contact_reachable",
                violation_error_message=_("Give a telephone number or an e-mail address."),
            ),
        ]

    def __str__(self):
        return str(self.person)


class SearchEntryQuerySet(models.QuerySet):
    def public(self, now=None):
        """Entries of items the public may see now: the index's copy of ``Publishable.published()``."""
        return self.filter(public_from__lte=now or timezone.now())


class SearchEntry(models.Model):
    """One searchable document: an item of the archive as read in one language.

    Built by ``archive.search`` whenever the item or what it shows changes. On PostgreSQL,
    ``vector`` holds the weighted tsvector (title A, lead B, body C) in the language's own
    accent-insensitive configuration, indexed with GIN; on SQLite the ``norm_*`` columns
    (case- and accent-folded) are matched instead.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        INSTRUMENT = "instrument", _("instrument")
        PRESS_RELEASE = "press_release", _("press release")
        ORGANIZATION = "organization", _("organization")
        PERSON = "person", _("person")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    text_language = models.CharField(
        max_length=5, choices=settings.LANGUAGES, help_text="The language the title was found in (fallback)."
    )
    title = models.TextField()
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    norm_title = models.TextField(blank=True)
    norm_lead = models.TextField(blank=True)
    norm_body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField(null=True, blank=True)
    dialogue_ids = models.CharField(max_length=200, blank=True, help_text="Space-separated, as ' 1 4 '.")
    public_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the item becomes public (Publishable.public_since); empty while it is not published.",
    )

    objects = SearchEntryQuerySet.as_manager()
    check_choices = True  # a CHECK constraint per field with choices (editorial.models.constraints)
    editorial_role = "none"  # derived from the items: no role edits it
    vector = SearchVectorField(null=True)
    rank_vector = SearchVectorField(null=True, help_text="Title (A) and lead (B) only: small, so ranking stays cheap.")

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="search_entry_unique"),
        ]
        indexes = [
            models.Index(fields=["language", "kind"], name="search_entry_language_kind"),
            models.Index(fields=["language", "date"], name="search_entry_language_date"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.language})"


# People and organizations are also public while a public press release names them.
register_reference(Person, PressRelease, "quotations__speaker")
register_reference(Person, PressRelease, "contacts__person")
register_reference(Person, PressRelease, "people")
register_reference(Organization, PressRelease, "issuers")
register_reference(Organization, PressRelease, "contacts__organization")
register_reference(Organization, PressRelease, "organizations")


from .pages import SitePage  # noqa: E402 - the site's own pages, a model of this app

__all__ = ["PressContact", "PressRelease", "Quotation", "SearchEntry", "SitePage"]
