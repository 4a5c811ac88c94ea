"""The test's view of a page: its HTML parsed once (lxml), to query with CSS selectors."""

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    """The response's HTML, parsed, to query with CSS selectors.

    Parsed once per response: a test asking several questions of one page (each item it should
    show, its links, its text) reads the same tree. A test that changes the tree parses a copy.
    """
    parsed = getattr(response, "parsed_html", None)
    if parsed is None:
        parsed = response.parsed_html = BeautifulSoup(response.content, "lxml")
    return parsed


def text(element) -> str:
    """An element's text as a reader sees it: whitespace collapsed."""
    return " ".join(element.get_text().split())
