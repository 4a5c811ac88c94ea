"""The Editors, Translators and Publishers groups (kept in step after each migrate by editorial.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from editorial.roles import sync_roles

    # Permissions are normally created after all migrations; create them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    sync_roles(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        apps.get_model("contenttypes", "ContentType"),
        using=schema_editor.connection.alias,
    )


def remove_roles(apps, schema_editor):
    from editorial.roles import EDITORS, PUBLISHERS, TRANSLATORS

    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, TRANSLATORS, PUBLISHERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0003_publication"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
