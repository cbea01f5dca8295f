"""Access control proven by a matrix: every page URL and every API operation, discovered from
the URL conf and the OpenAPI schema, for every role, against every object of another förbund.

A leak is a 200 (or a download) for a foreign object, the foreign MARKER in any response, or
any change to a foreign row. A new URL or API operation is covered without editing this file;
one whose parameters cannot be filled fails the test loudly.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from samsyn.meetings.models import Meeting
from samsyn.meetings.views import DOCUMENTS
from samsyn.parties.models import Organisation, User
from samsyn.parties.services import issue_api_token
from tests.auth import log_in
from tests.security.matrix import (
    MARKER,
    PUBLIC_KINDS,
    ROLES,
    Scene,
    body_text,
    build_scene,
    foreign_rows,
)

pytestmark = pytest.mark.django_db

# Not walked here: the admin (is_staff only; see test_admin_sends_non_staff_to_its_login), the
# API (walked from its OpenAPI schema below) and logging out (it would end the role's session).
SKIPPED_PREFIXES = ("admin/", "api/v1/")
SKIPPED_NAMES = {"logout"}

# Values for string converters, by parameter name. A new name fails loudly (KeyError).
FORMATS = ("csv", "xlsx", "pdf", "docx", "json", "schema.json")
STRING_VALUES = {
    "fmt": FORMATS,
    "what": tuple(sorted({what for what, _ in DOCUMENTS})),
    "kind": ("idea", "measure"),
    "nuts2": ("SE23", "SE11"),  # a regional action plan: public reference data
}
LEAK_STATUSES = {200, 201, 204}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    converters: tuple[tuple[str, str], ...]  # (parameter, converter type)

    def url(self, values: dict) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), self.route)


def discover_routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and p.name not in SKIPPED_NAMES:
                converters = tuple(
                    (name, kind or "str") for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)
                )
                found.append(Route(p.name, route, converters))

    walk(get_resolver().url_patterns, "")
    return found


def model_named(name: str):
    """`attendee_pk` → Attendee: a named pk says which model it takes."""
    for app_label in ("parties", "pipeline", "calls", "meetings", "followup"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name == name:
                return model
    raise KeyError(f"No model for URL parameter {name}_pk: teach the matrix how to fill it.")


def instances(scene: Scene, model, *, foreign: bool) -> list[int]:
    side = scene.foreign if foreign else scene.own
    if model is Organisation:  # public reference data: the side's förbund and its kommun
        objects = [side.forbund.organisation, side.objects["idea"].owner]
    elif model is User:
        objects = list(side.users.values())
    else:
        objects = [o for o in side.objects.values() if type(o) is model]
    assert objects, f"The scene has no {model.__name__}: add one to tests/security/matrix.py."
    return [o.pk for o in objects]


def role_clients(scene: Scene) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = log_in(Client(), scene.own.users[role])
    return clients


def rolled_back(send, *args, **kwargs):
    """A request whose database changes are undone (the prober may change anything)."""
    with transaction.atomic():
        response = send(*args, **kwargs)
        transaction.set_rollback(True)
    return response


# Filling a route ---------------------------------------------------------------------------


class Filler:
    def __init__(self, scene: Scene):
        self.scene = scene
        self.foreign_pks = scene.foreign_pks  # pk → kind
        self.prober = log_in(Client(), scene.prober)

    def strings(self, name: str, *, foreign: bool) -> tuple[str, ...]:
        if name == "code":  # a call's principle
            return ("P1",)
        if name == "token":
            # A calendar feed's secret is its credential: the feed of a foreign token is that
            # person's own calendar by design. What must hold is that no own person's feed
            # shows anything foreign (nor a made-up token).
            return (*self.scene.own.calendar_tokens.values(), "ingen-sadan-nyckel")
        return STRING_VALUES[name]

    def _others(self, route: Route, *, foreign: bool) -> list[dict]:
        """Every combination of the parameters other than `pk`."""
        choices = {}
        for name, conv in route.converters:
            if name == "pk":
                continue
            if conv == "int":
                model = model_named(name.removesuffix("_pk"))
                choices[name] = instances(self.scene, model, foreign=foreign)
                if foreign:
                    choices[name] += instances(self.scene, model, foreign=False)
            else:
                choices[name] = self.strings(name, foreign=foreign)
        names = list(choices)
        combos = [dict(zip(names, c, strict=True)) for c in itertools.product(*choices.values())]
        if {"what", "fmt"} <= set(names):  # a meeting's documents: only the pairs that exist
            combos = [c for c in combos if (c["what"], c["fmt"]) in DOCUMENTS]
        return combos

    def takes_objects(self, route: Route) -> bool:
        return any(conv == "int" for _, conv in route.converters)

    def list_urls(self, route: Route) -> list[str]:
        if route.converters:
            return [route.url(values) for values in self._others(route, foreign=False)]
        return [route.url({}) + query for query in ("", "?format=csv", "?format=xlsx")]

    def relevant_kinds(self, routes: list[Route]) -> set[str]:
        """Which kinds of object the `pk` of a group of routes sharing a prefix takes
        (`moten/<int:pk>/…` all take a meeting): those the prober, a superuser on both sides'
        project staff, does not get a 404 for. It asks the first route of the group that
        answers GET; if none does, it POSTs, and the changes are rolled back."""
        for method in ("get", "post"):
            for route in routes:
                send = getattr(self.prober, method)
                others = self._others(route, foreign=True)[0]
                statuses = {
                    kind: rolled_back(send, route.url({"pk": pk, **others})).status_code
                    for pk, kind in self.foreign_pks.items()
                }
                if set(statuses.values()) != {405}:
                    return {kind for kind, status in statuses.items() if status not in (404, 405)}
        return set()

    def foreign_urls(self, route: Route, kinds: set[str]) -> list[tuple[str, str]]:
        """(url, kind of the foreign object in it) for every combination with something foreign."""
        has_pk = any(name == "pk" for name, _ in route.converters)
        pks = [(pk, kind, True) for pk, kind in self.foreign_pks.items() if kind in kinds]
        pks += [(self.scene.own.objects[k].pk, k, False) for k in kinds if not k.startswith("user")]
        urls = []
        for pk, kind, pk_foreign in pks if has_pk else [(None, None, False)]:
            for others in self._others(route, foreign=True):
                foreign_other = [
                    self.foreign_pks.get(v) for v in others.values() if v in self.foreign_pks
                ]
                if not pk_foreign and not foreign_other:
                    continue
                what = kind if pk_foreign else foreign_other[0]
                urls.append((route.url({"pk": pk, **others}), what))
        return urls


def shown(response) -> str:
    """The response's text and the messages it queued for the next page (taken here, so a
    leak in a message is blamed on the request that made it)."""
    queued = "\n".join(str(m) for m in get_messages(response.wsgi_request))
    return body_text(response.content) + queued


def check_foreign_response(response, role: str, kind: str, where: str) -> list[str]:
    problems = []
    if MARKER in shown(response):
        problems.append(f"{where}: foreign marker in the response")
    status = response.status_code
    to_login = status == 302 and response["Location"].startswith("/logga-in/")
    if role == "anonymous":
        if not to_login and status not in (403, 404, 405):
            problems.append(f"{where}: {status} for anonymous")
    elif kind in PUBLIC_KINDS:
        pass  # readable by design; only the marker (checked above) would be a leak
    elif status in LEAK_STATUSES or response.get("Content-Disposition"):
        problems.append(f"{where}: {status} for a foreign {kind}")
    elif to_login:
        problems.append(f"{where}: a signed-in {role} sent to the login page")
    elif status not in (302, 403, 404, 405):
        problems.append(f"{where}: unexpected {status}")
    return problems


DOWNLOAD_LINK = re.compile(r'href="\?([^"]*format=[^"]*)"')


def downloads(url: str, response) -> list[str]:
    """The page's own download links (`?format=csv` …), so each download is checked too."""
    text = response.content.decode("utf-8", "replace")
    return [url + "?" + q.replace("&amp;", "&") for q in DOWNLOAD_LINK.findall(text)]


