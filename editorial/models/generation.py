"""The content changes committed, counted in the database: the page cache's reference."""

import time

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone


class SiteGeneration(models.Model):
    """One row: a number that grows with every change of the public site's content, and when it last did.

    The page cache keeps its generation in Redis, which may be restarted, restored from disk, or
    out of reach at the moment a change commits. This row is advanced by every committed content
    change (``editorial.pagecache.start_new_generation``), before the cache is told: whenever the
    cache's generation may be older than the database, it is compared with this number.

    The number is the time of the change in milliseconds (or one more than the last, for changes
    closer together): it keeps growing after the database is restored from an older backup, so a
    generation the cache holds from before the restore is still seen as behind it.
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
        now = timezone.now()
        milliseconds = int(time.time() * 1000)
        for _attempt in range(2):
            with transaction.atomic():
                if cls.objects.filter(pk=1).update(
                    number=Greatest(F("number") + 1, Value(milliseconds, output_field=models.BigIntegerField())),
                    changed_at=now,
                ):
                    return cls.current()
                try:
                    with transaction.atomic():
                        return cls.objects.create(pk=1, number=milliseconds, changed_at=now).number
                except IntegrityError:  # created meanwhile by another process: update it
                    continue
        return cls.current()
