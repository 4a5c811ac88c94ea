"""Where other apps add to the relationship's pages, without this app naming them.

The archive shows a meeting's press releases on the meeting's page, a person's quotations on the
person's page, and so on; but ``archive`` builds on ``dialogue``, never the reverse. So the pages
here offer places to plug into: an app registers a ``Section`` (a related list, read with the
page's object in a fixed number of queries, and the template that shows it), a ``Count`` (a
figure per row of a list) or a ``Block`` (links in ``<head>``, a “Follow” line, a “Cite this
page” box, structured data), and the page reads and shows whatever is registered.

Pages are named: ``dialogue``, ``meeting``, ``instrument``, ``organization``, ``person``,
``topic`` for the detail pages, ``…-list`` for the lists; the archive names its own pages in the
same registry (``home``, ``press-release``…).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch

from editorial.limits import RELATED_LIMIT


@dataclass(frozen=True)
class Section:
    """A related list on a detail page: ``getattr(object, attribute)`` shown by ``template`` (as ``items``)."""

    lookup: str  # the relation to prefetch from the page's object: "press_releases", "quotations"…
    queryset: Callable  # () -> the QuerySet of what the public may see now
    template: str
    attribute: str
    more: Callable | None = (
        None  # (page's object) -> the address of a list of all of them, when the page shows only some
    )

    def prefetch(self) -> Prefetch:
        """The section's items, the most recent ``RELATED_LIMIT`` of them: a page never lists the archive."""
        return Prefetch(self.lookup, queryset=self.queryset()[:RELATED_LIMIT], to_attr=self.attribute)


@dataclass(frozen=True)
class Count:
    """A figure per row of a list page: an annotation, and the template that writes it (as ``count``)."""

    name: str
    annotation: Callable  # () -> an aggregate expression
    template: str


@dataclass(frozen=True)
class Block:
    """Something shown in a slot of a page: ``template`` with the context ``context(request, obj)`` returns.

    Slots: ``head`` (inside ``<head>``), ``follow`` (under a page's heading: feeds, calendars,
    downloads), ``cite`` (at the end of an item's page). ``context`` returns None to add nothing;
    it may read only what the page's object carries already (prefetched), so that the page keeps
    its fixed number of queries.
    """

    slot: str
    template: str
    context: Callable  # (request, page's object or None) -> dict | None


_sections: dict[str, list[Section]] = defaultdict(list)
_counts: dict[str, list[Count]] = defaultdict(list)
_blocks: dict[str, list[Block]] = defaultdict(list)


def add_section(page: str, section: Section):
    """Show ``section`` on ``page`` ("dialogue", "meeting", "instrument", "organization", "person", "topic")."""
    if section not in _sections[page]:
        _sections[page].append(section)


def add_count(page: str, count: Count):
    if count not in _counts[page]:
        _counts[page].append(count)


def prefetches(page: str) -> list[Prefetch]:
    return [section.prefetch() for section in _sections[page]]


def sections_of(page: str, obj) -> list[dict]:
    """[{"template", "items"}] of the sections registered for ``page``, read from the prefetched ``obj``."""
    found = []
    for section in _sections[page]:
        items = getattr(obj, section.attribute, [])
        more = section.more(obj) if section.more and len(items) >= RELATED_LIMIT else None
        found.append({"template": section.template, "items": items, "more": more})
    return found


def annotations(page: str) -> dict:
    return {count.name: count.annotation() for count in _counts[page]}


def counts_of(page: str, row) -> list[dict]:
    return [{"template": count.template, "count": getattr(row, count.name, 0)} for count in _counts[page]]


def add_block(page: str, block: Block):
    """Show ``block`` on ``page`` (a detail page's name, ``meeting-list``…, or one of the archive's pages)."""
    if block not in _blocks[page]:
        _blocks[page].append(block)


def blocks_of(page: str, request, obj=None) -> dict[str, list[tuple[str, dict]]]:
    """{slot: [(template, context)]} of the blocks registered for ``page``, for ``{% page_blocks slot %}``."""
    found: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for block in _blocks[page]:
        context = block.context(request, obj)
        if context is not None:
            found[block.slot].append((block.template, context))
    return dict(found)
