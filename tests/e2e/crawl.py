"""A crawler that uses Samsyn as each demo user would: it clicks what is visible.

From the start page it follows every visible link, every button that navigates (GET forms)
and every download, and records what a user would stumble over:

- `status`: a 4xx/5xx behind a visible link or button;
- `html-download`: a download (a link with `download`, or one that says "Ladda ner") that
  answers with an HTML page;
- `code-name`: a visible token that looks like a code name (`snake_case`, or a rule id such
  as R6 or A1 standing alone);
- `number`: a number of 10 000 or more written without thousands separators;
- `width`: at 390 px, a page wider than the viewport (the whole page scrolls sideways);
- `axe`: a WCAG 2.1 A/AA violation;
- `foreign-request`: anything the page asks of another host.

To stay within CI's budget, addresses are grouped by their URL-conf route (and the names of
their query parameters): each user opens at most `PER_ROUTE` addresses of a route, and axe and
the 390 px check run once per route and width for the whole crawl. POST buttons (they change
things) and logging out are never clicked. Django's own admin is only checked for its status.

The same module serves `make screenshots` (scripts/screenshots.py).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit, urlunsplit

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# The first user to reach a route opens two of its addresses, every later user one.
PER_ROUTE_FIRST = 2
PER_ROUTE = 1
DOWNLOADS_PER_ROUTE = 1
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# Addresses a click must never reach: they end the session or belong to another program.
NEVER_VISIT = ("/logga-ut/",)
STATUS_ONLY = ("/admin/", "/api/", "/static/", "/media/")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf", ".docx", ".ics", ".json", ".svg")

# snake_case words (also SCREAMING_SNAKE such as an environment variable's name).
SNAKE_CASE = re.compile(r"(?<![\w/@.-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/@-])")
# Rule ids of the pipeline (R1–R9) and of the applications (A1…), alone in their element.
RULE_ID = re.compile(r"^\W*([RA]\d{1,2})\W*$")
# A run of five or more digits that is not part of a date, time, code or decimal fraction.
LONG_NUMBER = re.compile(r"(?<![\d\-/:.,\w])\d{5,}(?![\d\-/:\w])")
PERSONNUMMER = re.compile(r"\b\d{6}(?:\d{2})?[-+]\d{4}\b")
URL_IN_TEXT = re.compile(r"\b(?:https?|webcal)://\S+")


@dataclass(frozen=True)
class Finding:
    kind: str
    url: str
    detail: str
    role: str = ""
    via: str = ""

    def __str__(self) -> str:
        where = f" (länk på {self.via})" if self.via else ""
        return f"[{self.role}] {self.kind}: {self.url}{where}: {self.detail}"


@dataclass
class Link:
    url: str
    text: str
    download: bool = False


@dataclass
class Crawl:
    """The state of one crawl over several users: what was checked once for all."""

    base_url: str
    route_of: Callable[[str], str]
    findings: list[Finding] = field(default_factory=list)
    checked: set[tuple[str, int]] = field(default_factory=set)  # (route key, width)
    pages: dict[str, list[str]] = field(default_factory=dict)  # role → urls opened
    statuses: dict[str, int] = field(default_factory=dict)
    routes_reached: set[str] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def local(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.base_url).netloc


# The page's visible links and navigating buttons, as the browser sees them.
COLLECT_JS = """
() => {
  const visible = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (!visible(a)) continue;
    out.push({url: a.href, text: (a.innerText || a.getAttribute('aria-label') || '').trim(),
              download: a.hasAttribute('download')});
  }
  for (const form of document.querySelectorAll('form')) {
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
    const submit = [...form.querySelectorAll('button, input[type=submit]')]
      .find(b => (b.type || 'submit') === 'submit' && visible(b));
    if (!submit) continue;
    const url = new URL(form.action || location.href, location.href);
    url.search = new URLSearchParams(new FormData(form)).toString();
    out.push({url: url.href, text: (submit.innerText || submit.value || '').trim(),
              download: false});
  }
  return out;
}
"""

# Visible text nodes whose whole text is a rule id, with the text of their block around them.
RULE_IDS_JS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const blocks = 'P,LI,TD,TH,DD,DT,DIV,H1,H2,H3,H4,H5,H6,LEGEND,LABEL,CAPTION,SUMMARY,MAIN';
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!/^\\W*[RA]\\d{1,2}\\W*$/.test(text)) continue;
    const el = node.parentElement;
    if (!el || !el.checkVisibility({checkVisibilityCSS: true})) continue;
    let block = el;
    while (block.parentElement && !blocks.split(',').includes(block.tagName)) {
      block = block.parentElement;
    }
    out.push({id: text, around: (block.innerText || '').trim().slice(0, 200)});
  }
  return out;
}
"""

