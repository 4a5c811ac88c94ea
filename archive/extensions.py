"""What the archive adds to the relationship's pages: press releases, quotations, press contacts."""

from dialogue import extensions
from dialogue.extensions import Count, Section
from dialogue.models.parties import public_count

from .models import PressContact, PressRelease, Quotation


def public_releases():
    """Related public press releases, newest first."""
    return PressRelease.objects.published().order_by("-date", "-pk")


def public_quotations():
    return Quotation.objects.filter(PressRelease.published_q("press_release__")).select_related("press_release")


def public_contacts():
    return PressContact.objects.filter(PressRelease.published_q("press_release__")).select_related(
        "press_release", "organization"
    )


RELEASES = "archive/_section_press_releases.html"


def register():
    for page in ("dialogue", "meeting", "instrument", "topic"):
        extensions.add_section(page, Section("press_releases", public_releases, RELEASES, "public_press_releases"))
    extensions.add_section(
        "organization",
        Section(
            "press_releases", public_releases, "archive/_section_press_releases_issued.html", "public_press_releases"
        ),
    )
    extensions.add_section(
        "person", Section("quotations", public_quotations, "archive/_section_quotations.html", "public_quotations")
    )
    extensions.add_section(
        "person", Section("press_contacts", public_contacts, "archive/_section_press_contacts.html", "public_contacts")
    )
    extensions.add_count(
        "topic-list",
        Count(
            "press_release_count",
            lambda: public_count(PressRelease.topics),
            "archive/_count_press_releases.html",
        ),
    )
