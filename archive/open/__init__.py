"""The open archive: what machines and other sites read of it, in both languages.

Feeds (``feeds``), calendars (``calendars``), sitemaps and robots.txt (``sitemaps``, ``site``),
structured data in the pages (``structured``), the read-only API (``api``), downloads of the
lists (``exports``) and citations (``citations``). Each reads the public archive through the
models' ``published()`` QuerySets, in a fixed number of queries, and shows texts by the one
fallback rule (``editorial.i18n``). ``pages`` adds their links and blocks to the pages.
"""