# What sticks out to the right of the viewport, outside any container that scrolls itself.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX;
      if ((s === 'auto' || s === 'scroll' || s === 'hidden') && p.clientWidth <= width) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && !scrolls(el)) {
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' +
                 el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 8)};
}
"""


def normalise(url: str) -> str:
    """Without the fragment, query parameters in a stable order."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def route_key(crawl: Crawl, url: str) -> str:
    """The URL-conf route (and the format asked for): filters and sorting share their page's."""
    parts = urlsplit(url)
    formats = sorted({v for k, v in parse_qsl(parts.query) if k in ("format", "fmt")})
    return crawl.route_of(parts.path) + (f"?format={','.join(formats)}" if formats else "")


def is_download(link: Link) -> bool:
    path = urlsplit(link.url).path
    query = urlsplit(link.url).query
    return (
        link.download
        or link.text.lower().startswith("ladda ner")
        or path.endswith(DOWNLOAD_SUFFIXES)
        or "format=" in query
    )


def text_findings(text: str) -> list[tuple[str, str]]:
    """Code names and unseparated long numbers in a page's visible text."""
    text = URL_IN_TEXT.sub(" ", text)
    text = PERSONNUMMER.sub(" ", text)
    found: list[tuple[str, str]] = []
    for match in dict.fromkeys(SNAKE_CASE.findall(text)):
        found.append(("code-name", match))
    for match in dict.fromkeys(LONG_NUMBER.findall(text)):
        found.append(("number", match))
    if "---------" in text:  # Django's empty choice: a choice says "Välj …" or "Alla"
        found.append(("code-name", "---------"))
    return found


def log_in(page, username: str, password: str, totp_code: Callable[[str], str]) -> None:
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("load")
    if "/tvastegsverifiering/" in page.url:
        page.get_by_label("Sexsiffrig kod från din app").fill(totp_code(username))
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_load_state("load")
    if "/logga-in/" in page.url or "/tvastegsverifiering/" in page.url:
        raise AssertionError(f"{username} kunde inte logga in (står kvar på {page.url})")


def run_axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def axe_summary(violations: list[dict]) -> str:
    parts = []
    for v in violations:
        targets = "; ".join(
            " ".join(t) if isinstance(t, list) else t
            for node in v["nodes"][:3]
            for t in node["target"]
        )
        parts.append(f"{v['id']}: {v['help']} [{targets}]")
    return " | ".join(parts)


def check_layout(crawl: Crawl, page, key: str, role: str, width: int) -> None:
    """axe at this width, and at phone width that the page does not scroll sideways."""
    if (key, width) in crawl.checked:
        return
    crawl.checked.add((key, width))
    page.wait_for_load_state("load")
    if width == PHONE["width"]:
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow["scroll"] > overflow["width"]:
            crawl.findings.append(
                Finding(
                    "width",
                    page.url,
                    f"{overflow['scroll']} px bred vid {overflow['width']} px: "
                    + ", ".join(overflow["wide"]),
                    role,
                )
            )
    started = time.monotonic()
    violations = run_axe(page)
    crawl.seconds[f"axe@{width}"] += time.monotonic() - started
    if violations:
        crawl.findings.append(Finding(f"axe@{width}", page.url, axe_summary(violations), role))


def check_text(crawl: Crawl, page, role: str) -> None:
    text = page.evaluate("() => document.body.innerText")
    for kind, token in text_findings(text):
        crawl.findings.append(Finding(kind, page.url, token, role))
    for hit in page.evaluate(RULE_IDS_JS):
        around = RULE_ID.sub("", hit["around"]).strip()
        # Alone: nothing but the id (and punctuation) in its block.
        if not re.search(r"[A-Za-zÅÄÖåäö]{3,}", around.replace(hit["id"], "")):
            detail = f"regel-id ensamt: {hit['id']}"
            crawl.findings.append(Finding("code-name", page.url, detail, role))


def check_download(crawl: Crawl, context, link: Link, role: str, via: str) -> None:
    started = time.monotonic()
    response = context.request.get(link.url, max_redirects=0, fail_on_status_code=False)
    crawl.seconds["download " + urlsplit(link.url).path.rsplit(".", 1)[-1][:5]] += (
        time.monotonic() - started
    )
    crawl.statuses[link.url] = response.status
    content_type = response.headers.get("content-type", "")
    if response.status >= 400:
        crawl.findings.append(
            Finding("status", link.url, f"{response.status} ({link.text})", role, via)
        )
    elif response.status < 300 and content_type.startswith("text/html"):
        crawl.findings.append(
            Finding("html-download", link.url, f"{content_type} ({link.text})", role, via)
        )
    response.dispose()


