"""A filter value that cannot be used says so; it never silently shows an empty list.

The cases come from the pages, not from a list kept by hand: every page the demo's kansli
(anna) reaches from the start page and the menu is read, every filter form on it
(`<form method="get" class="filters">`) is found, and each of its fields is sent a value it
cannot take (an id beyond 64 bits, a word where a number or a date belongs, a choice that does
not exist). The page must answer 200 with an error summary that names the filter, and must not
claim that nothing matched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest

from tests.auth import log_in

BAD = {
    "select": "99999999999999999999",
    "number": "inte-ett-tal",
    "date": "2026-13-45",
    "checkbox": "finns-inte",
}


class FilterForms(HTMLParser):
    """The fields of the filter forms on a page: (name, kind) per field."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "filters" in (a.get("class") or "").split():
            self._in_form = True
        elif self._in_form and tag in ("select", "input") and a.get("name"):
            kind = "select" if tag == "select" else a.get("type", "text")
            if kind in BAD:
                self.fields.append((a["name"], kind))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def _shows_as_not_applied(html: str, name: str) -> bool:
    """A yes/no filter reads an unknown value as "Alla" and shows it so (Django's
    NullBooleanSelect, no option selected: the browser shows the first, "Alla"): the page is
    honest that the filter is not applied."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    if not select:
        return False
    chosen = re.findall(r'<option value="([^"]*)" selected>', select.group(0))
    return chosen in ([], [""], ["unknown"])


def _summary(html: str) -> str:
    return re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)


def _links(html: str) -> list[str]:
    return [h for h in re.findall(r'href="(/[^"#?]*)"', html) if not h.startswith("/static/")]


@pytest.fixture
def demo(db):
    from samsyn.demo import load_everything

    load_everything()


def _pages_with_filters(client) -> dict[str, list[tuple[str, str]]]:
    """Pages two clicks from the start page, one per route (ids do not make a new route)."""
    routes, found = set(), {}
    frontier = ["/"]
    for _depth in range(3):
        following = []
        for path in frontier:
            route = re.sub(r"/\d+/", "/<id>/", path)
            if route in routes or path.startswith(("/logga-ut", "/admin")):
                continue
            routes.add(route)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            parser = FilterForms()
            parser.feed(html)
            if parser.fields:
                found[path] = list(dict.fromkeys(parser.fields))
            following += [urlsplit(h).path for h in _links(html)]
        frontier = list(dict.fromkeys(following))
    return found


def test_every_filter_field_says_when_its_value_cannot_be_used(client, demo):
    from samsyn.parties.models import User

    log_in(client, User.objects.get(username="anna"))
    pages = _pages_with_filters(client)
    routes = {re.sub(r"/\d+/", "/<id>/", p) for p in pages}
    expected = {"/projektideer/", "/moten/", "/utlysningar/", "/forbund/<id>/behov/"}
    assert expected <= routes, sorted(routes)
    failures = []
    for path, fields in pages.items():
        for name, kind in fields:
            url = f"{path}?{urlencode({name: BAD[kind]})}"
            response = client.get(url)
            html = response.content.decode()
            if response.status_code != 200:
                failures.append(f"{url}: {response.status_code}")
            elif "error-summary" not in html:
                if not _shows_as_not_applied(html, name):
                    failures.append(f"{url}: ingen felruta")
                continue
            elif "Filtret kunde inte användas" not in html:
                failures.append(f"{url}: felrutan säger inte att filtret inte kunde användas")
            else:
                for target in re.findall(r'<a href="#([^"]*)"', _summary(html)):
                    if html.count(f'id="{target}"') != 1:
                        failures.append(f"{url}: felrutans länk #{target} leder ingenstans")
    assert not failures, "\n".join(failures)