def route_kinds(filler: Filler, routes: list[Route]) -> dict[str, set[str]]:
    """Routes sharing the text before `<int:pk>` take the same kind of object."""
    groups = defaultdict(list)
    for route in routes:
        if "<int:pk>" in route.route:
            groups[route.route.split("<int:pk>")[0]].append(route)
    kinds_by_route: dict[str, set[str]] = defaultdict(set)
    for prefix, members in groups.items():
        members.sort(key=lambda r: len(r.route))
        kinds = filler.relevant_kinds(members)
        assert kinds, f"{prefix}<int:pk>: no object kind fits its pk"
        for route in members:
            kinds_by_route[route.name] = kinds
    return kinds_by_route


def test_no_page_reveals_or_changes_another_forbunds_objects():
    scene = build_scene()
    filler = Filler(scene)
    routes = discover_routes()
    clients = role_clients(scene)
    kinds_by_route = route_kinds(filler, routes)
    before = foreign_rows(scene)

    problems: list[str] = []
    visited: set[str] = set()
    requests = 0
    for route in routes:
        if filler.takes_objects(route):
            urls = filler.foreign_urls(route, kinds_by_route[route.name])
        else:  # a list or report: nothing foreign may show in it, nor in its downloads
            urls = [(url, None) for url in filler.list_urls(route)]
        for role, client in clients.items():
            for i, (url, kind) in enumerate(urls):
                # A list's other formats are the same view: POST once, GET each.
                methods = ("get", "post") if kind is not None or i == 0 else ("get",)
                for method in methods:
                    response = getattr(client, method)(url)
                    requests += 1
                    where = f"{method.upper()} {url} as {role}"
                    if kind is not None:
                        problems += check_foreign_response(response, role, kind, where)
                        continue
                    if MARKER in shown(response):
                        problems.append(f"{where}: foreign marker in the response")
                    if method == "get" and response.status_code == 200:
                        for download in downloads(url, response):
                            requests += 1
                            if MARKER in shown(client.get(download)):
                                problems.append(f"GET {download} as {role}: foreign marker")
        if urls:
            visited.add(route.name)

    assert problems == [], "\n".join(problems)
    assert foreign_rows(scene) == before
    # Every route was requested: a new URL is in the matrix without editing this file.
    assert visited == {r.name for r in routes}
    print(
        f"\npage matrix, foreign: {len(routes)} routes × {len(clients)} roles, {requests} requests"
    )

    # Within one's own förbund ------------------------------------------------------------
    wrong = [
        f"GET {url} as {role}: {status}, expected {sorted(allowed)}"
        for (route, kind, url, role), status in own_statuses(
            scene, filler, routes, kinds_by_route, clients
        ).items()
        if status not in (allowed := expected_own(route, kind, role, resolve(url).func))
    ]
    assert wrong == [], "\n".join(wrong)


