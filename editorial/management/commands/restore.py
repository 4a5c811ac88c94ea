"""Restore a backup of `make backup` into an empty database and media folder: make restore BACKUP=…"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from editorial.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the backup in the given folder (written by manage.py backup) into the database of "
        "DATABASE_URL, which must be empty, and MEDIA_ROOT, which must hold no file."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup's folder, e.g. backups/20261130T120000Z.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even into a database that has tables (they are dropped first) or a media folder "
            "that has files (the backup's are written over them).",
        )

    def handle(self, *args, backup, force=False, **options):
        try:
            manifest = restore(source=Path(backup), media_root=Path(settings.MEDIA_ROOT), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Restored {rows} rows in {len(manifest['tables'])} tables and {manifest['media_files']} files "
            f"from the backup of {manifest['created']}."
        )
