"""Stable identifiers: natural keys for fixtures and exports, keys and slugs made from names."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..i18n import language_codes, translated_fields
from .translation import TranslatableQuerySet


def _follow(obj, path: str):
    """The value at the end of a lookup path: ``_follow(member, "delegation__meeting__key")``."""
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


class NaturalKeyManager(models.Manager.from_queryset(TranslatableQuerySet)):
    """Finds a record by the lookups its model declares in ``natural_key_fields``."""

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.natural_key_fields, values, strict=True)))


class NaturalKeyModel(models.Model):
    """A record identified across databases by a few lookups: fixtures load twice without duplicates.

    ``natural_key_fields`` names the lookups once (``("meeting__key", "party__code")``);
    ``natural_key()`` and the manager's ``get_by_natural_key()`` both derive from them, and
    ``natural_key_dependencies`` tells the serializer which models to write first.
    """

    natural_key_fields: tuple[str, ...] = ()
    natural_key_dependencies: tuple[str, ...] = ()
    #: Every field with choices gets a CHECK constraint (``editorial.models.constraints``).
    check_choices = True

    objects = NaturalKeyManager()

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "natural_key" not in cls.__dict__:

            def natural_key(self):
                return tuple(_follow(self, path) for path in type(self).natural_key_fields)

            natural_key.dependencies = list(cls.__dict__.get("natural_key_dependencies", ()))
            cls.natural_key = natural_key


class KeyedManager(NaturalKeyManager):
    """Looks records up by their stable ``key``, which fixtures use as natural key."""


class KeyedModel(NaturalKeyModel):
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

    natural_key_fields = ("key",)

    objects = KeyedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_identifiers()
        super().save(*args, **kwargs)

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
