"""No input can make a page fail for everyone else: one bound per kind of value.

Unit tests of samsyn/parties/bounds.py, then the class as a whole, generated rather than
listed:
- every date, datetime, integer and text property of every POST/PUT/PATCH body and every
  query parameter in /api/v1/openapi.json, and every date, datetime, number and text field
  of every form (filters too) on every page of the URL conf, gets boundary values
  (0001-01-01, 9999-12-31, +14:00 offsets, 2^63, -2^63-1, 2^64, a lone surrogate, NUL,
  very long text); no answer is a 500, an API refusal is JSON, and an integer beyond
  64 bits in an API query string is a 422 or 404;
- then every page, download and calendar feed, and every API read, is fetched: no 500;
- values stored before the bounds existed (written past the guards) keep the pages up too.
The scene is the access matrix's (tests/security/matrix.py), whose own side has one object
of every kind, and the routes come from the same discovery.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from samsyn.meetings.models import Event, GovernmentAssignment, Meeting
from samsyn.parties import bounds
from samsyn.pipeline.models import Need
from samsyn.pipeline.services import PipelineError, move_idea
from tests.auth import log_in
from tests.security.matrix import ROLES, build_scene
from tests.security.test_access_matrix import (
    Filler,
    api_operations,
    discover_routes,
    instances,
    minimal_value,
    route_kinds,
)

pytestmark = pytest.mark.django_db

# Unit tests of the bounds ---------------------------------------------------------------------

UTC = dt.UTC
PLUS_14 = dt.timezone(dt.timedelta(hours=14))


def test_value_bounds_dates_lie_between_2000_and_2100():
    assert bounds.date_problem(dt.date(2000, 1, 1)) is None
    assert bounds.date_problem(dt.date(2100, 12, 31)) is None
    for day in (dt.date(1999, 12, 31), dt.date(2101, 1, 1), dt.date.min, dt.date.max):
        assert bounds.date_problem(day).code == bounds.DATE_RANGE


def test_value_bounds_datetimes_stay_in_the_window_in_every_time_zone():
    assert bounds.datetime_problem(dt.datetime(2026, 6, 1, 10, tzinfo=PLUS_14)) is None
    for moment in (
        dt.datetime(9999, 12, 31, 23, 30, tzinfo=UTC),  # year 10000 in Swedish time
        dt.datetime(1, 1, 1, 0, 0, tzinfo=PLUS_14),  # year 0 in UTC
        dt.datetime(2100, 12, 31, 23, 30, tzinfo=UTC),  # 2101 in Swedish time
        dt.datetime(2000, 1, 1, 0, 30, tzinfo=PLUS_14),  # 1999 in UTC
        dt.datetime(1999, 12, 31, 12),  # naive
    ):
        assert bounds.datetime_problem(moment).code == bounds.DATE_RANGE, moment


@pytest.mark.parametrize(
    ("internal_type", "low", "high"),
    [
        ("BigIntegerField", -(2**63), 2**63 - 1),
        ("IntegerField", -(2**31), 2**31 - 1),
        ("PositiveIntegerField", 0, 2**31 - 1),
        ("PositiveSmallIntegerField", 0, 2**15 - 1),
        ("BigAutoField", 1, 2**63 - 1),
    ],
)
def test_value_bounds_integers_fit_their_column_on_every_database(internal_type, low, high):
    assert bounds.integer_problem(low, internal_type) is None
    assert bounds.integer_problem(high, internal_type) is None
    assert bounds.integer_problem(low - 1, internal_type).code == bounds.INTEGER_RANGE
    assert bounds.integer_problem(high + 1, internal_type).code == bounds.INTEGER_RANGE
    assert bounds.integer_problem(2**64, internal_type).code == bounds.INTEGER_RANGE


def test_value_bounds_amounts_are_whole_kronor_that_sum_within_64_bits():
    assert bounds.amount_problem(0) is None
    assert bounds.amount_problem(bounds.MAX_AMOUNT) is None
    assert bounds.amount_problem(Decimal("500000")) is None
    for bad in (-1, bounds.MAX_AMOUNT + 1, 2**63, Decimal("1.5"), float("inf"), float("nan")):
        assert bounds.amount_problem(bad).code == bounds.AMOUNT_RANGE, bad
    assert bounds.MAX_AMOUNT * 9_000_000 < 2**63  # millions of amounts still sum in a bigint


def test_value_bounds_text_holds_no_nul_and_no_lone_surrogate():
    assert bounds.text_problem("Åsa Öberg – ✓ 😀") is None
    assert bounds.text_problem("x" * 100_000) is None
    for bad in ("a\x00b", "\ud800", "x\udfff", "\ud83d\ude00"):  # a pair split in two too
        assert bounds.text_problem(bad).code == bounds.TEXT_CHARACTERS, repr(bad)


def test_value_bounds_events_have_happened_and_follow_what_they_follow():
    today = timezone.localdate()
    assert bounds.happened_problems(today, what="Datumet") == []
    future = bounds.happened_problems(today + dt.timedelta(days=1), what="Datumet")
    assert [p.code for p in future] == [bounds.NOT_YET_HAPPENED]
    assert "framtiden" in future[0].message
    early = bounds.happened_problems(
        dt.date(2026, 3, 1), what="Datumet", after=[(dt.date(2026, 3, 2), "föregående steg")]
    )
    assert [p.code for p in early] == [bounds.BEFORE_PREVIOUS]
    assert "2026-03-01" in early[0].message and "2026-03-02" in early[0].message


def test_value_bounds_are_checked_before_every_save(sjuharad, alice):
    """The guard: a save without a verb (and without full_clean) is refused too."""
    with pytest.raises(ValidationError) as refused:
        Need.objects.create(
            forbund=sjuharad, title="Behov\x00", target_group="Unga", identified_on=dt.date.max
        )
    assert set(refused.value.error_dict) == {"title", "identified_on"}
    assert not Need.objects.exists()


def test_value_bounds_a_steps_date_follows_the_previous_step(sjuharad, alice, bob):
    from tests.factories import IdeaFactory, NeedFactory

    need = NeedFactory(forbund=sjuharad, identified_on=dt.date(2026, 3, 2))
    idea = IdeaFactory(need=need)
    with pytest.raises(PipelineError) as refused:
        move_idea(idea, "idea_designed", by=alice, basis_date=dt.date(2026, 3, 1))
    assert [v.rule for v in refused.value.violations] == [bounds.BEFORE_PREVIOUS]
    move_idea(idea, "idea_designed", by=alice, basis_date=dt.date(2026, 3, 5))
    idea.refresh_from_db()
    with pytest.raises(PipelineError) as refused:
        move_idea(
            idea,
            "stopped",
            by=alice,
            basis_date=dt.date(2026, 3, 4),
            stop_reason="other",
            note="Annat",
        )
    assert "föregående steg" in refused.value.violations[0].message
    future = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(PipelineError) as refused:
        move_idea(idea, "stopped", by=alice, basis_date=future, stop_reason="other", note="x")
    assert [v.rule for v in refused.value.violations] == [bounds.NOT_YET_HAPPENED]


# Boundary values --------------------------------------------------------------------------------

API_VALUES = {
    "date": ["0001-01-01", "9999-12-31", "1999-12-31"],
    "date-time": ["0001-01-01T00:00:00+14:00", "9999-12-31T23:30:00Z", "2100-12-31T23:30:00Z"],
    "integer": [2**63, -(2**63) - 1, 2**64, 2**31],
    "number": [2**63, -(2**63) - 1, 2**64],
    "string": ["\ud800", "x\u0000y", "x" * 20_000],
}
# Form values are sent url-encoded as bytes: %ED%A0%80 is a lone surrogate in (invalid) UTF-8.
FORM_VALUES = {
    "date": ["0001-01-01", "9999-12-31"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:30"],
    "number": [str(2**63), str(-(2**63) - 1), str(2**64)],
    "text": ["%ED%A0%80", "x%00y", "x" * 20_000],
}


def _kind(schema: dict, node: dict) -> str | None:
    from tests.security.test_access_matrix import _resolve

    node = _resolve(schema, node)
    if node.get("type") == "string" and "enum" not in node:
        return node.get("format") if node.get("format") in ("date", "date-time") else "string"
    if node.get("type") in ("integer", "number"):
        return node["type"]
    return None


def _api_client(scene, role: str):
    token = scene.own.api_tokens[role]
    return lambda method, url, body=None: getattr(Client(), method)(
        url,
        json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def post_boundary_values_to_the_api(scene, schema: dict) -> int:
    """Every date, datetime, integer and text property of every write body, as the first role
    that may use the operation. Returns the number of requests."""
    clients = {role: _api_client(scene, role) for role in ROLES[2:]}
    sent = 0
    for op in api_operations(schema):
        if op.method not in ("post", "put", "patch") or op.body_schema is None:
            continue
        url = op.path.replace("{kind}", op.kind or "")
        for name, model in op.ids:
            if "{" + name + "}" in url:
                url = url.replace("{" + name + "}", str(instances(scene, model, foreign=False)[0]))
        properties = op.body_schema.get("properties", {})
        base = {
            name: minimal_value(schema, node)
            for name, node in properties.items()
            if name in op.body_schema.get("required", [])
        }
        base.update(
            {
                name: instances(scene, model, foreign=False)[0]
                for name, model in op.ids
                if name in base
            }
        )
        for name, node in properties.items():
            for value in API_VALUES.get(_kind(schema, node), []):
                body = {**base, name: value}
                for role, send in clients.items():
                    response = send(op.method, url, body)
                    sent += 1
                    where = f"{op.method.upper()} {url} {name}={str(value)[:40]!r} as {role}"
                    assert response.status_code != 500, where
                    assert response["Content-Type"].startswith("application/json"), where
                    if response.status_code != 403:
                        break
    return sent


QUERY_VALUES = {
    "date": ["0001-01-01", "9999-12-31"],
    "date-time": ["0001-01-01T00:00:00+14:00", "9999-12-31T23:30:00Z"],
    "integer": [str(2**63), str(-(2**63) - 1), str(2**64)],
    "string": ["%ED%A0%80", "x%00y", "x" * 5_000],
}


def send_boundary_values_in_api_query_strings(scene, schema: dict) -> int:
    """Every query parameter of every API read: an integer beyond 64 bits is a 422 or 404."""
    send = _api_client(scene, "kansli")
    sent = 0
    for op in api_operations(schema):
        operation = schema["paths"][op.path][op.method]
        url = op.path.replace("{kind}", op.kind or "")
        for name, model in op.ids:
            url = url.replace("{" + name + "}", str(instances(scene, model, foreign=False)[0]))
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            kind = _kind(schema, parameter.get("schema", {}))
            for value in QUERY_VALUES.get(kind, []):
                query = f"{quote(parameter['name'])}={value if '%' in value else quote(value)}"
                response = send(op.method, f"{url}?{query}", {} if op.method != "get" else None)
                sent += 1
                where = f"{op.method.upper()} {url}?{query[:60]}"
                assert response.status_code != 500, where
                if kind == "integer":
                    assert response.status_code in (404, 422), (where, response.status_code)
    return sent


class Forms(HTMLParser):
    """The forms of a page: action, method and the fields a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            )
        if not self.forms or "name" not in a and tag != "option":
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "reset", "image"):
                fields.append([a["name"], a.get("value", ""), kind])
        elif tag == "textarea":
            self._textarea = a["name"]
            fields.append([a["name"], "", "text"])
        elif tag == "select":
            self._select = a["name"]
            fields.append([a["name"], None, "select"])
        elif tag == "option" and self._select and fields and fields[-1][1] is None:
            fields[-1][1] = a.get("value", "") if ("selected" in a or a.get("value")) else None

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms and self.forms[-1]["fields"]:
            self.forms[-1]["fields"][-1][1] += data