FORBUND_ROLES = {"kansli", "beredning", "reader", "project_staff"}
NETWORK_KINDS = {"network", "network_meeting"}


def expected_own(route: Route, kind: str, role: str, view) -> set[int]:
    """What a role gets for a page of its own förbund's object. Derived from the role and the
    page, not listed per URL: an edit page is one whose name ends in _edit, _create, _manage or
    _remove (a removal's confirmation page), and the change log is the kansli's like them;
    the beredningsgrupp edits the pipeline (samsyn.pipeline's views) but only the kansli plans
    meetings and manages the förbund (parties.access, meetings.access)."""
    edit = route.name.endswith(("_edit", "_create", "_manage", "_remove", "change_log"))
    if role == "anonymous":
        return {302}
    if "participant" in route.name:  # participants: the project's staff only
        return {200} if role == "project_staff" else {403, 404}
    if kind == "call":  # the call plan is public; its keepers edit, reviewers prioritise
        if route.name.startswith("call_paper"):
            return {200} if role in ("call_manager", "reviewer") else {403}
        if edit:
            return {200} if role == "call_manager" else {403}
        return {200}
    if kind == "application" and role in ("call_manager", "reviewer"):
        return {200}  # an approved application of their region's call (ApplicationQuerySet)
    if kind in NETWORK_KINDS:  # the kansli coordinates it; beredning's kommun is a member
        if role == "kansli" or (role == "beredning" and not edit):
            return {200}
        return {403} if role == "beredning" else {404}
    if role not in FORBUND_ROLES:
        return {404}
    if not edit or role == "kansli":
        return {200}
    if role == "beredning" and view.__module__ == "samsyn.pipeline.views":
        return {200}
    return {403}


