"""Building blocks shared by the models of both apps."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..i18n import language_codes, translated_fields


class KeyedManager(models.Manager):
    """Looks records up by their stable ``key``, which fixtures use as natural key."""

    def get_by_natural_key(self, key):
        return self.get(key=key)


class KeyedModel(models.Model):
    """A record with a stable, language-independent identifier.

    The key never changes once published: fixtures, exports and citations refer to it,
    while titles and slugs may be corrected in either language.
    """

    key = models.SlugField(
        _("identifier"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "Stable identifier used by fixtures and data exports; made from the name when left empty. "
            "Do not change it once published."
        ),
    )

    objects = KeyedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_identifiers()
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.key,)

    def slug_text(self, language: str) -> str:
        """The text the slug in ``language`` (and the key) is made from."""
        return getattr(self, f"name_{language}", "") or ""

    def fill_identifiers(self):
        """Fill the key and each language's slug from the name when an editor leaves them empty."""
        languages = language_codes()
        for code in languages:
            field = f"slug_{code}"
            if hasattr(self, field) and not getattr(self, field):
                text = self.slug_text(code)
                if text:
                    length = self._meta.get_field(field).max_length
                    setattr(self, field, unique_slug(type(self), field, text, length, self.pk))
        if not self.key:
            for code in ("en", *languages):
                text = self.slug_text(code)
                if text:
                    self.key = unique_slug(type(self), "key", text, 120, self.pk)
                    break

    def clean(self):
        super().clean()
        self.fill_identifiers()
        errors = {}
        for field in translated_fields(type(self)):
            if self._meta.get_field(field).blank:
                continue
            names = [f"{field}_{code}" for code in language_codes()]
            if not any(getattr(self, name) for name in names):
                errors[names[0]] = ValidationError(
                    _("Give the %(field)s in at least one language."),
                    code="required_in_one_language",
                    params={"field": self._meta.get_field(field).verbose_name},
                )
        for code in language_codes():
            field = f"slug_{code}"
            value = getattr(self, field, None)
            if value and type(self)._default_manager.filter(**{field: value}).exclude(pk=self.pk).exists():
                errors[field] = ValidationError(
                    _("Another record already uses this slug in this language."), code="duplicate_slug"
                )
        if errors:
            raise ValidationError(errors)


class DatePrecision(models.TextChoices):
    """How much of a stored date is known: sources often give only a month or a year."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def unique_slug(model, field: str, text: str, max_length: int, exclude_pk=None) -> str:
    """A slug of ``text`` not yet used in ``model.field``, suffixed -2, -3… when taken."""
    base = slugify(text)[: max_length - 4].strip("-") or "item"
    candidate, counter = base, 2
    others = model._default_manager.exclude(pk=exclude_pk) if exclude_pk else model._default_manager.all()
    while others.filter(**{field: candidate}).exists():
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate
