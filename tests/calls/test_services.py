"""The verbs: calls, applications and the idea's track moving with them."""

from __future__ import annotations

import datetime as dt

import pytest

from samsyn.calls import services
from samsyn.calls.choices import ApplicationStatus, CallPhase, DecisionLevel
from samsyn.calls.models import Call, Principle
from samsyn.calls.services import CallsError
from samsyn.pipeline.models import Idea
from samsyn.pipeline.services import StaleEdit
from samsyn.pipeline.steps import IdeaStep
from tests.calls.conftest import (
    TODAY,
    agreed_idea,
    approve,
    area,
    grant,
    make_call,
    plan,
    prioritise,
    ready_application,
    themes,
)
from tests.factories import af, fk, kommun, region


def rules_of(exc) -> set[str]:
    return {v.rule for v in exc.value.violations}


# Reference data ------------------------------------------------------------------------------


def test_reference_data_is_present_after_migrating(db):
    from samsyn.calls.models import ProgrammePeriod, RegionalPlan, ThematicArea

    p = ProgrammePeriod.objects.get(code="2021-2027")
    assert p.national_total_sek == 6_300_000_000 and p.eu_share_percent == 40
    assert [a.code for a in p.areas.all()] == ["A", "B", "C", "D", "E"]
    assert ThematicArea.objects.count() == 5
    assert area("A").thematic_areas.count() == 5
    assert list(area("C").thematic_areas.values_list("code", flat=True)) == ["ekonomisk_utsatthet"]
    assert area("B").only_applicant_kinds == ["af"]
    assert sorted(area("D").only_nuts2_codes) == ["SE32", "SE33"]
    assert area("D").decision_levels() == ["regional"]
    assert RegionalPlan.objects.count() == 8
    care = area("CARE", "2014-2020")
    assert care.rolling and "885" in care.note


# Calls -----------------------------------------------------------------------------------------


def test_a_regional_call_gets_the_default_principles_p1_to_p5(regional_call):
    assert list(regional_call.principles.values_list("code", "weight")) == [
        (f"P{i}", 1) for i in range(1, 6)
    ]


def test_r9_area_d_call_only_in_ovre_and_mellersta_norrland(stina):
    with pytest.raises(CallsError) as exc:
        make_call(stina, programme_area=area("D"), thematic_areas=[])
    assert "R9" in rules_of(exc)
    assert "Övre Norrland" in str(exc.value)
    call = make_call(stina, programme_area=area("D"), thematic_areas=[], regional_plan=plan("SE33"))
    assert call.pk


def test_u1_area_c_is_decided_nationally(stina):
    with pytest.raises(CallsError) as exc:
        make_call(stina, programme_area=area("C"), thematic_areas=themes("ekonomisk_utsatthet"))
    assert "U1" in rules_of(exc)


def test_u3_themes_must_belong_to_the_area(nils):
    with pytest.raises(CallsError) as exc:
        make_call(
            nils,
            programme_area=area("C"),
            decision_level=DecisionLevel.NATIONAL,
            regional_plan=None,
            thematic_areas=themes("stabil"),
        )
    assert rules_of(exc) == {"U3"}


def test_u4_a_call_has_a_closing_date_or_is_rolling(nils):
    with pytest.raises(CallsError) as exc:
        make_call(nils, decision_level="national", regional_plan=None, closes_on=None)
    assert "U4" in rules_of(exc)
    assert make_call(
        nils, decision_level="national", regional_plan=None, closes_on=None, rolling=True
    )


def test_call_cycle_moves_one_phase_at_a_time_and_lessons_need_a_closed_call(regional_call, stina):
    call = services.advance_call(regional_call, CallPhase.UTLYSNING, by=stina, expected_version=1)
    with pytest.raises(CallsError) as exc:
        services.advance_call(call, CallPhase.BEDOMNING, by=stina, expected_version=None)
    assert rules_of(exc) == {"U5"}
    with pytest.raises(CallsError) as exc:
        services.record_lessons(call, "Mer mobilisering.", by=stina, expected_version=None)
    assert rules_of(exc) == {"U6"}
    Call.objects.filter(pk=call.pk).update(
        opens_on=TODAY - dt.timedelta(days=100), closes_on=TODAY - dt.timedelta(days=1)
    )
    call = services.record_lessons(
        call, "Mobiliseringen kom igång för sent.", by=stina, expected_version=None
    )
    assert call.phase == CallPhase.LARANDE and call.lessons.startswith("Mobiliseringen")
    assert call.history.first().history_change_reason == "Lärdomar registrerade"


def test_stale_call_edit_is_refused(regional_call, stina):
    services.update_call(regional_call, by=stina, expected_version=1, title="Ny titel")
    with pytest.raises(StaleEdit):
        services.update_call(regional_call, by=stina, expected_version=1, title="Annan titel")


