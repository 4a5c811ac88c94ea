"""An illustration with its description and credit, for any item that carries one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..uploads import IMAGE_KINDS, RandomName, UploadValidator


class Illustrated(models.Model):
    """An image (JPEG, PNG or WebP) with what it shows, for readers who cannot see it, and its credit.

    Stored under ``<upload_folder>/`` with a random name; ``image_alt`` and ``image_credit`` are
    translated where the model registers them with modeltranslation.
    """

    upload_folder = "images"

    image = models.FileField(
        _("image"),
        upload_to=RandomName(),
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

    class Meta:
        abstract = True
