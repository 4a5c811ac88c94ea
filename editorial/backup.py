"""Backups of the database and the uploaded files, and their restore into an empty database.

A backup is a folder ``<time>/`` holding:

- ``database.dump``: ``pg_dump --format=custom`` of the PostgreSQL database, one consistent
  snapshot (pg_dump reads in one repeatable-read transaction while the site keeps running); or
  ``database.sqlite3``: a copy of the embedded SQLite database made with SQLite's online backup
  API, consistent in the same way;
- ``media.tar.gz``: every file under ``MEDIA_ROOT``, archived *after* the database, so that every
  file a record names is in it (uploads are written before the record that names them, and
  never changed afterwards: they get new random names);
- ``manifest.json``: when, from what, how many rows per table and files, and each file's SHA-256,
  checked before anything is restored.

``restore`` checks the manifest, refuses a database that already holds tables (or a media folder
that holds files) unless forced, loads the dump (``pg_restore --single-transaction``: all of it or
nothing) or the SQLite copy, extracts the media (refusing any path that would leave the folder),
then starts a new generation of the page cache, so that no page cached before the restore is
served after it.
"""

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.db import connections

DUMP = "database.dump"
SQLITE = "database.sqlite3"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be made as asked; the message says why, for the operator."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_postgresql(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.postgresql"


def libpq_environment(database: dict) -> dict:
    """The environment pg_dump and pg_restore connect with (the password never on the command line)."""
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[name] = str(database[key])
    env["PGDATABASE"] = database["NAME"]
    return env


def run(command: list[str], env: dict):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from None
    if result.returncode:
        raise BackupError(f"{command[0]} failed:\n{result.stderr.strip()}")


# Counting what is there ---------------------------------------------------------------------------

TABLES = {
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
}


def count_rows(cursor, engine: str) -> dict[str, int]:
    """Rows per table, read with ``cursor`` (a DB-API cursor on the database, or on its snapshot)."""
    cursor.execute(TABLES[engine])
    counts = {}
    for (table,) in cursor.fetchall():
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 - a name from the catalogue, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


# Backup -----------------------------------------------------------------------------------------------


def backup(*, destination: Path, media_root: Path, connection=None, now=None) -> Path:
    """Write a backup of the database (``connection``, the default one unless given) and of ``media_root``
    into ``destination/<time>/``."""
    connection = connection or connections["default"]
    now = now or datetime.datetime.now(datetime.UTC)
    folder = Path(destination) / now.strftime("%Y%m%dT%H%M%SZ")
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise BackupError(f"{folder} exists already: one backup per second at most.") from None
    database = connection.settings_dict
    if is_postgresql(database):
        dump, engine = folder / DUMP, "postgresql"
        counts = dump_postgresql(dump, connection)
    else:
        dump, engine = folder / SQLITE, "sqlite"
        counts = copy_sqlite(dump, connection)
    files = media_files(Path(media_root))
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=path.relative_to(media_root).as_posix(), recursive=False)
    manifest = {
        "created": now.isoformat(),
        "engine": engine,
        "database": database["NAME"] if engine == "postgresql" else Path(str(database["NAME"])).name,
        "tables": counts,
        "media_files": len(files),
        "media_bytes": sum(path.stat().st_size for path in files),
        "sha256": {dump.name: sha256(dump), MEDIA: sha256(folder / MEDIA)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def dump_postgresql(dump: Path, connection) -> dict[str, int]:
    """pg_dump of one snapshot, which the rows are counted in too (the site may be writing meanwhile)."""
    import psycopg

    snapshot = connection.get_new_connection(connection.get_connection_params())
    try:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot.read_only = True
        with snapshot.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            name = cursor.fetchone()[0]
            counts = count_rows(cursor, "postgresql")
        command = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={name}",
            f"--file={dump}",
        ]
        run(command, libpq_environment(connection.settings_dict))
    finally:
        snapshot.rollback()
        snapshot.close()
    return counts


def copy_sqlite(copy: Path, connection) -> dict[str, int]:
    """SQLite's online backup of the database into ``copy``, its rows counted in the copy."""
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
        return count_rows(target.cursor(), "sqlite")
    finally:
        target.close()


# Restore ----------------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a backup: {MANIFEST} cannot be read ({error}).") from None
    for name, expected in manifest.get("sha256", {}).items():
        path = folder / name
        if not path.is_file() or sha256(path) != expected:
            raise BackupError(f"{path} is missing or damaged: its SHA-256 does not match the manifest.")
    return manifest


def database_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore(*, source: Path, media_root: Path, connection=None, force: bool = False) -> dict:
    """Bring the backup in ``source`` back into the database (``connection``, the default one unless
    given) and ``media_root``.

    Refuses a database with tables, or a media folder with files, unless ``force`` (then the
    database's tables are dropped first, and the media folder's files kept, or overwritten by the
    backup's). Returns the manifest.
    """
    connection = connection or connections["default"]
    source = Path(source)
    manifest = read_manifest(source)
    database = connection.settings_dict
    engine = "postgresql" if is_postgresql(database) else "sqlite"
    if manifest["engine"] != engine:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the target is {engine}.")
    if database_tables(connection) and not force:
        raise BackupError(f"The database {database['NAME']} is not empty: restore into an empty one (or force).")
    if media_files(Path(media_root)) and not force:
        raise BackupError(f"{media_root} holds files: restore into an empty folder (or force).")
    if engine == "postgresql":
        restore_postgresql(source / DUMP, connection, force=force)
    else:
        restore_sqlite(source / SQLITE, connection)
    extract_media(source / MEDIA, Path(media_root))
    with connection.cursor() as cursor:
        restored = count_rows(cursor, engine)
    if restored != manifest["tables"]:
        raise BackupError("The restored database does not hold the rows the manifest counts.")
    from . import pagecache

    pagecache.start_new_generation()  # pages cached before the restore may show what it undid
    return manifest


def restore_postgresql(dump: Path, connection, *, force: bool):
    database = connection.settings_dict
    if force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    connection.close()  # pg_restore works on its own connection
    run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        libpq_environment(database),
    )


def restore_sqlite(copy: Path, connection):
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)  # replaces the target's whole content
    finally:
        source.close()


def extract_media(archive_path: Path, media_root: Path):
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        try:
            archive.extractall(media_root, filter="data")  # no absolute path, no "..", no link out of the folder
        except tarfile.FilterError as error:
            raise BackupError(f"{archive_path} holds a path that would leave {media_root}: {error}") from None
