"""The load driver's arithmetic (bench/load_driver.py); the load test itself never runs in CI."""

import math

from bench.load_driver import percentile, summarize, table, usable


def test_percentiles_interpolate_between_closest_ranks():
    one_to_hundred = [float(n) for n in range(1, 101)]
    assert percentile(one_to_hundred, 50) == 50.5
    assert math.isclose(percentile(one_to_hundred, 95), 95.05)
    assert math.isclose(percentile(one_to_hundred, 99), 99.01)
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def test_summary_sorts_the_latencies_and_counts_throughput_over_the_phase():
    summary = summarize([40.0, 10.0, 30.0, 20.0], errors=1, seconds=2.0)
    assert (summary.requests, summary.per_second, summary.errors) == (4, 2.0, 1)
    assert summary.p50 == 25.0
    assert math.isclose(summary.p95, 38.5)
    assert math.isclose(summary.p99, 39.7)


def test_table_shows_each_endpoints_median_against_the_floors():
    rows = [("/projektideer/", summarize([30.0, 50.0], 0, 1.0))]
    text = table(rows, floor_p50=4.0)
    assert text.splitlines()[1].split()[-1] == "10.0"  # p50 40 ms against a 4 ms floor


def test_an_account_skips_endpoints_it_has_no_ids_for():
    mix = [{"path": "/projektideer/{idea}/"}, {"path": "/insatser/{measure}/"}, {"path": "/"}]
    account = {"ids": {"idea": [3], "measure": []}}
    assert [e["path"] for e in usable(mix, account)] == ["/projektideer/{idea}/", "/"]
