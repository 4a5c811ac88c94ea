"""Benchmark: ranked full-text search against a naive icontains search, side by side, in one run.

Each query runs as the search page runs it: the number of results, then the first 20 (ranked,
with highlighted snippets, for the full-text search; newest first for the naive one). Prints the
median and 95th percentile latency of each and, on PostgreSQL, the size of the first tier (the
matches whose title and lead alone match, all that a first page ranks when they fill it). This is
a benchmark, not a test: it asserts nothing, but ``--check`` compares every first page with a
ranking of all matches.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
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
        parser.add_argument("--no-naive", action="store_true", help="Time the ranked search only.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="PostgreSQL: check that each first page is the first page of a ranking of every match.",
        )

    def handle(self, *args, repeat, no_naive, check, **options):
        entries = SearchEntry.objects.count()
        self.stdout.write(f"Database: {connection.vendor}; search entries: {entries}; {repeat} runs per query")
        self.stdout.write(
            f"{'query':<52} {'hits':>6} {'tier 1':>6} {'ranked p50':>11} {'p95':>8} {'naive p50':>10} {'p95':>8} "
            f"{'speed-up':>9}"
        )
        functions = (("ranked", ranked),) if no_naive else (("ranked", ranked), ("naive", naive))
        samples_of = {name: [] for name, _function in functions}
        for language, query in QUERIES:
            results = search.search(query, language)
            first = results.first.count() if isinstance(results, search.RankedResults) else ""
            if check and isinstance(results, search.RankedResults):
                self.check_order(results, language, query)
            timings = {}
            for name, function in functions:
                hits = function(language, query)
                samples = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    function(language, query)
                    samples.append((time.perf_counter() - started) * 1000)
                timings[name] = (hits, samples)
                samples_of[name] += samples
            hits, ranked_samples = timings["ranked"]
            naive_samples = timings["naive"][1] if "naive" in timings else None
            self.stdout.write(
                f"{language + ': ' + query:<52} {hits:>6} {first:>6} {figures(ranked_samples, naive_samples)}"
            )
        all_queries = figures(samples_of["ranked"], samples_of.get("naive"))
        self.stdout.write(f"{'all queries':<52} {'':>6} {'':>6} {all_queries}")

    def check_order(self, results, language, query):
        page = [entry.pk for entry in search.ResultPage(results, 1, 20).rows]
        expected = list(results.full_ranking().values_list("pk", flat=True)[:20])
        if page != expected:
            raise CommandError(f"{language}: {query}: the first page is not that of the full ranking")


def figures(ranked_samples, naive_samples):
    """Median and p95 of the ranked search, then of the naive one and the speed-up if it ran."""
    ranked_median = statistics.median(ranked_samples)
    line = f"{ranked_median:>9.1f}ms {percentile(ranked_samples, 0.95):>6.1f}ms"
    if naive_samples:
        naive_median = statistics.median(naive_samples)
        line += (
            f" {naive_median:>8.1f}ms {percentile(naive_samples, 0.95):>6.1f}ms {naive_median / ranked_median:>8.1f}×"
        )
    return line
