"""The pipeline's verbs, told as stories in Sjuhärad (see tests/conftest.py for the cast).

Every refusal must leave the record exactly as it was: the tests reload it from the
database and compare step, version, transitions, history and parties.
"""

from __future__ import annotations

import datetime as dt

import pytest

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Organisation
from samsyn.pipeline import services
from samsyn.pipeline.models import Idea, IdeaParty, Measure, Need
from samsyn.pipeline.services import PipelineError, StaleEdit
from samsyn.pipeline.steps import (
    IDEA_APPLICATION_STEPS,
    Forum,
    IdeaStep,
    LeftRoutineReason,
    MeasureStep,
    StopReason,
)
from tests.factories import IdeaFactory, NeedFactory, add_party, af, fk, kommun, region

pytestmark = pytest.mark.django_db

MEETING = dt.date(2026, 4, 2)


def fresh(record):
    return type(record).objects.get(pk=record.pk)


def idea_state(idea: Idea) -> dict:
    """Everything a refused action must leave untouched."""
    idea = fresh(idea)
    return {
        "step": idea.step,
        "version": idea.version,
        "owner": idea.owner_id,
        "agreement": idea.agreement_signed_on,
        "stop": (idea.stop_reason, idea.stop_note, idea.left_routine_reason),
        "transitions": idea.transitions.count(),
        "history": idea.history.count(),
        "parties": sorted(
            idea.parties.values_list(
                "organisation_id",
                "is_cofinancier",
                "performs_rehabilitation",
                "mandate_confirmed_at",
                "decision_date",
            )
        ),
    }


def refused(violations_of: PipelineError) -> set[str]:
    return {v.rule for v in violations_of.violations}


def folkhogskola() -> Organisation:
    return Organisation.objects.create(name="Folkhögskolan i Sjuhärad", kind=OrganisationKind.OTHER)


def idea_at(forbund, step: str, owner: Organisation | None, *, by, **idea_fields) -> Idea:
    """A scene: an idea already standing at `step` (built directly, not through the verbs)."""
    need = NeedFactory(forbund=forbund, created_by=by)
    return IdeaFactory(need=need, step=step, owner=owner, created_by=by, **idea_fields)


def boras_idea_at(forbund, step: str, *, by, decisions: bool = True) -> Idea:
    """Borås owns; AF rehabilitates; the region co-finances. Everyone has a mandate."""
    idea = idea_at(forbund, step, kommun("1490"), by=by)
    add_party(idea, kommun("1490"), decision=decisions)
    add_party(idea, af(), decision=decisions, rehabilitation=True)
    add_party(idea, region("14"), decision=decisions)
    return idea


def fk_idea_at(forbund, step: str, *, by) -> Idea:
    """FK owns under the 2025 assignment with every R3 condition met."""
    idea = idea_at(forbund, step, fk(), by=by, no_other_owner=True)
    add_party(idea, fk(), decision=True)
    add_party(idea, af(), decision=True, rehabilitation=True)
    add_party(idea, kommun("1490"), decision=True)
    return idea


# Track E from need to completed --------------------------------------------------------------


