"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here
- is marked `e2e` and skipped, with a plain reason, when /usr/bin/chromium is missing
  (Playwright never downloads a browser of its own: there is no internet here);
- runs with a transactional database, since the live server answers from another thread;
  the reference data from the data migration (kommuner, regioner, AF, FK) is put back
  before and after each test, so tests that run later still find it;
- fails when a page asks for anything from a host other than the test server;
- fails when a page it visited was not checked with axe, and `check_a11y` fails on any
  WCAG 2.1 A/AA violation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = f"webbläsartest: {CHROMIUM} saknas (Debians chromium-paket)"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
HERE = Path(__file__).resolve().parent


def _is_e2e(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if not _is_e2e(item):
            continue
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        if not os.access(CHROMIUM, os.X_OK):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"OBS: {len(skipped)} webbläsartester i tests/e2e hoppades över eftersom {CHROMIUM} "
            "saknas. Installera Debians chromium (apt-get install chromium; `make test` gör det "
            "när den körs som root).",
            yellow=True,
            bold=True,
        )


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and _is_e2e(item):
        item.stash[CALL_FAILED] = report.failed


# The database as the migrations left it, reference data included (JSON, Django's format).
MIGRATED_DATA = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def migrated_data(request, django_db_setup, django_db_blocker) -> str:
    from django.db import connection

    # Django serialized it when it created the test database (serialized_rollback above),
    # but keeps it on a connection object that need not be the one this thread sees later.
    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    request.config.stash[MIGRATED_DATA] = contents
    return contents


def _restore(contents: str, *, flush: bool = False) -> None:
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    if flush:
        # Content types and permissions may have been recreated under new keys.
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
    connection.creation.deserialize_db_from_string(contents)
    # Rows came back with their own keys; keep PostgreSQL's sequences ahead of them.
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture(autouse=True)
def _reference_data(migrated_data, browser, transactional_db) -> None:
    """Each test starts, and leaves the database, with the migrated data in place."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from samsyn.parties.models import Organisation

    # While Playwright's event loop runs, Django gives this thread another connection
    # object (asgiref's Local in async mode) that lacks the snapshot. Hand it over, so the
    # flush after the test leaves content types and permissions to the restore below
    # instead of recreating them under new keys.
    connections[DEFAULT_DB_ALIAS]._test_serialized_contents = migrated_data
    # A transactional test that ran before may have flushed the tables.
    if not Organisation.objects.exists():
        _restore(migrated_data, flush=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a browser test's flush, put the migrated data back for the tests that follow."""
    yield
    contents = item.config.stash.get(MIGRATED_DATA, None)
    # With no next test the test database is already gone (and the connection points
    # at the real one again): nothing to restore, and nothing must be written.
    if _is_e2e(item) and contents and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore(contents)
        if _is_e2e(nextitem):
            # Restored already: spare Django restoring it again when the next test starts
            # (`_reference_data` hands the snapshot back before that test runs).
            from django.db import DEFAULT_DB_ALIAS, connections

            vars(connections[DEFAULT_DB_ALIAS]).pop("_test_serialized_contents", None)


# Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the tests in this folder, gone before the tests of other folders run.

    Playwright's sync API keeps an event loop running in the test thread; while it runs,
    Django would refuse the ORM calls the tests make to build their scene, so they are
    allowed for exactly that time (and never leak into later tests or their subprocesses).
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _cookies_over_http(settings) -> None:
    """The live server speaks plain http, so Secure cookies would not come back."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


class PageChecks:
    """What the browser asked for and which pages axe has looked at."""

    def __init__(self, server_url: str):
        self.server = urlsplit(server_url)
        self.requests: list[str] = []
        self.unchecked: list[str] = []
        self.checked: list[str] = []
        self.current_url = ""

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.scheme == self.server.scheme and parts.netloc == self.server.netloc

    def on_request(self, request) -> None:
        self.requests.append(request.url)

    def on_load(self, page) -> None:
        self.unchecked.append(page.url)

    def on_navigated(self, frame) -> None:
        """A new address without a new document (htmx's hx-push-url) is a new page too."""
        if frame.parent_frame is not None:
            return
        url = frame.url.split("#", 1)[0]
        if url != self.current_url:
            self.unchecked.append(url)
        self.current_url = url

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not self.is_local(url)]


@pytest.fixture
def page_checks(live_server) -> PageChecks:
    return PageChecks(live_server.url)


@pytest.fixture
def page(request, browser, live_server, page_checks: PageChecks) -> Iterator:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(10_000)
    context.on("request", page_checks.on_request)
    # Nothing may leave the machine; record the attempt (above) and refuse it at once.
    context.route(lambda url: not page_checks.is_local(url), lambda route: route.abort())
    page = context.new_page()
    page.on("load", page_checks.on_load)
    page.on("framenavigated", page_checks.on_navigated)
    yield page
    context.close()
    foreign = page_checks.foreign_requests()
    if foreign:
        pytest.fail("Sidan begärde något från andra värdar än testservern:\n" + "\n".join(foreign))
    # A test that failed half-way left its last page unchecked: that is no news.
    if page_checks.unchecked and not request.node.stash.get(CALL_FAILED, False):
        unchecked = dict.fromkeys(page_checks.unchecked)
        pytest.fail("Sidor som besöktes utan axe-kontroll:\n" + "\n".join(unchecked))


def axe_report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'okänd'}): {v['help']}")
        for node in v["nodes"]:
            target = ", ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture
def check_a11y(page, page_checks: PageChecks) -> Callable[[], None]:
    """Run axe (WCAG 2.1 A and AA) on the page as it stands; fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check() -> None:
        page.wait_for_load_state("load")
        results = axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        page_checks.checked.append(page.url)
        page_checks.unchecked.clear()
        if violations:
            pytest.fail(f"axe: WCAG 2.1 A/AA-fel på {page.url}:\n{axe_report(violations)}")

    return check


@pytest.fixture
def visit(page, check_a11y) -> Callable:
    """Open a path on the live server and check it with axe; returns the response."""

    def go(path: str):
        response = page.goto(path)
        check_a11y()
        return response

    return go


@pytest.fixture
def log_in(page, visit, check_a11y) -> Callable[[str], None]:
    """Log in through the login page like a person would (every user's password is the same)."""
    from playwright.sync_api import expect

    def go(username: str, password: str = "korrekt-häst-batteri-9") -> None:
        visit("/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
        check_a11y()
        if "/tvastegsverifiering/" in page.url:
            give_totp_code(page, username)
            expect(page).not_to_have_url(re.compile("/tvastegsverifiering/"))
            check_a11y()

    return go


def totp_code(page, username: str) -> str:
    """The code an authenticator app would show now, for the setup or the verify page."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The setup page keeps the app being added as an unconfirmed device.
    setting_up = "/aktivera/" in page.url
    device = TOTPDevice.objects.get(user__username=username, confirmed=not setting_up)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


def give_totp_code(page, username: str) -> None:
    """Type the code an authenticator app would show, on the setup or the verify page."""
    setting_up = "/aktivera/" in page.url
    page.get_by_label("Sexsiffrig kod från din app").fill(totp_code(page, username))
    page.get_by_role("button", name="Aktivera" if setting_up else "Fortsätt").click()
