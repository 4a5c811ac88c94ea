"""The three editorial roles, as groups with the least privilege each needs.

- Editors write: they add, change and delete records, and send them for review; they cannot
  publish or withdraw.
- Translators complete the other language: they change existing records, and on them only the
  texts (the admin makes every other field read-only for whoever may change but not add).
- Publishers decide what goes public and when: everything editors may do, plus publishing and
  withdrawing.

The content apps say so themselves (``editorial_content = True`` on their AppConfig), and a
model may narrow what the roles do with it (``editorial_role``): ``"view"`` for reference data
kept by administrators (parties), ``"none"`` for derived records no one edits (the search index).
The groups are created by a migration and brought back in step with the models after every
``migrate`` (``sync_roles`` runs on ``post_migrate``), so a new model's permissions reach the
right roles.
"""

EDITORS, TRANSLATORS, PUBLISHERS = "Editors", "Translators", "Publishers"


def content_apps() -> list[str]:
    """The labels of the apps whose models the editorial roles work on."""
    from django.apps import apps

    return [config.label for config in apps.get_app_configs() if getattr(config, "editorial_content", False)]


def model_role(app_label: str, model_name: str) -> str:
    """``"edit"``, ``"view"`` or ``"none"``: what the roles may do with this model's records."""
    from django.apps import apps

    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return "none"
    return getattr(model, "editorial_role", "edit")


def role_permissions(content_types) -> dict[str, set[tuple[str, str]]]:
    """{group name: {(app label, codename)}} for the given content types."""
    roles = {EDITORS: set(), TRANSLATORS: set(), PUBLISHERS: set()}
    labels = content_apps()
    for content_type in content_types:
        key = (content_type.app_label, content_type.model)
        if content_type.app_label not in labels or model_role(*key) == "none":
            continue
        app, model = key

        def perm(action, app=app, model=model):
            return (app, f"{action}_{model}")

        for group in roles.values():
            group.add(perm("view"))
        if model_role(*key) == "view":
            continue
        editing = {perm("add"), perm("change"), perm("delete")}
        roles[EDITORS] |= editing
        roles[PUBLISHERS] |= editing | {perm("publish")}
        roles[TRANSLATORS].add(perm("change"))
    return roles


def sync_roles(group_model, permission_model, content_type_model, using="default"):
    """Create the groups and give each exactly the permissions of its role (existing ones only)."""
    content_types = content_type_model.objects.using(using).filter(app_label__in=content_apps())
    for name, wanted in role_permissions(content_types).items():
        group, _created = group_model.objects.using(using).get_or_create(name=name)
        permissions = [
            permission
            for permission in permission_model.objects.using(using).filter(content_type__in=content_types)
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group.permissions.set(permissions)


def sync_roles_after_migrate(sender, using="default", apps=None, **kwargs):
    """``post_migrate``: keep the groups in step once every app's permissions exist."""
    labels = content_apps()
    if not labels or sender.label != labels[-1]:
        return  # once, when the last content app's permissions exist
    if apps is None:  # ``flush`` sends post_migrate without the migration state: use the project's models
        from django.apps import apps
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
        content_type_model = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    sync_roles(group_model, permission_model, content_type_model, using=using)
    if using == "default":
        from .models.publication import refresh_every_public_from

        # Who is public follows the rule of the code that is migrating: new references included.
        refresh_every_public_from()
