"""``make bench``: what each public page costs on the production stack, at 1× and 100× the archive.

From a fresh clone, end to end:

1. builds two PostgreSQL databases, ``bench_1x`` (the reference archive) and ``bench_100x`` (the
   same plus ``generate_archive``: 20,000 press releases and 5,000 meetings), each dropped and
   recreated, migrated, loaded, then VACUUM ANALYZE;
2. serves each with the production stack (Gunicorn with gunicorn.conf.py, ONE sync worker,
   DEBUG off, no TLS), pinned with taskset to one core while wrk runs on the other;
3. measures each page with wrk, one connection (``-t1 -c1``): uncached (``PAGE_CACHE=false``: every
   page is built anew; the figures derived from the whole archive, such as counts, stay cached
   until the archive changes, as in production) at 1× and at 100×, then with the page cache at
   100× (Redis, a database of its own, flushed before each run; each page requested once before
   it is measured);
4. saves each page as the cached 100× server sent it, and measures nginx serving those bytes as
   static files, one worker, on the same core: the ceiling a page cache could approach;
5. prints the table (requests per second and 99th percentile latency) and writes it to
   ``bench/last-run.txt``.

One connection measures the cost of a page, not the concurrency of the server: one worker on one
core serves one request at a time anyway. Each page gets a warm-up (``--warmup`` seconds,
unmeasured) and then ``--seconds`` of measurement. 8 s keeps the whole run, database builds
included, under twenty minutes; it is a few hundred requests for most pages, tens of thousands
for nginx, but a few dozen for a page that takes 200 ms (whose p99 is then nearly its slowest
request). PostgreSQL and Redis are not pinned, and taskset keeps nothing else off the server's
core: on a machine busy with other work the figures move, which is why the report records the
load average before and after.
"""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import harness
from bench.harness import Cores, Measurement

OUTPUT = Path(__file__).resolve().parent / "last-run.txt"
#: The runs, in order: (column, database, cache). The cached run's pages are the files nginx serves.
#: (column, database, page cache on): every run uses Redis for the cache, flushed first.
RUNS = [("1×", "bench_1x", False), ("100×", "bench_100x", False), ("cached", "bench_100x", True)]


@dataclass
class Row:
    label: str
    path: str
    key: str | None = None  # the reference archive's key of the item the page shows
    results: dict[str, Measurement] = field(default_factory=dict)


def ratio(numerator: Measurement | None, denominator: Measurement | None) -> str:
    if not numerator or not denominator or not denominator.requests_per_second:
        return "–"
    value = numerator.requests_per_second / denominator.requests_per_second
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.2g}×"


def rate(measurement: Measurement | None) -> str:
    if measurement is None:
        return "–"
    value = measurement.requests_per_second
    text = f"{value:.0f}" if value >= 100 else f"{value:.1f}"
    return text + ("!" if measurement.failures else "")


def latency(measurement: Measurement | None) -> str:
    if measurement is None:
        return "–"
    value = measurement.p99_ms
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


COLUMNS = [
    ("1× req/s", lambda r: rate(r.get("1×"))),
    ("100× req/s", lambda r: rate(r.get("100×"))),
    ("100×/1×", lambda r: ratio(r.get("100×"), r.get("1×"))),
    ("cached req/s", lambda r: rate(r.get("cached"))),
    ("nginx req/s", lambda r: rate(r.get("nginx"))),
    ("cached/nginx", lambda r: ratio(r.get("cached"), r.get("nginx"))),
    ("1× p99", lambda r: latency(r.get("1×"))),
    ("100× p99", lambda r: latency(r.get("100×"))),
    ("cached p99", lambda r: latency(r.get("cached"))),
    ("nginx p99", lambda r: latency(r.get("nginx"))),
]


