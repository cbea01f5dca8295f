"""Load driver: N concurrent users against a running Samsyn, then against the floor view.

Started by bench/loadtest.py as a second process; standard library only, so what it costs on
the client side is small and visible (its own CPU time is printed).

    python bench/load_driver.py PLAN.json

The plan (JSON) names the base URL, the accounts (user name, password, API token and the ids of
records each one may see), the weighted mix of endpoints, the floor path, the number of users
and the seconds per phase. Every user logs in through the login form (CSRF cookie, then POST),
then loops without pause over the mix, pages with its session cookie and API calls with its
bearer token, each on one keep-alive connection. An error is any answer other than 200 OK, or a
failed connection. Exit status 1 when there was any error.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import re
import resource
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# Statistics -------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by linear interpolation between closest ranks (as numpy)."""
    if not sorted_values:
        return math.nan
    rank = (len(sorted_values) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    requests: int
    per_second: float
    p50: float
    p95: float
    p99: float
    errors: int


def summarize(latencies_ms: list[float], errors: int, seconds: float) -> Summary:
    """Requests, throughput and latency percentiles (ms) of one endpoint over one phase."""
    ordered = sorted(latencies_ms)
    return Summary(
        requests=len(ordered),
        per_second=len(ordered) / seconds if seconds > 0 else math.nan,
        p50=percentile(ordered, 50),
        p95=percentile(ordered, 95),
        p99=percentile(ordered, 99),
        errors=errors,
    )


def table(rows: list[tuple[str, Summary]], floor_p50: float | None) -> str:
    """A plain-text table; the last column is each endpoint's p50 divided by the floor's p50."""
    width = max([len(name) for name, _ in rows] + [8])
    lines = [
        f"{'endpoint':<{width}} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'p50/floor':>9}"
    ]
    for name, s in rows:
        ratio = f"{s.p50 / floor_p50:9.1f}" if floor_p50 else f"{'':9}"
        lines.append(
            f"{name:<{width}} {s.requests:8d} {s.per_second:7.1f} {s.p50:8.1f} {s.p95:8.1f} "
            f"{s.p99:8.1f} {s.errors:6d} {ratio}"
        )
    return "\n".join(lines)


MIX, FLOOR = "pages and API", "floor"
LOGIN = "GET + POST /logga-in/"


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's master and workers so far (Linux /proc; else NaN).

    Read before and after a phase, it gives the server's CPU per request, a figure that stays
    meaningful when other work shares the machine (latency and throughput do not).
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return math.nan
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process has gone
        # After the command name: state, ppid, …; utime and stime are fields 14 and 15.
        if int(entry) == master or int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# One user ---------------------------------------------------------------------------------------


BUDGET_HEADER = "x-samsyn-budget"
# "hit": answered from the page cache (samsyn/page_cache.py)
PAGE_CACHE_HEADER = "x-samsyn-page-cache"


def parse_budget(value: str | None) -> tuple[float, float, int] | None:
    """`py=1.2;pg=0.8;q=5` (bench/budget.py) → (1.2, 0.8, 5); None when absent or garbled."""
    if not value:
        return None
    try:
        parts = dict(item.split("=", 1) for item in value.split(";"))
        return float(parts["py"]), float(parts["pg"]), int(parts["q"])
    except (KeyError, ValueError):
        return None


@dataclass
class Record:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    # (python ms, postgres ms, queries) per answered request, from the budget header
    budgets: dict[str, list[tuple[float, float, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # the same, for the requests that the page cache did not answer (a first ask, or after a write)
    uncached: dict[str, list[tuple[float, float, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(
        self, name: str, started: float, ok: bool, what: str = "", budget=None, hit: bool = False
    ) -> None:
        self.latencies[name].append((time.monotonic() - started) * 1000)
        if budget is not None:
            self.budgets[name].append(budget)
            if not hit:
                self.uncached[name].append(budget)
        if not ok:
            self.errors[name] += 1
            if len(self.examples) < 5:
                self.examples.append(f"{name}: {what}")


class Client:
    """One keep-alive connection and one cookie jar: what one browser tab would hold."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                # The server may close an idle keep-alive connection: retry once on a new one.
                if reused and attempt == 1:
                    continue
                raise
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.close()
            return response.status, dict(response.headers), data
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def log_in(client: Client, username: str, password: str) -> tuple[bool, str]:
    status, _, page = client.request("GET", "/logga-in/")
    found = CSRF_INPUT.search(page)
    if status != 200 or not found:
        return False, f"GET /logga-in/ gave {status}"
    body = urlencode(
        {"csrfmiddlewaretoken": found.group(1).decode(), "username": username, "password": password}
    ).encode()
    status, headers, _ = client.request(
        "POST",
        "/logga-in/",
        body,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302 or "sessionid" not in client.cookies:
        return False, f"POST /logga-in/ gave {status} ({headers.get('Location', '')})"
    return True, ""


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, account: dict, rng: random.Random) -> str:
    """`/projektideer/{idea}/` with one of the ids this account may see."""
    return PLACEHOLDER.sub(lambda m: str(rng.choice(account["ids"][m.group(1)])), template)


def usable(mix: list[dict], account: dict) -> list[dict]:
    """The endpoints this account has ids for (a small förbund may have no measure)."""
    return [e for e in mix if all(account["ids"].get(k) for k in PLACEHOLDER.findall(e["path"]))]


def run_user(
    index: int,
    plan: dict,
    client: Client,
    barrier: threading.Barrier,
    phases: list[tuple[str, float]],
    results: dict[str, list],
) -> None:
    """Log in; then, per phase, wait for everyone, run until the deadline, wait for everyone."""
    try:
        _run_user(index, plan, client, barrier, phases, results)
    except BaseException:
        barrier.abort()  # a bug in the driver: stop the run rather than wait for the timeout
        raise


def _run_user(index, plan, client, barrier, phases, results) -> None:
    account = plan["accounts"][index % len(plan["accounts"])]
    rng = random.Random(index)
    mix = usable(plan["mix"], account)
    weights = [e["weight"] for e in mix]
    login = Record()
    started = time.monotonic()
    try:
        ok, why = log_in(client, account["username"], account["password"])
    except Exception as exc:  # noqa: BLE001 - any failure is an error to count, not a crash
        ok, why = False, repr(exc)
        client.close()
    login.add(LOGIN, started, ok, why)
    results["login"][index] = login
    auth = {"Authorization": f"Bearer {account['token']}"}
    for phase, seconds in phases:
        record = Record()
        results[phase][index] = record
        barrier.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if phase == FLOOR:
                name, path, headers = plan["floor"], plan["floor"], {}
            else:
                name = rng.choices(mix, weights)[0]["path"]
                path = fill(name, account, rng)
                headers = auth if name.startswith("/api/") else {}
            started = time.monotonic()
            try:
                status, answer, _ = client.request("GET", path, headers=headers)
            except Exception as exc:  # noqa: BLE001
                record.add(name, started, False, f"{path}: {exc!r}")
                client.close()
                continue
            lowered = {k.lower(): v for k, v in answer.items()}
            budget = parse_budget(lowered.get(BUDGET_HEADER))
            hit = lowered.get(PAGE_CACHE_HEADER) == "hit"
            record.add(name, started, status == 200, f"{path} gave {status}", budget, hit)
        barrier.wait()
    client.close()


# The budget per URL ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """Mean cost of one request of an endpoint: CPU split into Python and PostgreSQL (ms)."""

    requests: int
    python_ms: float  # Django's thread + this request's share of gunicorn outside Django
    postgres_ms: float
    queries: float
    p50: float
    p95: float
    hit_share: float = 0.0  # of the requests, the share the page cache answered
    uncached_cpu_ms: float = math.nan  # mean CPU of the others (Python + PostgreSQL)

    @property
    def cpu_ms(self) -> float:
        return self.python_ms + self.postgres_ms


def budgets(
    records: list[Record], latencies: dict[str, list[float]], outside_ms: float
) -> dict[str, Budget]:
    """Per endpoint, from the budget headers; `outside_ms` is gunicorn's CPU per request that no
    header sees (HTTP parsing, the worker loop), added evenly to every request."""
    merged_budgets: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    merged_uncached: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for r in records:
        if r is not None:
            for name, values in r.budgets.items():
                merged_budgets[name].extend(values)
            for name, values in r.uncached.items():
                merged_uncached[name].extend(values)
    result = {}
    for name, values in merged_budgets.items():
        n = len(values)
        ordered = sorted(latencies.get(name, []))
        missed = merged_uncached.get(name, [])
        missed_cpu = math.nan
        if missed:
            missed_cpu = sum(v[0] + v[1] for v in missed) / len(missed) + outside_ms
        result[name] = Budget(
            requests=n,
            python_ms=sum(v[0] for v in values) / n + outside_ms,
            postgres_ms=sum(v[1] for v in values) / n,
            queries=sum(v[2] for v in values) / n,
            p50=percentile(ordered, 50),
            p95=percentile(ordered, 95),
            hit_share=1 - len(missed) / n,
            uncached_cpu_ms=missed_cpu,
        )
    return result


def outside_django_ms(records: list[Record], gunicorn_cpu_s: float) -> float:
    """gunicorn's CPU per request beyond what the budget headers report (never below 0)."""
    values = [v for r in records if r is not None for vs in r.budgets.values() for v in vs]
    if not values or math.isnan(gunicorn_cpu_s):
        return 0.0
    inside = sum(v[0] for v in values) / 1000
    return max(gunicorn_cpu_s - inside, 0.0) / len(values) * 1000


def comma(x: float) -> str:
    """Swedish decimals: 3,4."""
    return f"{x:.1f}".replace(".", ",")


def budget_table(rows: dict[str, Budget], order: list[str], floor: Budget) -> tuple[str, str]:
    """The per-URL budget against the floor, and the closing line naming the worst URL."""
    names = [n for n in order if n in rows] + sorted(set(rows) - set(order))
    width = max([len(n) for n in names] + [8])
    lines = [
        f"{'endpoint':<{width}} {'requests':>8} {'python':>7} {'pg':>7} {'cpu':>7} "
        f"{'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'cpu/floor':>9} {'p95/floor':>9} "
        f"{'cached':>6} {'cpu uncached':>12}"
    ]
    worst = ("", 0.0, 0.0, 0.0)
    for name, b in [*((n, rows[n]) for n in names), ("floor", floor)]:
        cpu_ratio = b.cpu_ms / floor.cpu_ms if floor.cpu_ms else math.nan
        p95_ratio = b.p95 / floor.p95 if floor.p95 else math.nan
        lines.append(
            f"{name:<{width}} {b.requests:8d} {b.python_ms:7.1f} {b.postgres_ms:7.1f} "
            f"{b.cpu_ms:7.1f} {b.queries:7.1f} {b.p50:8.1f} {b.p95:8.1f} "
            f"{comma(cpu_ratio) + '×':>9} {comma(p95_ratio) + '×':>9} "
            f"{b.hit_share * 100:5.0f}% {b.uncached_cpu_ms:12.1f}"
        )
        ratio = max(cpu_ratio, p95_ratio)
        if name != "floor" and ratio > worst[1]:
            worst = (name, ratio, cpu_ratio, p95_ratio)
    name, ratio, cpu_ratio, p95_ratio = worst
    closing = (
        f"worst: {name} {comma(ratio)}× the floor "
        f"(CPU per request {comma(cpu_ratio)}×, p95 {comma(p95_ratio)}×)"
    )
    return "\n".join(lines), closing


# The run ----------------------------------------------------------------------------------------


def merged(records: list[Record]) -> tuple[dict[str, list[float]], dict[str, int], list[str]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    examples: list[str] = []
    for r in records:
        if r is None:  # a user that never got that far; its error is counted elsewhere
            continue
        for name, values in r.latencies.items():
            latencies[name].extend(values)
        for name, n in r.errors.items():
            errors[name] += n
        examples.extend(r.examples)
    return latencies, errors, examples


def report(
    records: list[Record], seconds: float, order: list[str]
) -> tuple[list[tuple[str, Summary]], Summary]:
    latencies, errors, _ = merged(records)
    names = [n for n in order if n in latencies] + sorted(set(latencies) - set(order))
    rows = [(n, summarize(latencies[n], errors[n], seconds)) for n in names]
    everything = [v for n in names for v in latencies[n]]
    total = summarize(everything, sum(errors.values()), seconds)
    return rows, total


def main(plan_path: str) -> int:
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    url = urlsplit(plan["base_url"])
    users, seconds = plan["users"], plan["seconds"]
    phases = [(MIX, seconds), (FLOOR, seconds)]
    results: dict[str, list] = {name: [None] * users for name in ["login", MIX, FLOOR]}
    # Every user and this thread meet before and after each phase; the timeout stops a hang.
    barrier = threading.Barrier(users + 1, timeout=seconds + 600)
    print(f"{users} users, {seconds:g} s per phase, no pause between requests", flush=True)
    started = time.monotonic()
    for i in range(users):
        client = Client(url.hostname or "127.0.0.1", url.port or 80)
        args = (i, plan, client, barrier, phases, results)
        threading.Thread(target=run_user, args=args, daemon=True).start()

    elapsed: dict[str, float] = {}
    cpu: dict[str, float] = {}
    server = plan.get("server_pid", 0)
    cpu_started = server_cpu_seconds(server)
    for phase, _ in phases:
        barrier.wait()  # everyone has logged in, or finished the previous phase
        if phase == MIX:
            elapsed["login"] = time.monotonic() - started
            cpu["login"] = server_cpu_seconds(server) - cpu_started
        started, cpu_started = time.monotonic(), server_cpu_seconds(server)
        barrier.wait()  # everyone has passed the deadline and has its last answer
        elapsed[phase] = time.monotonic() - started
        cpu[phase] = server_cpu_seconds(server) - cpu_started

    order = [e["path"] for e in plan["mix"]]
    login_rows, _ = report(results["login"], elapsed["login"], [])
    mix_rows, mix_total = report(results[MIX], elapsed[MIX], order)
    floor_rows, floor_total = report(results[FLOOR], elapsed[FLOOR], [])
    floor_p50 = floor_total.p50

    print(f"\nlog-in of all {users} users at once, before the phases ({elapsed['login']:.1f} s)")
    print(table(login_rows, None))
    print(f"\nphase 1: pages and API ({elapsed[MIX]:.1f} s)")
    print(table([*mix_rows, ("TOTAL", mix_total)], floor_p50))
    print(
        f"\nphase 2: the floor, a minimal Django view served the same way ({elapsed[FLOOR]:.1f} s)"
    )
    print(table([*floor_rows, ("TOTAL", floor_total)], floor_p50))
    print(
        f"\nmix vs floor: {mix_total.per_second:.1f} vs {floor_total.per_second:.1f} req/s "
        f"(ratio {floor_total.per_second / mix_total.per_second:.1f}); p50 "
        f"{mix_total.p50:.1f} vs {floor_p50:.1f} ms (ratio {mix_total.p50 / floor_p50:.1f})"
    )
    print("gunicorn CPU per request (PostgreSQL's: the budget above):")
    for phase, rows in (("login", login_rows), (MIX, mix_rows), (FLOOR, floor_rows)):
        n = max(sum(s.requests for _, s in rows), 1)
        each = cpu[phase] / n * 1000
        print(f"  {phase:14} {cpu[phase]:6.1f} s for {n:6d} requests = {each:6.1f} ms each")
    mix_latencies = merged(results[MIX])[0]
    floor_latencies = merged(results[FLOOR])[0]
    mix_budgets = budgets(results[MIX], mix_latencies, outside_django_ms(results[MIX], cpu[MIX]))
    floor_budget = budgets(
        results[FLOOR], floor_latencies, outside_django_ms(results[FLOOR], cpu[FLOOR])
    ).get(plan["floor"])
    closing = "worst: – (no budget headers: is bench/budget.py in the server's middleware?)"
    if floor_budget is not None:
        text, closing = budget_table(mix_budgets, order, floor_budget)
        print(
            "\nbudget per request, ms of CPU (python: Django's thread plus its share of gunicorn "
            "outside Django; pg: the PostgreSQL backend's CPU for the request), queries, "
            "latency, and the ratio to the floor:"
        )
        print(text)
        for phase, records, total in (
            (MIX, results[MIX], mix_total),
            (FLOOR, results[FLOOR], floor_total),
        ):
            pg = sum(v[1] for r in records if r for vs in r.budgets.values() for v in vs) / 1000
            n = max(total.requests, 1)
            print(
                f"  {phase:14} PostgreSQL {pg:6.1f} s = {pg / n * 1000:6.1f} ms each; "
                f"gunicorn + PostgreSQL {(cpu[phase] + pg) / n * 1000:6.1f} ms each"
            )
    if result_path := plan.get("result_path"):
        with open(result_path, "w", encoding="utf-8") as f:
            f.write(closing + "\n")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"driver CPU time (client side, all phases): {usage.ru_utime + usage.ru_stime:.1f} s")
    failed = sum(s.errors for _, s in [*login_rows, *mix_rows, *floor_rows])
    for phase in ("login", MIX, FLOOR):
        for example in merged(results[phase])[2][:5]:
            print(f"error ({phase}): {example}")
    print(f"errors: {failed}")
    print(closing)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
