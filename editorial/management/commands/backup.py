"""Write a consistent backup of the database and the uploaded files: make backup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from editorial.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump --format=custom, or SQLite's online backup) and MEDIA_ROOT "
        "(media.tar.gz) into a new folder <output>/<time>/, with a manifest of what it holds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "backups"), help="Where to write it (default: backups/)."
        )

    def handle(self, *args, output, **options):
        try:
            folder = backup(destination=Path(output), media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {folder}")
        self.stdout.write(f"Restore it into an empty database with: make restore BACKUP={folder}")