def own_statuses(scene, filler, routes, kinds_by_route, clients) -> dict:
    """GET status of each own object's pages, for each role: (route, kind, url, role) → status."""
    found = {}
    for route in routes:
        if not filler.takes_objects(route):
            continue
        kinds = [k for k in kinds_by_route[route.name] if not k.startswith("user")]
        objects = [(scene.own.objects[k].pk, k) for k in kinds]
        if not objects:  # only named pks (application_create …): their own kinds
            objects = [(None, None)]
        for pk, kind in objects:
            for others in filler._others(route, foreign=False):
                url = route.url({"pk": pk, **others})
                if filler.prober.get(url).status_code in (404, 405):
                    continue  # not a page (POST only) or not this combination (a format)
                for role, client in clients.items():
                    response = client.get(url)
                    assert MARKER not in shown(response), (url, role)
                    found[(route, kind, url, role)] = response.status_code
    return found


# The API ------------------------------------------------------------------------------------

# The id parameters whose name is not their model's.
PARAMETER_ALIASES = {
    "item": "agendaitem",
    "owner": "organisation",
    "assignment": "governmentassignment",
    "part": "assignmentpart",
    "group": "preparatorygroup",
}
API_ALLOWED = {401, 403, 404, 405, 422}


def api_model(name: str):
    base = name.removesuffix("_id")
    return model_named(PARAMETER_ALIASES.get(base, base))


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "allOf"):
        if key in node:
            return _resolve(schema, next(n for n in node[key] if n.get("type") != "null"))
    return node


def minimal_value(schema: dict, node: dict):
    node = _resolve(schema, node)
    if "enum" in node:
        return node["enum"][0]
    kind, fmt = node.get("type"), node.get("format")
    if kind == "string":
        return {"date": "2027-01-01", "date-time": "2027-01-01T10:00:00+01:00"}.get(fmt, "x")
    return {"integer": 1, "number": 1, "boolean": False, "array": [], "object": {}}.get(kind)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    ids: tuple[tuple[str, object], ...]  # (parameter, model) of path and body ids
    body_schema: dict | None
    kind: str | None  # the value of a {kind} path parameter


def api_operations(schema: dict) -> list[Operation]:
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            path_params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            body_schema = _resolve(schema, body["schema"]) if body else None
            body_ids = [
                name for name in (body_schema or {}).get("properties", {}) if name.endswith("_id")
            ]
            # {kind}/{pk}: the pk is an object of the model the kind names.
            for kind in STRING_VALUES["kind"] if "kind" in path_params else (None,):
                ids = tuple(
                    (name, model_named(kind) if name == "pk" else api_model(name))
                    for name in [*path_params, *body_ids]
                    if name != "kind"
                )
                found.append(Operation(method, path, ids, body_schema, kind))
    return found


