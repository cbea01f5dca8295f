"""`make screenshots`: the main pages at 1366 and 390 px, as PNG files in screenshots/.

Builds a fresh demo database in a temporary folder, starts Samsyn on a free port on
127.0.0.1 as `make run` does, and lets the crawler of the browser tests (tests/e2e/crawl.py)
log in as a few demo users and click through what they see. Each route is photographed once
per width (the first address of it that a user reaches), full page. The folder is ignored by
git; open it to see what a user sees.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from binascii import unhexlify
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
USERS = ("anna", "bertil", "rebecka", "sara")
PASSWORD = "samsyn-demo-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Samsyn svarade inte på {url}")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="samsyn-screenshots-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
        "SAMSYN_LOCAL": "true",
        "SAMSYN_BASE_URL": base,
        "SAMSYN_MEDIA_ROOT": str(tmp / "media"),
    }
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base + "/halsa/")
        shoot(base)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def shoot(base: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samsyn.settings")
    django.setup()
    from django.urls import Resolver404, resolve
    from django_otp.oath import totp
    from playwright.sync_api import sync_playwright

    from samsyn.accounts.demo import DEMO_TOTP_KEY
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.e2e.crawl import Crawl, crawl_user

    def route_of(path: str) -> str:
        try:
            return resolve(path).route
        except Resolver404:
            return path

    taken: set[tuple] = set()

    def on_page(page, role: str, key: str) -> None:
        width = page.viewport_size["width"]
        if (key, width) in taken:  # the start page's key names its user
            return
        taken.add((key, width))
        name = re.sub(r"[^a-z0-9]+", "-", key.lower().replace("<int:pk>", "id")).strip("-")
        if key.startswith("/"):
            name = "start"
        path = OUT / str(width) / f"{name or 'start'}-{role}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)

    shutil.rmtree(OUT, ignore_errors=True)
    crawl = Crawl(base, route_of)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for user in USERS:
            crawl_user(
                crawl,
                browser,
                user,
                PASSWORD,
                lambda _: f"{totp(unhexlify(DEMO_TOTP_KEY)):06d}",
                on_page=on_page,
            )
        browser.close()
    count = sum(1 for _ in OUT.rglob("*.png"))
    print(f"{count} skärmbilder i {OUT.relative_to(ROOT)}/ (1366/ och 390/).")
    if crawl.findings:
        kinds = Counter(f.kind for f in crawl.findings)
        listed = ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))
        print(f"Crawlern noterade ({listed}); tests/e2e/test_crawler.py säger vilka som är kända.")


if __name__ == "__main__":
    main()
