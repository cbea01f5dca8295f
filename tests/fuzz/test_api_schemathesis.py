"""Schemathesis against a running server: every operation of /api/v1/, fed generated input.

The server is pytest-django's live_server (a real threaded HTTP server) over the whole demo.
For every operation in /api/v1/openapi.json, valid (positive) and invalid (negative) requests
are sent with a kansli user's bearer token; no answer may be a 500, and every answer must
match the schema: a status code the operation lists, and a body matching its response schema.
Positive requests address real demo objects (so 200 bodies are checked against the schema);
negative ones get whatever ids Schemathesis makes up.

Schemathesis' own pytest loader (`from_fixture`) does not run under pytest 9 (it sets
`Function._nodeid`), so the test walks the operations itself: one Hypothesis run per
operation and mode, each a subtest.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from samsyn.calls.models import Application, Call
from samsyn.demo import load_everything
from samsyn.followup.models import Participant
from samsyn.meetings.models import AgendaItem, GovernmentAssignment, Meeting, Network
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, User
from samsyn.parties.services import issue_api_token
from samsyn.pipeline.models import Idea, Measure, Need
from tests.factories import IdeaFactory, NeedFactory

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# Per operation: 72 operations × (3 + 2) ≈ 360 requests, to stay inside the CI budget.
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}


def _demo_ids() -> dict[str, object]:
    """A real, visible object for every path parameter name the API uses (anna's förbund)."""
    forbund = Forbund.objects.get(organisation__name="Sjuhärads samordningsförbund")
    participant = Participant.objects.filter(idea__need__forbund=forbund).first()
    return {
        "forbund_id": forbund.pk,
        "organisation_id": Organisation.objects.filter(kind=OrganisationKind.KOMMUN).first().pk,
        "need_id": Need.objects.filter(forbund=forbund).first().pk,
        "idea_id": Idea.objects.filter(need__forbund=forbund).first().pk,
        "measure_id": Measure.objects.filter(need__forbund=forbund).first().pk,
        "call_id": Call.objects.first().pk,
        "application_id": Application.objects.filter(idea__need__forbund=forbund).first().pk,
        "meeting_id": Meeting.objects.filter(forbund=forbund).first().pk,
        "item_id": AgendaItem.objects.filter(meeting__forbund=forbund).first().pk,
        "network_id": Network.objects.first().pk,
        "assignment_id": GovernmentAssignment.objects.first().pk,
        "kind": "ideas",
        "pk": participant.idea_id,
    }


def _fuzz(operation, mode: GenerationMode, headers: dict[str, str], ids: dict) -> None:
    names = [p.name for p in operation.path_parameters]
    path_parameters = None
    if mode == GenerationMode.POSITIVE and names and all(n in ids for n in names):
        path_parameters = {n: ids[n] for n in names}

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


# serialized_rollback: the migrated reference data is put back first, whatever transactional
# test ran before on this worker (their teardown flushes the database).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_api_never_breaks_and_matches_its_schema(live_server, subtests):
    load_everything()  # passwords hashed fast: see conftest
    headers = {"Authorization": f"Bearer {issue_api_token(User.objects.get(username='anna'))}"}
    ids = _demo_ids()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    schema.config.update(base_url=live_server.url)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with subtests.test(msg=f"{operation.label} {mode.value}"):
                _fuzz(operation, mode, headers, ids)


# What Schemathesis found, pinned as plain tests (fast, and on every database) ---------------


def test_every_operation_documents_the_errors_it_can_give():
    """An operation with query parameters can answer 422; one with a body also 400 (not JSON)."""
    from samsyn.api.urls import api

    missing = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            has_query = any(p["in"] == "query" for p in operation.get("parameters", ()))
            has_body = "requestBody" in operation
            if (has_query or has_body) and "422" not in codes:
                missing.append(f"{method.upper()} {path}: 422")
            if has_body and "400" not in codes:
                missing.append(f"{method.upper()} {path}: 400")
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["10000000000000000000000000", "1000001", "0"])
def test_a_page_number_out_of_range_is_a_422_not_a_500(client, alice, page):
    response = client.get(
        f"/api/v1/needs?page={page}",
        headers={"Authorization": f"Bearer {issue_api_token(alice)}"},
    )
    assert response.status_code == 422
    assert response.json()["violations"][0]["field"] == "page"


@pytest.mark.django_db
def test_the_last_allowed_page_is_an_empty_list(client, alice):
    response = client.get(
        "/api/v1/needs?page=1000000",
        headers={"Authorization": f"Bearer {issue_api_token(alice)}"},
    )
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_400_in_swedish(client, alice):
    response = client.post(
        "/api/v1/needs",
        data=b"\xff\xfe{",
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_api_token(alice)}"},
    )
    assert response.status_code == 400
    assert "giltig JSON" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["purpose", "goals", "implementation"])
def test_null_for_a_text_that_cannot_be_null_is_a_422_and_changes_nothing(
    client, alice, sjuharad, field
):
    idea = IdeaFactory(need=NeedFactory(forbund=sjuharad))
    before = (getattr(idea, field), idea.version)
    response = client.patch(
        f"/api/v1/ideas/{idea.pk}",
        data=json.dumps({field: None}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_api_token(alice)}"},
    )
    assert response.status_code == 422
    assert response.json()["violations"][0]["field"] == field
    idea.refresh_from_db()
    assert (getattr(idea, field), idea.version) == before
