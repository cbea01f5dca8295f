"""Benchmark of follow-up at national scale. Prints figures; never asserted in tests.

    make bench                    # SQLite, and PostgreSQL too when DATABASE_URL is postgres://…
    BENCH_SCALE=0.1 make bench    # a tenth of the data (the scale is printed)

Builds the seeded, reproducible data set of bench/dataset.py: 69 förbund, 50 000 ideas over ten
years (2016–2025), 10 000 measures, 1 000 000 participants (times BENCH_SCALE). Then times, for
the follow-up report, the national roll-up and the participant indicator report, Samsyn's own
code and a hand-written SQL floor for the same figures, and prints the ratio and the peak memory.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from dataset import Sizes, build

ROOT = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SIZES = Sizes.at(SCALE)
REPEAT = 3


def main() -> None:
    targets = [("SQLite", f"sqlite:///{Path(tempfile.gettempdir()) / 'samsyn-bench.sqlite3'}")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        targets.append(("PostgreSQL", _postgres_bench_url(url)))
    print(f"Samsyn follow-up benchmark – scale {SCALE:g}: {SIZES.describe()}")
    if SCALE != 1:
        print(f"NOTE: reduced scale ({SCALE:g} of the national-scale data set).")
    for name, db_url in targets:
        print(f"\n=== {name} ===", flush=True)
        env = {**os.environ, "DATABASE_URL": db_url, "SAMSYN_TEST_DB_NAME": ""}
        subprocess.run([sys.executable, __file__, "--run"], env=env, check=True, cwd=ROOT)


def _postgres_bench_url(url: str) -> str:
    """A separate database, samsyn_bench, dropped and created afresh."""
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS samsyn_bench")
        conn.execute("CREATE DATABASE samsyn_bench")
    return urlunparse(parts._replace(path="/samsyn_bench"))


# Inside one database ---------------------------------------------------------------------------


def run() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samsyn.settings")
    db_file = Path(tempfile.gettempdir()) / "samsyn-bench.sqlite3"
    if os.environ["DATABASE_URL"].startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    build(SIZES)
    print(f"data set built in {time.perf_counter() - started:.0f} s", flush=True)
    measure_all()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory of the process (max RSS): {peak_kb / 1024:.0f} MB")


# Measuring ---------------------------------------------------------------------------------------


def _time(fn) -> tuple[float, int]:
    """Median seconds over REPEAT runs, and the Python-heap peak (bytes) of one run."""
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak


def _sql(statements: list[tuple[str, list]]):
    from django.db import connection

    def run_all():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run_all


def measure_all() -> None:
    from django.db import connection

    from samsyn.followup.models import Participant
    from samsyn.followup.querysets import Period
    from samsyn.followup.report import ReportParams, followup_report, rollup
    from samsyn.followup.results import indicator_report
    from samsyn.parties.models import Forbund

    pg = connection.vendor == "postgresql"
    year = "EXTRACT(YEAR FROM {})" if pg else "CAST(strftime('%%Y', {}) AS INTEGER)"
    day = (
        "COALESCE(t.basis_date, CAST(t.at AS date))" if pg else "COALESCE(t.basis_date, date(t.at))"
    )
    true = "true" if pg else "1"
    period = [dt.date(2018, 1, 1), dt.date(2023, 12, 31)]
    params = ReportParams(Forbund.objects.all(), Period(*period))

    def event(table, fk, steps):
        quoted = ", ".join(f"'{s}'" for s in steps)
        return (
            f"SELECT COUNT(DISTINCT t.{fk}) FROM {table} t WHERE t.to_step IN ({quoted}) "
            f"AND {day} BETWEEN %s AND %s"
        )

    identified = (
        "SELECT COUNT(*) FROM {0} x JOIN pipeline_need n ON n.id = x.need_id "
        f"WHERE n.in_preparatory_structure = {true} AND n.identified_on BETWEEN %s AND %s"
    )
    submitted = (
        f"SELECT DISTINCT t.idea_id FROM pipeline_ideatransition t WHERE t.to_step = 'submitted' "
        f"AND {day} BETWEEN %s AND %s"
    )
    report_floor = [
        (identified.format("pipeline_idea"), period),
        (event("pipeline_ideatransition", "idea_id", ["submitted"]), period),
        (event("pipeline_ideatransition", "idea_id", ["granted"]), period),
        (event("pipeline_ideatransition", "idea_id", ["rejected"]), period),
        (
            "SELECT COALESCE(NULLIF(i.stop_reason, ''), NULLIF(i.left_routine_reason, ''), "
            "'unspecified'), COUNT(*) FROM pipeline_idea i WHERE i.id IN ("
            f"SELECT t.idea_id FROM pipeline_ideatransition t WHERE t.to_step IN "
            f"('stopped', 'left_routine') AND {day} BETWEEN %s AND %s) AND i.id NOT IN ("
            "SELECT idea_id FROM pipeline_ideatransition WHERE to_step = 'submitted') GROUP BY 1",
            period,
        ),
        (
            "SELECT COUNT(*) FROM pipeline_idea i JOIN pipeline_need n ON n.id = i.need_id "
            f"WHERE n.in_preparatory_structure = {true} AND n.identified_on <= %s AND i.id NOT IN "
            "(SELECT t.idea_id FROM pipeline_ideatransition t WHERE t.to_step IN "
            f"('submitted', 'stopped', 'left_routine') AND {day} <= %s)",
            [period[1], period[1]],
        ),
        (
            "SELECT o.kind, COUNT(*) FROM pipeline_idea i JOIN parties_organisation o "
            f"ON o.id = i.owner_id WHERE i.id IN ({submitted}) GROUP BY o.kind",
            period,
        ),
        (
            "SELECT i.owner_id, COUNT(*) FROM pipeline_idea i "
            f"WHERE i.id IN ({submitted}) GROUP BY i.owner_id",
            period,
        ),
        (
            "SELECT o.kind, COUNT(DISTINCT p.idea_id) FROM pipeline_ideaparty p JOIN "
            f"parties_organisation o ON o.id = p.organisation_id WHERE p.is_cofinancier = {true} "
            f"AND p.idea_id IN ({submitted}) GROUP BY o.kind",
            period,
        ),
        (
            "SELECT p.organisation_id, COUNT(DISTINCT p.idea_id) FROM pipeline_ideaparty p "
            f"WHERE p.is_cofinancier = {true} AND p.idea_id IN ({submitted}) "
            "GROUP BY p.organisation_id",
            period,
        ),
        (
            "SELECT COUNT(*) FROM pipeline_need n WHERE n.in_preparatory_structure = "
            f"{true} AND n.identified_on BETWEEN %s AND %s",
            period,
        ),
        (identified.format("pipeline_measure"), period),
        (event("pipeline_measuretransition", "measure_id", ["board_decided"]), period),
        (event("pipeline_measuretransition", "measure_id", ["board_declined"]), period),
        (
            "SELECT COALESCE(NULLIF(m.stop_reason, ''), 'unspecified'), COUNT(*) FROM "
            "pipeline_measure m WHERE m.id IN (SELECT t.measure_id FROM "
            f"pipeline_measuretransition t WHERE t.to_step = 'stopped' AND {day} BETWEEN %s "
            "AND %s) AND m.id NOT IN (SELECT measure_id FROM pipeline_measuretransition WHERE "
            "to_step = 'board_decided') GROUP BY 1",
            period,
        ),
        (
            "SELECT COUNT(*) FROM pipeline_measure m JOIN pipeline_need n ON n.id = m.need_id "
            f"WHERE n.in_preparatory_structure = {true} AND n.identified_on <= %s AND m.id NOT IN "
            "(SELECT t.measure_id FROM pipeline_measuretransition t WHERE t.to_step IN "
            f"('board_decided', 'board_declined', 'stopped') AND {day} <= %s)",
            [period[1], period[1]],
        ),
        (
            "SELECT o.kind, COUNT(DISTINCT mp.measure_id) FROM pipeline_measure_parties mp "
            "JOIN parties_organisation o ON o.id = mp.organisation_id WHERE mp.measure_id IN "
            "(SELECT t.measure_id FROM pipeline_measuretransition t WHERE t.to_step = "
            f"'board_decided' AND {day} BETWEEN %s AND %s) GROUP BY o.kind",
            period,
        ),
        (
            "SELECT mp.organisation_id, COUNT(DISTINCT mp.measure_id) FROM "
            "pipeline_measure_parties mp WHERE mp.measure_id IN (SELECT t.measure_id FROM "
            f"pipeline_measuretransition t WHERE t.to_step = 'board_decided' AND {day} "
            "BETWEEN %s AND %s) GROUP BY mp.organisation_id",
            period,
        ),
        # ideas_by_group: the same three idea figures per beredningsgrupp, and the groups.
        (
            "SELECT n.group_id, COUNT(*) FROM pipeline_idea i JOIN pipeline_need n ON "
            f"n.id = i.need_id WHERE n.in_preparatory_structure = {true} AND n.identified_on "
            "BETWEEN %s AND %s GROUP BY 1",
            period,
        ),
        *(
            (
                "SELECT n.group_id, COUNT(DISTINCT t.idea_id) FROM pipeline_ideatransition t "
                "JOIN pipeline_idea i ON i.id = t.idea_id JOIN pipeline_need n ON n.id = "
                f"i.need_id WHERE t.to_step = '{step}' AND {day} BETWEEN %s AND %s GROUP BY 1",
                period,
            )
            for step in ("submitted", "granted")
        ),
        ("SELECT id, name, forbund_id FROM parties_preparatorygroup ORDER BY name", []),
    ]

    region_of = (
        "SELECT fm.forbund_id, MIN(o.nuts2_code) AS nuts2 FROM parties_forbund_members fm "
        "JOIN parties_organisation o ON o.id = fm.organisation_id WHERE o.kind = 'region' "
        "GROUP BY fm.forbund_id"
    )

    def grouped_events(table, fk, track_table, steps, exclude=None):
        quoted = ", ".join(f"'{s}'" for s in steps)
        extra = ""
        if exclude:
            extra = f" AND t.{fk} NOT IN (SELECT {fk} FROM {table} WHERE to_step = '{exclude}')"
        return (
            f"WITH fr AS ({region_of}) SELECT fr.nuts2, {year.format(day)}, "
            f"COUNT(DISTINCT t.{fk}) FROM {table} t JOIN {track_table} x ON x.id = t.{fk} "
            "JOIN pipeline_need n ON n.id = x.need_id JOIN fr ON fr.forbund_id = n.forbund_id "
            f"WHERE t.to_step IN ({quoted}){extra} GROUP BY 1, 2"
        )

    def grouped_identified(track_table):
        return (
            f"WITH fr AS ({region_of}) SELECT fr.nuts2, {year.format('n.identified_on')}, "
            f"COUNT(*) FROM {track_table} x JOIN pipeline_need n ON n.id = x.need_id JOIN fr ON "
            f"fr.forbund_id = n.forbund_id WHERE n.in_preparatory_structure = {true} GROUP BY 1, 2"
        )

    it, mt = "pipeline_ideatransition", "pipeline_measuretransition"
    rollup_floor = [
        (grouped_identified("pipeline_idea"), []),
        (grouped_events(it, "idea_id", "pipeline_idea", ["submitted"]), []),
        (grouped_events(it, "idea_id", "pipeline_idea", ["granted"]), []),
        (grouped_events(it, "idea_id", "pipeline_idea", ["rejected"]), []),
        (
            grouped_events(
                it, "idea_id", "pipeline_idea", ["stopped", "left_routine"], exclude="submitted"
            ),
            [],
        ),
        (grouped_identified("pipeline_measure"), []),
        (grouped_events(mt, "measure_id", "pipeline_measure", ["board_decided"]), []),
        (grouped_events(mt, "measure_id", "pipeline_measure", ["board_declined"]), []),
        (
            grouped_events(
                mt, "measure_id", "pipeline_measure", ["stopped"], exclude="board_decided"
            ),
            [],
        ),
    ]

    sums = [
        "SUM(CASE WHEN labour_status IN ('unemployed', 'long_term_unemployed') THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN labour_status = 'long_term_unemployed' THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN labour_status = 'inactive' THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN labour_status = 'employed' THEN 1 ELSE 0 END)",
        *(
            f"SUM(CASE WHEN age_band = '{a}' THEN 1 ELSE 0 END)"
            for a in ("under_18", "age_18_29", "age_55_plus")
        ),
        *(
            f"SUM(CASE WHEN education = '{e}' THEN 1 ELSE 0 END)"
            for e in ("isced_0_2", "isced_3_4", "isced_5_8")
        ),
        *(
            f"SUM(CASE WHEN {s} = '{v}' THEN 1 ELSE 0 END)"
            for v in ("yes", "declined")
            for s in (
                "disability",
                "third_country_national",
                "foreign_background",
                "minority",
                "homeless_or_housing_exclusion",
                "rural_area",
            )
        ),
        *(
            f"SUM(CASE WHEN {r} = {true} THEN 1 ELSE 0 END)"
            for r in (
                "employed_on_leaving",
                "employed_in_target_sector",
                "job_searching_on_leaving",
                "in_education_or_training_on_leaving",
                "qualification_on_leaving",
                "employed_6_months_after",
                "improved_labour_market_situation_6_months_after",
            )
        ),
    ]
    indicator_floor = [
        (
            f"SELECT gender, COUNT(*), {', '.join(sums)} FROM followup_participant GROUP BY gender",
            [],
        )
    ]

    cases = [
        (
            "follow-up report (all förbund, 2018–2023)",
            lambda: followup_report(params),
            report_floor,
        ),
        ("national roll-up (region × year)", lambda: rollup(Forbund.objects.all()), rollup_floor),
        (
            "participant indicator report (all)",
            lambda: indicator_report(Participant.objects.all()),
            indicator_floor,
        ),
    ]
    print(f"{'':46} {'Samsyn':>9} {'SQL floor':>10} {'ratio':>6} {'py peak':>9}")
    for label, samsyn_fn, floor in cases:
        samsyn_s, peak = _time(samsyn_fn)
        floor_s, _ = _time(_sql(floor))
        print(
            f"{label:46} {samsyn_s * 1000:7.0f}ms {floor_s * 1000:8.0f}ms "
            f"{samsyn_s / floor_s:6.2f} {peak / 1e6:7.1f}MB",
            flush=True,
        )


if __name__ == "__main__":
    if "--run" in sys.argv:
        run()
    else:
        main()
