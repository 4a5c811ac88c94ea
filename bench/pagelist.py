"""The pages the benchmark measures, with their addresses in the database at hand.

Run inside Django (``python -m bench.pagelist`` with the database's ``DATABASE_URL``), it prints
the pages and the archive's size as JSON, for ``bench.pages``, which runs no Django itself.
"""

import json

#: The benchmarked pages, in order: a path, or an item of the reference archive by its key
#: (its English page; its slug is read from the database).
PAGES = [
    "/fr/",
    "/en/",
    "/en/meetings/",
    "/fr/communiques/",
    "/en/instruments/",
    "/en/years/",
    "/en/years/2023/",
    "/en/search/?q=SSA",
    ("a meeting", "dialogue.Meeting", "space-2023-01-19"),
    ("an instrument", "dialogue.Instrument", "ssa-technical-arrangement-2017"),
    ("a press release", "archive.PressRelease", "joint-press-release-2023-01-19"),
    "/en/people/",
    "/en/organizations/",
    "/en/topics/",
    "/en/dialogues/",
]


def pages() -> list[dict]:
    """Each page as ``{"label": …, "path": …, "key": …}``: a path is its own label, an item is named by its kind."""
    from django.apps import apps
    from django.utils import translation

    resolved = []
    for page in PAGES:
        if isinstance(page, str):
            resolved.append({"label": page, "path": page, "key": None})
            continue
        kind, model, key = page
        with translation.override("en"):
            path = apps.get_model(model).objects.get(key=key).get_absolute_url()
        resolved.append({"label": kind, "path": path, "key": key})
    return resolved


def archive_size() -> dict:
    """How many items the database holds, for the report's header."""
    from archive.models import PressRelease, SearchEntry
    from dialogue.models import Instrument, Meeting

    return {
        "meetings": Meeting.objects.count(),
        "press releases": PressRelease.objects.count(),
        "instruments": Instrument.objects.count(),
        "search entries": SearchEntry.objects.count(),
    }


def main():
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    django.setup()
    print(json.dumps({"pages": pages(), "size": archive_size()}))


if __name__ == "__main__":
    main()
