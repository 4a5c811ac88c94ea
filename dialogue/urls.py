"""Public pages of the relationship, with path segments in the page's language."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "dialogue"


urlpatterns = [
    path(pgettext_lazy("URL path segment", "dialogues/"), views.DialogueListView.as_view(), name="dialogue-list"),
    path(
        pgettext_lazy("URL path segment", "dialogues/<slug:slug>/"),
        views.DialogueDetailView.as_view(),
        name="dialogue-detail",
    ),
    path(pgettext_lazy("URL path segment", "meetings/"), views.MeetingListView.as_view(), name="meeting-list"),
    path(
        pgettext_lazy("URL path segment", "meetings/<slug:slug>/"),
        views.MeetingDetailView.as_view(),
        name="meeting-detail",
    ),
    path(
        pgettext_lazy("URL path segment", "instruments/"), views.InstrumentListView.as_view(), name="instrument-list"
    ),
    path(
        pgettext_lazy("URL path segment", "instruments/<slug:slug>/"),
        views.InstrumentDetailView.as_view(),
        name="instrument-detail",
    ),
    path(
        pgettext_lazy("URL path segment", "organizations/"),
        views.OrganizationListView.as_view(),
        name="organization-list",
    ),
    path(
        pgettext_lazy("URL path segment", "organizations/<slug:slug>/"),
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(pgettext_lazy("URL path segment", "people/"), views.PersonListView.as_view(), name="person-list"),
    path(
        pgettext_lazy("URL path segment", "people/<slug:slug>/"),
        views.PersonDetailView.as_view(),
        name="person-detail",
    ),
    path(pgettext_lazy("URL path segment", "topics/"), views.TopicListView.as_view(), name="topic-list"),
    path(
        pgettext_lazy("URL path segment", "topics/<slug:slug>/"), views.TopicDetailView.as_view(), name="topic-detail"
    ),
]
