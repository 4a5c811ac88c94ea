"""URLs: every public page under /fr/ and /en/, the admin in the editor's language."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from archive.open import site, sitemaps
from archive.open.api import api
from editorial.admin.autocomplete import LabelledAutocompleteJsonView
from editorial.admin.richtext import RichTextCatalogue
from editorial.dashboard import TranslationDashboardView
from editorial.uploads import serve_upload
from editorial.views import switch_language

admin.site.site_header = _("France–Japan dialogues: editors' admin")
admin.site.site_title = _("France–Japan dialogues")
admin.site.index_title = _("Archive content")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/switch/<str:code>/", switch_language, name="switch-language"),
    path("_nested_admin/", include("nested_admin.urls")),
    path("media/<path:path>", serve_upload, name="upload"),
    # The open archive at the site's root: the API, the sitemaps, robots.txt and the favicon.
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", site.robots_txt, name="robots-txt"),
    path("favicon.ico", site.favicon, name="favicon"),
]

urlpatterns += i18n_patterns(
    path(
        "admin/translations/",
        admin.site.admin_view(TranslationDashboardView.as_view()),
        name="translation-dashboard",
    ),
    # The rich-text editor's dialogs (django-prose-editor's catalogue), in the admin's language.
    path(
        "admin/rich-text-catalogue/",
        admin.site.admin_view(RichTextCatalogue.as_view(), cacheable=True),
        name="rich-text-catalogue",
    ),
    # The admin's autocomplete, its results labelled and ordered by the searched model's admin.
    path(
        "admin/autocomplete/",
        admin.site.admin_view(LabelledAutocompleteJsonView.as_view(admin_site=admin.site)),
        name="labelled-autocomplete",
    ),
    path("admin/", admin.site.urls),
    path("", include("archive.open.urls")),
    path("", include("archive.urls")),
    path("", include("dialogue.urls")),
    prefix_default_language=True,
)

handler404 = "archive.views.page_not_found"
handler500 = "archive.views.server_error"
