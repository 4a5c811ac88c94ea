"""The meetings list over many pages: any page number, filters kept from page to page, the canonical address.

The reference archive with 30 more of everything (``tests.pages.grow_archive``) is made once for the
module, whose tests only read it.
"""

import pytest

from tests.conftest import module_archive, soup
from tests.pages import grow_archive

pytestmark = pytest.mark.django_db

archive_of_many_meetings = module_archive("archive_of_many_meetings", then=lambda: grow_archive(30))


def test_filters_live_in_the_url_and_pagination_keeps_them(client, archive_of_many_meetings):
    page = soup(client.get("/en/meetings/?dialogue=space"))
    next_link = page.select_one(".pagination a[rel=next]")["href"]
    assert "dialogue=space" in next_link and "page=2" in next_link
    second = soup(client.get(f"/en/meetings/{next_link}"))
    assert second.select_one(".pagination [aria-current=page]").get_text() == "2"
    assert second.select_one("#id_dialogue option[selected]")["value"] == "space"


@pytest.mark.parametrize(
    ("page", "shown"),
    [("abc", 1), ("-1", 1), ("0", 1), ("1e9", 1), ("٢", 2), ("999", "last"), ("9" * 30, "last"), ("last", "last")],
)
def test_any_page_number_shows_the_page_asked_for_else_the_first_or_the_last(
    client, archive_of_many_meetings, page, shown
):
    response = client.get("/en/meetings/", {"page": page})
    assert response.status_code == 200
    last = response.context["paginator"].num_pages
    assert last >= 2
    expected = last if shown == "last" else shown
    assert soup(response).select_one(".pagination [aria-current=page]").get_text() == str(expected)


def test_a_list_names_the_page_it_shows_as_its_canonical_address(client, archive_of_many_meetings):
    first = soup(client.get("/en/meetings/", {"page": "abc", "dialogue": "space"}))
    assert first.select_one("link[rel=canonical]")["href"] == "http://testserver/en/meetings/?dialogue=space"
    response = client.get("/en/meetings/", {"page": "999"})
    last = response.context["paginator"].num_pages
    canonical = soup(response).select_one("link[rel=canonical]")["href"]
    assert canonical == f"http://testserver/en/meetings/?page={last}"