def test_idea_walks_every_step_of_track_e_to_completed(sjuharad, alice, bob, dora):
    boras, vgr = kommun("1490"), region("14")
    need = services.record_need(
        sjuharad,
        by=alice,
        title="Unga vuxna långt från arbetsmarknaden",
        target_group="Unga vuxna 19–29 år med aktivitetsersättning",
        identified_on=dt.date(2026, 3, 12),
    )
    idea = services.create_idea(need, by=bob, title="Vägen in", owner=boras)
    assert idea.target_group == need.target_group
    assert list(idea.parties.values_list("organisation", flat=True)) == [boras.pk]

    def move(to_step, by, forum, note=""):
        nonlocal idea
        idea = fresh(idea)
        # Submitted and granted belong to the application (A9): its verbs move the idea so.
        verb = (
            services.move_idea_with_application
            if to_step in IDEA_APPLICATION_STEPS
            else services.move_idea
        )
        transition = verb(
            idea,
            to_step,
            by=by,
            forum=forum,
            basis_date=MEETING,
            note=note,
            expected_version=idea.version,
        )
        idea = fresh(idea)
        return transition

    def set_party(organisation, **kwargs):
        nonlocal idea
        idea = fresh(idea)
        # B1: Borås's word is Bob's (its representative); the kansli records the others'.
        by = bob if organisation == boras else alice
        services.set_idea_party(idea, organisation, by=by, expected_version=idea.version, **kwargs)

    move(IdeaStep.IDEA_DESIGNED, alice, Forum.BEREDNINGSGRUPP, "Förankrad hos alla parter.")
    set_party(boras, representative="Bob", mandate=True)
    set_party(af(), representative="Dora", mandate=True, performs_rehabilitation=True)
    set_party(vgr, representative="Erik", mandate=True)
    move(IdeaStep.OWNER_AGREED, alice, Forum.BEREDNINGSGRUPP, "Borås äger.")
    move(IdeaStep.APPLICATION_DRAFTED, bob, Forum.PARTERNA)
    decided = dt.date(2026, 5, 20)
    set_party(boras, representative="Bob", decision_date=decided, decision_reference="KS §12")
    set_party(af(), representative="Dora", performs_rehabilitation=True, decision_date=decided)
    set_party(vgr, representative="Erik", decision_date=decided, decision_reference="RS §4")
    move(IdeaStep.PARTIES_DECIDED, bob, Forum.PARTERNA)
    move(IdeaStep.SUBMITTED, bob, Forum.PARTERNA, "Inskickad i Projektrummet.")
    move(IdeaStep.GRANTED, alice, Forum.ESF_RADET)
    move(IdeaStep.RUNNING, bob, Forum.OTHER)
    move(IdeaStep.COMPLETED, bob, Forum.OTHER, "Slutrapport inlämnad.")

    assert idea.step == IdeaStep.COMPLETED
    assert list(
        idea.transitions.values_list("from_step", "to_step", "by__username", "forum", "note")
    ) == [
        (
            "need_identified",
            "idea_designed",
            "alice",
            "beredningsgrupp",
            "Förankrad hos alla parter.",
        ),
        ("idea_designed", "owner_agreed", "alice", "beredningsgrupp", "Borås äger."),
        ("owner_agreed", "application_drafted", "bob", "parterna", ""),
        ("application_drafted", "parties_decided", "bob", "parterna", ""),
        ("parties_decided", "submitted", "bob", "parterna", "Inskickad i Projektrummet."),
        ("submitted", "granted", "alice", "esf_radet", ""),
        ("granted", "running", "bob", "other", ""),
        ("running", "completed", "bob", "other", "Slutrapport inlämnad."),
    ]
    assert set(idea.transitions.values_list("basis_date", flat=True)) == {MEETING}
    assert all(t.at is not None for t in idea.transitions.all())

    # The history holds every version, each with who made it; each step by the one who moved.
    history = list(idea.history.order_by("history_date", "history_id"))
    assert len(history) == idea.version == 1 + 6 + 8  # created, six party changes, eight moves
    assert all(h.history_user is not None for h in history)
    assert history[0].history_type == "+" and history[0].history_user == bob
    for transition in idea.transitions.all():
        # The first version at a step is the move there; party changes may follow it.
        entry = idea.history.filter(step=transition.to_step).order_by("history_id").first()
        assert entry.history_user == transition.by
        assert entry.history_change_reason == f"Till steg: {transition.get_to_step_display()}"
    assert need.history.get().history_user == alice

    parties = {p.organisation_id: p for p in idea.parties.all()}
    assert parties[boras.pk].decision_reference == "KS §12"
    assert parties[boras.pk].mandate_confirmed_by == bob
    assert all(p.decision_date == decided for p in parties.values())
    assert parties[boras.pk].history.first().history_user == bob


def test_a_rejected_application_ends_the_idea(sjuharad, alice, bob):
    idea = boras_idea_at(sjuharad, IdeaStep.SUBMITTED, by=alice)
    services.move_idea_with_application(idea, IdeaStep.REJECTED, by=alice, forum=Forum.ESF_RADET)
    assert fresh(idea).step == IdeaStep.REJECTED
    with pytest.raises(
        PipelineError, match="kan inte gå från ”Avslagen” till ”Projektet genomförs”"
    ):
        services.move_idea(idea, IdeaStep.RUNNING, by=bob, forum=Forum.OTHER)


# Rules at the verbs ---------------------------------------------------------------------------


