"""Publication states, and the one rule deciding what the public sees.

Meetings, instruments, press releases and dialogues move through draft → in review → published,
and may be withdrawn. An item is public once it is published and its publication time has come,
and the items it hangs from (a meeting's dialogue) are public too. ``Publishable._gates`` walks
those items once; ``published_q`` (public now) and ``public_since_expression`` (from when) are
both built from it, in SQL, so every view, count, prefetch, feed, the search index and the
uploaded files apply the same rule.

People and organizations have no state of their own: they are ``Referenced``, public while a
public item names them (a delegation member, a signatory, a quotation's speaker, an issuer…).
Each app declares the references its own models make (``register_reference``), so the rule
knows every one of them without the editorial layer naming any app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, DateTimeField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..i18n import language_codes, language_name, missing_languages, text_fields
from .keys import KeyedManager
from .translation import TranslatableQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: The states only a publisher may set, or move an item out of.
PUBLISHER_STATES = {Status.PUBLISHED, Status.WITHDRAWN}

#: The fields only a publisher sets (the form disables them for everyone else).
PUBLICATION_FIELDS = ("publication_status", "publish_at", "single_language", "single_language_reason")

NO_TIME = Value(None, output_field=DateTimeField())


class PublishableQuerySet(TranslatableQuerySet):
    def published(self, now=None):
        """What the public may see now: published, its publication time come (and its parents public)."""
        return self.filter(self.model.published_q(now=now))

    def with_public_since(self):
        """Each row with ``public_from``: when it becomes public, or None while it is not published."""
        return self.annotate(public_from=self.model.public_since_expression())


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
    def derived_constraints(cls) -> list[models.BaseConstraint]:
        """Added to each concrete model's constraints (a model's own Meta replaces its base's)."""
        parent = getattr(super(), "derived_constraints", None)
        return [
            *(parent() if parent else []),
            models.CheckConstraint(
                condition=~Q(publication_status=Status.PUBLISHED) | Q(publish_at__isnull=False),
                name=f"{cls._meta.app_label}_{cls._meta.model_name}_published_has_time",
                violation_error_message=_("A published item needs a publication time."),
            ),
        ]

    # The rule ---------------------------------------------------------------------------------

    @classmethod
    def _gates(cls, prefix: str, gate) -> Q:
        """``gate(prefix)`` for this item and each item it hangs from, joined by AND.

        A parent that may be absent (an instrument outside any dialogue) lets the item through
        when it is absent.
        """
        condition = gate(prefix)
        for name in cls.publication_parents:
            field = cls._meta.get_field(name)
            parent = field.related_model._gates(f"{prefix}{name}__", gate)
            condition &= (Q(**{f"{prefix}{name}__isnull": True}) | parent) if field.null else parent
        return condition

    @classmethod
    def published_q(cls, prefix: str = "", now=None) -> Q:
        """The condition “public now”, for this model reached through ``prefix`` (``"meetings__"``…)."""
        now = now or timezone.now()
        return cls._gates(
            prefix, lambda p: Q(**{f"{p}publication_status": Status.PUBLISHED, f"{p}publish_at__lte": now})
        )

    @classmethod
    def public_since_expression(cls, prefix: str = ""):
        """When the item becomes public (its time, or a later parent's), or NULL while it is not published.

        The same gates as ``published_q``: an item is public at ``now`` exactly when this is ≤ ``now``.
        """
        published = cls._gates(
            prefix, lambda p: Q(**{f"{p}publication_status": Status.PUBLISHED, f"{p}publish_at__isnull": False})
        )
        return Case(When(published, then=cls._latest_time(prefix)), default=NO_TIME, output_field=DateTimeField())

    @classmethod
    def _latest_time(cls, prefix):
        since = F(f"{prefix}publish_at")
        for name in cls.publication_parents:
            field = cls._meta.get_field(name)
            parent = field.related_model._latest_time(f"{prefix}{name}__")
            since = Greatest(since, Coalesce(parent, F(f"{prefix}publish_at")) if field.null else parent)
        return since

    def is_public(self, now=None) -> bool:
        return type(self)._base_manager.filter(pk=self.pk).filter(self.published_q(now=now)).exists()

    def public_since(self):
        """When the item became (or becomes) public, or None while it is not published."""
        if "public_from" in self.__dict__:  # read with the item (``with_public_since()``)
            return self.public_from
        return (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .annotate(since=self.public_since_expression())
            .values_list("since", flat=True)
            .first()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.publication_status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    # Rules of the workflow -------------------------------------------------------------------

    def publication_errors(self) -> list[ValidationError]:
        """Why this item may not be published as it stands (languages missing without an exception)."""
        missing = missing_languages(self)
        if missing and requires_all_languages() and not self.single_language:
            return [
                ValidationError(
                    _(
                        "This item cannot be published: its text is missing in %(languages)s. Complete the "
                        "translation, or record an exception to publish it in one language only."
                    ),
                    code="translation_missing",
                    params={"languages": ", ".join(language_name(code, in_sentence=True) for code in missing)},
                )
            ]
        return []

    def clean(self):
        super().clean()
        if self.publication_status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()  # published with no time given: now
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

        A language edited on its own either moves ahead (the others become outdated), or catches
        up with the newest one (a translator bringing it up to date) when it was behind, or when
        the save only fills texts it lacked that another language has: completing a translation,
        in one save or several, never makes the original outdated.
        """
        fields = text_fields(type(self))
        codes = language_codes()
        now = now or timezone.now()
        previous = {}
        if self.pk:
            names = [f"{field}_{code}" for field in fields for code in codes]
            previous = type(self)._base_manager.filter(pk=self.pk).values(*names).first() or {}

        def before(field, code):
            return previous.get(f"{field}_{code}") or ""

        edited = {
            code: [field for field in fields if (getattr(self, f"{field}_{code}") or "") != before(field, code)]
            for code in codes
        }
        changed = [code for code in codes if edited[code]]
        if not changed:
            return
        stamps = {code: getattr(self, f"text_updated_{code}") for code in codes}
        newest_other = max((stamps[code] for code in codes if code not in changed and stamps[code]), default=None)
        for code in changed:
            own = stamps[code]
            behind = newest_other is not None and (own is None or own < newest_other)
            completes = newest_other is not None and all(
                not before(field, code) and any(before(field, other) for other in codes if other != code)
                for field in edited[code]
            )
            if len(changed) == 1 and (behind or completes):
                setattr(self, f"text_updated_{code}", max(own or newest_other, newest_other))
            else:
                setattr(self, f"text_updated_{code}", now)

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


# Referenced: public through the items that name it ---------------------------------------------

#: {referenced model label: [(publishable model, lookup from it to the referenced model)]}
_references: dict[str, list[tuple[type, str]]] = {}


def register_reference(referenced, item, lookup: str):
    """Declare that a public ``item`` (a Publishable model) makes public what it reaches by ``lookup``.

    ``register_reference(Person, Meeting, "delegations__members__person")``: a person is public
    while a public meeting lists them in a delegation.
    """
    entry = (item, lookup)
    references = _references.setdefault(referenced._meta.label, [])
    if entry not in references:
        references.append(entry)


def references_to(model) -> list[tuple[type, str]]:
    return list(_references.get(model._meta.label, ()))


class ReferencedQuerySet(TranslatableQuerySet):
    def published(self, now=None):
        """What the public may see now: records that a public item names."""
        return self.filter(self.model.published_q(now=now))

    def with_public_since(self):
        """The time each becomes public is stored with the record (``public_from``): nothing to add."""
        return self


class ReferencedManager(KeyedManager.from_queryset(ReferencedQuerySet)):
    pass


class Referenced(models.Model):
    """A record without a publication state of its own: public while a public item names it.

    A person typed into a draft meeting's delegation stays out of the people's list, search,
    feeds and the API until that meeting is public (or another public item names them). With
    ``public_through_units`` (the name of the relation to its units), an organization is also
    public while one of its units is: the ministry above a public agency.

    The rule is stated once, in SQL (``public_since_annotations``: for each kind of item that may
    name the record, when the first of them is public). Its result is stored in ``public_from``
    and kept current by ``editorial.derived`` whenever a naming item, or what makes it public,
    changes; so that “public now” is one indexed comparison on every page, list and filter.
    """

    public_from = models.DateTimeField(
        _("public since"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("When the first public item naming it became (or becomes) public; derived, never typed."),
    )

    public_through_units: str | None = None

    class Meta:
        abstract = True

    @classmethod
    def published_q(cls, prefix: str = "", now=None) -> Q:
        """The condition “public now”: its first naming item's time has come."""
        return Q(**{f"{prefix}public_from__lte": now or timezone.now()})

    @classmethod
    def public_since_annotations(cls) -> dict:
        """{name: subquery}: for each kind of reference, when the first item of that kind is public."""
        annotations = {}
        for index, (item, lookup) in enumerate(references_to(cls)):
            first = (
                item._base_manager.filter(**{lookup: OuterRef("pk")})
                .annotate(since=item.public_since_expression())
                .filter(since__isnull=False)
                .order_by("since")
                .values("since")[:1]
            )
            annotations[f"_public_since_{index}"] = Subquery(first, output_field=DateTimeField())
        return annotations

    @classmethod
    def compute_public_from(cls, pks) -> dict:
        """{pk: when it becomes public, or None}, by the rule, for these records."""
        annotations = cls.public_since_annotations()
        names = list(annotations)

        def named(queryset, key):
            found = {}
            for row in queryset.annotate(**annotations).values(key, *names):
                times = [row[name] for name in names if row[name] is not None]
                if times:
                    earliest = min(times)
                    found[row[key]] = min(earliest, found.get(row[key], earliest))
            return found

        times = named(cls._base_manager.filter(pk__in=pks), "pk") if names else {}
        if cls.public_through_units and names:
            parent = cls._meta.get_field(cls.public_through_units).remote_field.name
            for pk, since in named(cls._base_manager.filter(**{f"{parent}__in": pks}), parent).items():
                times[pk] = min(since, times.get(pk, since))
        return {pk: times.get(pk) for pk in pks}

    @classmethod
    def refresh_public_from(cls, pks) -> None:
        """Store what ``compute_public_from`` says for these records (those that still exist)."""
        pks = set(pks)
        if cls.public_through_units:  # a unit's change may make its parent public or not
            parent = cls._meta.get_field(cls.public_through_units).remote_field.attname
            pks |= set(
                cls._base_manager.filter(pk__in=pks, **{f"{parent}__isnull": False}).values_list(parent, flat=True)
            )
        computed = cls.compute_public_from(sorted(pks))
        stored = dict(cls._base_manager.filter(pk__in=pks).values_list("pk", "public_from"))
        for pk, since in computed.items():
            if pk in stored and stored[pk] != since:
                cls._base_manager.filter(pk=pk).update(public_from=since)

    def is_public(self, now=None) -> bool:
        return self.public_from is not None and self.public_from <= (now or timezone.now())

    def public_since(self):
        """When the first public item naming it (or one of its units) became or becomes public, or None."""
        return self.public_from


def referenced_paths(model, prefix: str = "") -> list[str]:
    """The lookups from a record to what its publication time depends on.

    A publishable item: its publication parents, and theirs. A record public through the items
    naming it: the way back to each of them (and to their parents), and to its units' if it has.
    """
    paths = []
    if issubclass(model, Publishable):
        for name in model.publication_parents:
            parent = model._meta.get_field(name).related_model
            paths += [f"{prefix}{name}", *referenced_paths(parent, f"{prefix}{name}__")]
    elif issubclass(model, Referenced):
        for item, lookup in references_to(model):
            back = f"{prefix}{reverse_path(item, lookup)}"
            paths += [back, *referenced_paths(item, f"{back}__")]
        if model.public_through_units and not prefix:  # units' own references: one level, as the rule
            paths += [model.public_through_units, *referenced_paths(model, f"{model.public_through_units}__")]
    return paths


def reverse_path(model, lookup: str) -> str:
    """The lookup from the end of ``lookup`` back to ``model``: ``delegations__members__person`` from a
    meeting is ``memberships__delegation__meeting`` from a person."""
    steps, current = [], model
    for name in lookup.split("__"):
        relation = current._meta.get_field(name)
        if relation.auto_created and not relation.concrete:  # a reverse relation: back by its field
            steps.append(relation.field.name)
        else:  # a foreign key or many-to-many: back by its related query name
            steps.append(relation.related_query_name())
        current = relation.related_model
    return "__".join(reversed(steps))


def follow_referenced_models():
    """Keep ``public_from`` current for every concrete Referenced model (``editorial.derived``)."""
    from django.apps import apps

    from .. import derived

    for model in apps.get_models():
        if issubclass(model, Referenced):
            derived.register(
                derived.Dependent(
                    name=f"public-from:{model._meta.label}",
                    model=model,
                    paths=tuple(referenced_paths(model)),
                    refresh=model.refresh_public_from,
                )
            )


def refresh_every_public_from():
    """Compute ``public_from`` of every Referenced record: after a bulk import, or in a migration."""
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, Referenced):
            model.refresh_public_from(model._base_manager.values_list("pk", flat=True))
