"""One API contract, generated from the OpenAPI schema: every operation is judged, none listed.

- The domain refuses what the pages refuse: an organisation outside the förbund cannot become
  owner, party or attendee through any operation that names one (422, nothing changed).
- An update changes only what the client sent (PATCH), or declares that it replaces the whole
  record (PUT: every field required).
- Status codes by one rule: 201 when the response is the record the call created, 200 when it
  is the existing record the path names (PATCH, PUT, actions such as transitions, submit,
  approve), 204 when there is no body.
- Amounts are integers in whole kronor; every violation carries a non-empty stable code.
"""

from __future__ import annotations

import re

import pytest

from samsyn.parties.services import issue_api_token
from tests.api import openapi
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

ORGANISATION_FIELDS = ("organisation_id", "owner_id", "party_ids", "member_ids")
# Operations whose purpose is to say who the members are: they take any organisation.
DEFINES_MEMBERSHIP = {
    "POST /forbund": "creates a förbund with the members it names",
    "POST /networks/{network_id}/members": "a network's coordinator adds a member",
}
# Values for a required property, by name; a new required name fails loudly (KeyError).
REQUIRED_VALUES = {
    "title": "Ny rubrik",
    "name": "Nora Nilsson",
    "amount_sek": 1_000,
}


@pytest.fixture
def scene(sjuharad, alice, bob, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return openapi.build(sjuharad, alice, bob)


def client_for(scene: openapi.Scene, op: openapi.Operation) -> ApiClient:
    return ApiClient(issue_api_token(scene.actor(op)))


def send(client: ApiClient, op: openapi.Operation, path: str, body: dict | None):
    if op.method == "delete":
        return client.delete(path)
    return getattr(client, op.method)(path, body or {})


def takes_organisation(op: openapi.Operation) -> bool:
    props = op.body_schema().get("properties", {})
    return "organisation_id" in op.path_params or any(f in props for f in ORGANISATION_FIELDS)


def _is_array(prop: dict) -> bool:
    return prop.get("type") == "array" or any(
        alt.get("type") == "array" for alt in prop.get("anyOf", [])
    )


def body_with_organisation(scene: openapi.Scene, op: openapi.Operation, org_id: int) -> dict:
    body_schema = op.body_schema()
    props = body_schema.get("properties", {})
    body = {}
    for name in body_schema.get("required", []):
        if name in ORGANISATION_FIELDS:
            continue
        body[name] = scene.ids[name] if name in scene.ids else REQUIRED_VALUES[name]
    for name in ORGANISATION_FIELDS:
        if name in props:
            body[name] = [org_id] if _is_array(props[name]) else org_id
    return body


def test_membership_is_checked_by_the_verb_whichever_operation_names_an_organisation(scene):
    outsider = openapi.non_member()
    judged = []
    for op in openapi.operations(("post", "put", "patch")):
        if not takes_organisation(op) or op.id in DEFINES_MEMBERSHIP:
            continue
        path = openapi.url(op, {**scene.ids, "organisation_id": outsider.pk})
        client = client_for(scene, op)
        body = body_with_organisation(scene, op, outsider.pk)
        before = openapi.snapshot()
        response = send(client, op, path, body)
        assert response.status_code == 422, (op.id, response.content)
        assert all(v["code"] for v in response.json()["violations"]), op.id
        assert openapi.snapshot() == before, f"{op.id} changed something"
        judged.append(op.id)
    # The operations of the finding are among those judged (none is left out by a rename).
    assert {
        "POST /ideas",
        "PATCH /ideas/{idea_id}",
        "PATCH /ideas/{idea_id}/parties/{organisation_id}",
        "POST /measures",
        "PATCH /measures/{measure_id}",
        "POST /meetings/{meeting_id}/attendees",
    } <= set(judged)


def _current(before: dict, prop: str, op: openapi.Operation, scene: openapi.Scene):
    """The value the record has now for a request property, read from its response."""
    record = before
    if "organisation_id" in op.path_params and "parties" in before:
        [record] = [
            p for p in before["parties"] if p["organisation"]["id"] == scene.party.organisation_id
        ]
        if prop == "mandate":
            return record["has_mandate"]
    if prop in record:
        return record[prop]
    if prop.endswith("_ids"):
        plural = prop.removesuffix("_ids")
        plural = plural[:-1] + "ies" if plural.endswith("y") else plural + "s"
        return [o["id"] for o in record[plural]]
    if prop.endswith("_id"):
        related = record[prop.removesuffix("_id")]
        return related["id"] if related else None
    raise KeyError(f"{op.id}: cannot read {prop} from the response; teach the test.")


def test_an_update_changes_only_what_the_client_sent(scene):
    """Every PATCH, generated from the schema: send one field at the value it has, and no other
    field moves (a field left out must not fall back to its default)."""
    patches = [op for op in openapi.operations(("patch",))]
    assert patches
    for op in patches:
        body_schema = op.body_schema()
        assert not body_schema.get("required"), f"{op.id}: a PATCH requires nothing"
        client = client_for(scene, op)
        path = openapi.url(op, scene.ids)
        first = send(client, op, path, {})
        assert first.status_code == 200, (op.id, first.content)
        before = first.json()
        for prop in body_schema.get("properties", {}):
            if prop == "version":
                continue
            value = _current(before, prop, op, scene)
            response = send(client, op, path, {prop: value})
            assert response.status_code == 200, (op.id, prop, response.content)
            after = response.json()
            assert _without_version(after) == _without_version(before), (
                f"{op.id}: sending only {prop} changed other fields"
            )


def _without_version(body):
    if isinstance(body, dict):
        return {k: _without_version(v) for k, v in body.items() if k != "version"}
    if isinstance(body, list):
        return [_without_version(v) for v in body]
    return body


def test_a_put_replaces_and_says_so_every_field_is_required():
    for op in openapi.operations(("put",)):
        body_schema = op.body_schema()
        optional = set(body_schema.get("properties", {})) - set(body_schema.get("required", []))
        assert optional <= {"version"}, f"{op.id}: a PUT replaces; {optional} must be required"


def test_idea_party_sent_only_a_decision_date_keeps_everything_else(scene):
    """The finding: only decision_date turned a non-co-financing party into a co-financier."""
    idea_id, org = scene.ids["idea_id"], scene.party.organisation_id
    client = ApiClient(issue_api_token(scene.alice))
    response = client.patch(f"ideas/{idea_id}/parties/{org}", {"decision_date": "2026-05-20"})
    assert response.status_code == 200, response.content
    [party] = [p for p in response.json()["parties"] if p["organisation"]["id"] == org]
    assert party["decision_date"] == "2026-05-20"
    assert (party["is_cofinancier"], party["performs_rehabilitation"]) == (False, True)
    assert party["representative"] == "Karin Karlsson"
    assert party["has_mandate"] and party["decision_reference"] == "Dnr FK 2026/17"


def _parent(path: str) -> str | None:
    parts = path.rstrip("/").split("/")
    if len(parts) < 3 or parts[-1].startswith("{"):
        return None
    return "/".join(parts[:-1])


def test_status_codes_follow_one_rule():
    """201 when the response is the record created; 200 when it is the existing record the path
    names (or wraps it, as a transition's result wraps the idea); 204 when there is no body."""
    gets = {
        op.path: op.response_ref(200) for op in openapi.operations(("get",)) if 200 in op.success
    }
    for op in openapi.operations():
        assert len(op.success) == 1, f"{op.id}: one success code, not {op.success}"
        [status] = op.success
        if op.method in ("put", "patch"):
            assert status == 200, op.id
            continue
        if op.method == "delete":
            assert status in (200, 204), op.id
            assert (status == 204) == (op.response_ref(status) is None), op.id
            continue
        ref = op.response_ref(status)
        parent = _parent(op.path)
        names_parent = False
        if parent and gets.get(parent) and ref:
            wrapped = [
                p.get("$ref") for p in openapi.resolve({"$ref": ref}).get("properties", {}).values()
            ]
            names_parent = ref == gets[parent] or gets[parent] in wrapped
        assert status == (200 if names_parent else 201), (
            f"{op.id} answers {status}: it {'acts on' if names_parent else 'creates'} a record"
        )


AMOUNT = re.compile(r"amount|_cap$|_sek$")


def _types(prop: dict) -> set[str]:
    prop = openapi.resolve(prop) if "$ref" in prop else prop
    found = {prop["type"]} if "type" in prop else set()
    for alt in prop.get("anyOf", []):
        found |= _types(alt)
    return found - {"null"}


def test_amounts_are_whole_kronor_everywhere(scene):
    components = openapi.schema()["components"]["schemas"]
    amounts = 0
    for name, component in components.items():
        for prop_name, prop in component.get("properties", {}).items():
            if AMOUNT.search(prop_name) and _types(prop) != {"boolean"}:  # over_cap: a flag
                amounts += 1
                assert _types(prop) == {"integer"}, f"{name}.{prop_name} is {_types(prop)}"
    assert amounts >= 10
    client = ApiClient(issue_api_token(scene.alice))
    body = client.get(f"assignments/{scene.ids['assignment_id']}").json()
    assert body["budget_cap"] == 500_000  # not the string "500000"


def test_every_violation_carries_a_stable_code(scene):
    violation = openapi.schema()["components"]["schemas"]["ViolationOut"]
    assert "code" in violation["required"] and violation["properties"]["code"]["minLength"] == 1
    for op in openapi.operations():
        for status in ("409", "422"):
            if status in {str(s) for s in op.spec["responses"]}:
                ref = op.spec["responses"][int(status)]["content"]["application/json"]["schema"]
                examples = openapi.resolve(ref).get("examples", [])
                assert examples, f"{op.id} {status}: document an example"
                for example in examples:
                    assert all(v["code"] for v in example["violations"]), op.id
    # Every write with a body, sent an unknown field, answers a coded 422.
    for op in openapi.operations(("post", "put", "patch")):
        if not op.body_schema():
            continue
        path = openapi.url(op, scene.ids)
        response = send(client_for(scene, op), op, path, {"okant_falt": 1})
        assert response.status_code == 422, (op.id, response.content)
        codes = {v["code"] for v in response.json()["violations"]}
        assert "unknown_field" in codes and "" not in codes, (op.id, codes)
    # A refusal that is no numbered rule (an empty title), and one that is (R6).
    client = ApiClient(issue_api_token(scene.alice))
    idea_id = scene.ids["idea_id"]
    [blank] = client.patch(f"ideas/{idea_id}", {"title": ""}).json()["violations"]
    assert (blank["rule"], blank["code"]) == ("", "blank")
    client.post(f"ideas/{idea_id}/transitions", {"to": "idea_designed"})
    client.patch(f"ideas/{idea_id}/parties/{openapi.kommun('1490').pk}", {"mandate": False})
    refused = client.post(f"ideas/{idea_id}/transitions", {"to": "owner_agreed"})
    assert refused.status_code == 422
    assert {(v["rule"], v["code"]) for v in refused.json()["violations"]} >= {("R6", "R6")}
