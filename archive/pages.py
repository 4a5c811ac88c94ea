"""The pages an official site needs: about, contact, legal notice, accessibility, personal data.

Editors write them in both languages in the admin, and publish them through the same workflow as
everything else; the footer links the public ones, in the order set on them.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from editorial.fields import HTMLField
from editorial.i18n import current_language, text_in
from editorial.models import KeyedModel, Publishable, PublishableManager
from editorial.pagecache import cached


class SitePage(Publishable, KeyedModel):
    """A page about the site itself, in both languages, linked from the footer."""

    class Role(models.TextChoices):
        ABOUT = "about", _("about")
        CONTACT = "contact", _("contact")
        LEGAL = "legal", _("legal notice")
        ACCESSIBILITY = "accessibility", _("accessibility")
        PRIVACY = "privacy", _("personal data")
        OTHER = "other", _("other page")

    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.OTHER,
        help_text=_("What the page is for: the site has one page of each role but “other”."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = HTMLField(_("body"), blank=True)
    order = models.PositiveSmallIntegerField(_("order in the footer"), default=0)
    in_footer = models.BooleanField(_("linked from the footer"), default=True)

    objects = PublishableManager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        permissions = [("publish_sitepage", _("Can publish and withdraw site pages"))]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=~models.Q(role="other"),
                name="site_page_one_per_role",
                violation_error_message=_("The site already has a page with this role."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("archive:site-page", kwargs={"slug": self.slug})

    def slug_text(self, language):
        return getattr(self, f"title_{language}", "") or ""


def footer_links() -> list[tuple[str, str]]:
    """[(title, address)] of the public pages linked from the footer, in the page's language.

    Kept until the archive changes: every page shows the footer.
    """
    language = current_language()

    def compute():
        pages = SitePage.objects.published().filter(in_footer=True).order_by("order", "pk")
        return [(text_in(page, "title", language), page.get_absolute_url()) for page in pages]

    return cached(f"footer-links:{language}", compute)