def api_requests(scene: Scene, schema: dict, op: Operation):
    """(url, body, kind of the foreign thing or None): one foreign value at a time, every
    other id an own object; optional ids not being varied are left out."""
    required = set((op.body_schema or {}).get("required", []))

    def build(values: dict):
        url = op.path.replace("{kind}", op.kind or "")
        for name, value in values.items():
            url = url.replace("{" + name + "}", str(value))
        if op.body_schema is None:
            return url, None
        body = {
            name: minimal_value(schema, node)
            for name, node in op.body_schema.get("properties", {}).items()
            if name in required and not name.endswith("_id")
        }
        body.update({k: v for k, v in values.items() if k in op.body_schema["properties"]})
        return url, body

    path_names = {n for n, _ in op.ids if "{" + n + "}" in op.path}
    own = {
        name: instances(scene, model, foreign=False)[0]
        for name, model in op.ids
        if name in path_names or name in required
    }
    if not op.ids:
        yield (*build({}), None)
    for name, model in op.ids:
        for value in instances(scene, model, foreign=True):
            kind = scene.foreign_pks.get(value, "public")
            yield (*build({**own, name: value}), kind)


def test_no_api_operation_reveals_or_changes_another_forbunds_objects():
    scene = build_scene()
    schema = Client().get("/api/v1/openapi.json").json()
    operations = api_operations(schema)
    tokens = {"anonymous": None, **{r: scene.own.api_tokens[r] for r in ROLES[1:]}}
    before = foreign_rows(scene)

    problems: list[str] = []
    visited: set[tuple[str, str]] = set()
    requests = 0
    for op in operations:
        for url, body, kind in api_requests(scene, schema, op):
            visited.add((op.method, op.path))
            for role, token in tokens.items():
                headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
                response = (
                    getattr(Client(), op.method)(
                        url, body, content_type="application/json", **headers
                    )
                    if body is not None
                    else getattr(Client(), op.method)(url, **headers)
                )
                requests += 1
                status, where = response.status_code, f"{op.method.upper()} {url} {body} as {role}"
                if MARKER in response.content.decode("utf-8", "replace"):
                    problems.append(f"{where}: foreign marker in the response")
                if role == "anonymous" and status != 401:
                    problems.append(f"{where}: {status} without a token")
                elif kind not in (None, "public", *PUBLIC_KINDS) and status not in API_ALLOWED:
                    problems.append(f"{where}: {status} for a foreign {kind}")

    assert problems == [], "\n".join(problems)
    assert foreign_rows(scene) == before
    assert visited == {(m, p) for p, ms in schema["paths"].items() for m in ms}
    print(f"API matrix: {len(operations)} operations × {len(tokens)} roles, {requests} requests")


def test_admin_sends_non_staff_to_its_login():
    """The admin is left out of the matrix: it needs is_staff, which no role gives."""
    scene = build_scene()
    for role, client in role_clients(scene).items():
        for url in (
            "/admin/",
            "/admin/pipeline/need/",
            f"/admin/pipeline/need/{scene.foreign.objects['need'].pk}/change/",
        ):
            response = client.get(url)
            assert response.status_code == 302, (role, url)
            assert response["Location"].startswith("/admin/login/"), (role, url)


# What the matrix found ----------------------------------------------------------------------


def test_removing_a_role_names_no_person_of_another_forbund(client, sjuharad, alice, mallory):
    mallory.last_name = "Hemlig"
    mallory.save()
    log_in(client, alice)
    response = client.post(f"/forbund/{sjuharad.pk}/roller/{mallory.pk}/ta-bort/", follow=True)
    assert response.status_code == 404
    assert "Hemlig" not in response.content.decode()
    assert mallory.forbund_roles.count() == 1


def test_api_adds_no_person_of_another_forbund_to_a_meeting(client, sjuharad, alice, mallory):
    meeting = Meeting.objects.create(
        forbund=sjuharad, kind="beredningsgrupp", title="Beredning", starts_at=timezone.now()
    )
    token = issue_api_token(alice)
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/attendees",
        {"organisation_id": sjuharad.organisation_id, "name": "M", "user_id": mallory.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert not meeting.attendees.exists()