def test_r1_idea_step_cannot_be_taken_at_board_meeting(sjuharad, alice):
    idea = boras_idea_at(sjuharad, IdeaStep.NEED_IDENTIFIED, by=alice)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(idea, IdeaStep.IDEA_DESIGNED, by=alice, forum=Forum.STYRELSE)
    assert refused(refusal.value) == {"R1"}
    assert "lyfts inte för dialog eller beslut i samordningsförbundets styrelse" in str(
        refusal.value
    )
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(
            idea,
            IdeaStep.STOPPED,
            by=alice,
            forum=Forum.STYRELSE,
            stop_reason=StopReason.NOT_PRIORITISED,
        )
    assert refused(refusal.value) == {"R1"}
    assert idea_state(idea) == before

    services.move_idea(idea, IdeaStep.IDEA_DESIGNED, by=alice, forum=Forum.BEREDNINGSGRUPP)
    assert fresh(idea).step == IdeaStep.IDEA_DESIGNED


def test_r1_an_unknown_forum_is_refused_not_recorded(sjuharad, alice):
    """A forum spelled otherwise ("Styrelse") must not slip past R1 into the record."""
    idea = boras_idea_at(sjuharad, IdeaStep.NEED_IDENTIFIED, by=alice)
    before = idea_state(idea)
    with pytest.raises(PipelineError, match="Okänd grund"):
        services.move_idea(idea, IdeaStep.IDEA_DESIGNED, by=alice, forum="Styrelse")
    assert idea_state(idea) == before


def test_r2_forbund_cannot_be_set_as_owner(sjuharad, alice, bob):
    need = NeedFactory(forbund=sjuharad, created_by=alice)
    forbund_org = sjuharad.organisation
    with pytest.raises(PipelineError) as refusal:
        services.create_idea(need, by=alice, title="Förbundets eget projekt", owner=forbund_org)
    assert refused(refusal.value) == {"R2"}
    assert "samordningsförbund kan inte vara projektägare" in str(refusal.value)
    assert not Idea.objects.filter(need=need).exists()

    idea = services.create_idea(need, by=bob, title="Vägen in", owner=kommun("1490"))
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.update_idea(idea, by=alice, expected_version=idea.version, owner=forbund_org)
    assert refused(refusal.value) == {"R2"}
    assert idea_state(idea) == before

    # Nor can the förbund be recorded as a party of the idea.
    with pytest.raises(PipelineError) as refusal:
        services.set_idea_party(idea, forbund_org, by=alice, expected_version=idea.version)
    assert refused(refusal.value) == {"R2"}
    assert "Ett samordningsförbund är inte part i ett ESF+-projekt" in str(refusal.value)
    assert idea_state(idea) == before


def test_r3_fk_owner_refused_when_a_party_does_not_cofinance(sjuharad, carin):
    idea = idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, fk(), no_other_owner=True, by=carin)
    add_party(idea, fk())
    add_party(idea, af(), rehabilitation=True)
    add_party(idea, kommun("1490"), cofinancier=False)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(idea, IdeaStep.OWNER_AGREED, by=carin)
    assert refused(refusal.value) == {"R3"}
    assert "alla medverkande parter ska medfinansiera (gör det inte: Borås stad)" in str(
        refusal.value
    )
    assert idea_state(idea) == before

    services.set_idea_party(
        idea, kommun("1490"), by=carin, expected_version=fresh(idea).version, is_cofinancier=True
    )
    services.move_idea(idea, IdeaStep.OWNER_AGREED, by=carin)
    assert fresh(idea).step == IdeaStep.OWNER_AGREED


def test_r3_fk_owner_refused_until_no_other_party_decided_to_own(sjuharad, carin):
    idea = fk_idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, by=carin)
    services.update_idea(idea, by=carin, expected_version=idea.version, no_other_owner=False)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(idea, IdeaStep.OWNER_AGREED, by=carin)
    assert refused(refusal.value) == {"R3"}
    assert "övriga parter ska ha avstått från att vara projektägare" in str(refusal.value)
    assert idea_state(idea) == before


