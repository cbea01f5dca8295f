"""More than one machine: two app nodes and two task workers on one PostgreSQL and one Redis.

The nodes and workers run the commands of deploy/compose.yaml (web, worker), each as its own
process with the same settings, as behind a load balancer. One browser (one cookie jar) moves
between the nodes. What must hold:
- a user logs in with password and TOTP on node A and continues on node B;
- the lock-out counter is shared: failures on A and B add up;
- the cache is shared: a report cached by A is in Redis, and a write through B is in A's next;
- a task queued through either node runs exactly once, on one of the two workers;
- a file stored by one node is readable by the other (media on a shared path).

PostgreSQL only (SQLite is one file on one machine); `make scaleout` runs it alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samsyn import settings as production_settings
from samsyn.followup.models import ProjectStaff
from samsyn.meetings.choices import MeetingKind
from samsyn.meetings.models import AgendaItem, Attendee, Meeting
from samsyn.parties.services import issue_api_token
from tests.factories import IdeaFactory, NeedFactory

pytestmark = [
    pytest.mark.scaleout,
    # Real commits seen by other processes; the migrated reference data comes back afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="two machines share PostgreSQL, not a SQLite file (run with DATABASE_URL=postgres://…)",
    ),
]

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "deploy" / "compose.yaml"
PASSWORD = "korrekt-häst-batteri-9"
REDIS_URL = os.environ.get("SAMSYN_SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/0")


def compose_command(service: str) -> list[str]:
    return list(yaml.safe_load(COMPOSE.read_text())["services"][service]["command"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Cluster:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.prefix = f"samsyn-scaleout-{uuid.uuid4().hex[:8]}"
        self.media = workdir / "media"
        self.media.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SAMSYN_", "DJANGO_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="samsyn.settings",
            DATABASE_URL=_database_url(),
            SAMSYN_CACHE_URL=REDIS_URL,
            SAMSYN_CACHE_PREFIX=self.prefix,
            SAMSYN_MEDIA_ROOT=str(self.media),
            SAMSYN_SECRET_KEY="scaleout-" + uuid.uuid4().hex * 2,
            SAMSYN_PERSONAL_DATA_KEY=settings.SAMSYN_PERSONAL_DATA_KEY,
            SAMSYN_REQUIRE_SECRET="true",
            SAMSYN_ALLOWED_HOSTS="127.0.0.1",
            SAMSYN_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            # Plain http on 127.0.0.1 (the load balancer terminates TLS in production).
            SAMSYN_SECURE_COOKIES="false",
            PYTHONUNBUFFERED="1",
        )
        self.env = env
        self.processes: list[subprocess.Popen] = []
        self.nodes: list[str] = []
        self.worker_logs: list[Path] = []

    def start(self) -> None:
        web = compose_command("web")
        for name in ("a", "b"):
            port = _free_port()
            command = [sys.executable, "-m", *web]
            command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
            # Small nodes: two workers of two threads would only slow the test down.
            command[command.index("--workers") + 1] = "1"
            self._spawn(command, f"node-{name}.log")
            self.nodes.append(f"http://127.0.0.1:{port}")
        worker = compose_command("worker")
        assert worker[:2] == ["python", "manage.py"]
        for name in ("1", "2"):
            log = self.workdir / f"worker-{name}.log"
            self._spawn(
                [sys.executable, *worker[1:], "--worker-id", f"worker-{name}", "--no-reload"],
                log.name,
            )
            self.worker_logs.append(log)
        for node in self.nodes:
            self._wait(node + "/halsa/")

    def _spawn(self, command: list[str], log: str) -> None:
        out = open(self.workdir / log, "wb")  # noqa: SIM115 - closed with the process
        self.processes.append(
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def _wait(self, url: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(url, timeout=10).status_code == 200:
                    return
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.3)
        raise AssertionError(f"{url} did not answer:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}"
            for p in sorted(self.workdir.glob("*.log"))
        )

    def stop(self) -> None:
        for p in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, 15)
        for p in self.processes:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
                p.wait()

    def django(self, code: str) -> str:
        """Run code in a fresh process with a node's settings (what a node's own code sees)."""
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


@pytest.fixture
def cluster(tmp_path, settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as exc:
        raise AssertionError(f"The scale-out test needs Redis at {REDIS_URL}") from exc
    # The nodes run production's hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    nodes = Cluster(tmp_path)
    try:
        nodes.start()
        yield nodes
    finally:
        nodes.stop()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{nodes.prefix}*"):
            client.delete(key)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _post_form(browser: requests.Session, url: str, data: dict) -> requests.Response:
    page = browser.get(url, timeout=20)
    found = CSRF.search(page.text)
    # A lock-out page has no form: the cookie's secret is a valid token as well.
    token = found.group(1) if found else browser.cookies["csrftoken"]
    return browser.post(
        url, data={"csrfmiddlewaretoken": token, **data}, allow_redirects=False, timeout=20
    )


def test_scaleout_two_nodes_share_login_lockout_cache_tasks_and_files(
    cluster, sjuharad, alice, bob
):
    a, b = cluster.nodes
    # Bob is project staff: he must give a second factor.
    idea = IdeaFactory(need=NeedFactory(forbund=sjuharad, created_by=alice))
    ProjectStaff.objects.create(user=bob, idea=idea, added_by=alice)
    device = TOTPDevice.objects.create(user=bob, name="telefon", confirmed=True)
    for user in (alice, bob):
        user.password = make_password(PASSWORD)
        user.save(update_fields=["password"])

    # 1. Log in with password and code on node A, continue on node B.
    browser = requests.Session()
    answer = _post_form(browser, a + "/logga-in/", {"username": "bob", "password": PASSWORD})
    assert answer.status_code == 302, cluster.logs()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    answer = _post_form(browser, a + "/tvastegsverifiering/", {"code": code})
    assert answer.status_code == 302 and "tvastegsverifiering" not in answer.headers["Location"]
    page = browser.get(b + "/", allow_redirects=False, timeout=20)
    assert page.status_code == 200, page.headers.get("Location")
    # And a browser that only gave its password on A is still asked for the code on B.
    halfway = requests.Session()
    _post_form(halfway, a + "/logga-in/", {"username": "bob", "password": PASSWORD})
    assert "tvastegsverifiering" in halfway.get(b + "/", allow_redirects=False).headers["Location"]

    # 2. The lock-out counter is shared: failures on both nodes add up.
    attacker = requests.Session()
    for i in range(settings.AXES_FAILURE_LIMIT):
        node = (a, b)[i % 2]
        _post_form(attacker, node + "/logga-in/", {"username": "alice", "password": "fel"})
    locked = _post_form(attacker, a + "/logga-in/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429

    # 3. The cache is shared: A's report is in Redis; a write through B is in A's next report.
    import redis

    token = {"Authorization": f"Bearer {issue_api_token(alice)}"}
    year = {"from": "2026-01-01", "to": "2026-12-31"}
    before = requests.get(a + "/api/v1/followup", params=year, headers=token, timeout=20).json()
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{cluster.prefix}*followup:report*"))
    assert keys, "node A did not keep the report in the shared cache"
    need = {
        "forbund_id": sjuharad.pk,
        "title": "Nytt behov",
        "target_group": "Unga",
        "identified_on": "2026-03-01",
    }
    assert requests.post(b + "/api/v1/needs", json=need, headers=token).status_code == 201
    after = requests.get(a + "/api/v1/followup", params=year, headers=token, timeout=20).json()
    needs = "needs_identified"
    assert after["track_f"][needs] == before["track_f"][needs] + 1

    # 4. A task queued through either node runs exactly once, on one of the two workers.
    meetings = []
    for n in range(6):
        meeting = Meeting.objects.create(
            forbund=sjuharad,
            kind=MeetingKind.BEREDNINGSGRUPP,
            title=f"Skalningsmote {n}",
            starts_at=timezone.now() + timezone.timedelta(days=n + 1),
        )
        Attendee.objects.create(
            meeting=meeting, organisation=sjuharad.organisation, name="Bob", user=bob
        )
        AgendaItem.objects.create(meeting=meeting, number=1, title="Läget i förbundet")
        meetings.append(meeting)
    bob.email = "bob@example.se"
    bob.save(update_fields=["email"])
    for n, meeting in enumerate(meetings):
        node = (a, b)[n % 2]
        sent = requests.post(f"{node}/api/v1/meetings/{meeting.pk}/send-agenda", headers=token)
        assert sent.status_code == 200, sent.text  # an action on the meeting (the API contract)
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= len(meetings):
            break
        time.sleep(0.3)
    results = list(DBTaskResult.objects.all())
    assert len(results) == len(meetings), cluster.logs()
    assert all(r.status == "SUCCESSFUL" and len(r.worker_ids) == 1 for r in results)
    mail = "".join(log.read_text(errors="replace") for log in cluster.worker_logs)
    for meeting in meetings:
        assert mail.count(f"Subject: Dagordning: {meeting.title} ") == 1, cluster.logs()

    # 5. A file stored by one node is readable by the other (media on a shared path).
    name = cluster.django(
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.save('delat/prov.txt', ContentFile(b'samma fil')))"
    ).strip()
    read = cluster.django(
        "from django.core.files.storage import default_storage\n"
        f"print(default_storage.open({name!r}).read().decode())"
    )
    assert read.strip() == "samma fil"
    assert (cluster.media / name).exists()
