"""Translation status as queries: which records miss a language, which have one left behind.

The admin's translation column and filter, the translators' dashboard and the publication check
all read these methods; none restates the rule.
"""

from django.db import models
from django.db.models import F, Q

from ..i18n import language_codes, text_fields

#: The translation problems a record can have, by language: ``missing-fr``, ``outdated-en``…
PROBLEMS = ("missing", "outdated")


def missing_q(model, code: str) -> Q:
    """Records with a text present in another language but empty in ``code``."""
    condition = Q(pk__in=[])
    for field in text_fields(model):
        empty = Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})
        present_elsewhere = Q(pk__in=[])
        for other in language_codes():
            if other != code:
                present_elsewhere |= Q(**{f"{field}_{other}__isnull": False}) & ~Q(**{f"{field}_{other}": ""})
        condition |= empty & present_elsewhere
    return condition


def outdated_q(model, code: str) -> Q:
    """Records whose text in ``code`` was last updated before another language was edited.

    Only models that stamp each language's last update (``text_updated_<code>``) can be outdated.
    """
    if not tracks_freshness(model):
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for other in language_codes():
        if other != code:
            condition |= Q(**{f"text_updated_{code}__lt": F(f"text_updated_{other}")})
    return condition & ~missing_q(model, code)


def tracks_freshness(model) -> bool:
    return all(hasattr(model, f"text_updated_{code}") for code in language_codes())


def problem_conditions(model) -> dict[str, Q]:
    """{"missing-fr": Q, …, "outdated-en": Q}: the translation problems ``model`` can have."""
    found = {f"missing-{code}": missing_q(model, code) for code in language_codes()}
    if tracks_freshness(model):
        found |= {f"outdated-{code}": outdated_q(model, code) for code in language_codes()}
    return found


class TranslatableQuerySet(models.QuerySet):
    """Records with translated fields, by translation status."""

    def missing_in(self, code: str):
        return self.filter(missing_q(self.model, code))

    def outdated_in(self, code: str):
        return self.filter(outdated_q(self.model, code))

    def translation_problem(self, problem: str):
        """``problem`` as the admin's filter names it: ``missing-fr``, ``outdated-en``, ``complete``."""
        if problem == "complete":
            return self.complete()
        condition = problem_conditions(self.model).get(problem)
        return self.filter(condition) if condition is not None else self

    def complete(self):
        queryset = self
        for code in language_codes():
            queryset = queryset.exclude(missing_q(self.model, code))
        return queryset

    def needing_translation(self):
        """Records missing a language or with one left behind."""
        condition = Q(pk__in=[])
        for problem in problem_conditions(self.model).values():
            condition |= problem
        return self.filter(condition)