def test_r4_fk_owned_individual_project_needs_agreement_before_submission(sjuharad, carin):
    idea = fk_idea_at(sjuharad, IdeaStep.PARTIES_DECIDED, by=carin)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea_with_application(
            idea, IdeaStep.SUBMITTED, by=carin, forum=Forum.PARTERNA
        )
    assert refused(refusal.value) == {"R4"}
    assert "skriftlig överenskommelse" in str(refusal.value)
    assert idea_state(idea) == before

    services.update_idea(
        idea, by=carin, expected_version=idea.version, agreement_signed_on=dt.date(2026, 6, 1)
    )
    services.move_idea_with_application(idea, IdeaStep.SUBMITTED, by=carin, forum=Forum.PARTERNA)
    assert fresh(idea).step == IdeaStep.SUBMITTED


def test_r5_left_routine_only_when_outside_finsam(sjuharad, alice):
    inside = boras_idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, by=alice)
    before = idea_state(inside)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(inside, IdeaStep.LEFT_ROUTINE, by=alice, note="Vill inte")
    assert refused(refusal.value) == {"R5"}
    assert "Idén ligger inom Finsam" in str(refusal.value)
    assert "Stoppa då idén och ange skälet" in str(refusal.value)
    assert idea_state(inside) == before

    # The target group turns out not to be Finsam's: the idea leaves with that reason.
    services.update_need(
        inside.need, by=alice, expected_version=inside.need.version, is_finsam_target_group=False
    )
    services.move_idea(
        inside, IdeaStep.LEFT_ROUTINE, by=alice, note="Dialogen fortsätter med kommunen."
    )
    left = fresh(inside)
    assert left.step == IdeaStep.LEFT_ROUTINE
    assert left.left_routine_reason == LeftRoutineReason.TARGET_GROUP
    assert left.stop_note == "Dialogen fortsätter med kommunen."

    # A co-financier outside Finsam: the idea leaves with the parties as reason.
    other = boras_idea_at(sjuharad, IdeaStep.NEED_IDENTIFIED, by=alice)
    services.set_idea_party(other, folkhogskola(), by=alice, expected_version=other.version)
    services.move_idea(other, IdeaStep.LEFT_ROUTINE, by=alice)
    assert fresh(other).left_routine_reason == LeftRoutineReason.PARTIES

    # Only inside the preparatory structure: a drafted application cannot leave the routine.
    drafting = boras_idea_at(sjuharad, IdeaStep.APPLICATION_DRAFTED, by=alice)
    with pytest.raises(PipelineError, match="kan inte gå från ”Ansökan skrivs” till ”Lämnat"):
        services.move_idea(drafting, IdeaStep.LEFT_ROUTINE, by=alice)


def test_r6_move_to_owner_agreed_refused_without_mandates(sjuharad, alice, bob):
    idea = idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, kommun("1490"), by=alice)
    add_party(idea, kommun("1490"))
    add_party(idea, af(), mandate=False)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(idea, IdeaStep.OWNER_AGREED, by=alice)
    assert refused(refusal.value) == {"R6"}
    assert "Mandat saknas för: Arbetsförmedlingen" in str(refusal.value)
    assert idea_state(idea) == before

    services.set_idea_party(idea, af(), by=alice, expected_version=idea.version, mandate=True)
    services.move_idea(idea, IdeaStep.OWNER_AGREED, by=alice)
    assert fresh(idea).step == IdeaStep.OWNER_AGREED


def test_owner_must_be_among_the_parties_at_e3(sjuharad, alice):
    idea = idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, None, by=alice)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(idea, IdeaStep.OWNER_AGREED, by=alice)
    assert refused(refusal.value) == {"E3", "R6"}
    assert "Ange vilken part som ska vara projektägare" in str(refusal.value)
    assert idea_state(idea) == before


def test_r7_cofinanciers_decide_before_parties_decided(sjuharad, bob):
    idea = boras_idea_at(sjuharad, IdeaStep.APPLICATION_DRAFTED, decisions=False, by=bob)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea(idea, IdeaStep.PARTIES_DECIDED, by=bob, forum=Forum.PARTERNA)
    assert refused(refusal.value) == {"R7"}
    assert "Beslut saknas för: Arbetsförmedlingen, Borås stad, Västra Götalandsregionen" in str(
        refusal.value
    )
    assert idea_state(idea) == before