def crawl_user(
    crawl: Crawl,
    browser,
    role: str,
    password: str,
    totp_code: Callable[[str], str],
    on_page: Callable[[object, str, str], None] | None = None,
) -> None:
    """Log in as `role` and click through everything visible, at desktop and phone width."""
    context = browser.new_context(base_url=crawl.base_url, locale="sv-SE", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    # Nothing may leave the machine (GDPR chap. V): a request elsewhere is refused and noted.
    context.route(lambda url: not crawl.local(url), lambda route: route.abort())
    context.on(
        "request",
        lambda request: (
            None
            if crawl.local(request.url) or request.url.startswith(("data:", "blob:", "about:"))
            else crawl.findings.append(Finding("foreign-request", request.url, "annan värd", role))
        ),
    )
    page = context.new_page()
    try:
        log_in(page, role, password, totp_code)
        start = normalise(page.url)
        queue: list[tuple[str, str]] = [(normalise(crawl.base_url + "/"), "inloggningen")]
        if start != queue[0][0]:
            queue.append((start, "inloggningen"))
        seen: set[str] = {u for u, _ in queue}
        per_route: dict[str, int] = {}
        first_to_reach: set[str] = set()
        opened: list[str] = []
        while queue:
            url, via = queue.pop(0)
            key = route_key(crawl, url)
            if urlsplit(url).path == "/":
                key = f"/ ({role})"  # each role's own start page is checked on its own
            started = time.monotonic()
            response = page.goto(url, wait_until="domcontentloaded")
            crawl.seconds["goto"] += time.monotonic() - started
            status = response.status if response else 0
            crawl.statuses[url] = status
            opened.append(url)
            if status >= 400:
                crawl.findings.append(Finding("status", url, str(status), role, via))
                continue
            if not page.url.startswith(crawl.base_url) or normalise(page.url) != url:
                # A redirect: the page it led to is judged under its own address.
                final = normalise(page.url)
                if final in seen and final != url:
                    continue
                seen.add(final)
                url, key = final, route_key(crawl, final)
            content_type = response.headers.get("content-type", "") if response else ""
            if not content_type.startswith("text/html"):
                continue
            started = time.monotonic()
            check_text(crawl, page, role)
            crawl.seconds["text"] += time.monotonic() - started
            check_layout(crawl, page, key, role, DESKTOP["width"])
            if on_page:
                on_page(page, role, key)
            if (key, PHONE["width"]) not in crawl.checked:
                # The same page on a phone: the viewport shrinks, as when a tablet turns.
                page.set_viewport_size(PHONE)
                check_layout(crawl, page, key, role, PHONE["width"])
                if on_page:
                    on_page(page, role, key)
                page.set_viewport_size(DESKTOP)
            started = time.monotonic()
            links = page.evaluate(COLLECT_JS)
            crawl.seconds["collect"] += time.monotonic() - started
            for raw in links:
                link = Link(raw["url"], raw["text"], raw["download"])
                if not link.url.startswith(("http://", "https://")) or not crawl.local(link.url):
                    continue
                target = normalise(link.url)
                path = urlsplit(target).path
                if path.startswith(NEVER_VISIT) or target in seen:
                    continue
                seen.add(target)
                if is_download(link) or path.startswith(STATUS_ONLY):
                    if path.startswith(STATUS_ONLY) and not is_download(link):
                        dkey = "status-only " + route_key(crawl, target)
                    else:
                        dkey = "download " + route_key(crawl, target)
                    if per_route.get(dkey, 0) >= DOWNLOADS_PER_ROUTE:
                        continue
                    per_route[dkey] = per_route.get(dkey, 0) + 1
                    if path.startswith(STATUS_ONLY) and not is_download(link):
                        check_status_only(crawl, context, link, role, url)
                    else:
                        check_download(crawl, context, link, role, url)
                    continue
                tkey = route_key(crawl, target)
                if tkey not in crawl.routes_reached:
                    crawl.routes_reached.add(tkey)
                    first_to_reach.add(tkey)
                limit = PER_ROUTE_FIRST if tkey in first_to_reach else PER_ROUTE
                if per_route.get(tkey, 0) >= limit:
                    continue
                per_route[tkey] = per_route.get(tkey, 0) + 1
                queue.append((target, url))
        crawl.pages[role] = opened
    finally:
        context.close()


def check_status_only(crawl: Crawl, context, link: Link, role: str, via: str) -> None:
    response = context.request.get(link.url, fail_on_status_code=False)
    crawl.statuses[link.url] = response.status
    if response.status >= 400:
        crawl.findings.append(
            Finding("status", link.url, f"{response.status} ({link.text})", role, via)
        )
    response.dispose()


def unexpected(findings: Iterable[Finding], allowed: Iterable) -> list[Finding]:
    allowed = list(allowed)
    return [f for f in findings if not any(a.covers(f) for a in allowed)]
