from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")
    #: The editorial roles work on this app's models (``editorial.roles``).
    editorial_content = True

    def ready(self):
        from . import extensions
        from .open import pages
        from .search import dependencies

        dependencies.connect()  # the search index follows every save of what it reads
        extensions.register()  # the relationship's pages show their press releases
        pages.register()  # and their feeds, calendars, downloads, structured data and citations