def test_r7_only_owner_representative_submits(sjuharad, alice, bob, carin, dora):
    idea = boras_idea_at(sjuharad, IdeaStep.PARTIES_DECIDED, by=alice)
    before = idea_state(idea)
    for not_owner in (alice, carin, dora):  # the förbund's kansli, FK, AF
        with pytest.raises(PipelineError) as refusal:
            services.move_idea_with_application(
                idea, IdeaStep.SUBMITTED, by=not_owner, forum=Forum.PARTERNA
            )
        assert refused(refusal.value) == {"R7"}
        assert "Bara projektägaren (Borås stad) skickar in ansökan" in str(refusal.value)
        assert idea_state(idea) == before

    transition = services.move_idea_with_application(
        idea, IdeaStep.SUBMITTED, by=bob, forum=Forum.PARTERNA
    )
    assert transition.by == bob
    assert fresh(idea).step == IdeaStep.SUBMITTED


# The state machine and stopping ---------------------------------------------------------------


def test_move_not_allowed_by_the_state_machine_is_refused(sjuharad, alice):
    idea = boras_idea_at(sjuharad, IdeaStep.NEED_IDENTIFIED, by=alice)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.move_idea_with_application(idea, IdeaStep.SUBMITTED, by=alice)
    assert str(refusal.value) == (
        "En projektidé kan inte gå från ”Behov av ESF+-projekt identifierat” till "
        "”Ansökan inskickad till ESF-rådet”."
    )
    with pytest.raises(PipelineError, match="Okänt steg: approved"):
        services.move_idea(idea, "approved", by=alice)
    with pytest.raises(PipelineError, match="kan inte gå från .* till ”Behov av ESF"):
        services.move_idea(idea, IdeaStep.NEED_IDENTIFIED, by=alice)
    assert idea_state(idea) == before

    completed = boras_idea_at(sjuharad, IdeaStep.COMPLETED, by=alice)
    with pytest.raises(PipelineError, match="kan inte gå från ”Avslutat” till ”Stoppad”"):
        services.move_idea(
            completed, IdeaStep.STOPPED, by=alice, stop_reason=StopReason.NOT_PRIORITISED
        )


def test_stopping_requires_a_reason_and_a_note_for_other(sjuharad, alice):
    idea = boras_idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, by=alice)
    before = idea_state(idea)
    with pytest.raises(PipelineError, match="Ange skälet till att arbetet stoppas"):
        services.move_idea(idea, IdeaStep.STOPPED, by=alice)
    with pytest.raises(PipelineError, match="Ange skälet till att arbetet stoppas"):
        services.move_idea(idea, IdeaStep.STOPPED, by=alice, stop_reason="tröttnade")
    for blank in ("", "   "):
        with pytest.raises(PipelineError, match="Beskriv skälet i anteckningen"):
            services.move_idea(
                idea, IdeaStep.STOPPED, by=alice, stop_reason=StopReason.OTHER, note=blank
            )
    assert idea_state(idea) == before

    services.move_idea(
        idea,
        IdeaStep.STOPPED,
        by=alice,
        stop_reason=StopReason.OTHER,
        note="Kommunen omorganiserar.",
    )
    stopped = fresh(idea)
    assert (stopped.step, stopped.stop_reason, stopped.stop_note) == (
        IdeaStep.STOPPED,
        StopReason.OTHER,
        "Kommunen omorganiserar.",
    )
    assert stopped.transitions.get().note == "Kommunen omorganiserar."


def test_stopping_with_a_listed_reason_needs_no_note(sjuharad, bob):
    idea = boras_idea_at(sjuharad, IdeaStep.APPLICATION_DRAFTED, by=bob)
    services.move_idea(idea, IdeaStep.STOPPED, by=bob, stop_reason=StopReason.NO_FITTING_CALL)
    stopped = fresh(idea)
    assert stopped.step == IdeaStep.STOPPED
    assert stopped.stop_reason == StopReason.NO_FITTING_CALL
    assert Idea.objects.filter(step=IdeaStep.STOPPED).count_by_step() == {"stopped": 1}


# Stale edits ----------------------------------------------------------------------------------


def test_stale_update_need_is_refused_and_the_first_change_kept(sjuharad, alice, bob):
    need = NeedFactory(forbund=sjuharad, title="Unga vuxna", created_by=alice)
    alices_copy, bobs_copy = fresh(need), fresh(need)
    services.update_need(
        bobs_copy, by=bob, expected_version=bobs_copy.version, title="Unga vuxna i Borås"
    )
    with pytest.raises(StaleEdit) as refusal:
        services.update_need(
            alices_copy, by=alice, expected_version=alices_copy.version, title="Unga i Sjuhärad"
        )
    assert "Någon annan har ändrat behov ”Unga vuxna” sedan du öppnade den" in str(refusal.value)
    kept = fresh(need)
    assert (kept.title, kept.version) == ("Unga vuxna i Borås", 2)
    assert kept.history.first().history_user == bob


