"""PostgreSQL: rank only the entries whose title or lead match, and keep phrase checks cheap.

- A GIN index on ``rank_vector`` (title and lead) per language: the search ranks the entries it
  finds there, instead of every match (``archive.search.RankedResults``).
- ``vector`` is kept in the row (storage MAIN, compressed only if the row would not fit) rather
  than out of line: a phrase query (``"space situational awareness"``) must re-read the vector of
  every entry holding its words to check their positions, and fetching each one from the TOAST
  table made such a query three times slower. The long texts (lead, body and their folded
  copies) stay out of line.
- ``fastupdate`` off on the four search GIN indexes: a save updates them at once, instead of
  queueing entries in a pending list that every search would then have to scan until the next
  VACUUM.
- The vectors are computed again, so that existing rows are stored the new way.

On SQLite there is nothing to do: search there matches the folded ``norm_*`` columns.
"""

from django.db import migrations

CONFIGURATIONS = {"fr": "fr_unaccent", "en": "en_unaccent"}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("ALTER TABLE archive_searchentry ALTER COLUMN vector SET STORAGE MAIN")
    for language, config in CONFIGURATIONS.items():
        execute(
            """
            UPDATE archive_searchentry SET
              rank_vector = setweight(to_tsvector(%(config)s::regconfig, title), 'A')
                         || setweight(to_tsvector(%(config)s::regconfig, lead), 'B'),
              vector = setweight(to_tsvector(%(config)s::regconfig, title), 'A')
                    || setweight(to_tsvector(%(config)s::regconfig, lead), 'B')
                    || setweight(to_tsvector(%(config)s::regconfig, body), 'C')
            WHERE language = %(language)s
            """,
            {"config": config, "language": language},
        )
        execute(
            f"CREATE INDEX IF NOT EXISTS search_entry_rank_vector_{language} ON archive_searchentry "
            f"USING gin (rank_vector) WITH (fastupdate = off) WHERE language = '{language}'"
        )
        execute(f"ALTER INDEX search_entry_vector_{language} SET (fastupdate = off)")
        execute(f"SELECT gin_clean_pending_list('search_entry_vector_{language}'::regclass)")
    execute("ANALYZE archive_searchentry")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    for language in CONFIGURATIONS:
        execute(f"DROP INDEX IF EXISTS search_entry_rank_vector_{language}")
        execute(f"ALTER INDEX search_entry_vector_{language} RESET (fastupdate)")
    execute("ALTER TABLE archive_searchentry ALTER COLUMN vector SET STORAGE EXTERNAL")


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_search_storage")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