def _encoded(fields: list[tuple[str, str]]) -> str:
    return "&".join(
        f"{quote(name)}={value if '%' in value else quote(value)}" for name, value in fields
    )


def post_boundary_values_to_the_forms(pages: dict[str, dict[str, Client]]) -> int:
    """Every date, datetime, number and text field of every form on every page (POST forms
    and GET filters): each boundary value in turn, the other fields as the page filled them."""
    sent = 0
    seen = set()
    for url, clients in pages.items():
        for role, client in clients.items():
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            parser = Forms()
            parser.feed(response.content.decode())
            for form in parser.forms:
                method = form["method"].lower()
                action = form["action"].replace("&amp;", "&") or url.split("?")[0]
                key = (role, action, tuple(f[0] for f in form["fields"]))
                if key in seen or "logga-ut" in action:
                    continue
                seen.add(key)
                fields = [(n, v or "", k) for n, v, k in form["fields"]]
                for i, (name, _value, kind) in enumerate(fields):
                    if kind in ("hidden", "select"):
                        continue
                    for bad in FORM_VALUES.get(kind if kind in FORM_VALUES else "text", []):
                        data = [(n, bad if j == i else v) for j, (n, v, _k) in enumerate(fields)]
                        if method == "get":  # a filter: the query string
                            reply = client.get(f"{action}?{_encoded(data)}")
                        else:
                            reply = client.post(
                                action,
                                _encoded(data),
                                content_type="application/x-www-form-urlencoded",
                            )
                        sent += 1
                        where = f"{method.upper()} {action} {name}={bad[:20]}"
                        assert reply.status_code != 500, where
    return sent


