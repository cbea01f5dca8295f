"""Calls, applications, ranking and matching through the API: same verbs, rules and access."""

from __future__ import annotations

import datetime as dt

import pytest

from samsyn.calls import services
from samsyn.pipeline.models import Idea
from samsyn.pipeline.steps import IdeaStep
from tests.api.conftest import rules_of
from tests.calls import conftest as calls_cast
from tests.calls.conftest import TODAY, agreed_idea, approve, make_call, ready_application
from tests.factories import kommun, region

# The calls cast (tests/calls/conftest.py) as fixtures here too.
nils, rut, stina, ture = calls_cast.nils, calls_cast.rut, calls_cast.stina, calls_cast.ture
regional_call = calls_cast.regional_call


@pytest.fixture
def agreed(sjuharad):
    return agreed_idea(sjuharad, kommun("1490"), [region("14")])


def test_list_and_filter_calls(as_user, bob, stina, nils, django_assert_max_num_queries):
    make_call(stina)
    make_call(
        stina,
        title="Kommande",
        opens_on=TODAY + dt.timedelta(days=10),
        closes_on=TODAY + dt.timedelta(days=100),
    )
    client = as_user(bob)
    with django_assert_max_num_queries(8):
        response = client.get("calls")
    assert response.status_code == 200
    assert {c["title"] for c in response.json()["items"]} == {
        "Vägar till arbete i Västsverige",
        "Kommande",
    }
    coming = client.get("calls", status="coming").json()["items"]
    assert [c["title"] for c in coming] == ["Kommande"]
    assert coming[0]["status"] == "coming" and coming[0]["nuts2_code"] == "SE23"
    assert client.get("calls", status="bogus").status_code == 422


def test_create_call_needs_the_role_and_names_the_rule(as_user, stina, bob):
    body = {
        "title": "Glesbygd",
        "programme_area": "D",
        "decision_level": "regional",
        "nuts2_code": "SE23",
        "budget_sek": 1_000_000,
        "opens_on": str(TODAY),
        "closes_on": str(TODAY + dt.timedelta(days=30)),
    }
    assert as_user(bob).post("calls", body).status_code == 403
    response = as_user(stina).post("calls", body)
    assert rules_of(response) == {"R9"}
    body.update(programme_area="A", thematic_areas=["aterintrade"])
    response = as_user(stina).post("calls", body)
    assert response.status_code == 201, response.content
    assert response.json()["thematic_areas"] == ["aterintrade"]


def test_stale_call_patch_is_409(as_user, stina, regional_call):
    client = as_user(stina)
    assert (
        client.patch(f"calls/{regional_call.pk}", {"version": 1, "budget_sek": 9}).status_code
        == 200
    )
    assert (
        client.patch(f"calls/{regional_call.pk}", {"version": 1, "budget_sek": 8}).status_code
        == 409
    )


