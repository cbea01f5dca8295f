"""The follow-up's "took this step in the period" filter is served by the expression index.

Migration pipeline 0006 indexes COALESCE(basis_date, local day of `at`) on PostgreSQL; the index
only helps while it is the very expression event_date() compiles to. If either changes, the
planner silently falls back to guessing (150 rows of 18 000) and nested loops, four times
slower at national scale (bench/followup_bench.py). PostgreSQL only: SQLite has no such index.
"""

import datetime as dt

import pytest
from django.db import connection

from samsyn.followup.querysets import Period, _transitions
from samsyn.pipeline.models import IdeaTransition, MeasureTransition

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL-index (SQLite klarar sig utan)"
)


@pytest.mark.parametrize(
    ("model", "fk", "index"),
    [
        (IdeaTransition, "idea", "ideatransition_step_on"),
        (MeasureTransition, "measure", "measuretransition_step_on"),
    ],
)
def test_the_step_in_period_filter_uses_the_event_date_index(model, fk, index, db):
    qs = _transitions(model, fk, ["submitted"], Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
    assert "Index Cond" in plan and "basis_date" in plan.split("Index Cond", 1)[1], plan