def page_urls(scene) -> dict[str, dict[str, Client]]:
    """Every page of the own side (from the URL conf) and the roles that may open it."""
    filler = Filler(scene)
    routes = discover_routes()
    kinds_by_route = route_kinds(filler, routes)
    clients = {role: log_in(Client(), scene.own.users[role]) for role in ROLES[2:]}
    pages: dict[str, dict[str, Client]] = {}
    for route in routes:
        if filler.takes_objects(route):
            urls = [
                route.url({"pk": scene.own.objects[kind].pk, **others})
                for kind in kinds_by_route[route.name]
                if not kind.startswith("user")
                for others in filler._others(route, foreign=False)
            ]
            if not kinds_by_route[route.name]:
                urls = [route.url(others) for others in filler._others(route, foreign=False)]
        else:
            urls = filler.list_urls(route)
        for url in urls:
            pages[url] = clients
    return pages


def fetch_everything(scene, pages, schema) -> int:
    """GET every page, download and feed as every role, and every API read as the kansli."""
    fetched = 0
    for url, clients in pages.items():
        for role, client in clients.items():
            response = client.get(url)
            fetched += 1
            assert response.status_code != 500, f"GET {url} as {role}"
    send = _api_client(scene, "kansli")
    for op in api_operations(schema):
        if op.method != "get":
            continue
        url = op.path.replace("{kind}", op.kind or "")
        for name, model in op.ids:
            url = url.replace("{" + name + "}", str(instances(scene, model, foreign=False)[0]))
        response = send("get", url)
        fetched += 1
        assert response.status_code != 500, f"GET {url}"
    return fetched