def test_stale_update_idea_is_refused_and_the_first_change_kept(sjuharad, alice, bob):
    idea = boras_idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, by=alice)
    alices_copy, bobs_copy = fresh(idea), fresh(idea)
    services.update_idea(
        bobs_copy, by=bob, expected_version=bobs_copy.version, goals="50 deltagare"
    )
    with pytest.raises(StaleEdit, match="Dina ändringar har inte sparats"):
        services.update_idea(
            alices_copy, by=alice, expected_version=alices_copy.version, goals="80 deltagare"
        )
    kept = fresh(idea)
    assert (kept.goals, kept.version) == ("50 deltagare", 2)


def test_stale_move_idea_is_refused_and_the_first_change_kept(sjuharad, alice, bob):
    idea = boras_idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, by=alice)
    read_at = idea.version
    services.update_idea(idea, by=bob, expected_version=read_at, title="Vägen in 2.0")
    with pytest.raises(StaleEdit):
        services.move_idea(idea, IdeaStep.OWNER_AGREED, by=alice, expected_version=read_at)
    kept = fresh(idea)
    assert (kept.title, kept.step, kept.version) == ("Vägen in 2.0", IdeaStep.IDEA_DESIGNED, 2)
    assert kept.transitions.count() == 0

    services.move_idea(idea, IdeaStep.OWNER_AGREED, by=alice, expected_version=kept.version)
    assert fresh(idea).step == IdeaStep.OWNER_AGREED


def test_an_edit_that_changes_nothing_is_not_a_new_version(sjuharad, bob):
    idea = boras_idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, by=bob)
    services.update_idea(idea, by=bob, expected_version=idea.version, title=idea.title)
    assert fresh(idea).version == idea.version


# Edits may not break the rules of the step an idea stands at ----------------------------------


def test_removing_a_mandate_after_owner_agreed_is_refused_and_rolled_back(sjuharad, bob, dora):
    idea = boras_idea_at(sjuharad, IdeaStep.OWNER_AGREED, by=bob)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        services.set_idea_party(
            idea,
            af(),
            by=dora,  # B1: AF's own representative
            expected_version=idea.version,
            performs_rehabilitation=True,
            mandate=False,
        )
    assert refused(refusal.value) == {"R6"}
    assert "Mandat saknas för: Arbetsförmedlingen" in str(refusal.value)
    assert idea_state(idea) == before
    assert IdeaParty.objects.get(idea=idea, organisation=af()).mandate_confirmed_at is not None


def test_making_fk_owner_after_owner_agreed_is_checked_against_r3_and_rolled_back(sjuharad, carin):
    idea = boras_idea_at(sjuharad, IdeaStep.OWNER_AGREED, by=carin)
    before = idea_state(idea)
    with pytest.raises(PipelineError) as refusal:
        # FK is not a party yet, so it would join without a mandate; nobody waived ownership.
        services.update_idea(idea, by=carin, expected_version=idea.version, owner=fk())
    assert {"R3", "R6"} <= refused(refusal.value)
    assert idea_state(idea) == before
    assert not IdeaParty.objects.filter(idea=idea, organisation=fk()).exists()


def test_a_need_cannot_be_moved_outside_finsam_under_an_agreed_idea(sjuharad, alice):
    idea = boras_idea_at(sjuharad, IdeaStep.OWNER_AGREED, by=alice)
    need = idea.need
    with pytest.raises(PipelineError) as refusal:
        services.update_need(
            need, by=alice, expected_version=need.version, is_finsam_target_group=False
        )
    assert refused(refusal.value) == {"R5"}
    kept = fresh(need)
    assert (kept.is_finsam_target_group, kept.version) == (True, need.version)
    assert kept.history.count() == need.history.count()