# Applications ----------------------------------------------------------------------------------


def test_drafting_moves_the_idea_to_application_drafted(idea, regional_call, bob):
    app = services.draft_application(idea, regional_call, by=bob)
    idea.refresh_from_db()
    assert idea.step == IdeaStep.APPLICATION_DRAFTED
    assert idea.transitions.last().to_step == IdeaStep.APPLICATION_DRAFTED
    assert set(app.cofinancing.values_list("organisation__code", flat=True)) == {"1490", "14"}


def test_one_application_per_idea_and_call(idea, regional_call, bob):
    services.draft_application(idea, regional_call, by=bob)
    with pytest.raises(CallsError) as exc:
        services.draft_application(Idea.objects.get(pk=idea.pk), regional_call, by=bob)
    assert rules_of(exc) == {"A0"}


def test_r9_area_b_only_for_arbetsformedlingen(sjuharad, nils, bob, dora):
    call_b = make_call(
        nils,
        title="Öka möjligheten till arbete",
        programme_area=area("B"),
        decision_level="national",
        regional_plan=None,
        thematic_areas=[],
    )
    kommun_idea = agreed_idea(sjuharad, kommun("1490"), title="Kommunens idé")
    with pytest.raises(CallsError) as exc:
        services.draft_application(kommun_idea, call_b, by=bob)
    assert rules_of(exc) == {"R9"}
    af_idea = agreed_idea(sjuharad, af(), title="AF:s idé")
    assert services.draft_application(af_idea, call_b, by=dora).pk


def test_r8_refuses_a_budget_line_outside_the_project_period(idea, regional_call, bob):
    app = ready_application(idea, regional_call, bob)
    with pytest.raises(CallsError) as exc:
        services.set_budget_line(app, 2028, "personnel", 10, by=bob, expected_version=None)
    assert rules_of(exc) == {"R8"}
    assert "utanför projektperioden" in str(exc.value)
    # Shortening the period so that an existing line falls outside is refused too.
    with pytest.raises(CallsError) as exc:
        services.update_application(
            app,
            by=bob,
            expected_version=None,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
    assert "R8" in rules_of(exc)


def test_a1_financing_must_sum_exactly_to_the_budget(idea, regional_call, bob):
    app = ready_application(idea, regional_call, bob, eu=400_001)
    with pytest.raises(CallsError) as exc:
        services.submit_application(app, by=bob, expected_version=None)
    assert rules_of(exc) == {"A1"}
    assert "1\u00a0kr är för mycket" in str(exc.value)


def test_submission_moves_the_idea_through_parties_decided_to_submitted(idea, regional_call, bob):
    app = ready_application(idea, regional_call, bob)
    app = services.submit_application(app, by=bob, expected_version=app.version)
    assert app.status == ApplicationStatus.SUBMITTED
    steps = list(Idea.objects.get(pk=idea.pk).transitions.values_list("to_step", flat=True))
    assert steps[-3:] == ["application_drafted", "parties_decided", "submitted"]


def test_r7_submission_needs_every_cofinanciers_decision(sjuharad, regional_call, bob):
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], decisions=False)
    app = ready_application(idea, regional_call, bob)
    with pytest.raises(CallsError) as exc:
        services.submit_application(app, by=bob, expected_version=None)
    assert rules_of(exc) == {"R7"}
    assert "Beslut saknas för" in str(exc.value)
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.APPLICATION_DRAFTED


def test_r7_only_the_owners_representative_submits(idea, regional_call, bob, carin):
    app = ready_application(idea, regional_call, bob)
    with pytest.raises(CallsError) as exc:
        services.submit_application(app, by=carin, expected_version=None)
    assert rules_of(exc) == {"R7"}
    assert "Bara projektägaren" in str(exc.value)


def test_r4_fk_owned_individual_project_needs_an_agreement(sjuharad, regional_call, carin):
    idea = agreed_idea(sjuharad, fk(), [kommun("1490")])
    Idea.objects.filter(pk=idea.pk).update(no_other_owner=True)
    idea.parties.filter(organisation=kommun("1490")).update(performs_rehabilitation=True)
    app = ready_application(
        Idea.objects.get(pk=idea.pk),
        regional_call,
        carin,
        cofin={fk(): 300_000, kommun("1490"): 300_000},
    )
    with pytest.raises(CallsError) as exc:
        services.submit_application(app, by=carin, expected_version=None)
    assert rules_of(exc) == {"R4"}
    Idea.objects.filter(pk=idea.pk).update(agreement_signed_on=dt.date(2026, 5, 1))
    app.refresh_from_db()
    assert services.submit_application(app, by=carin, expected_version=None).status == "submitted"