def test_value_bounds_no_boundary_value_in_any_field_takes_a_page_down():
    scene = build_scene()
    schema = Client().get("/api/v1/openapi.json").json()
    pages = page_urls(scene)
    api_sent = post_boundary_values_to_the_api(scene, schema)
    api_sent += send_boundary_values_in_api_query_strings(scene, schema)
    form_sent = post_boundary_values_to_the_forms(pages)
    fetched = fetch_everything(scene, pages, schema)
    assert api_sent > 300 and form_sent > 300 and fetched > 300
    print(f"\nvalue bounds: {api_sent} API writes, {form_sent} form posts, {fetched} reads")


# Already stored -----------------------------------------------------------------------------------


def test_value_bounds_values_stored_before_the_bounds_keep_the_pages_up():
    """9999-12-31T23:30Z is year 10000 in Swedish time: the network page, the calendar and
    every member's feed answered 500 (OverflowError in the time zone conversion)."""
    scene = build_scene()
    own = scene.own.objects
    # Written past the guards, as an older Samsyn let them in.
    Event.objects.filter(pk=own["event"].pk).update(
        starts_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    )
    Meeting.objects.filter(pk=own["network_meeting"].pk).update(
        starts_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
        ends_at=dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    )
    GovernmentAssignment.objects.filter(pk=own["assignment"].pk).update(
        reporting_deadline=dt.date.max
    )
    if connection.vendor == "sqlite":  # PostgreSQL's driver cannot read year 0 back at all
        Meeting.objects.filter(pk=own["meeting"].pk).update(
            starts_at=dt.datetime(1, 1, 1, tzinfo=UTC)
        )
    kansli = log_in(Client(), scene.own.users["kansli"])
    for url in (
        f"/natverk/{own['network'].pk}/",
        "/kalender/",
        f"/kalender/{scene.own.calendar_tokens['kansli']}.ics",
        f"/moten/{own['network_meeting'].pk}/",
        f"/moten/{own['meeting'].pk}/",
        "/moten/",
        f"/regeringsuppdrag/{own['assignment'].pk}/",
    ):
        assert kansli.get(url).status_code == 200, url
    api = _api_client(scene, "kansli")
    for url in ("/api/v1/events", "/api/v1/meetings", f"/api/v1/meetings/{own['meeting'].pk}"):
        assert api("get", url).status_code == 200, url


def test_value_bounds_api_errors_are_json_in_every_mode(settings):
    scene = build_scene()
    api = _api_client(scene, "kansli")
    for debug in (False, True):
        settings.DEBUG = debug
        too_big = Client().post(
            "/api/v1/needs",
            b'{"title": "' + b"x" * (30 * 1024 * 1024) + b'"}',
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {scene.own.api_tokens['kansli']}",
        )
        assert too_big.status_code == 413
        assert "detail" in too_big.json()
        not_allowed = api("delete", "/api/v1/needs")
        assert not_allowed.status_code == 405 and "detail" in not_allowed.json()
        unknown = api("get", "/api/v1/ingen-sadan-resurs")
        assert unknown.status_code == 404 and "detail" in unknown.json()
    # A page keeps its HTML answers.
    page = log_in(Client(), scene.own.users["kansli"]).delete("/kalender/")
    assert not page["Content-Type"].startswith("application/json")


def test_value_bounds_a_server_error_in_the_api_is_json(settings, monkeypatch):
    from samsyn.api import needs

    scene = build_scene()

    def broken(*args, **kwargs):
        raise RuntimeError("trasig")

    monkeypatch.setattr(needs, "visible_needs", broken)
    for debug in (False, True):
        settings.DEBUG = debug
        client = Client(raise_request_exception=False)
        response = client.get(
            "/api/v1/needs", HTTP_AUTHORIZATION=f"Bearer {scene.own.api_tokens['kansli']}"
        )
        assert response.status_code == 500
        assert response.json() == {"detail": re.sub(r"\s+", " ", response.json()["detail"])}
        assert "trasig" not in response.content.decode()  # no traceback leaves the server
