"""make backup, then make restore into an empty database: every row of every table and every file back.

On PostgreSQL the backup is restored into a new database; on SQLite into a new file. The archive
holds the reference archive (both languages), a version of an item (django-reversion) and an
uploaded PDF; after the round trip each table's rows, each sequence and each file's bytes are
compared with what was backed up.
"""

import contextlib
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend
from reversion.models import Version

from dialogue.models import Instrument, Meeting, Topic
from editorial import services
from editorial.backup import TABLES, BackupError, extract_media, restore
from tests.workflow.sample_files import pdf

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")

RESTORED = "restored"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def archive(reference_archive, media):
    """The reference archive, with a version of a meeting and the English text of an instrument as a PDF."""
    keeper = User.objects.create_superuser("keeper")
    meeting = Meeting.objects.get(key="space-2017-03-24")
    services.mark_translations_current(item=meeting, user=keeper)
    instrument = Instrument.objects.exclude(key="").first()
    instrument.text_pdf_en.save("text.pdf", ContentFile(pdf()), save=True)
    topic = Topic.objects.get(key="climate")
    assert Version.objects.exists() and topic.name_fr == "Climat" and topic.name_en == "Climate"
    return instrument


@contextlib.contextmanager
def empty_database(tmp_path):
    """A new, empty database beside the test's own, as the alias ``restored``; dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"{source['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    # Known to the handler (contrib.postgres looks connections up by alias) but not to the settings.
    restored = load_backend(source["ENGINE"]).DatabaseWrapper({**source, "NAME": name}, alias=RESTORED)
    connections[RESTORED] = restored
    try:
        yield restored
    finally:
        restored.close()
        del connections[RESTORED]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def everything(database) -> dict:
    """Every row of every table (in a stable order), and on PostgreSQL every sequence's position."""
    engine = "postgresql" if database.vendor == "postgresql" else "sqlite"
    found = {}
    with database.cursor() as cursor:
        cursor.execute(TABLES[engine])
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT * FROM "{table}"')
            found[table] = sorted(map(repr, cursor.fetchall()))
        if engine == "postgresql":
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            found["sequences"] = sorted(cursor.fetchall())
    return found


def files_under(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_backup_restored_into_an_empty_database_holds_everything(archive, media, tmp_path, capsys):
    call_command("backup", output=str(tmp_path / "backups"))
    folder = Path(capsys.readouterr().out.split("Backup written to ")[1].splitlines()[0])
    assert {path.name for path in folder.iterdir()} >= {"manifest.json", "media.tar.gz"}
    backed_up = everything(connection)
    assert backed_up["reversion_version"] and backed_up["archive_pressrelease"]
    files = files_under(media)
    assert any(name.startswith("instruments/") for name in files)

    restored_media = tmp_path / "restored-media"
    with empty_database(tmp_path) as restored:
        manifest = restore(source=folder, media_root=restored_media, connection=restored)
        assert everything(restored) == backed_up
    assert files_under(restored_media) == files
    assert manifest["media_files"] == len(files)


def test_a_restore_refuses_a_database_that_is_not_empty(archive, media, tmp_path):
    call_command("backup", output=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(folder))  # make restore BACKUP=…, into the database in use


def test_a_damaged_or_hostile_backup_restores_nothing(archive, media, tmp_path):
    call_command("backup", output=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    dump = next(path for path in folder.iterdir() if path.name.startswith("database."))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with empty_database(tmp_path) as restored:
        with pytest.raises(BackupError, match="damaged"):
            restore(source=folder, media_root=tmp_path / "restored-media", connection=restored)
        with pytest.raises(BackupError, match="not a backup"):
            restore(source=tmp_path, media_root=tmp_path / "restored-media", connection=restored)

    # A media archive with a path that climbs out of the folder (whatever a manifest says of it).
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(hostile, "w:gz") as archive_file:
        archive_file.add(__file__, arcname="../escaped.py")
    with pytest.raises(BackupError, match="would leave"):
        extract_media(hostile, tmp_path / "restored-media")
    assert not (tmp_path / "escaped.py").exists()
