"""The benchmark's own logic (no server is started): reading wrk, the table, the database names it may drop."""

import pytest

from bench.harness import Measurement, database_url
from bench.pages import Row, format_table

WRK_OUTPUT = """\
Running 8s test @ http://127.0.0.1:40000/fr/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.34ms    1.20ms  30.00ms   90.00%
    Req/Sec    81.20      5.10    90.00     70.00%
  Latency Distribution
     50%   12.10ms
     75%   12.80ms
     90%   13.50ms
     99%   17.92ms
  650 requests in 8.01s, 4.60MB read
Requests/sec:     81.15
Transfer/sec:    588.21KB
"""


def test_wrk_output_is_read():
    measurement = Measurement.parse(WRK_OUTPUT)
    assert measurement == Measurement(requests_per_second=81.15, p99_ms=17.92, requests=650, failures=0)


@pytest.mark.parametrize(("written", "milliseconds"), [("95.00us", 0.095), ("1.50s", 1500.0), ("3.00ms", 3.0)])
def test_latencies_are_converted_to_milliseconds(written, milliseconds):
    measurement = Measurement.parse(WRK_OUTPUT.replace("17.92ms", written))
    assert measurement.p99_ms == pytest.approx(milliseconds)


def test_errors_and_failed_responses_are_counted():
    output = WRK_OUTPUT.replace(
        "Requests/sec:",
        "  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 3\nRequests/sec:",
    )
    assert Measurement.parse(output).failures == 6


def test_output_without_figures_is_refused():
    with pytest.raises(ValueError, match="Unexpected wrk output"):
        Measurement.parse("unable to connect to 127.0.0.1:1 Connection refused")


def measured(rate, p99=10.0, failures=0):
    return Measurement(requests_per_second=rate, p99_ms=p99, requests=100, failures=failures)


def test_the_table_has_a_line_per_page_with_ratios():
    rows = [
        Row("/fr/", "/fr/", results={"1×": measured(200), "100×": measured(50), "cached": measured(400, 2.5)}),
        Row("a meeting", "/en/meetings/x/", "key", results={"1×": measured(80.25, 123.4)}),
    ]
    rows[0].results["nginx"] = measured(20_000, 0.095)
    header, first, second = format_table(rows).splitlines()
    assert header.split()[:4] == ["page", "1×", "req/s", "100×"]
    assert first.split() == ["/fr/", "200", "50.0", "0.25×", "400", "20000", "0.02×", "10.0", "10.0", "2.50", "0.10"]
    # A page missing from a run shows a dash, never a made-up figure.
    assert second.split() == ["a", "meeting", "80.2", "–", "–", "–", "–", "–", "123", "–", "–", "–"]


def test_a_figure_with_errors_is_marked():
    table = format_table([Row("/en/", "/en/", results={"1×": measured(100, failures=3)})])
    assert " 100!" in table
    assert "some responses were errors" in table


@pytest.mark.parametrize("name", ["secretariat", "test_secretariat", "bench", "bench_1x; DROP DATABASE x", "Bench_1x"])
def test_only_bench_databases_may_be_dropped(name):
    with pytest.raises(ValueError, match="bench_"):
        database_url(name)


def test_a_bench_database_url():
    assert database_url("bench_100x").endswith("/bench_100x")