def test_an_idea_goes_from_owner_agreed_to_prioritisation_through_the_api(
    as_user, bob, agreed, regional_call, rut, ture
):
    client = as_user(bob)
    matches = client.get(f"ideas/{agreed.pk}/matching-calls").json()
    assert matches[0]["call"]["id"] == regional_call.pk and matches[0]["reasons"]

    response = client.post("applications", {"idea_id": agreed.pk, "call_id": regional_call.pk})
    assert response.status_code == 201, response.content
    app = response.json()
    assert app["idea_step"] == "application_drafted"
    url = f"applications/{app['id']}"
    app = client.patch(
        url,
        {
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "eu_share_sek": 400_000,
            "project_manager": "Pia",
            "controller": "Erik",
            "administrator": "Ada",
        },
    ).json()
    response = client.put(
        f"{url}/budget-lines", {"year": 2028, "category": "personnel", "amount_sek": 1}
    )
    assert rules_of(response) == {"R8"}
    client.put(
        f"{url}/budget-lines", {"year": 2027, "category": "personnel", "amount_sek": 1_000_000}
    )
    client.put(f"{url}/cofinancing/{kommun('1490').pk}", {"amount_sek": 300_000})
    response = client.post(f"{url}/submit", {})
    assert rules_of(response) == {"A1"}
    app = client.put(f"{url}/cofinancing/{region('14').pk}", {"amount_sek": 300_000}).json()
    assert app["budget_total_sek"] == app["financed_sek"] == 1_000_000
    response = client.post(f"{url}/submit", {"version": app["version"]})
    assert response.status_code == 200, response.content
    assert response.json()["idea_step"] == "submitted"
    # ESF-rådet's assessment (issue 16): approved for prioritisation; the idea stays submitted.
    response = client.post(
        f"{url}/assessment", {"approved": True, "decided_on": str(TODAY), "reference": "Dnr 1"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved" and response.json()["idea_step"] == "submitted"
    assert Idea.objects.get(pk=agreed.pk).step == IdeaStep.SUBMITTED

    # Scoring: bob is no reviewer; ture is disqualified; rut scores.
    assert client.post(f"{url}/declarations", {"disqualified": False}).status_code == 403
    as_user(ture).post(f"{url}/declarations", {"disqualified": True, "reason": "Borås stad."})
    response = as_user(ture).put(
        f"{url}/scores", {"scores": [{"principle": "P1", "value": 4, "motivation": "x"}]}
    )
    assert rules_of(response) == {"J2"}
    as_user(rut).post(f"{url}/declarations", {"disqualified": False})
    response = as_user(rut).put(
        f"{url}/scores",
        {
            "scores": [
                {"principle": "P1", "value": 3, "motivation": "Väl förankrat."},
                {"principle": "P2", "value": 2, "motivation": "Viss strukturpåverkan."},
            ]
        },
    )
    assert response.status_code == 200, response.content
    ranking = as_user(rut).get(f"calls/{regional_call.pk}/ranking").json()
    row = ranking["rows"][0]
    assert (row["rank"], row["weighted_total"], row["position"]) == (1, "5/2", "within")
    assert row["amount_sek"] == 400_000  # what it asks for: it is not granted yet
    assert {d["reviewer"]: d["disqualified"] for d in row["declarations"]} == {
        "rut": False,
        "ture": True,
    }
    assert [p["code"] for p in ranking["principles"]] == ["P1", "P2", "P3", "P4", "P5"]
    assert as_user(bob).get(f"calls/{regional_call.pk}/ranking").status_code == 403


def test_r7_submit_by_someone_else_than_the_owner(as_user, bob, carin, agreed, regional_call):
    app = ready_application(agreed, regional_call, bob)
    response = as_user(carin).post(f"applications/{app.pk}/submit", {})
    assert rules_of(response) == {"R7"}


def test_r9_area_b_draft_refused_for_a_kommun(as_user, bob, agreed, nils):
    from tests.calls.conftest import area

    call_b = make_call(
        nils,
        programme_area=area("B"),
        decision_level="national",
        regional_plan=None,
        thematic_areas=[],
    )
    response = as_user(bob).post("applications", {"idea_id": agreed.pk, "call_id": call_b.pk})
    assert rules_of(response) == {"R9"}


def test_another_forbunds_application_is_404_and_hidden_from_lists(
    as_user, bob, mallory, agreed, regional_call
):
    app = ready_application(agreed, regional_call, bob)
    assert as_user(mallory).get(f"applications/{app.pk}").status_code == 404
    assert as_user(mallory).get("applications").json()["count"] == 0
    assert as_user(mallory).get(f"ideas/{agreed.pk}/matching-calls").status_code == 404
    assert as_user(bob).get("applications").json()["count"] == 1


def test_reader_cannot_draft(as_user, erik, agreed, regional_call):
    response = as_user(erik).post(
        "applications", {"idea_id": agreed.pk, "call_id": regional_call.pk}
    )
    assert response.status_code == 403


def test_reviewer_sees_only_approved_applications_of_her_region(
    as_user, bob, rut, agreed, regional_call
):
    app = ready_application(agreed, regional_call, bob)
    assert as_user(rut).get(f"applications/{app.pk}").status_code == 404
    app = services.submit_application(app, by=bob, expected_version=None)
    approve(app, bob)  # approved for prioritisation: the region's reviewers see it
    assert as_user(rut).get(f"applications/{app.pk}").status_code == 200


def test_application_list_query_count_is_pinned(
    as_user, sjuharad, bob, regional_call, django_assert_max_num_queries
):
    for i in range(4):
        idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], title=f"Idé {i}")
        ready_application(idea, regional_call, bob)
    client = as_user(bob)
    with django_assert_max_num_queries(12):
        response = client.get("applications")
    items = response.json()["items"]
    assert len(items) == 4
    assert all(a["budget_total_sek"] == a["financed_sek"] == 1_000_000 for a in items)
    assert {c["decision_date"] for a in items for c in a["cofinancing"]} == {"2026-05-01"}
