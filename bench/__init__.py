"""Benchmarks of the public pages, apart from the tests: ``make bench`` and ``make bench-explain``.

``pages`` measures the production stack (Gunicorn, one worker) against nginx serving the same
bytes; ``explain`` shows the plan of every query a page runs; ``pagelist`` names the pages;
``harness`` holds the machinery (databases, pinned servers, wrk).
"""
