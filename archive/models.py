"""What is published about the relationship: press releases and news items."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.fields import HTMLField
from dialogue.formatting import partial_date
from dialogue.models import DatePrecision, Dialogue, Instrument, KeyedModel, Meeting, Organization, Person, Topic
from dialogue.models.publication import Publishable, PublishableManager
from dialogue.uploads import IMAGE_KINDS, RandomName, UploadValidator


class PressRelease(Publishable, KeyedModel):
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
    image = models.FileField(
        _("image"),
        upload_to=RandomName("press-releases"),
        validators=[UploadValidator(*IMAGE_KINDS)],
        blank=True,
        max_length=255,
        help_text=_("JPEG, PNG or WebP."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_credit = models.CharField(_("image credit"), max_length=255, blank=True)
    press_office_url = models.URLField(_("press office website"), blank=True)
    original_language = models.CharField(
        _("original language"),
        max_length=5,
        choices=settings.LANGUAGES,
        help_text=_("The language the release was first written in; the other is a translation."),
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

    objects = PublishableManager()

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
        ]
        indexes = [models.Index(fields=["date"], name="press_release_date_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("archive:press-release-detail", kwargs={"slug": self.slug})

    def slug_text(self, language):
        return getattr(self, f"title_{language}", "") or ""

    @property
    def date_display(self):
        return partial_date(self.date, self.date_precision)


class QuotationManager(models.Manager):
    def get_by_natural_key(self, press_release_key, order):
        return self.get(press_release__key=press_release_key, order=order)


class Quotation(models.Model):
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

    objects = QuotationManager()

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

    def natural_key(self):
        return (*self.press_release.natural_key(), self.order)

    natural_key.dependencies = ["archive.pressrelease"]


class PressContactManager(models.Manager):
    def get_by_natural_key(self, press_release_key, order):
        return self.get(press_release__key=press_release_key, order=order)


class PressContact(models.Model):
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

    objects = PressContactManager()

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

    def natural_key(self):
        return (*self.press_release.natural_key(), self.order)

    natural_key.dependencies = ["archive.pressrelease"]


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
