"""ESF+ project ideas through the API: the same verbs and rules as the pages."""

import datetime as dt

import pytest

from samsyn.parties.models import Organisation
from samsyn.pipeline.models import Idea, IdeaTransition
from samsyn.pipeline.steps import IdeaStep
from tests.api.conftest import rules_of, violations
from tests.factories import IdeaFactory, add_party, af, fk, kommun


def move(client, idea_id: int, to: str, **extra):
    return client.post(f"ideas/{idea_id}/transitions", {"to": to, **extra})


def party(client, idea_id: int, organisation: Organisation, **body):
    return client.patch(f"ideas/{idea_id}/parties/{organisation.pk}", body)


def snapshot(idea: Idea) -> tuple:
    idea.refresh_from_db()
    return idea.step, idea.version, idea.transitions.count(), idea.parties.count()


# Create, read, edit ---------------------------------------------------------------------------


def test_create_idea(as_user, bob, need):
    response = as_user(bob).post(
        "ideas", {"need_id": need.pk, "title": "Vägen vidare", "owner_id": kommun("1490").pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["need_id"] == need.pk
    assert body["forbund_id"] == need.forbund_id
    assert body["target_group"] == need.target_group  # taken from the need when left out
    assert (body["step"], body["step_label"]) == ("need_identified", IdeaStep.NEED_IDENTIFIED.label)
    assert body["owner"] == {"id": kommun("1490").pk, "name": "Borås stad", "kind": "kommun"}
    # The owner is recorded as a party by the verb.
    [owner_party] = body["parties"]
    assert owner_party["organisation"]["id"] == kommun("1490").pk
    assert owner_party["has_mandate"] is False
    assert [s["step"] for s in body["allowed_next_steps"]] == [
        "idea_designed",
        "left_routine",
        "stopped",
    ]
    assert body["version"] == 1


def test_forbund_cannot_own_r2(as_user, alice, need, sjuharad):
    response = as_user(alice).post(
        "ideas",
        {"need_id": need.pk, "title": "Förbundets idé", "owner_id": sjuharad.organisation_id},
    )
    assert rules_of(response) == {"R2"}
    assert not Idea.objects.exists()


def test_invalid_programme_period_is_422(as_user, bob, need):
    response = as_user(bob).post(
        "ideas", {"need_id": need.pk, "title": "X", "programme_period": "1995-1999"}
    )
    [problem] = violations(response)
    assert problem["field"] == "programme_period"
    assert "giltigt" in problem["message"]


def test_unknown_owner_is_422(as_user, bob, need):
    response = as_user(bob).post("ideas", {"need_id": need.pk, "title": "X", "owner_id": 999999})
    assert violations(response)[0]["field"] == "owner_id"


def test_get_idea_lists_parties(as_user, erik, idea):
    party_row = idea.parties.get()
    party_row.representative = "Britt Borås"
    party_row.decision_date = dt.date(2026, 5, 1)
    party_row.decision_reference = "KS 2026/12 § 4"
    party_row.save()
    body = as_user(erik).get(f"ideas/{idea.pk}").json()
    assert body["parties"] == [
        {
            "organisation": {"id": kommun("1490").pk, "name": "Borås stad", "kind": "kommun"},
            "is_cofinancier": True,
            "performs_rehabilitation": False,
            "representative": "Britt Borås",
            "has_mandate": False,
            "mandate_confirmed_at": None,
            "mandate_confirmed_by": None,
            "mandate_given_on": None,
            "decision_date": "2026-05-01",
            "decision_reference": "KS 2026/12 § 4",
        }
    ]


def test_patch_idea_changes_owner_and_adds_party(as_user, bob, idea):
    bollebygd = kommun("1443")
    response = as_user(bob).patch(
        f"ideas/{idea.pk}", {"owner_id": bollebygd.pk, "goals": "20 deltagare", "version": 1}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["owner"]["id"] == bollebygd.pk
    assert body["goals"] == "20 deltagare"
    assert body["version"] == 2
    assert bollebygd.pk in {p["organisation"]["id"] for p in body["parties"]}


def test_patch_owner_to_null(as_user, bob, idea):
    response = as_user(bob).patch(f"ideas/{idea.pk}", {"owner_id": None})
    assert response.status_code == 200
    assert response.json()["owner"] is None


def test_patch_stale_version_is_409(as_user, bob, carin, idea):
    as_user(carin).patch(f"ideas/{idea.pk}", {"title": "Carins titel"})
    response = as_user(bob).patch(f"ideas/{idea.pk}", {"title": "Bobs titel", "version": 1})
    assert response.status_code == 409
    assert response.json()["violations"][0]["rule"] == ""
    idea.refresh_from_db()
    assert idea.title == "Carins titel"


def test_patch_that_breaks_current_step_is_422(as_user, bob, idea):
    """Past E3, a new owner without a mandate breaks R6: the edit is refused whole."""
    idea.parties.update(mandate_confirmed_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    Idea.objects.filter(pk=idea.pk).update(step=IdeaStep.OWNER_AGREED)
    response = as_user(bob).patch(f"ideas/{idea.pk}", {"owner_id": kommun("1443").pk})
    assert rules_of(response) >= {"R6"}
    idea.refresh_from_db()
    assert idea.owner == kommun("1490")
    assert not idea.parties.filter(organisation=kommun("1443")).exists()


# Parties ---------------------------------------------------------------------------------------


def test_put_party_adds_and_updates(as_user, carin, idea):
    client = as_user(carin)  # B1: FK's own representative sets FK's mandate
    response = party(client, idea.pk, fk(), representative="Karin FK", mandate=True, version=1)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    row = next(p for p in body["parties"] if p["organisation"]["id"] == fk().pk)
    assert row["has_mandate"] is True
    assert row["mandate_confirmed_by"]["username"] == "carin"
    assert row["representative"] == "Karin FK"

    # Leaving out `mandate` keeps it; a decision is recorded.
    response = party(client, idea.pk, fk(), decision_date="2026-05-02", decision_reference="§ 7")
    row = next(p for p in response.json()["parties"] if p["organisation"]["id"] == fk().pk)
    assert row["has_mandate"] is True
    assert (row["decision_date"], row["decision_reference"]) == ("2026-05-02", "§ 7")

    # mandate=false withdraws it.
    response = party(client, idea.pk, fk(), mandate=False)
    row = next(p for p in response.json()["parties"] if p["organisation"]["id"] == fk().pk)
    assert row["has_mandate"] is False
    assert row["mandate_confirmed_at"] is None


def test_put_party_stale_is_409(as_user, bob, idea):
    response = party(as_user(bob), idea.pk, fk(), mandate=True, version=idea.version + 5)
    assert response.status_code == 409
    assert not idea.parties.filter(organisation=fk()).exists()


def test_forbund_cannot_be_party(as_user, bob, idea, sjuharad):
    response = party(as_user(bob), idea.pk, sjuharad.organisation)
    assert rules_of(response) == {"R2"}
    assert idea.parties.count() == 1


def test_put_party_unknown_organisation_is_404(as_user, bob, idea):
    assert as_user(bob).patch(f"ideas/{idea.pk}/parties/999999", {}).status_code == 404


def test_representative_too_long_is_422(as_user, bob, idea):
    response = party(as_user(bob), idea.pk, fk(), representative="x" * 201)
    assert violations(response)[0]["field"] == "representative"


def test_delete_party(as_user, bob, idea):
    add_party(idea, fk())
    response = as_user(bob).delete(f"ideas/{idea.pk}/parties/{fk().pk}", version=idea.version)
    assert response.status_code == 200, response.content
    assert [p["organisation"]["id"] for p in response.json()["parties"]] == [kommun("1490").pk]
    assert response.json()["version"] == idea.version + 1


def test_delete_owner_party_is_422(as_user, bob, idea):
    response = as_user(bob).delete(f"ideas/{idea.pk}/parties/{kommun('1490').pk}")
    assert "Projektägaren kan inte tas bort" in violations(response)[0]["message"]
    assert idea.parties.count() == 1


def test_delete_party_stale_is_409(as_user, bob, idea):
    add_party(idea, fk())
    response = as_user(bob).delete(f"ideas/{idea.pk}/parties/{fk().pk}", version=99)
    assert response.status_code == 409
    assert idea.parties.filter(organisation=fk()).exists()


def test_delete_non_party_is_404(as_user, bob, idea):
    response = as_user(bob).delete(f"ideas/{idea.pk}/parties/{af().pk}")
    assert response.status_code == 404


# Transitions and rules -------------------------------------------------------------------------


def test_r6_blocks_owner_agreed_without_mandates_and_changes_nothing(as_user, bob, idea):
    client = as_user(bob)
    assert move(client, idea.pk, "idea_designed").status_code == 200
    party(client, idea.pk, kommun("1443"))  # no mandate
    before = snapshot(idea)

    response = move(client, idea.pk, "owner_agreed", version=idea.version)
    assert response.status_code == 422
    problems = violations(response)
    assert {p["rule"] for p in problems} == {"R6"}
    assert "Mandat saknas för: Bollebygds kommun, Borås stad" in problems[0]["message"]
    assert snapshot(idea) == before
    assert idea.step == IdeaStep.IDEA_DESIGNED


def test_r1_esf_matters_not_in_the_board(as_user, bob, idea):
    before = snapshot(idea)
    response = move(as_user(bob), idea.pk, "idea_designed", forum="styrelse")
    assert rules_of(response) == {"R1"}
    assert snapshot(idea) == before


def test_step_not_allowed_is_422(as_user, bob, idea):
    response = move(as_user(bob), idea.pk, "owner_agreed")
    [problem] = violations(response)
    assert problem["rule"] == ""
    assert "kan inte gå från" in problem["message"]
    assert snapshot(idea)[0] == IdeaStep.NEED_IDENTIFIED
    # Granted is never an idea's own step: only its application's decision sets it (A9).
    [problem] = violations(move(as_user(bob), idea.pk, "granted"))
    assert problem["rule"] == "A9" and "bara genom ansökan" in problem["message"]
    assert snapshot(idea)[0] == IdeaStep.NEED_IDENTIFIED


def test_unknown_forum_is_422(as_user, bob, idea):
    response = move(as_user(bob), idea.pk, "idea_designed", forum="fikarummet")
    assert "Okänd grund" in violations(response)[0]["message"]
    assert idea.transitions.count() == 0


def test_stale_transition_is_409_and_changes_nothing(as_user, bob, carin, idea):
    seen = idea.version
    assert as_user(carin).patch(f"ideas/{idea.pk}", {"goals": "Nya mål"}).status_code == 200
    before = snapshot(idea)
    response = move(as_user(bob), idea.pk, "idea_designed", version=seen)
    assert response.status_code == 409
    assert "Någon annan har ändrat" in response.json()["violations"][0]["message"]
    assert snapshot(idea) == before


def test_stop_needs_a_reason(as_user, bob, idea):
    client = as_user(bob)
    assert violations(move(client, idea.pk, "stopped"))[0]["message"].startswith("Ange skälet")
    response = move(client, idea.pk, "stopped", stop_reason="no_owner", note="Ingen vill äga.")
    assert response.status_code == 200, response.content
    body = response.json()["idea"]
    assert body["step"] == "stopped"
    assert body["stop_reason_label"] == "Ingen part vill vara projektägare"
    assert body["allowed_next_steps"] == []


def test_r5_idea_outside_finsam_leaves_the_routine(as_user, alice, bob, idea):
    client = as_user(bob)
    assert rules_of(move(client, idea.pk, "left_routine")) == {"R5"}
    folkhogskola = Organisation.objects.create(name="Folkhögskolan i Borås", kind="other")
    # B1: the kansli records the school's mandate on its behalf.
    assert party(as_user(alice), idea.pk, folkhogskola, mandate=True).status_code == 200
    response = move(client, idea.pk, "left_routine", note="Dialogen fortsätter med skolan.")
    assert response.status_code == 200, response.content
    body = response.json()["idea"]
    assert body["left_routine_reason"] == "parties_outside_finsam"
    assert body["left_routine_reason_label"] == "Medfinansierande parter utanför Finsam"


def test_r3_and_r4_when_fk_owns(as_user, alice, carin, idea):
    """FK as owner: R3 conditions at E3; the idea itself cannot be submitted (A9)."""
    client = as_user(carin)
    kansli = as_user(alice)  # B1: records Borås's word on its behalf
    assert client.patch(f"ideas/{idea.pk}", {"owner_id": fk().pk}).status_code == 200
    for org in (fk(), kommun("1490")):
        who = client if org == fk() else kansli
        party(who, idea.pk, org, mandate=True, performs_rehabilitation=org != fk())
    move(client, idea.pk, "idea_designed")
    assert rules_of(move(client, idea.pk, "owner_agreed")) == {"R3"}  # no_other_owner unset
    client.patch(f"ideas/{idea.pk}", {"no_other_owner": True})
    assert move(client, idea.pk, "owner_agreed").status_code == 200
    move(client, idea.pk, "application_drafted")
    for org in (fk(), kommun("1490")):
        who = client if org == fk() else kansli
        party(who, idea.pk, org, performs_rehabilitation=org != fk(), decision_date="2026-05-01")
    assert move(client, idea.pk, "parties_decided", forum="parterna").status_code == 200
    # Submission is the application's (A9); R4 is judged there (tests/calls: test_r4_…).
    assert rules_of(move(client, idea.pk, "submitted")) == {"A9"}


def test_full_happy_path_need_identified_to_parties_decided(as_user, alice, bob, carin, dora, need):
    """Borås stad owns; Bollebygd, AF and FK co-finance. The idea's own transitions end at
    parties_decided: submission and ESF-rådet's decision go through the application (A9;
    issue 16, the story in tests/calls/test_lifecycle.py)."""
    boras, bollebygd = kommun("1490"), kommun("1443")
    ac, bc, cc, dc = as_user(alice), as_user(bob), as_user(carin), as_user(dora)

    response = bc.post(
        "ideas",
        {
            "need_id": need.pk,
            "title": "Vägen vidare",
            "purpose": "Unga vuxna med aktivitetsersättning närmar sig arbete.",
            "owner_id": boras.pk,
        },
    )
    assert response.status_code == 201
    idea = response.json()
    idea_id = idea["id"]

    def step(client, to, **extra):
        response = move(client, idea_id, to, version=current["version"], **extra)
        assert response.status_code == 200, response.content
        current.update(response.json()["idea"])
        assert current["step"] == to
        return response.json()

    current = idea
    step(ac, "idea_designed", basis_date="2026-03-20", note="Beredningsgruppen 20 mars.")

    for client, org, representative in (
        (bc, boras, "Bo Borås"),
        (ac, bollebygd, "Bo Bollebygd"),
        (dc, af(), "Dora AF"),
        (cc, fk(), "Carin FK"),
    ):
        response = party(
            client,
            idea_id,
            org,
            representative=representative,
            mandate=True,
            version=current["version"],
        )
        assert response.status_code == 200, response.content
        current.update(response.json())

    step(ac, "owner_agreed", basis_date="2026-04-02")
    step(bc, "application_drafted")
    # Without the co-financiers' formal decisions the parties have not decided (R7).
    assert rules_of(move(bc, idea_id, "parties_decided", forum="parterna")) == {"R7"}

    for client, org, representative in (
        (bc, boras, "Bo Borås"),
        (ac, bollebygd, "Bo Bollebygd"),
        (dc, af(), "Dora AF"),
        (cc, fk(), "Carin FK"),
    ):
        response = party(
            client,
            idea_id,
            org,
            representative=representative,
            decision_date="2026-05-05",
            decision_reference=f"Beslut {org.name}",
            version=current["version"],
        )
        assert response.status_code == 200, response.content
        current.update(response.json())
    assert all(p["has_mandate"] and p["decision_date"] for p in current["parties"])

    step(ac, "parties_decided", forum="parterna", basis_date="2026-05-05")

    assert [s["step"] for s in current["allowed_next_steps"]] == ["stopped"]
    for client in (ac, bc, cc):
        for to in ("submitted", "granted", "rejected"):
            response = move(client, idea_id, to, version=current["version"])
            assert rules_of(response) == {"A9"}

    history = ac.get(f"ideas/{idea_id}/transitions").json()
    assert [(t["from_step"], t["to_step"], t["by"]["username"]) for t in history] == [
        ("need_identified", "idea_designed", "alice"),
        ("idea_designed", "owner_agreed", "alice"),
        ("owner_agreed", "application_drafted", "bob"),
        ("application_drafted", "parties_decided", "alice"),
    ]
    assert history[0]["note"] == "Beredningsgruppen 20 mars."
    assert history[0]["basis_date"] == "2026-03-20"
    assert history[0]["forum"] == "beredningsgrupp"
    assert history[0]["forum_label"] == "Beredningsgruppens möte"
    assert history[0]["by"]["full_name"] == "Alice"
    assert history[-1]["to_step_label"] == "Parterna har fattat beslut"
    assert history[-1]["forum"] == "parterna"
    assert Idea.objects.get(pk=idea_id).step == IdeaStep.PARTIES_DECIDED
    assert IdeaTransition.objects.filter(idea_id=idea_id).count() == 4


def test_transition_response_carries_the_new_version(as_user, bob, idea):
    response = move(as_user(bob), idea.pk, "idea_designed", version=1)
    body = response.json()
    assert body["transition"]["to_step"] == "idea_designed"
    assert body["transition"]["by"]["username"] == "bob"
    assert body["idea"]["version"] == 2
    assert [s["step"] for s in body["idea"]["allowed_next_steps"]] == [
        "owner_agreed",
        "left_routine",
        "stopped",
    ]


# Lists -----------------------------------------------------------------------------------------


@pytest.fixture
def spread(need, sjuharad):
    designed = IdeaFactory(need=need, step=IdeaStep.IDEA_DESIGNED, owner=kommun("1490"))
    granted = IdeaFactory(need=need, step=IdeaStep.GRANTED, owner=fk(), title="FK:s projekt")
    plain = IdeaFactory(need=need)
    return designed, granted, plain


def test_list_and_filters(as_user, erik, spread, need):
    designed, granted, plain = spread
    client = as_user(erik)

    def ids(**params):
        response = client.get("ideas", **params)
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    assert ids() == [plain.pk, granted.pk, designed.pk]
    assert ids(step="granted") == [granted.pk]
    assert ids(step=["granted", "idea_designed"]) == [granted.pk, designed.pk]
    assert ids(owner_kind="fk") == [granted.pk]
    assert ids(owner=kommun("1490").pk) == [designed.pk]
    assert ids(q="FK:s") == [granted.pk]
    assert ids(need=need.pk, forbund=need.forbund_id) == [plain.pk, granted.pk, designed.pk]
    assert ids(page_size=2, page=2) == [designed.pk]


def test_invalid_step_filter_is_422(as_user, erik):
    response = as_user(erik).get("ideas", step="sleeping")
    [problem] = violations(response)
    assert problem["field"] == "step"
