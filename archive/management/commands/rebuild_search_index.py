"""Rebuild the search index from scratch (after a bulk import that bypassed the models' signals)."""

from django.core.management.base import BaseCommand

from archive import search


class Command(BaseCommand):
    help = "Rebuild the search index of every meeting, instrument, press release, organization and person."

    def handle(self, *args, **options):
        total = search.rebuild(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {total} entries."))