def test_a3_no_submission_to_a_closed_call(idea, regional_call, bob):
    app = ready_application(idea, regional_call, bob)
    Call.objects.filter(pk=regional_call.pk).update(
        opens_on=TODAY - dt.timedelta(days=60), closes_on=TODAY - dt.timedelta(days=1)
    )
    app.refresh_from_db()
    with pytest.raises(CallsError) as exc:
        services.submit_application(app, by=bob, expected_version=None)
    assert rules_of(exc) == {"A3"}


def test_decision_moves_the_idea_to_granted_or_rejected(sjuharad, idea, regional_call, bob):
    """Updated for the life cycle (issue 16): ESF-rådet's decision follows the assessment and,
    in a regional call, the partnership's prioritisation."""
    app = ready_application(idea, regional_call, bob)
    app = prioritise(
        approve(services.submit_application(app, by=bob, expected_version=None), bob), bob
    )
    with pytest.raises(CallsError) as exc:
        grant(app, bob, 500_000)
    assert rules_of(exc) == {"A6"}
    app = grant(app, bob, 380_000)
    assert app.status == "granted" and app.granted_sek == 380_000
    idea.refresh_from_db()
    assert idea.step == IdeaStep.GRANTED
    assert idea.transitions.last().forum == "esf_radet"

    other = agreed_idea(sjuharad, kommun("1490"), [region("14")], title="Andra idén")
    app2 = services.submit_application(
        ready_application(other, regional_call, bob), by=bob, expected_version=None
    )
    app2 = prioritise(approve(app2, bob), bob, prioritised=False)
    with pytest.raises(CallsError):
        services.decide_application(app2, by=bob, granted=False, decided_on=TODAY, reference="D")
    services.decide_application(
        app2, by=bob, granted=False, decided_on=TODAY, reference="D", reason="Svag förankring."
    )
    assert Idea.objects.get(pk=other.pk).step == IdeaStep.REJECTED


# Jäv and scores ----------------------------------------------------------------------------


@pytest.fixture
def granted(idea, regional_call, bob):
    app = ready_application(idea, regional_call, bob)
    app = services.submit_application(app, by=bob, expected_version=None)
    return approve(app, bob)  # approved for prioritisation: the reviewers score it


def test_j2_a_reviewer_declares_jav_before_scoring(granted, rut):
    with pytest.raises(CallsError) as exc:
        services.score_application(granted, reviewer=rut, scores={"P1": (3, "Bra.")})
    assert rules_of(exc) == {"J2"}
    services.declare_jav(granted, reviewer=rut, disqualified=False)
    scores = services.score_application(granted, reviewer=rut, scores={"P1": (3, "Förankrad.")})
    assert scores[0].value == 3


def test_j2_a_disqualified_reviewer_cannot_score_and_her_scores_are_dropped(granted, ture):
    services.declare_jav(granted, reviewer=ture, disqualified=False)
    services.score_application(granted, reviewer=ture, scores={"P1": (4, "Mycket bra.")})
    with pytest.raises(CallsError):
        services.declare_jav(granted, reviewer=ture, disqualified=True)  # reason required
    services.declare_jav(
        granted, reviewer=ture, disqualified=True, reason="Anställd hos projektägaren."
    )
    assert not granted.scores.filter(reviewer=ture).exists()
    with pytest.raises(CallsError) as exc:
        services.score_application(granted, reviewer=ture, scores={"P1": (4, "Bra.")})
    assert rules_of(exc) == {"J2"}


def test_j3_every_score_needs_a_motivation_and_lies_in_0_to_4(granted, rut):
    services.declare_jav(granted, reviewer=rut, disqualified=False)
    with pytest.raises(CallsError) as exc:
        services.score_application(
            granted, reviewer=rut, scores={"P1": (5, "För högt."), "P2": (2, " ")}
        )
    assert rules_of(exc) == {"J3"} and len(exc.value.violations) == 2


def test_j1_only_approved_applications_are_scored(idea, regional_call, bob, rut):
    app = services.draft_application(idea, regional_call, by=bob)
    with pytest.raises(CallsError) as exc:
        services.declare_jav(app, reviewer=rut, disqualified=False)
    assert rules_of(exc) == {"J1"}


def test_principles_and_weights_are_per_call(regional_call, stina):
    services.set_principle(regional_call, "P2", by=stina, name="Strukturpåverkan", weight=3)
    services.set_principle(regional_call, "P6", by=stina, name="Jämställdhet", weight=2)
    services.remove_principle(regional_call, "P5", by=stina)
    assert dict(Principle.objects.filter(call=regional_call).values_list("code", "weight")) == {
        "P1": 1,
        "P2": 3,
        "P3": 1,
        "P4": 1,
        "P6": 2,
    }