def test_removing_parties(sjuharad, bob):
    idea = boras_idea_at(sjuharad, IdeaStep.OWNER_AGREED, by=bob)
    before = idea_state(idea)
    with pytest.raises(PipelineError, match="Projektägaren kan inte tas bort som part"):
        services.remove_idea_party(idea, kommun("1490"), by=bob, expected_version=idea.version)
    assert idea_state(idea) == before

    services.remove_idea_party(idea, region("14"), by=bob, expected_version=idea.version)
    after = fresh(idea)
    assert after.version == idea.version + 1
    assert set(after.parties.values_list("organisation", flat=True)) == {
        kommun("1490").pk,
        af().pk,
    }


# Track F -------------------------------------------------------------------------------------


def test_measure_needs_parties_and_responsibilities_before_responsibility_agreed(sjuharad, alice):
    need = NeedFactory(forbund=sjuharad, created_by=alice)
    measure = services.create_measure(need, by=alice, title="Gemensam kartläggning")
    services.move_measure(measure, MeasureStep.MEASURE_DESIGNED, by=alice)
    before = (fresh(measure).step, fresh(measure).version, measure.transitions.count())
    with pytest.raises(PipelineError) as refusal:
        services.move_measure(measure, MeasureStep.RESPONSIBILITY_AGREED, by=alice)
    assert [v.rule for v in refusal.value.violations] == ["F3", "F3"]
    assert "Ange vilka parter som medverkar i insatsen" in str(refusal.value)
    assert "Beskriv ansvarsfördelningen" in str(refusal.value)
    assert (fresh(measure).step, fresh(measure).version, measure.transitions.count()) == before

    services.update_measure(
        measure,
        by=alice,
        expected_version=fresh(measure).version,
        parties=[kommun("1490"), af()],
    )
    with pytest.raises(PipelineError) as refusal:
        services.move_measure(measure, MeasureStep.RESPONSIBILITY_AGREED, by=alice)
    assert [v.rule for v in refusal.value.violations] == ["F3"]
    services.update_measure(
        measure,
        by=alice,
        expected_version=fresh(measure).version,
        responsibilities="Borås leder; Arbetsförmedlingen bidrar med handläggare.",
    )
    services.move_measure(measure, MeasureStep.RESPONSIBILITY_AGREED, by=alice)
    assert fresh(measure).step == MeasureStep.RESPONSIBILITY_AGREED


def measure_at(forbund, alice, step: str) -> Measure:
    need = NeedFactory(forbund=forbund, created_by=alice)
    measure = services.create_measure(
        need,
        by=alice,
        title="Gemensam kartläggning",
        parties=[kommun("1490"), af(), fk()],
        responsibilities="Borås leder.",
    )
    Measure.objects.filter(pk=measure.pk).update(step=step)
    return fresh(measure)


def test_only_the_board_decides_on_a_measure(sjuharad, alice):
    measure = measure_at(sjuharad, alice, MeasureStep.RESPONSIBILITY_AGREED)
    for to_step in (MeasureStep.BOARD_DECIDED, MeasureStep.BOARD_DECLINED):
        with pytest.raises(PipelineError) as refusal:
            services.move_measure(measure, to_step, by=alice, forum=Forum.BEREDNINGSGRUPP)
        assert [v.rule for v in refusal.value.violations] == ["F4"]
        assert "Det är förbundets styrelse som beslutar om finansiering" in str(refusal.value)
    assert fresh(measure).step == MeasureStep.RESPONSIBILITY_AGREED
    assert measure.transitions.count() == 0

    services.move_measure(
        measure, MeasureStep.BOARD_DECIDED, by=alice, forum=Forum.STYRELSE, basis_date=MEETING
    )
    assert fresh(measure).step == MeasureStep.BOARD_DECIDED


