"""PostgreSQL: one GIN index per language, and narrow heap rows so that matching stays fast.

The texts (lead, body and their folded copies) and the full vector, which matching reads from the
GIN index alone, are moved out of the main heap by a low ``toast_tuple_target``; a search then
reads small rows: the key, date, URL, title and the small ranking vector.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("DROP INDEX IF EXISTS search_entry_vector_gin")
    for language in ("fr", "en"):
        execute(
            f"CREATE INDEX IF NOT EXISTS search_entry_vector_{language} ON archive_searchentry "
            f"USING gin (vector) WHERE language = '{language}'"
        )
    execute("ALTER TABLE archive_searchentry SET (toast_tuple_target = 256)")
    for column in ("lead", "body", "norm_title", "norm_lead", "norm_body", "vector"):
        execute(f"ALTER TABLE archive_searchentry ALTER COLUMN {column} SET STORAGE EXTERNAL")
    # The small ranking vector stays in the row: every candidate's rank reads it.
    execute("ALTER TABLE archive_searchentry ALTER COLUMN rank_vector SET STORAGE MAIN")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in ("fr", "en"):
        schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_vector_{language}")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON archive_searchentry USING gin (vector)")


class Migration(migrations.Migration):
    dependencies = [("archive", "0004_search_rank_vector")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
