"""Publication states, and the one rule deciding what the public sees.

Meetings, instruments, press releases and dialogues move through draft → in review → published,
and may be withdrawn. An item is public once it is published and its publication time has come;
``Publishable.published_q`` states that rule once, and every public view, count, prefetch, the
search index and the uploaded files reach it through ``PublishableQuerySet.published()`` or,
across a relation, ``Model.published_q(prefix)``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..i18n import language_codes, missing_languages, text_fields
from .base import KeyedManager


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: The states only a publisher may set, or move an item out of.
PUBLISHER_STATES = {Status.PUBLISHED, Status.WITHDRAWN}


class PublishableQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see now: published, its publication time come (and its parents public)."""
        return self.filter(self.model.published_q(now=now))


class PublishableManager(KeyedManager.from_queryset(PublishableQuerySet)):
    pass


def requires_all_languages() -> bool:
    """Whether publication waits until every language is complete (``PUBLICATION_REQUIRES_ALL_LANGUAGES``)."""
    return getattr(settings, "PUBLICATION_REQUIRES_ALL_LANGUAGES", True)


class Publishable(models.Model):
    """An item with a publication state, a publication time and a record of its languages' freshness."""

    publication_status = models.CharField(
        _("publication status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Set a future time to schedule the publication; left empty, publishing sets it to now."),
    )
    single_language = models.BooleanField(
        _("publish in one language only"),
        default=False,
        help_text=_("An explicit exception: allows publication although a translation is missing."),
    )
    single_language_reason = models.CharField(_("reason for publishing in one language"), max_length=255, blank=True)
    single_language_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exception granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    single_language_at = models.DateTimeField(_("exception granted on"), null=True, blank=True, editable=False)
    modified_at = models.DateTimeField(_("last modified"), default=timezone.now, editable=False)

    #: Relations whose own publication this item's visibility depends on (a meeting's dialogue…).
    publication_parents: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # loaddata saves through save_base(raw=True), never here: fixtures keep their stamps.
        now = timezone.now()
        self.modified_at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as versions store it
        self.track_language_changes(now=self.modified_at)
        super().save(*args, **kwargs)

    @classmethod
    def published_q(cls, prefix: str = "", now=None) -> Q:
        """The condition “public now”, for this model reached through ``prefix`` (``"meetings__"``…)."""
        now = now or timezone.now()
        condition = Q(**{f"{prefix}publication_status": Status.PUBLISHED, f"{prefix}publish_at__lte": now})
        for name in cls.publication_parents:
            field = cls._meta.get_field(name)
            parent = field.related_model.published_q(f"{prefix}{name}__", now=now)
            condition &= (Q(**{f"{prefix}{name}__isnull": True}) | parent) if field.null else parent
        return condition

    def is_public(self, now=None) -> bool:
        return type(self)._default_manager.filter(pk=self.pk).published(now=now).exists()

    def public_since(self):
        """When the item became (or becomes) public, or None while it is not published."""
        if self.publication_status != Status.PUBLISHED or self.publish_at is None:
            return None
        since = self.publish_at
        for name in self.publication_parents:
            parent = getattr(self, name)
            if parent is None:
                continue
            parent_since = parent.public_since()
            if parent_since is None:
                return None
            since = max(since, parent_since)
        return since

    @property
    def is_scheduled(self) -> bool:
        return (
            self.publication_status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    def publication_errors(self) -> list[ValidationError]:
        """Why this item may not be published as it stands (languages missing without an exception)."""
        missing = missing_languages(self)
        if missing and requires_all_languages() and not self.single_language:
            names = dict(settings.LANGUAGES)
            return [
                ValidationError(
                    _(
                        "This item cannot be published: its text is missing in %(languages)s. Complete the "
                        "translation, or record an exception to publish it in one language only."
                    ),
                    code="translation_missing",
                    params={"languages": ", ".join(str(names[code]) for code in missing)},
                )
            ]
        return []

    def clean(self):
        super().clean()
        errors = {}
        if self.publication_status == Status.PUBLISHED and (problems := self.publication_errors()):
            errors["publication_status"] = problems
        if self.single_language and not self.single_language_reason.strip():
            errors["single_language_reason"] = ValidationError(
                _("Say why this item is published in one language only."), code="reason_required"
            )
        if errors:
            raise ValidationError(errors)

    def publish(self, now=None):
        self.publication_status = Status.PUBLISHED
        if self.publish_at is None:
            self.publish_at = now or timezone.now()

    def withdraw(self):
        self.publication_status = Status.WITHDRAWN

    # Freshness of each language --------------------------------------------------------------

    def outdated_languages(self) -> list[str]:
        """Languages present but last updated before another language was edited."""
        stamps = {code: getattr(self, f"text_updated_{code}") for code in language_codes()}
        missing = set(missing_languages(self))
        newest = max((stamp for stamp in stamps.values() if stamp), default=None)
        return [
            code
            for code, stamp in stamps.items()
            if code not in missing and newest and stamp and stamp < newest and self._has_text(code)
        ]

    def _has_text(self, code):
        return any(getattr(self, f"{field}_{code}", None) for field in text_fields(type(self)))

    def track_language_changes(self, now=None):
        """Stamp each language whose text this save changes.

        A language edited on its own either moves ahead (the others become outdated), or, when it
        was behind or missing, catches up with the newest one: a translator bringing it up to date.
        """
        fields = text_fields(type(self))
        codes = language_codes()
        now = now or timezone.now()
        previous = None
        if self.pk:
            names = [f"{field}_{code}" for field in fields for code in codes]
            previous = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
        changed = [
            code
            for code in codes
            if any(
                (getattr(self, f"{field}_{code}") or "") != ((previous or {}).get(f"{field}_{code}") or "")
                for field in fields
            )
        ]
        if not changed:
            return
        stamps = {code: getattr(self, f"text_updated_{code}") for code in codes}
        newest_other = max((stamps[code] for code in codes if code not in changed and stamps[code]), default=None)
        for code in changed:
            behind = newest_other is not None and (stamps[code] is None or stamps[code] < newest_other)
            setattr(self, f"text_updated_{code}", newest_other if behind and len(changed) == 1 else now)

    def mark_translations_current(self, now=None):
        """Record that every language says the same thing as of now."""
        now = now or timezone.now()
        for code in language_codes():
            setattr(self, f"text_updated_{code}", now)


for _code, _name in settings.LANGUAGES:
    Publishable.add_to_class(
        f"text_updated_{_code}",
        models.DateTimeField(
            format_lazy(_("text last updated ({language})"), language=_code.upper()),
            null=True,
            blank=True,
            editable=False,
        ),
    )
