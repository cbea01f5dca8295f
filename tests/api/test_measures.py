"""Finsam measures (track F) through the API."""

import pytest

from samsyn.pipeline import services
from samsyn.pipeline.models import Measure
from samsyn.pipeline.steps import MeasureStep
from tests.api.conftest import rules_of, violations
from tests.factories import af, fk, kommun


def move(client, measure_id: int, to: str, **extra):
    return client.post(f"measures/{measure_id}/transitions", {"to": to, **extra})


def snapshot(measure: Measure) -> tuple:
    measure.refresh_from_db()
    return measure.step, measure.version, measure.transitions.count()


def test_create_measure_with_parties(as_user, bob, need):
    response = as_user(bob).post(
        "measures",
        {"need_id": need.pk, "title": "Arbetsträning", "party_ids": [kommun("1490").pk, af().pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["target_group"] == need.target_group
    assert {p["id"] for p in body["parties"]} == {kommun("1490").pk, af().pk}
    assert (body["step"], body["step_label"]) == ("need_identified", "Behov av insats identifierat")
    assert [s["step"] for s in body["allowed_next_steps"]] == ["measure_designed", "stopped"]
    assert body["forbund_id"] == need.forbund_id


def test_forbund_is_not_a_measure_party(as_user, bob, need, sjuharad):
    response = as_user(bob).post(
        "measures",
        {"need_id": need.pk, "title": "X", "party_ids": [sjuharad.organisation_id]},
    )
    assert violations(response)[0]["field"] == "party_ids"
    assert not Measure.objects.exists()


def test_unknown_party_is_422(as_user, bob, need):
    response = as_user(bob).post(
        "measures", {"need_id": need.pk, "title": "X", "party_ids": [999999]}
    )
    assert violations(response)[0]["field"] == "party_ids"


def test_patch_measure(as_user, bob, measure):
    response = as_user(bob).patch(
        f"measures/{measure.pk}",
        {"responsibilities": "Borås leder, FK samordnar.", "party_ids": [fk().pk], "version": 1},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["responsibilities"] == "Borås leder, FK samordnar."
    assert [p["id"] for p in body["parties"]] == [fk().pk]
    assert body["version"] == 2


def test_patch_without_party_ids_keeps_parties(as_user, bob, measure):
    as_user(bob).patch(f"measures/{measure.pk}", {"goals": "Tio deltagare"})
    assert list(measure.parties.all()) == [kommun("1490")]


def test_patch_stale_is_409(as_user, bob, measure):
    response = as_user(bob).patch(f"measures/{measure.pk}", {"title": "Ny", "version": 7})
    assert response.status_code == 409
    measure.refresh_from_db()
    assert measure.title == "Samordnad rehabilitering"


def test_f3_needs_responsibilities_and_changes_nothing(as_user, bob, measure):
    client = as_user(bob)
    assert move(client, measure.pk, "measure_designed").status_code == 200
    before = snapshot(measure)
    response = move(client, measure.pk, "responsibility_agreed")
    assert rules_of(response) == {"F3"}
    assert snapshot(measure) == before


def test_f4_board_decides_financing(as_user, alice, measure):
    client = as_user(alice)
    client.patch(f"measures/{measure.pk}", {"responsibilities": "Borås leder."})
    move(client, measure.pk, "measure_designed")
    move(client, measure.pk, "responsibility_agreed")
    before = snapshot(measure)
    assert rules_of(move(client, measure.pk, "board_decided")) == {"F4"}
    assert snapshot(measure) == before
    response = move(client, measure.pk, "board_decided", forum="styrelse", basis_date="2026-06-01")
    assert response.status_code == 200
    assert response.json()["measure"]["step"] == "board_decided"


def test_happy_path_and_history(as_user, alice, bob, measure):
    ac, bc = as_user(alice), as_user(bob)
    version = bc.patch(f"measures/{measure.pk}", {"responsibilities": "Borås leder."}).json()[
        "version"
    ]
    for client, to, extra in (
        (bc, "measure_designed", {}),
        (bc, "responsibility_agreed", {"forum": "parterna"}),
        (ac, "board_decided", {"forum": "styrelse", "basis_date": "2026-06-01"}),
        (bc, "running", {}),
        (bc, "completed", {"note": "Slutrapport lämnad."}),
    ):
        response = move(client, measure.pk, to, version=version, **extra)
        assert response.status_code == 200, response.content
        version = response.json()["measure"]["version"]
    measure.refresh_from_db()
    assert measure.step == MeasureStep.COMPLETED

    history = ac.get(f"measures/{measure.pk}/transitions").json()
    assert [(t["to_step"], t["by"]["username"], t["forum"]) for t in history] == [
        ("measure_designed", "bob", "beredningsgrupp"),
        ("responsibility_agreed", "bob", "parterna"),
        ("board_decided", "alice", "styrelse"),
        ("running", "bob", "beredningsgrupp"),
        ("completed", "bob", "beredningsgrupp"),
    ]
    assert history[2]["basis_date"] == "2026-06-01"
    assert history[-1]["note"] == "Slutrapport lämnad."
    assert history[-1]["to_step_label"] == "Avslutad"


def test_stale_transition_is_409(as_user, bob, measure):
    before = snapshot(measure)
    response = move(as_user(bob), measure.pk, "measure_designed", version=measure.version + 1)
    assert response.status_code == 409
    assert snapshot(measure) == before


@pytest.fixture
def measures(need):
    from tests.factories import IdeaFactory  # noqa: F401  (measures have no factory: use the verb)

    made = [
        services.create_measure(need, by=need.created_by, title=f"Insats {i}") for i in range(3)
    ]
    Measure.objects.filter(pk=made[0].pk).update(step=MeasureStep.RUNNING)
    return made


def test_list_and_filters(as_user, erik, measures):
    client = as_user(erik)
    body = client.get("measures").json()
    assert [m["id"] for m in body["items"]] == [m.pk for m in reversed(measures)]
    running = client.get("measures", step="running").json()
    assert [m["id"] for m in running["items"]] == [measures[0].pk]
    assert client.get("measures", q="Insats 1").json()["count"] == 1
    assert violations(client.get("measures", step="x"))[0]["field"] == "step"
