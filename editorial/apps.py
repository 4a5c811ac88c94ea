from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """What the content apps share: publication, translation status, versions, roles, uploads."""

    name = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self):
        from django.contrib import admin

        from . import pagecache
        from .admin.inputs import guard_every_admin
        from .models.publication import follow_referenced_models
        from .multilingual import reuse_multilingual_classes
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="editorial.sync_roles")
        pagecache.connect()  # any change to content starts a new generation of cached pages
        follow_referenced_models()  # when people and organizations become public, kept current
        reuse_multilingual_classes()  # a class per QuerySet class, not one per QuerySet
        guard_every_admin(admin.site)  # the admin's modules are imported by now (django.contrib.admin is ready)
