"""Load test: Samsyn under gunicorn and PostgreSQL, 50 concurrent users. Prints figures only.

    make loadtest                                # national scale (1.0), 30 s per phase
    LOADTEST_SCALE=0.02 LOADTEST_SECONDS=10 make loadtest

1. (Re)creates the database samsyn_loadtest on PostgreSQL (LOADTEST_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/postgres; no other database is touched), migrates it and
   loads the seeded data set of bench/dataset.py at LOADTEST_SCALE, plus a few meetings and six
   accounts with known passwords and API tokens (kansli, beredning and readers of a few förbund;
   none is project staff, so none needs a second factor).
   LOADTEST_REUSE_DATA=true keeps the database when it was built at the same scale.
   LOADTEST_DB_NAME names another database (several people on one server).
2. Collects the static files (manifest, as in production) and starts gunicorn (samsyn.wsgi,
   settings bench/loadtest_settings.py which only adds the floor URL /golv/) on a free
   127.0.0.1 port, with SAMSYN_DEBUG off and production settings except what plain http on
   127.0.0.1 needs (no secure cookies, no https redirect, no HSTS): persistent connections
   (LOADTEST_CONN_MAX_AGE, 60) and the shared Redis cache (LOADTEST_CACHE_URL, with a key
   prefix of its own; empty for local memory). bench/budget.py puts each request's cost in a
   response header: CPU of the Django thread, CPU of its PostgreSQL backend, queries.
3. Runs bench/load_driver.py as a second process: LOADTEST_USERS (50) users log in, loop over a
   weighted mix of pages and API calls for LOADTEST_SECONDS, then over the floor for as long.
   It prints, per URL, CPU per request split into Python and PostgreSQL, queries, p50, p95 and
   the ratios to the floor; the last line of the run names the worst URL and its ratio.
4. Stops gunicorn (its whole process group) whatever happens.

Exit status: the driver's, 1 when any request failed.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from dataset import Sizes, build
from mix import MIX

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DB_NAME = os.environ.get("LOADTEST_DB_NAME", "samsyn_loadtest")
ADMIN_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SCALE = float(os.environ.get("LOADTEST_SCALE", "1"))
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "30"))
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
CORES = os.cpu_count() or 1
WORKERS = int(os.environ.get("LOADTEST_WORKERS", str(2 * CORES + 1)))
THREADS = int(os.environ.get("LOADTEST_THREADS", "2"))
# 60 s with health checks: the production default (README, Drift).
CONN_MAX_AGE = int(os.environ.get("LOADTEST_CONN_MAX_AGE", "60"))
REUSE = os.environ.get("LOADTEST_REUSE_DATA", "").lower() in ("1", "true", "yes")
# The shared cache, as production runs it (README, Drift); empty: each worker's own memory.
CACHE_URL = os.environ.get("LOADTEST_CACHE_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "lasttest-losenord-2026"

# (user name, role, which of the first förbund (by id) it has that role in)
ACCOUNTS = [
    ("lt_kansli_1", "kansli", slice(0, 1)),
    ("lt_kansli_2", "kansli", slice(1, 3)),
    ("lt_beredning_1", "beredning", slice(0, 1)),
    ("lt_beredning_3", "beredning", slice(2, 3)),
    ("lt_lasare_2", "reader", slice(1, 2)),
    ("lt_lasare_region", "reader", slice(0, 10)),
]


def main() -> int:
    begun = time.monotonic()
    settings = {k: v for k, v in os.environ.items() if k.startswith("LOADTEST_")}
    print("command:", shlex.join([*(f"{k}={v}" for k, v in settings.items()), *sys.argv]))
    sizes = Sizes.at(SCALE)
    print(f"scale {SCALE:g}: {sizes.describe()}")
    db_url = prepare(sizes)
    workdir = Path(tempfile.mkdtemp(prefix="samsyn-loadtest-"))
    port = free_port()
    log = workdir / "gunicorn.log"
    command = [
        *(sys.executable, "-m", "gunicorn", "samsyn.wsgi"),
        *("--chdir", str(ROOT), "--pythonpath", str(BENCH)),
        *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"),
        *("--workers", str(WORKERS), "--threads", str(THREADS), "--keep-alive", "30"),
        *("--backlog", "2048", "--error-logfile", str(log), "--log-level", "warning"),
    ]
    print(
        f"gunicorn: {WORKERS} workers × {THREADS} threads (gthread) on {CORES} cores, "
        f"CONN_MAX_AGE={CONN_MAX_AGE}, cache {CACHE_URL or 'local memory'}, port {port}\n"
        f"  {shlex.join(command[1:])}",
        flush=True,
    )
    env = server_env(db_url)
    # As in production (README, Drift): hashed static file names from a manifest.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    env_collect = {**env, "DJANGO_SETTINGS_MODULE": "samsyn.settings"}
    subprocess.run(collect, env=env_collect, cwd=ROOT, check=True)
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        wait_until_up(server, f"http://127.0.0.1:{port}/halsa/", log)
        plan = workdir / "plan.json"
        content = {**make_plan(port, server.pid), "result_path": str(workdir / "worst.txt")}
        plan.write_text(json.dumps(content), encoding="utf-8")
        print(f"driver: a second process, {sys.executable} bench/load_driver.py {plan}\n")
        driver = [sys.executable, str(BENCH / "load_driver.py"), str(plan)]
        code = subprocess.run(driver, cwd=ROOT, check=False).returncode
    finally:
        stop(server)
        (workdir / "plan.json").unlink(missing_ok=True)  # it holds passwords and API tokens
        errors = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if errors.strip():
            print(f"\ngunicorn's error log ({log}), last lines:\n" + errors[-3000:])
    print(f"\nmake loadtest took {time.monotonic() - begun:.0f} s end to end")
    worst = workdir / "worst.txt"
    if worst.exists():
        print(worst.read_text(encoding="utf-8").strip())
    return code


# The database -----------------------------------------------------------------------------------


def prepare(sizes: Sizes) -> str:
    """samsyn_loadtest, migrated and loaded; only this database is dropped and created."""
    import psycopg

    mark = f"samsyn loadtest scale={sizes.scale:g}"
    db_url = urlunparse(urlparse(ADMIN_URL)._replace(path=f"/{DB_NAME}"))
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [DB_NAME],
        ).fetchone()
        if REUSE and row and row[0] == mark:
            print(f"database {DB_NAME}: kept (built at the same scale), migrated", flush=True)
            setup_django(db_url)
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            return db_url
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    started = time.monotonic()
    setup_django(db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(sizes)
    add_meetings()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE {DB_NAME} IS '{mark}'")
    print(f"database {DB_NAME}: built in {time.monotonic() - started:.0f} s", flush=True)
    return db_url


def setup_django(db_url: str) -> None:
    os.environ.update(DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="samsyn.settings")
    os.environ.pop("SAMSYN_TEST_DB_NAME", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def add_meetings() -> None:
    """Ten years of board and preparatory-group meetings for the förbund the accounts see."""
    import datetime as dt

    from samsyn.meetings.choices import MeetingKind
    from samsyn.meetings.models import Meeting
    from samsyn.parties.models import Forbund

    at = dt.datetime(2016, 1, 20, 13, tzinfo=dt.UTC)
    kinds = [(MeetingKind.STYRELSE, "Styrelsemöte"), (MeetingKind.BEREDNINGSGRUPP, "Beredning")]
    Meeting.objects.bulk_create(
        Meeting(
            forbund=forbund,
            kind=kind,
            title=f"{label} {n + 1}",
            starts_at=at + dt.timedelta(days=45 * n),
        )
        for forbund in Forbund.objects.order_by("pk")[:10]
        for kind, label in kinds
        for n in range(80)
    )


def make_plan(port: int, server_pid: int) -> dict:
    """The accounts (created or refreshed now, with new tokens), the mix, and the row counts."""
    from django.db import connection

    from samsyn.followup.models import Participant
    from samsyn.meetings.models import Meeting
    from samsyn.parties.models import Forbund, User
    from samsyn.parties.services import issue_api_token, set_role
    from samsyn.pipeline.models import Idea, IdeaTransition, Measure, Need

    rng = random.Random(2026)
    forbund = list(Forbund.objects.order_by("pk")[:10])
    accounts = []
    for username, role, which in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.save()
        mine = forbund[which]
        for f in mine:
            set_role(f, user, role)
        ideas = list(Idea.objects.filter(need__forbund__in=mine).values_list("pk", flat=True))
        measures = Measure.objects.filter(need__forbund__in=mine).values_list("pk", flat=True)
        measures = list(measures)
        accounts.append(
            {
                "username": username,
                "password": PASSWORD,
                "token": issue_api_token(user),
                "ids": {
                    "forbund": [f.pk for f in mine],
                    "idea": rng.sample(ideas, min(20, len(ideas))),
                    "measure": rng.sample(measures, min(20, len(measures))),
                },
            }
        )
    counts = {
        model._meta.verbose_name_plural: model.objects.count()
        for model in (Forbund, Need, Idea, IdeaTransition, Measure, Participant, Meeting, User)
    }
    print("rows: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    print("accounts: " + ", ".join(f"{u} ({r})" for u, r, _ in ACCOUNTS))
    for account in accounts:
        if missing := [kind for kind, ids in account["ids"].items() if not ids]:
            print(f"  NOTE: {account['username']} sees no {', '.join(missing)}: skips those pages")
    connection.close()
    return {
        "base_url": f"http://127.0.0.1:{port}",
        "users": USERS,
        "seconds": SECONDS,
        "accounts": accounts,
        "mix": [{"path": path, "weight": weight} for path, weight in MIX],
        "floor": "/golv/",
        "server_pid": server_pid,
    }


# The server -------------------------------------------------------------------------------------


def server_env(db_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAMSYN_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="loadtest_settings",
        DATABASE_URL=db_url,
        SAMSYN_DEBUG="false",
        SAMSYN_REQUIRE_SECRET="true",
        SAMSYN_SECRET_KEY=Fernet.generate_key().decode(),
        SAMSYN_PERSONAL_DATA_KEY=Fernet.generate_key().decode(),
        SAMSYN_ALLOWED_HOSTS="127.0.0.1",
        SAMSYN_DB_CONN_MAX_AGE=str(CONN_MAX_AGE),
        SAMSYN_CACHE_URL=CACHE_URL,
        # A prefix of its own: the Redis server may be shared.
        SAMSYN_CACHE_PREFIX=f"samsyn-loadtest-{uuid.uuid4().hex[:8]}",
        SAMSYN_MANIFEST_STATIC="true",
        # Plain http on 127.0.0.1: cookies without Secure, no https redirect, no HSTS.
        SAMSYN_SECURE_COOKIES="false",
        SAMSYN_SSL_REDIRECT="false",
        SAMSYN_HSTS_SECONDS="0",
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(server: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (status {server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within 90 s")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's process group (master and workers), SIGKILL if it lingers."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=30)
    # Whatever of the group is still there (a stuck worker).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


if __name__ == "__main__":
    # A SIGTERM (e.g. make stopped) unwinds through main's finally, which stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
