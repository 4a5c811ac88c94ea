"""The language an item was first written in, and where its original was published.

Many sources are written in Japanese first (a ministry's release, an arrangement's authentic
text), others in French or English: an item records its original language among French,
English and Japanese — more than the site's languages, since a Japanese original is translated
into both — and the address of the original publication. The translator's view starts from the
original language when it is one of the site's (``source_language``).
"""

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..i18n import ORIGINAL_LANGUAGES, language_codes, language_name


class Original(models.Model):
    """An item with the language it was first written in, and the address of its original."""

    original_language = models.CharField(
        _("original language"),
        max_length=5,
        choices=ORIGINAL_LANGUAGES,
        blank=True,
        help_text=_("The language it was first written in; the others are translations. Leave empty if unknown."),
    )
    original_url = models.URLField(
        _("address of the original"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where the original was published, in its own language (a ministry's page in Japanese, say)."),
    )

    class Meta:
        abstract = True

    @classmethod
    def derived_constraints(cls) -> list[models.BaseConstraint]:
        parent = getattr(super(), "derived_constraints", None)
        return [
            *(parent() if parent else []),
            models.CheckConstraint(
                condition=Q(original_url="")
                | Q(original_url__startswith="http://")
                | Q(original_url__startswith="https://"),
                name=f"{cls._meta.app_label}_{cls._meta.model_name}_original_url_http",
                violation_error_message=_("The address must start with http:// or https://."),
            ),
        ]

    @property
    def original_language_name(self) -> str:
        """“Japanese” / “japonais”, as it reads in a sentence (“translated from Japanese”); "" if unknown."""
        return language_name(self.original_language, in_sentence=True) if self.original_language else ""

    def is_translation_in(self, language: str) -> bool:
        """Whether the text in ``language`` is a translation: the original is known and is another language."""
        return bool(self.original_language) and self.original_language != language

    @property
    def source_language(self) -> str | None:
        """The site language translations start from: the original when it is one, else None."""
        return self.original_language if self.original_language in language_codes() else None