def format_table(rows: list[Row]) -> str:
    """The figures, one page a line: requests per second, their ratios, then p99 latencies in ms."""
    header = ["page", *(title for title, _ in COLUMNS)]
    lines = [[row.label, *(cell(row.results) for _, cell in COLUMNS)] for row in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

    def render(line):
        return "  ".join(
            [line[0].ljust(widths[0]), *(text.rjust(width) for text, width in zip(line[1:], widths[1:], strict=True))]
        ).rstrip()

    table = [render(header), *(render(line) for line in lines)]
    if any(m.failures for row in rows for m in row.results.values()):
        table.append("! some responses were errors (non-2xx/3xx or socket errors): that figure is not the page's")
    return "\n".join(table)


def measure_server(rows: list[Row], column: str, base: str, *, args, cores: Cores, save_to: Path | None, log) -> None:
    """Every page on one server: one request (checked, kept for nginx if asked), warm-up, measurement."""
    for number, row in enumerate(rows):
        status, body = harness.fetch(base + row.path)
        if status != 200:
            raise RuntimeError(f"{column}: {row.path} answered {status}, not 200")
        if save_to is not None:
            (save_to / page_file(number)).write_bytes(body)
        if args.warmup:
            harness.wrk(base + row.path, seconds=args.warmup, core=cores.load)
        row.results[column] = harness.wrk(base + row.path, seconds=args.seconds, core=cores.load)
        log(f"  {column:7} {row.label:20} {rate(row.results[column]):>8} req/s  p99 {latency(row.results[column])} ms")


def page_file(number: int) -> str:
    return f"page-{number:02d}.html"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 8)))
    parser.add_argument("--warmup", type=int, default=int(os.environ.get("BENCH_WARMUP", 2)))
    parser.add_argument("--press-releases", type=int, default=20_000, help="generate_archive's, for bench_100x")
    parser.add_argument("--meetings", type=int, default=5_000, help="generate_archive's, for bench_100x")
    parser.add_argument("--reuse", action="store_true", help="measure the bench databases as they are, if they exist")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    harness.stop_on_signals()
    started = time.monotonic()
    log = print

    for tool in ("wrk", "nginx", "taskset"):
        if not shutil.which(tool):
            log(f"error: {tool} is missing (Debian: apt-get install wrk nginx; make bench installs them)")
            return 1
    for problem in harness.unreachable_services(args.redis):
        log(f"error: cannot reach {problem}")
        return 1
    cores = Cores.split()
    if cores.server is None:
        log("warning: fewer than two cores: the server and wrk share the CPU, figures are pessimistic")
    load_before = os.getloadavg()

    log("== Databases ==")
    built = {}
    for _column, database, _cache in RUNS:
        if database in built:
            continue
        generate = (
            None if database == "bench_1x" else {"press_releases": args.press_releases, "meetings": args.meetings}
        )
        if args.reuse and harness.database_exists(database):
            log(f"  {database}: reused as it is")
        else:
            harness.build_database(database, generate=generate, log=log)
        built[database] = harness.describe(database)
    built_in = time.monotonic() - started

    rows = [Row(page["label"], page["path"], page["key"]) for page in built["bench_1x"]["pages"]]
    if [page["path"] for page in built["bench_100x"]["pages"]] != [row.path for row in rows]:
        raise RuntimeError("The reference items have other addresses in bench_100x than in bench_1x")

    log("== Static files (collectstatic, as make serve) ==")
    harness.manage("collectstatic", "--no-input", "-v", "0", env=harness.production_env("bench_1x"))

    with tempfile.TemporaryDirectory(prefix="secretariat-bench-") as work:
        work = Path(work)
        docroot = work / "docroot"
        docroot.mkdir()
        for column, database, page_cache in RUNS:
            harness.flush_redis(args.redis)
            log(
                f"== {column}: {database}, CACHE_URL={args.redis}, PAGE_CACHE={str(page_cache).lower()},"
                f" one Gunicorn worker on core {cores.server} =="
            )
            env = harness.production_env(database, args.redis, PAGE_CACHE=str(page_cache).lower())
            with harness.gunicorn(env, core=cores.server, log_dir=work, name=f"gunicorn-{database}") as base:
                save_to = docroot if page_cache else None
                measure_server(rows, column, base, args=args, cores=cores, save_to=save_to, log=log)
        log(f"== nginx: the cached pages as static files, one worker on core {cores.server} ==")
        with harness.nginx(docroot, core=cores.server, log_dir=work, ready_path="/" + page_file(0)) as base:
            for number, row in enumerate(rows):
                url = f"{base}/{page_file(number)}"
                if args.warmup:
                    harness.wrk(url, seconds=args.warmup, core=cores.load)
                row.results["nginx"] = harness.wrk(url, seconds=args.seconds, core=cores.load)

    report = "\n".join(
        [
            *header(args, cores, built, load_before),
            "",
            format_table(rows),
            "",
            "Items:",
            *(f"  {row.label:16} {row.key}: {row.path}" for row in rows if row.key),
            "",
            f"Databases built in {built_in / 60:.1f} min; the whole run took {(time.monotonic() - started) / 60:.1f} min.",
        ]
    )
    log("")
    log(report)
    args.output.write_text(report + "\n")
    log(
        f"(written to {args.output.relative_to(Path.cwd()) if args.output.is_relative_to(Path.cwd()) else args.output})"
    )
    return 0


def header(args, cores: Cores, built: dict, load_before) -> list[str]:
    """How the figures were made: when, which code, which tools, which data, how loaded the machine was."""
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=False)
    sizes = {
        database: ", ".join(f"{count:,} {name}" for name, count in description["size"].items())
        for database, description in built.items()
    }
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    pinning = f"server on core {cores.server}, wrk on core {cores.load}" if cores.server is not None else "no pinning"
    return [
        f"make bench, {now}, commit {commit.stdout.strip() or '?'}",
        f"gunicorn {harness.version([harness.GUNICORN, '--version'])} (1 sync worker, gunicorn.conf.py, DEBUG off); "
        f"nginx {harness.version(['nginx', '-v'])} (1 worker); wrk {harness.version(['wrk', '-v'])}",
        f"wrk -t1 -c1 --latency: {args.warmup:g} s warm-up, then {args.seconds:g} s per page; {pinning}; "
        "PostgreSQL and Redis not pinned",
        *(f"{database}: {size}" for database, size in sizes.items()),
        f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "req/s: requests per second (higher is better); p99: 99th percentile latency in ms; 1× and 100×: "
        "PAGE_CACHE=false (pages built anew, figures cached in Redis); cached: 100× with the page cache in Redis; "
        "nginx: the cached run's bytes as a static file",
    ]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nInterrupted: every server this run started is stopped.", file=sys.stderr)
        sys.exit(130)
