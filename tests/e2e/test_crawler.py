"""Every demo user clicks through everything visible, at desktop and phone width.

The crawler (tests/e2e/crawl.py) starts at the start page after logging in as each user
that `make run` prints (those who see participants give the code from the demo's published
TOTP secret) and fails on a 4xx/5xx behind a visible link, a download that is an HTML page,
a code name or a long number without thousands separators on screen, a page that scrolls
sideways at 390 px, and any axe violation. No list of addresses is kept by hand: what a
user can click is what gets checked.
"""

from __future__ import annotations

import re
from binascii import unhexlify
from dataclasses import dataclass

import pytest

from tests.e2e.crawl import Crawl, Finding, crawl_user, unexpected


@dataclass(frozen=True)
class Known:
    """A defect that another engineer of issue 14 is fixing on their branch right now."""

    kind: str
    pattern: str  # matched against the finding's address and detail
    item: str

    def covers(self, finding: Finding) -> bool:
        return finding.kind == self.kind and bool(
            re.search(self.pattern, f"{finding.url} {finding.detail}")
        )


# TEMPORARY, for the integrator: remove each entry once the branch named in it is merged.
# Defects found by the crawler that another piece of work is still fixing: none now.
KNOWN_ELSEWHERE: list[Known] = []


def _route_of(path: str) -> str:
    from django.urls import Resolver404, resolve

    try:
        return resolve(path).route
    except Resolver404:
        return "(finns inte) " + path


def _totp_code(username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samsyn.accounts.demo import DEMO_TOTP_KEY

    # The published demo secret, as the README tells a person to type into an app.
    device = TOTPDevice.objects.get(user__username=username, name="Demo")
    assert device.key == DEMO_TOTP_KEY
    return f"{totp(unhexlify(DEMO_TOTP_KEY), step=device.step, t0=device.t0):06d}"


@pytest.fixture
def demo(transactional_db):
    from samsyn.accounts.demo import give_demo_devices
    from samsyn.demo import DEMO_PASSWORD, all_demo_logins, load_everything

    load_everything()
    users = [username for username, _ in all_demo_logins()]
    give_demo_devices(users)
    return users, DEMO_PASSWORD


def test_crawler_every_demo_user_meets_no_broken_link_code_name_or_sideways_page(
    browser, live_server, demo
):
    users, password = demo
    crawl = Crawl(live_server.url, _route_of)
    for username in users:
        crawl_user(crawl, browser, username, password, _totp_code)
    # Every user opened more than the start page, and every route was seen at both widths.
    assert all(len(crawl.pages[u]) > 3 for u in users), {u: len(p) for u, p in crawl.pages.items()}
    widths = {w for _, w in crawl.checked}
    assert widths == {1366, 390}
    opened = sum(len(p) for p in crawl.pages.values())
    spent = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(crawl.seconds.items()) if v >= 1)
    print(f"\ncrawler: {len(users)} users, {opened} pages, {len(crawl.checked)} checks; {spent}")
    found = unexpected(crawl.findings, KNOWN_ELSEWHERE)
    assert not found, f"{len(found)} fel som en användare möter:\n" + "\n".join(
        str(f) for f in found
    )
