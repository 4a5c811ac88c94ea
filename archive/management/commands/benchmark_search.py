"""Benchmark: ranked full-text search against a naive icontains search, side by side, in one run.

Each query runs as the search page runs it: the number of results, then the first 20 (ranked,
with highlighted snippets, for the full-text search; newest first for the naive one). Prints the
median and 95th percentile latency of each. This is a benchmark, not a test: it asserts nothing.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Q

from archive import search
from archive.models import SearchEntry

QUERIES = [
    ("en", "SSA"),
    ("fr", "connaissance de la situation spatiale"),
    ("en", "Iijima"),
    ("en", "letter of intent 2017"),
    ("en", "JAXA -exploration"),
    ("fr", "coopération industrielle"),
    ("en", '"space situational awareness" OR cybersecurity'),
    ("fr", "sécurité maritime Indopacifique"),
]


def ranked(language, query):
    page = search.ResultPage(search.search(query, language), 1, 20)
    for entry in page.rows:
        search.snippet(entry, query)
    return page.count()


def naive(language, query):
    parsed = search.parse(query)
    entries = SearchEntry.objects.filter(language=language)
    for group in parsed.groups:
        alternatives = Q()
        for term in group:
            alternatives |= Q(title__icontains=term) | Q(lead__icontains=term) | Q(body__icontains=term)
        entries = entries.filter(alternatives)
    for term in parsed.excluded:
        entries = entries.exclude(Q(title__icontains=term) | Q(lead__icontains=term) | Q(body__icontains=term))
    count = entries.count()
    list(entries.order_by("-date")[:20])
    return count


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Print median and p95 latency of ranked full-text search and of a naive icontains search."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Runs of each query (after one warm-up run).")

    def handle(self, *args, repeat, **options):
        entries = SearchEntry.objects.count()
        self.stdout.write(f"Database: {connection.vendor}; search entries: {entries}; {repeat} runs per query")
        self.stdout.write(
            f"{'query':<52} {'hits':>6} {'ranked p50':>11} {'p95':>8} {'naive p50':>10} {'p95':>8} {'speed-up':>9}"
        )
        all_ranked, all_naive = [], []
        for language, query in QUERIES:
            timings = {}
            for name, function in (("ranked", ranked), ("naive", naive)):
                hits = function(language, query)
                samples = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    function(language, query)
                    samples.append((time.perf_counter() - started) * 1000)
                timings[name] = (hits, samples)
            hits, ranked_samples = timings["ranked"]
            _naive_hits, naive_samples = timings["naive"]
            all_ranked += ranked_samples
            all_naive += naive_samples
            self.stdout.write(
                f"{language + ': ' + query:<52} {hits:>6} {statistics.median(ranked_samples):>9.1f}ms "
                f"{percentile(ranked_samples, 0.95):>6.1f}ms {statistics.median(naive_samples):>8.1f}ms "
                f"{percentile(naive_samples, 0.95):>6.1f}ms {statistics.median(naive_samples) / statistics.median(ranked_samples):>8.1f}×"
            )
        self.stdout.write(
            f"{'all queries':<52} {'':>6} {statistics.median(all_ranked):>9.1f}ms {percentile(all_ranked, 0.95):>6.1f}ms "
            f"{statistics.median(all_naive):>8.1f}ms {percentile(all_naive, 0.95):>6.1f}ms "
            f"{statistics.median(all_naive) / statistics.median(all_ranked):>8.1f}×"
        )
