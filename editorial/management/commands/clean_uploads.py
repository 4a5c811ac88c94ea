"""List, and with --delete remove, the uploaded files that no record and no stored version names."""

import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from editorial.uploads import orphan_uploads, upload_folders


class Command(BaseCommand):
    help = (
        "List the files in the upload folders of MEDIA_ROOT that no record and no stored version names "
        "(files replaced or removed in the admin, whose versions are gone); --delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files listed (by default, only list).")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help="Leave alone the files written less than this many minutes ago (default 60): "
            "an upload's file is written before its record is saved.",
        )

    def handle(self, *args, delete=False, grace_minutes=60, **options):
        if grace_minutes < 0:
            raise CommandError("--grace-minutes cannot be negative.")
        orphans = orphan_uploads(grace=datetime.timedelta(minutes=grace_minutes))
        folders = ", ".join(f"{folder}/" for folder in upload_folders())
        for orphan in orphans:
            verb = "removed" if delete else "would remove"
            if delete:
                default_storage.delete(orphan.name)
            self.stdout.write(f"{verb}\t{orphan.size} bytes\t{orphan.name}")
        total = sum(orphan.size for orphan in orphans)
        if delete:
            summary = f"Removed {len(orphans)} orphan file(s), {total} bytes, from {folders}."
        else:
            summary = f"{len(orphans)} orphan file(s), {total} bytes, in {folders}. Run with --delete to remove them."
        self.stdout.write(self.style.SUCCESS(summary))
