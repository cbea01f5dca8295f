"""What one request cost, in a response header, for the load test only (bench/loadtest_settings).

    X-Samsyn-Budget: py=<ms>;pg=<ms>;q=<queries>

- py: CPU time of the serving thread from the first middleware to the last (time.thread_time);
- pg: CPU time of the PostgreSQL backend that served this thread's queries, read from
  /proc/<backend pid>/schedstat before and after (the backend belongs to this thread alone, so
  the difference is this request's; a backend opened by the request counts its start-up too);
- q: the number of queries.

The load driver adds the part of gunicorn's CPU that lies outside Django (HTTP parsing, the
worker loop) evenly to every request of a phase, from gunicorn's own /proc totals.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

HEADER = "X-Samsyn-Budget"


def _backend_cpu_ns() -> tuple[int, int] | None:
    """(backend pid, CPU ns so far) of this thread's PostgreSQL connection, if one is open."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return None
    pid = connection.connection.info.backend_pid
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as f:
            return pid, int(f.read().split()[0])
    except OSError:  # another machine, or no /proc: PostgreSQL's share stays unknown
        return None


def budget(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        cpu = time.thread_time_ns()
        before = _backend_cpu_ns()
        with connection.execute_wrapper(count):
            response = get_response(request)
        after = _backend_cpu_ns()
        py = (time.thread_time_ns() - cpu) / 1e6
        pg = 0.0
        if after is not None:
            start = before[1] if before is not None and before[0] == after[0] else 0
            pg = (after[1] - start) / 1e6
        response[HEADER] = f"py={py:.3f};pg={pg:.3f};q={queries}"
        return response

    return middleware
