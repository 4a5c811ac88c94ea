"""The number of content changes committed, counted in the database: the page cache's reference."""

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone


class SiteGeneration(models.Model):
    """One row: how many times the public site's content has changed, and when it last did.

    The page cache keeps its generation in Redis, which may be restarted, restored from disk, or
    out of reach at the moment a change commits. This row is advanced by every committed content
    change (``editorial.pagecache.start_new_generation``), before the cache is told: whenever the
    cache's generation may be older than the database, it is compared with this number.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="site_generation_single_row")]

    def __str__(self):
        return f"generation {self.number}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def advance(cls) -> int:
        """Count one more change (its own short transaction: called once a change has committed)."""
        for _attempt in range(2):
            with transaction.atomic():
                if cls.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now()):
                    return cls.current()
                try:
                    with transaction.atomic():
                        return cls.objects.create(pk=1, number=1).number
                except IntegrityError:  # created meanwhile by another process: update it
                    continue
        return cls.current()
