"""Per-URL cost of the load test's mix in one process, for finding where a page's time goes.

    .venv/bin/python bench/profile_pages.py                   # every URL of the mix: CPU, queries
    .venv/bin/python bench/profile_pages.py /projektideer/    # … plus a cProfile of that URL

Runs against the database that `make loadtest` built (LOADTEST_DB_NAME, samsyn_loadtest) with
the load test's production settings and its first kansli account, through Django's test client
(no HTTP server): the figures are for comparing URLs with each other and with the floor
(/golv/), not for capacity. Prints figures only.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DB_NAME = os.environ.get("LOADTEST_DB_NAME", "samsyn_loadtest")
REPEAT = int(os.environ.get("PROFILE_REPEAT", "20"))


def setup() -> None:
    from cryptography.fernet import Fernet

    for key in [k for k in os.environ if k.startswith("SAMSYN_")]:
        del os.environ[key]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="loadtest_settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        SAMSYN_DEBUG="false",
        SAMSYN_SECRET_KEY=Fernet.generate_key().decode(),
        SAMSYN_PERSONAL_DATA_KEY=Fernet.generate_key().decode(),
        SAMSYN_ALLOWED_HOSTS="testserver",
        SAMSYN_DB_CONN_MAX_AGE="60",
        SAMSYN_CACHE_URL=os.environ.get("LOADTEST_CACHE_URL", "redis://127.0.0.1:6379/0"),
        SAMSYN_CACHE_PREFIX=f"samsyn-profile-{uuid.uuid4().hex[:8]}",
        SAMSYN_SECURE_COOKIES="false",
        SAMSYN_SSL_REDIRECT="false",
        SAMSYN_HSTS_SECONDS="0",
    )
    sys.path[:0] = [str(BENCH), str(ROOT)]
    import django

    django.setup()


def main(argv: list[str]) -> None:
    setup()
    from django.test import Client
    from mix import MIX

    from samsyn.parties.models import Forbund, User
    from samsyn.parties.services import issue_api_token
    from samsyn.pipeline.models import Idea, Measure

    user = User.objects.get(username="lt_kansli_1")
    forbund = Forbund.objects.filter(roles__user=user).order_by("pk").first()
    ideas = Idea.objects.filter(need__forbund=forbund).order_by("pk")
    measures = Measure.objects.filter(need__forbund=forbund).order_by("pk")
    ids = {
        "forbund": forbund.pk,
        "idea": ideas.values_list("pk", flat=True)[7],
        "measure": measures.values_list("pk", flat=True)[3],
    }
    client = Client()
    client.force_login(user)
    token = issue_api_token(user)

    def get(url: str):
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {}
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        return response

    urls = [re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), p) for p, _ in MIX]

    def cost(response) -> tuple[float, float, int]:
        parts = dict(p.split("=") for p in response["X-Samsyn-Budget"].split(";"))
        return float(parts["py"]), float(parts["pg"]), int(parts["q"])

    rows = []
    for url in ["/golv/", *urls]:
        first = cost(get(url))  # the first ask: the shared cache has not seen this user's view
        for _ in range(2):
            get(url)
        py, pg, queries = [], [], 0
        for _ in range(REPEAT):
            one_py, one_pg, queries = cost(get(url))
            py.append(one_py)
            pg.append(one_pg)
        rows.append((url, statistics.median(py), statistics.median(pg), queries, first))
    floor = rows[0][1] + rows[0][2]
    print(f"{'URL':60} {'py ms':>7} {'pg ms':>7} {'q':>3} {'ratio':>6} {'first ask py+pg, q':>20}")
    for url, py, pg, q, (fpy, fpg, fq) in rows:
        print(
            f"{url[:60]:60} {py:7.1f} {pg:7.1f} {q:3d} {(py + pg) / floor:5.1f}× "
            f"{fpy:9.1f} + {fpg:6.1f}, {fq}"
        )
    for target in argv:
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), target)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(REPEAT):
            get(url)
        profile.disable()
        print(f"\n=== {url}: {(time.perf_counter() - started) * 1000 / REPEAT:.1f} ms wall ===")
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main(sys.argv[1:])
