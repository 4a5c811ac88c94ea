"""PostgreSQL full-text search: accent-insensitive French and English configurations, and a GIN index.

On SQLite there is nothing to do: search there matches the folded ``norm_*`` columns.
"""

from django.db import migrations

CONFIGURATIONS = {"fr_unaccent": "french", "en_unaccent": "english"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, parser_of in CONFIGURATIONS.items():
        execute(
            f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
                CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{parser_of});
                ALTER TEXT SEARCH CONFIGURATION {name}
                  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {parser_of}_stem;
              END IF;
            END $$;
            """
        )
    execute("CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON archive_searchentry USING gin (vector)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector_gin")
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_search_entry")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
