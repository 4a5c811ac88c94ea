"""Public pages of the archive: home, press releases, the archive by year."""

from django.urls import path, register_converter
from django.utils.translation import pgettext_lazy

from . import search_views, views

app_name = "archive"


class YearConverter:
    """Exactly four digits: /years/2017/, never /years/02017/."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(YearConverter, "year")


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        pgettext_lazy("URL path segment", "press-releases/"),
        views.PressReleaseListView.as_view(),
        name="press-release-list",
    ),
    path(
        pgettext_lazy("URL path segment", "press-releases/<slug:slug>/"),
        views.PressReleaseDetailView.as_view(),
        name="press-release-detail",
    ),
    path(pgettext_lazy("URL path segment", "search/"), search_views.SearchView.as_view(), name="search"),
    path(pgettext_lazy("URL path segment", "pages/<slug:slug>/"), views.SitePageView.as_view(), name="site-page"),
    path(pgettext_lazy("URL path segment", "years/"), views.YearIndexView.as_view(), name="year-index"),
    path(pgettext_lazy("URL path segment", "years/<year:year>/"), views.YearDetailView.as_view(), name="year-detail"),
]
