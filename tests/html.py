"""The test's view of a page: its HTML parsed once, to query with CSS selectors.

Two views of the same HTML, both parsed by libxml2: ``soup()``, BeautifulSoup's tree, for the tests
that walk a page (parents, siblings, an element's text); and ``tree()``, lxml's own tree, for the
shared helpers that only read values off a page (a form's fields, its links, its errors, its text),
which every admin test calls and which reads a page several times faster than BeautifulSoup builds it.
"""

from functools import cache

import lxml.etree
import lxml.html
from bs4 import BeautifulSoup
from cssselect import HTMLTranslator

UTF8 = lxml.html.HTMLParser(encoding="utf-8")
#: The elements whose content a reader does not see as text (BeautifulSoup's ``get_text()`` leaves them out).
NOT_TEXT = {"script", "style", "template"}


def soup(response) -> BeautifulSoup:
    """The response's HTML, parsed, to query with CSS selectors.

    Parsed once per response: a test asking several questions of one page (each item it should
    show, its links, its text) reads the same tree. A test that changes the tree parses a copy.
    """
    parsed = getattr(response, "parsed_html", None)
    if parsed is None:
        parsed = response.parsed_html = BeautifulSoup(response.content, "lxml")
    return parsed


def tree(response) -> lxml.html.HtmlElement:
    """The response's HTML as lxml's tree, parsed once per response: read it with ``select()``."""
    parsed = getattr(response, "parsed_tree", None)
    if parsed is None:
        # As text, then UTF-8 again: bytes that are not text become U+FFFD, as BeautifulSoup reads them.
        markup = response.content.decode(response.charset or "utf-8", errors="replace").encode()
        try:
            parsed = lxml.html.document_fromstring(markup, parser=UTF8)
        except lxml.etree.ParserError:  # nothing but white space
            parsed = lxml.html.document_fromstring(b"<html></html>", parser=UTF8)
        response.parsed_tree = parsed
    return parsed


@cache
def _selector(css: str, prefix: str) -> lxml.etree.XPath:
    return lxml.etree.XPath(HTMLTranslator().css_to_xpath(css, prefix=prefix))


def select(element, css: str) -> list:
    """The elements that match ``css``, in document order: in a response's page (its ``html`` element
    included), or under an lxml element (the element itself left out), as BeautifulSoup's ``select()``."""
    if isinstance(element, lxml.html.HtmlElement):
        return _selector(css, "descendant::")(element)
    return _selector(css, "descendant-or-self::")(tree(element))


def text(element) -> str:
    """An element's text as a reader sees it: whitespace collapsed (a BeautifulSoup or an lxml element)."""
    if isinstance(element, lxml.html.HtmlElement):
        return " ".join("".join(_strings(element)).split())
    return " ".join(element.get_text().split())


def _strings(element):
    """The text inside ``element`` (not its tail), as BeautifulSoup's ``get_text()`` reads it."""
    if isinstance(element.tag, str) and element.tag not in NOT_TEXT:  # not a comment, a script, a style
        if element.text:
            yield element.text
        for child in element:
            yield from _strings(child)
            if child.tail:
                yield child.tail
