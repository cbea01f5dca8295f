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


def test_budget_header_is_parsed_and_garbage_ignored():
    from bench.load_driver import parse_budget

    assert parse_budget("py=1.250;pg=0.500;q=7") == (1.25, 0.5, 7)
    assert parse_budget(None) is None
    assert parse_budget("py=x") is None


def test_budget_table_names_the_worst_url_and_its_ratio_last():
    from bench.load_driver import Budget, Record, budget_table, budgets

    record = Record()
    for _ in range(4):
        record.budgets["/uppfoljning/"].append((20.0, 14.0, 38))
        record.budgets["/"].append((6.0, 2.0, 5))
    latencies = {"/uppfoljning/": [40.0] * 4, "/": [10.0] * 4}
    rows = budgets([record], latencies, outside_ms=0.0)
    assert rows["/uppfoljning/"].cpu_ms == 34.0 and rows["/uppfoljning/"].queries == 38
    floor = Budget(requests=4, python_ms=8.0, postgres_ms=2.0, queries=0, p50=10.0, p95=10.0)
    text, closing = budget_table(rows, ["/", "/uppfoljning/"], floor)
    assert "3,4×" in text.splitlines()[2]
    assert closing == "worst: /uppfoljning/ 4,0× the floor (CPU per request 3,4×, p95 4,0×)"
