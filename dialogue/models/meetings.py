"""Dialogues, their meetings, and the delegations that attend them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, Max, Min, Prefetch, Value, When
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from editorial.fields import HTMLField
from editorial.formatting import date_range, ordinal
from editorial.i18n import text_in
from editorial.limits import RELATED_LIMIT
from editorial.models import (
    Illustrated,
    KeyedModel,
    NaturalKeyModel,
    Original,
    Publishable,
    PublishableManager,
    PublishableQuerySet,
)
from editorial.pagecache import cached

from .parties import Organization, Party, Person, Topic


class DialogueQuerySet(PublishableQuerySet):
    def for_page(self):
        """With what a dialogue's page shows: its public sessions and instruments, its topics."""
        from .instruments import Instrument

        return self.prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.published().select_related("host").order_by("-start_date")[:RELATED_LIMIT],
                to_attr="public_meetings",
            ),
            Prefetch(
                "instruments",
                queryset=Instrument.objects.published().register().order_by("-reference_date")[:RELATED_LIMIT],
                to_attr="public_instruments",
            ),
            "topics",
        )


class Dialogue(Publishable, KeyedModel):
    """A standing track of the relationship: the space dialogue, the “2+2”, the maritime dialogue…"""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, blank=True)
    description = HTMLField(_("description"), blank=True)
    established = models.PositiveSmallIntegerField(
        _("year established"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the sources do not say."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="dialogues")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PublishableManager.from_queryset(DialogueQuerySet)()

    #: The translators' dashboard lists this kind (by the year of this date).
    translation_year_field = None

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        permissions = [("publish_dialogue", _("Can publish and withdraw dialogues"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(established__isnull=True) | models.Q(established__gte=1850, established__lte=2200),
                name="dialogue_established_plausible",
                violation_error_message=_("The year established must be a four-digit year."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dialogue:dialogue-detail", kwargs={"slug": self.slug})


class MeetingQuerySet(PublishableQuerySet):
    def for_list(self):
        return self.select_related("dialogue", "host")

    def for_page(self):
        """With what a meeting's page shows: both delegations (co-chairs first), instruments signed, topics."""
        from .instruments import Instrument

        members = DelegationMember.objects.select_related("person", "organization").order_by(ROLE_ORDER, "order", "pk")
        delegations = (
            Delegation.objects.select_related("party")
            .order_by("party__order", "party__code")
            .prefetch_related(
                Prefetch("members", queryset=members),
                Prefetch("organizations", queryset=Organization.objects.order_by("name")),
            )
        )
        return self.select_related("dialogue", "host").prefetch_related(
            Prefetch("delegations", queryset=delegations),
            Prefetch(
                "instruments_signed",
                queryset=Instrument.objects.published().order_by("title")[:RELATED_LIMIT],
                to_attr="public_instruments_signed",
            ),
            "topics",
        )

    def upcoming(self, today):
        return self.filter(start_date__gte=today).order_by("start_date")

    def past(self, today):
        return self.filter(start_date__lt=today).order_by("-start_date")


class Meeting(Publishable, Original, Illustrated, KeyedModel):
    """A session of a dialogue: plenary, ministerial or working group."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("plenary session")
        MINISTERIAL = "ministerial", _("ministerial meeting")
        WORKING_GROUP = "working_group", _("working group")

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("1 for the 1st session, 2 for the 2nd… Leave empty for an unnumbered meeting."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the number and the dialogue: “2nd session of …”."),
    )
    slug = models.SlugField(_("slug"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for a one-day meeting.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    host = models.ForeignKey(
        Party,
        verbose_name=_("host party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
    )
    summary = HTMLField(_("summary"), blank=True)
    outcomes = HTMLField(_("outcomes"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="meetings")

    objects = PublishableManager.from_queryset(MeetingQuerySet)()

    publication_parents = ("dialogue",)
    upload_folder = "meetings"

    #: The translators' dashboard lists this kind (by the year of this date).
    translation_year_field = "start_date"

    class Meta:
        ordering = ["-start_date"]
        get_latest_by = "start_date"
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [("publish_meeting", _("Can publish and withdraw meetings"))]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "number"],
                condition=models.Q(number__isnull=False),
                name="meeting_number_unique_in_dialogue",
                violation_error_message=_("This dialogue already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="meeting_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(number__gte=1),
                name="meeting_number_positive",
                violation_error_message=_("The number must be 1 or more."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"], name="meeting_start_date_idx"),
            # The public lists, newest first: read in order from the published rows alone.
            models.Index(
                fields=["-start_date", "id"],
                name="meeting_public_idx",
                condition=models.Q(publication_status="published"),
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("dialogue:meeting-detail", kwargs={"slug": self.slug})

    def slug_text(self, language):
        if not self.start_date or not self.dialogue_id:
            return ""
        with translation.override(language):
            return f"{self.start_date:%Y-%m-%d} {self.display_title}"

    @property
    def display_title(self):
        """The title in the active language, or one built from the number and the dialogue."""
        # The texts by ``text_in``: in the language gettext speaks, even with translations deactivated.
        if title := text_in(self, "title"):
            return title
        dialogue = text_in(self.dialogue, "name")
        if self.number:
            built = _("%(ordinal)s session of the %(dialogue)s") % {
                "ordinal": ordinal(self.number),
                "dialogue": dialogue,
            }
        else:
            built = _("%(kind)s of the %(dialogue)s") % {"kind": self.get_kind_display(), "dialogue": dialogue}
        return capfirst(built)  # a title, in either language: “Ministerial meeting of…”, “Réunion ministérielle du…”

    @property
    def ordinal(self):
        return ordinal(self.number) if self.number else ""

    @property
    def dates_display(self):
        """“24 March 2017”, or “19 to 20 January 2023”, in the active language."""
        return date_range(self.start_date, self.end_date)

    def neighbouring_sessions(self):
        """(previous, next) public meetings of the same dialogue, by date: one query each, by an index."""
        siblings = Meeting.objects.published().for_list().filter(dialogue_id=self.dialogue_id).exclude(pk=self.pk)
        previous = siblings.filter(start_date__lte=self.start_date).order_by("-start_date", "-pk").first()
        following = siblings.filter(start_date__gte=self.start_date).order_by("start_date", "pk").first()
        if previous is not None and following is not None and previous.pk == following.pk:
            following = None  # two meetings on the same day: one neighbour, not twice
        return previous, following

    def dialogue_instruments(self):
        """The public instruments of the meeting's dialogue, most recent first (at most ``RELATED_LIMIT``)."""
        from .instruments import Instrument

        return list(
            Instrument.objects.published()
            .register()
            .filter(dialogue_id=self.dialogue_id)
            .order_by("-reference_date", "pk")[:RELATED_LIMIT]
        )

    def next_host(self, parties):
        """The party hosting the next session: the other side of this one's."""
        if self.host_id is None:
            return None
        others = [party for party in parties if party.pk != self.host_id]
        if others:
            return others[0]
        return Party.objects.exclude(pk=self.host_id).order_by("order", "code").first()

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class Delegation(NaturalKeyModel):
    """One party at one meeting: its members and its participating organizations."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="delegations"
    )
    party = models.ForeignKey(
        Party,
        verbose_name=pgettext_lazy("side of a bilateral relationship", "party"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("participating organizations"),
        blank=True,
        related_name="delegations",
    )
    note = models.TextField(_("note"), blank=True)

    natural_key_fields = ("meeting__key", "party__code")
    natural_key_dependencies = ("dialogue.meeting", "dialogue.party")

    class Meta:
        ordering = ["meeting", "party__order"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "party"],
                name="delegation_one_per_party_per_meeting",
                violation_error_message=_("This party already has a delegation at this meeting."),
            ),
        ]

    def __str__(self):
        return _("%(side)s at %(meeting)s") % {"side": self.party.side, "meeting": self.meeting}

    def party_mismatches(self) -> list:
        """The people and organizations in this delegation that belong to the other side: a slip, or a guest."""
        found = [
            org for org in self.organizations.select_related("party") if org.party_id not in (None, self.party_id)
        ]
        for member in self.members.select_related("person__party", "organization__party"):
            for record in (member.person, member.organization):
                if record is not None and record.party_id not in (None, self.party_id) and record not in found:
                    found.append(record)
        return found

    def number_new_members(self) -> None:
        """Give the members left without an order (0) the next numbers, co-chairs first."""
        members = list(self.members.order_by(ROLE_ORDER, "pk"))
        following = max((member.order for member in members), default=0)
        for member in members:
            if member.order == 0:
                following += 1
                member.order = following
                member.save(update_fields=["order"])


class DelegationMember(NaturalKeyModel):
    """A person in a delegation, with the role and the title they held at the time."""

    class Role(models.TextChoices):
        CO_CHAIR = "co_chair", _("co-chair")
        HEAD = "head", _("head of delegation")
        MEMBER = "member", _("member")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("title at the time"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    natural_key_fields = ("delegation__meeting__key", "delegation__party__code", "person__key")
    natural_key_dependencies = ("dialogue.delegation", "dialogue.person")

    class Meta:
        ordering = ["delegation", "order", "pk"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "person"],
                name="delegation_member_once",
                violation_error_message=_("This person is already a member of this delegation."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


#: Co-chairs first, then heads of delegation, then members.
ROLE_ORDER = Case(
    When(role=DelegationMember.Role.CO_CHAIR, then=Value(0)),
    When(role=DelegationMember.Role.HEAD, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def meeting_figures() -> dict:
    """{dialogue pk: {"count", "first", "last"}} of the public meetings, kept until the archive changes.

    The home page and the list of dialogues show them; counting every meeting on each request is
    what made those pages slower as the archive grew.
    """

    def compute():
        rows = (
            Meeting.objects.published()
            .order_by()
            .values("dialogue_id")
            .annotate(count=Count("pk"), first=Min("start_date"), last=Max("start_date"))
        )
        return {row["dialogue_id"]: row for row in rows}

    return cached("dialogue-meeting-figures", compute)


def with_meeting_figures(dialogues) -> list:
    """The dialogues, each with ``meeting_count``, ``first_meeting`` and ``last_meeting``."""
    figures = meeting_figures()
    dialogues = list(dialogues)
    for dialogue in dialogues:
        row = figures.get(dialogue.pk, {})
        dialogue.meeting_count = row.get("count", 0)
        dialogue.first_meeting, dialogue.last_meeting = row.get("first"), row.get("last")
    return dialogues
