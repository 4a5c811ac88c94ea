"""How much a page shows at once, whatever the size of the archive."""

#: How many related items a detail page lists (the most recent); a link leads to all of them.
RELATED_LIMIT = 50
