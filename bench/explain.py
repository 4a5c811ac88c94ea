"""``make bench-explain``: the plan of every query each benchmarked page runs, on ``bench_100x``.

Each page is requested twice through Django's test client, without the page cache (``PAGE_CACHE=false``;
the figures derived from the whole archive are cached in local memory by the first request, as in production),
with DEBUG off as in production: once to warm the process, then with its queries captured
(``CaptureQueriesContext``). Every captured SELECT is run again under ``EXPLAIN (ANALYZE,
BUFFERS)``, in a transaction that is rolled back. Printed per page: the number of queries, the
time they took in the database, and the slowest one (by its execution time under EXPLAIN): its
plan's total cost, its actual time and the buffers it touched. ``bench/last-explain.txt``
receives the same with the full plan of each page's slowest query.

``bench_100x`` is the database ``make bench`` builds and leaves; if it is missing, it is built
here the same way (``--rebuild`` to build it again).
"""

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import harness

OUTPUT = Path(__file__).resolve().parent / "last-explain.txt"
DATABASE = "bench_100x"


@dataclass
class Plan:
    sql: str
    total_cost: float
    execution_ms: float
    shared_hit: int
    shared_read: int
    text: str


def explain(connection, sql: str) -> Plan:
    """EXPLAIN (ANALYZE, BUFFERS) one query, as JSON for the figures and as text for reading."""
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        (document,) = cursor.fetchone()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        text = "\n".join(line for (line,) in cursor.fetchall())
        transaction.set_rollback(True, using=connection.alias)
    (result,) = document if isinstance(document, list) else json.loads(document)
    plan = result["Plan"]
    return Plan(
        sql=sql,
        total_cost=plan["Total Cost"],
        execution_ms=result["Execution Time"],
        shared_hit=plan.get("Shared Hit Blocks", 0),
        shared_read=plan.get("Shared Read Blocks", 0),
        text=text,
    )


def is_select(sql: str) -> bool:
    return sql.lstrip().split(None, 1)[0].upper() in {"SELECT", "WITH"}


def explain_page(client, connection, path: str) -> tuple[int, float, list[Plan]]:
    """The page's query count, their time when it was served (ms, to the millisecond Django records), each SELECT's plan."""
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up: per-process caches (content types, URL resolvers, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}, not 200")
    served_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
    plans = [explain(connection, query["sql"]) for query in captured.captured_queries if is_select(query["sql"])]
    return len(captured.captured_queries), served_ms, plans


def shorten(sql: str, length: int = 300) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= length else sql[: length - 1] + "…"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true", help=f"drop and rebuild {DATABASE} first")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    if args.rebuild or not harness.database_exists(DATABASE):
        print(f"== Building {DATABASE} ==")
        harness.build_database(DATABASE, generate={"press_releases": 20_000, "meetings": 5_000})
    env = harness.production_env(DATABASE, "locmem://", ALLOWED_HOSTS="testserver", PAGE_CACHE="false")
    harness.manage("collectstatic", "--no-input", "-v", "0", env=env)  # DEBUG off needs the manifest
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench import pagelist

    client = Client()
    summary, details = [], []
    header = f"{'page':20} {'queries':>7} {'db ms':>6} {'slowest: cost':>14} {'actual ms':>9} {'hit':>6} {'read':>6}"
    summary.append(f"EXPLAIN (ANALYZE, BUFFERS) on {DATABASE}, uncached, DEBUG off")
    summary.append(header)
    print("\n".join(summary), flush=True)
    for page in pagelist.pages():
        count, served_ms, plans = explain_page(client, connection, page["path"])
        slowest = max(plans, key=lambda plan: plan.execution_ms, default=None)
        line = f"{page['label']:20} {count:7d} {served_ms:6.0f}"
        if slowest:
            line += (
                f" {slowest.total_cost:14.1f} {slowest.execution_ms:9.2f}"
                f" {slowest.shared_hit:6d} {slowest.shared_read:6d}"
            )
        summary.append(line)
        print(line, flush=True)
        details += [
            "",
            f"== {page['path']}: {count} queries; slowest: cost {slowest.total_cost:.1f}, "
            f"{slowest.execution_ms:.2f} ms"
            if slowest
            else f"== {page['path']}: {count} queries",
        ]
        if slowest:
            details += [shorten(slowest.sql, 2000), "", slowest.text]
    notes = [
        "",
        "queries: every query the page ran; db ms: their time when the page was served; slowest: the SELECT with",
        "the longest execution under EXPLAIN ANALYZE, its plan's total cost (planner units), its actual time in ms,",
        "and the shared buffers it found in memory (hit) and read from the operating system (read).",
    ]
    report = "\n".join([*summary, *notes, *details])
    args.output.write_text(report + "\n")
    print("\n".join(notes))
    print(f"\nThe slowest query of each page, with its plan: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