def test_measure_walks_track_f_to_completed(sjuharad, alice, bob):
    need = services.record_need(
        sjuharad,
        by=alice,
        title="Samordning för långtidssjukskrivna",
        target_group="Långtidssjukskrivna i Borås",
        identified_on=dt.date(2026, 2, 1),
    )
    measure = services.create_measure(need, by=alice, title="Gemensam kartläggning")
    assert measure.target_group == need.target_group
    moves = [
        (MeasureStep.MEASURE_DESIGNED, bob, Forum.BEREDNINGSGRUPP),
        (MeasureStep.RESPONSIBILITY_AGREED, bob, Forum.BEREDNINGSGRUPP),
        (MeasureStep.BOARD_DECIDED, alice, Forum.STYRELSE),
        (MeasureStep.RUNNING, alice, Forum.OTHER),
        (MeasureStep.COMPLETED, alice, Forum.OTHER),
    ]
    for to_step, by, forum in moves:
        if to_step == MeasureStep.RESPONSIBILITY_AGREED:
            services.update_measure(
                measure,
                by=bob,
                expected_version=fresh(measure).version,
                parties=[kommun("1490"), region("14"), fk()],
                responsibilities="Regionen utreder, FK samordnar.",
            )
        services.move_measure(
            measure,
            to_step,
            by=by,
            forum=forum,
            basis_date=MEETING,
            expected_version=fresh(measure).version,
        )
    done = fresh(measure)
    assert done.step == MeasureStep.COMPLETED
    assert list(done.transitions.values_list("to_step", "by__username", "forum")) == [
        (step, by.username, forum) for step, by, forum in moves
    ]
    assert done.transitions.get(to_step=MeasureStep.BOARD_DECIDED).basis_date == MEETING
    board = done.history.filter(step=MeasureStep.BOARD_DECIDED).order_by("history_id").first()
    assert board.history_user == alice
    assert all(h.history_user is not None for h in done.history.all())


def test_measure_moves_outside_the_state_machine_are_refused(sjuharad, alice):
    measure = measure_at(sjuharad, alice, MeasureStep.NEED_IDENTIFIED)
    with pytest.raises(PipelineError) as refusal:
        services.move_measure(measure, MeasureStep.BOARD_DECIDED, by=alice, forum=Forum.STYRELSE)
    assert str(refusal.value) == (
        "En insats kan inte gå från ”Behov av insats identifierat” till "
        "”Styrelsen har beslutat om finansiering”."
    )
    assert fresh(measure).version == measure.version


def test_stop_a_measure(sjuharad, alice):
    measure = measure_at(sjuharad, alice, MeasureStep.RUNNING)
    with pytest.raises(PipelineError, match="Ange skälet till att arbetet stoppas"):
        services.move_measure(measure, MeasureStep.STOPPED, by=alice)
    assert fresh(measure).step == MeasureStep.RUNNING

    services.move_measure(
        measure,
        MeasureStep.STOPPED,
        by=alice,
        stop_reason=StopReason.NEED_MET_OTHERWISE,
        note="Kommunen tog över i ordinarie verksamhet.",
    )
    stopped = fresh(measure)
    assert (stopped.step, stopped.stop_reason) == (
        MeasureStep.STOPPED,
        StopReason.NEED_MET_OTHERWISE,
    )
    assert stopped.stop_note == "Kommunen tog över i ordinarie verksamhet."
    with pytest.raises(PipelineError, match="kan inte gå från ”Stoppad”"):
        services.move_measure(measure, MeasureStep.RUNNING, by=alice)


def test_stale_measure_edit_is_refused(sjuharad, alice, bob):
    measure = measure_at(sjuharad, alice, MeasureStep.MEASURE_DESIGNED)
    read_at = measure.version
    services.update_measure(measure, by=bob, expected_version=read_at, goals="30 deltagare")
    with pytest.raises(StaleEdit):
        services.update_measure(measure, by=alice, expected_version=read_at, goals="40")
    with pytest.raises(StaleEdit):
        services.move_measure(
            measure, MeasureStep.RESPONSIBILITY_AGREED, by=alice, expected_version=read_at
        )
    kept = fresh(measure)
    assert (kept.goals, kept.step) == ("30 deltagare", MeasureStep.MEASURE_DESIGNED)


# Who sees what ------------------------------------------------------------------------------


def test_needs_ideas_and_measures_are_visible_only_within_ones_forbund(
    sjuharad, alv_och_kust, alice, erik, mallory
):
    ours = boras_idea_at(sjuharad, IdeaStep.IDEA_DESIGNED, by=alice)
    theirs = idea_at(alv_och_kust, IdeaStep.NEED_IDENTIFIED, kommun("1482"), by=mallory)
    measure = measure_at(sjuharad, alice, MeasureStep.RUNNING)
    for user in (alice, erik):
        assert list(Idea.objects.visible_to(user)) == [ours]
        assert list(Measure.objects.visible_to(user)) == [measure]
        assert set(Need.objects.visible_to(user)) == {ours.need, measure.need}
    assert list(Idea.objects.visible_to(mallory)) == [theirs]
    assert not Measure.objects.visible_to(mallory).exists()
