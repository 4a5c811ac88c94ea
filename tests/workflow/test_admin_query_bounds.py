"""The workflow's admin pages run a fixed number of queries, whatever the number of items they list."""

import datetime

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def untitled_meetings_missing_english(dialogue, first, count):
    """Meetings named after their dialogue (no title), with a French city only: English is missing."""
    for number in range(first, first + count):
        factories.meeting(dialogue, number=number, city_en="", start_date=datetime.date(2000 + number, 1, 1))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_translation_dashboard_runs_the_same_queries_for_more_items(editor_client, language):
    with translation.override(language):
        url = reverse("translation-dashboard")
    dialogue = factories.dialogue()
    untitled_meetings_missing_english(dialogue, 1, 2)
    few = count_queries(editor_client, url)
    untitled_meetings_missing_english(dialogue, 3, 20)
    assert count_queries(editor_client, url) == few


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_history_page_runs_the_same_queries_for_more_versions(editor_client, editor, language):
    meeting = factories.meeting(title_fr="Séance", title_en="Session")

    def save_versions(n):
        for index in range(n):
            with reversion.create_revision():
                reversion.set_user(editor)
                meeting.title_en = f"Session {index}"
                meeting.save()

    with translation.override(language):
        url = reverse("admin:dialogue_meeting_history", args=[meeting.pk])
    save_versions(2)
    few = count_queries(editor_client, url)
    save_versions(15)
    assert count_queries(editor_client, url) == few
