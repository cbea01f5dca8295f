"""Rules R1–R9 alone: facts in, violations out. No database.

The cast of parties is a Sjuhärad idea: Försäkringskassan, Arbetsförmedlingen,
Borås stad and Västra Götalandsregionen, with a folkhögskola when a test needs
an actor outside Finsam.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samsyn.parties.choices import OrganisationKind as Kind
from samsyn.pipeline import rules
from samsyn.pipeline.rules import (
    BudgetLine,
    IdeaFacts,
    PartyFacts,
    ProgrammeAreaFacts,
    Violation,
)
from samsyn.pipeline.steps import Forum, IdeaStep, ProgrammePeriod

FK = PartyFacts(1, "Försäkringskassan", Kind.FK, has_mandate=True, has_decision=True)
AF = PartyFacts(
    2,
    "Arbetsförmedlingen",
    Kind.AF,
    has_mandate=True,
    has_decision=True,
    performs_rehabilitation=True,
)
BORAS = PartyFacts(3, "Borås", Kind.KOMMUN, has_mandate=True, has_decision=True)
VGR = PartyFacts(4, "Västra Götalandsregionen", Kind.REGION, has_mandate=True, has_decision=True)
FOLKHOGSKOLA = PartyFacts(
    5, "Folkhögskolan i Sjuhärad", Kind.OTHER, has_mandate=True, has_decision=True
)

NO_SETTINGS_DB = settings(database=None, deadline=None)


def fk_owned(**changes) -> IdeaFacts:
    """An FK-owned idea that meets every condition of R3 and R4; change one thing per test."""
    facts = IdeaFacts(
        owner_id=FK.organisation_id,
        owner_kind=Kind.FK,
        owner_name=FK.name,
        parties=(FK, AF, BORAS, VGR),
        target_group_is_finsam=True,
        need_in_preparatory_structure=True,
        no_other_owner=True,
        programme_period=ProgrammePeriod.P2021_2027,
        aimed_at_individuals=True,
        agreement_signed=True,
    )
    return dataclasses.replace(facts, **changes)


def boras_owned(**changes) -> IdeaFacts:
    facts = IdeaFacts(
        owner_id=BORAS.organisation_id,
        owner_kind=Kind.KOMMUN,
        owner_name=BORAS.name,
        parties=(BORAS, AF, VGR),
    )
    return dataclasses.replace(facts, **changes)


def the_one(violations: list[Violation], rule: str) -> str:
    """The message of the single violation, which must be of `rule` and name it."""
    assert [v.rule for v in violations] == [rule], violations
    message = violations[0].message
    assert f"({rule})" in message
    return message


def rules_of(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


# R1 ------------------------------------------------------------------------------------------


def test_r1_esf_matters_not_raised_in_board():
    message = the_one(rules.r1_no_esf_matters_in_board(Forum.STYRELSE), "R1")
    assert "ESF+-frågor lyfts inte för dialog eller beslut" in message
    assert "styrelse" in message
    for forum in (Forum.BEREDNINGSGRUPP, Forum.PARTERNA, Forum.ESF_RADET, Forum.OTHER):
        assert rules.r1_no_esf_matters_in_board(forum) == []

    agenda = rules.r1_board_agenda(True, iter(["Projektidé Vägen till arbete", "ESF+ Care"]))
    message = the_one(agenda, "R1")
    assert "Ta bort från dagordningen: Projektidé Vägen till arbete, ESF+ Care" in message
    # A beredningsgrupp may discuss ESF+; a board agenda without ESF+ items is fine.
    assert rules.r1_board_agenda(False, ["Projektidé Vägen till arbete"]) == []
    assert rules.r1_board_agenda(True, []) == []


def test_r1_applies_to_every_idea_transition():
    for to_step in (IdeaStep.IDEA_DESIGNED, IdeaStep.STOPPED, IdeaStep.LEFT_ROUTINE):
        at_board = rules.idea_transition_violations(
            boras_owned(), to_step, forum=Forum.STYRELSE, actor_organisation_id=None
        )
        assert "R1" in rules_of(at_board)
    in_group = rules.idea_transition_violations(
        boras_owned(),
        IdeaStep.IDEA_DESIGNED,
        forum=Forum.BEREDNINGSGRUPP,
        actor_organisation_id=None,
    )
    assert in_group == []


# R2 ------------------------------------------------------------------------------------------


def test_r2_forbund_cannot_be_project_owner():
    message = the_one(rules.r2_forbund_cannot_own(Kind.FORBUND), "R2")
    assert "samordningsförbund kan inte vara projektägare" in message
    assert "Finsamlagen" in message
    for kind in (Kind.FK, Kind.AF, Kind.KOMMUN, Kind.REGION, Kind.OTHER, None):
        assert rules.r2_forbund_cannot_own(kind) == []

    forbund_owner = boras_owned(owner_id=9, owner_kind=Kind.FORBUND, owner_name="Sjuhärad")
    at_e3 = rules.idea_state_violations(forbund_owner, IdeaStep.OWNER_AGREED)
    assert "R2" in rules_of(at_e3)


# R3 ------------------------------------------------------------------------------------------

R3_FRAGMENTS = {
    "preparatory": "behovet ska ha identifierats i förbundets beredningsstruktur",
    "other_owner": "övriga parter ska ha avstått från att vara projektägare",
    "cofinancing": "alla medverkande parter ska medfinansiera",
    "target_group": "målgruppen ska vara Finsams målgrupp",
    "finsam_parties": "medverkande och medfinansierande parter ska vara Finsam-parter",
    "period": "projektet ska höra till programperioden 2021–2027",
}


@pytest.mark.parametrize(
    ("condition", "changes", "names"),
    [
        ("preparatory", {"need_in_preparatory_structure": False}, None),
        ("other_owner", {"no_other_owner": False}, None),
        (
            "cofinancing",
            {"parties": (FK, AF, BORAS, dataclasses.replace(VGR, is_cofinancier=False))},
            "(gör det inte: Västra Götalandsregionen)",
        ),
        ("target_group", {"target_group_is_finsam": False}, None),
        (
            "finsam_parties",
            {"parties": (FK, AF, BORAS, VGR, FOLKHOGSKOLA)},
            "(är det inte: Folkhögskolan i Sjuhärad)",
        ),
        ("period", {"programme_period": ProgrammePeriod.P2014_2020}, None),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_r3_fk_owner_requires_all_conditions(condition, changes, names):
    message = the_one(rules.r3_fk_owner_conditions(fk_owned(**changes)), "R3")
    assert message.startswith("Försäkringskassan kan vara projektägare enligt regeringsuppdraget")
    assert R3_FRAGMENTS[condition] in message
    if names:
        assert names in message
    # Only the missing condition is named, not the ones that hold.
    for other, fragment in R3_FRAGMENTS.items():
        if other != condition:
            assert fragment not in message


def test_r3_fk_owner_allowed_when_all_conditions_hold_and_other_owners_unaffected():
    assert rules.r3_fk_owner_conditions(fk_owned()) == []
    breaks_everything = {
        "need_in_preparatory_structure": False,
        "no_other_owner": False,
        "target_group_is_finsam": False,
        "programme_period": ProgrammePeriod.P2014_2020,
        "parties": (dataclasses.replace(BORAS, is_cofinancier=False), FOLKHOGSKOLA),
    }
    # All six missing at once: one R3 violation that lists every one.
    message = the_one(rules.r3_fk_owner_conditions(fk_owned(**breaks_everything)), "R3")
    assert all(fragment in message for fragment in R3_FRAGMENTS.values())
    # The conditions bind FK only: Borås as owner of the same idea is not judged by R3.
    assert rules.r3_fk_owner_conditions(boras_owned(**breaks_everything)) == []
    assert rules.r3_fk_owner_conditions(boras_owned(owner_id=None, owner_kind=None)) == []


@NO_SETTINGS_DB
@given(
    in_structure=st.booleans(),
    no_other_owner=st.booleans(),
    all_cofinance=st.booleans(),
    finsam_target_group=st.booleans(),
    only_finsam_parties=st.booleans(),
    period=st.sampled_from(ProgrammePeriod.values),
)
def test_r3_property_fk_may_own_iff_every_condition_holds(
    in_structure, no_other_owner, all_cofinance, finsam_target_group, only_finsam_parties, period
):
    parties = [FK, AF, dataclasses.replace(BORAS, is_cofinancier=all_cofinance)]
    if not only_finsam_parties:
        parties.append(FOLKHOGSKOLA)
    facts = fk_owned(
        need_in_preparatory_structure=in_structure,
        no_other_owner=no_other_owner,
        parties=tuple(parties),
        target_group_is_finsam=finsam_target_group,
        programme_period=period,
    )
    all_hold = (
        in_structure
        and no_other_owner
        and all_cofinance
        and finsam_target_group
        and only_finsam_parties
        and period == ProgrammePeriod.P2021_2027
    )
    assert (rules.r3_fk_owner_conditions(facts) == []) is all_hold


# R4 ------------------------------------------------------------------------------------------

R4_PERFORMER = "minst en annan part ska utföra rehabiliteringsinsatserna"
R4_AGREEMENT = "en skriftlig överenskommelse ska reglera ansvaret"


def test_r4_fk_individual_project_needs_agreement_and_performer():
    message = the_one(
        rules.r4_fk_individual_project_agreement(fk_owned(agreement_signed=False)), "R4"
    )
    assert message.startswith(
        "När Försäkringskassan äger ett projekt som riktar sig till individer"
    )
    assert R4_AGREEMENT in message
    assert "innan ansökan skickas" in message
    assert R4_PERFORMER not in message

    nobody_rehabilitates = (FK, dataclasses.replace(AF, performs_rehabilitation=False), BORAS)
    message = the_one(
        rules.r4_fk_individual_project_agreement(fk_owned(parties=nobody_rehabilitates)), "R4"
    )
    assert R4_PERFORMER in message
    assert R4_AGREEMENT not in message

    # FK administers and coordinates: FK itself performing does not count as a performer.
    only_fk_rehabilitates = (dataclasses.replace(FK, performs_rehabilitation=True), BORAS)
    message = the_one(
        rules.r4_fk_individual_project_agreement(fk_owned(parties=only_fk_rehabilitates)), "R4"
    )
    assert R4_PERFORMER in message

    both = fk_owned(parties=only_fk_rehabilitates, agreement_signed=False)
    message = the_one(rules.r4_fk_individual_project_agreement(both), "R4")
    assert R4_PERFORMER in message and R4_AGREEMENT in message

    # Allowed: agreement signed and another party performs; or not aimed at individuals;
    # or another owner.
    assert rules.r4_fk_individual_project_agreement(fk_owned()) == []
    not_individuals = dataclasses.replace(both, aimed_at_individuals=False)
    assert rules.r4_fk_individual_project_agreement(not_individuals) == []
    assert (
        rules.r4_fk_individual_project_agreement(
            boras_owned(parties=(BORAS, VGR), agreement_signed=False)
        )
        == []
    )


def test_r4_checked_when_submitting_not_before():
    unsigned = fk_owned(agreement_signed=False)
    assert "R4" not in rules_of(rules.idea_state_violations(unsigned, IdeaStep.PARTIES_DECIDED))
    at_submission = rules.idea_transition_violations(
        unsigned, IdeaStep.SUBMITTED, forum=Forum.PARTERNA, actor_organisation_id=FK.organisation_id
    )
    assert rules_of(at_submission) == {"R4"}


# R5 ------------------------------------------------------------------------------------------


def test_r5_outside_finsam_leaves_routine():
    message = the_one(rules.r5_outside_finsam(boras_owned(target_group_is_finsam=False)), "R5")
    assert "Idén ligger utanför Finsam: målgruppen är inte Finsams målgrupp" in message
    assert "Registrera att idén lämnat rutinen" in message

    with_outsider = boras_owned(parties=(BORAS, AF, FOLKHOGSKOLA))
    message = the_one(rules.r5_outside_finsam(with_outsider), "R5")
    assert "medfinansiärer utanför Finsam (Folkhögskolan i Sjuhärad)" in message
    assert "dialogen fortsätter utanför beredningsgruppen" in message

    both = boras_owned(parties=(BORAS, FOLKHOGSKOLA), target_group_is_finsam=False)
    message = the_one(rules.r5_outside_finsam(both), "R5")
    assert "målgruppen är inte Finsams målgrupp och medfinansiärer utanför Finsam" in message

    # Within Finsam: target group and every co-financier. An outside actor that takes part
    # without co-financing does not take the idea out of the routine.
    assert rules.r5_outside_finsam(boras_owned()) == []
    helper = dataclasses.replace(FOLKHOGSKOLA, is_cofinancier=False)
    assert rules.r5_outside_finsam(boras_owned(parties=(BORAS, AF, helper))) == []


# R6 ------------------------------------------------------------------------------------------


def test_r6_mandates_required_past_owner_agreed():
    message = the_one(rules.r6_mandates_recorded(boras_owned(parties=())), "R6")
    assert "Ange vilka parter som medverkar" in message

    unmandated = (BORAS, dataclasses.replace(AF, has_mandate=False), VGR)
    message = the_one(rules.r6_mandates_recorded(boras_owned(parties=unmandated)), "R6")
    assert "Mandat saknas för: Arbetsförmedlingen (R6)" in message
    assert "Borås" not in message

    assert rules.r6_mandates_recorded(boras_owned()) == []

    # Before and at E2 the mandates are not yet needed; from E3 onwards they are.
    facts = boras_owned(parties=unmandated)
    assert "R6" not in rules_of(rules.idea_state_violations(facts, IdeaStep.IDEA_DESIGNED))
    for step in (IdeaStep.OWNER_AGREED, IdeaStep.APPLICATION_DRAFTED, IdeaStep.RUNNING):
        assert "R6" in rules_of(rules.idea_state_violations(facts, step))


parties_strategy = st.lists(
    st.builds(
        PartyFacts,
        organisation_id=st.integers(1, 10_000),
        name=st.sampled_from(["Borås", "Ulricehamn", "Arbetsförmedlingen", "Region X"]),
        kind=st.sampled_from([Kind.KOMMUN, Kind.REGION, Kind.AF, Kind.FK]),
        has_mandate=st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@NO_SETTINGS_DB
@given(parties=parties_strategy)
def test_r6_property_violation_iff_some_party_lacks_mandate(parties):
    violations = rules.r6_mandates_recorded(boras_owned(parties=tuple(parties)))
    lacking = [p for p in parties if not p.has_mandate]
    assert bool(violations) is bool(lacking)
    if lacking:
        message = the_one(violations, "R6")
        assert all(p.name in message for p in lacking)


# R7 ------------------------------------------------------------------------------------------


def test_r7_cofinancier_decisions_and_owner_submits():
    undecided = (BORAS, dataclasses.replace(VGR, has_decision=False), AF)
    message = the_one(rules.r7_cofinancier_decisions(boras_owned(parties=undecided)), "R7")
    assert "formellt beslut om sitt åtagande innan ansökan skickas" in message
    assert "Beslut saknas för: Västra Götalandsregionen (R7)" in message
    assert rules.r7_cofinancier_decisions(boras_owned()) == []
    # A party that does not co-finance has no commitment to decide on.
    helper = dataclasses.replace(VGR, is_cofinancier=False, has_decision=False)
    assert rules.r7_cofinancier_decisions(boras_owned(parties=(BORAS, AF, helper))) == []

    facts = boras_owned()
    message = the_one(rules.r7_only_owner_submits(facts, AF.organisation_id), "R7")
    assert "Bara projektägaren (Borås) skickar in ansökan till Svenska ESF-rådet" in message
    the_one(rules.r7_only_owner_submits(facts, None), "R7")
    no_owner = boras_owned(owner_id=None, owner_kind=None, owner_name="")
    message = the_one(rules.r7_only_owner_submits(no_owner, None), "R7")
    assert "Bara projektägaren (projektägaren)" in message
    assert rules.r7_only_owner_submits(facts, BORAS.organisation_id) == []

    # Decisions are required from E5 on; only the submission asks who submits.
    facts = boras_owned(parties=undecided)
    assert "R7" not in rules_of(rules.idea_state_violations(facts, IdeaStep.APPLICATION_DRAFTED))
    assert "R7" in rules_of(rules.idea_state_violations(facts, IdeaStep.PARTIES_DECIDED))
    by_af = rules.idea_transition_violations(
        boras_owned(), IdeaStep.SUBMITTED, forum=Forum.PARTERNA, actor_organisation_id=2
    )
    assert rules_of(by_af) == {"R7"}
    by_owner = rules.idea_transition_violations(
        boras_owned(), IdeaStep.SUBMITTED, forum=Forum.PARTERNA, actor_organisation_id=3
    )
    assert by_owner == []


# R8 ------------------------------------------------------------------------------------------

PERIOD_START = dt.date(2026, 1, 1)
PERIOD_END = dt.date(2027, 12, 31)
ONE_DAY = dt.timedelta(days=1)


def test_r8_budget_outside_project_period_refused():
    exactly = BudgetLine("Projektledning", PERIOD_START, PERIOD_END)
    assert rules.r8_budget_within_period(PERIOD_START, PERIOD_END, [exactly]) == []

    early = BudgetLine("Förstudie", PERIOD_START - ONE_DAY, dt.date(2026, 6, 30))
    message = the_one(rules.r8_budget_within_period(PERIOD_START, PERIOD_END, [early]), "R8")
    assert (
        "Budgetposten Förstudie (2025-12-31–2026-06-30) ligger utanför projektperioden" in message
    )
    assert "2026-01-01–2027-12-31" in message
    assert "ESF+ finansierar inte arbete före och efter projektperioden" in message

    late = BudgetLine("Slutrapport", dt.date(2027, 9, 1), PERIOD_END + ONE_DAY)
    the_one(rules.r8_budget_within_period(PERIOD_START, PERIOD_END, [late]), "R8")

    lines = [exactly, early, late, BudgetLine("Lokaler", dt.date(2026, 3, 1), dt.date(2026, 4, 1))]
    violations = rules.r8_budget_within_period(PERIOD_START, PERIOD_END, lines)
    assert [v.rule for v in violations] == ["R8", "R8"]
    assert "Förstudie" in violations[0].message and "Slutrapport" in violations[1].message


dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


@NO_SETTINGS_DB
@given(start=dates, end=dates, line_start=dates, line_end=dates)
def test_r8_property_line_refused_iff_partly_outside_period(start, end, line_start, line_end):
    start, end = sorted((start, end))
    line_start, line_end = sorted((line_start, line_end))
    line = BudgetLine("Post", line_start, line_end)
    violations = rules.r8_budget_within_period(start, end, [line])
    inside = start <= line_start and line_end <= end
    assert (violations == []) is inside
    if not inside:
        the_one(violations, "R8")


# R9 ------------------------------------------------------------------------------------------

AREA_A = ProgrammeAreaFacts(
    "A", "Öka möjligheten till ett inkluderande och hållbart arbetsliv för alla"
)
AREA_B = ProgrammeAreaFacts(
    "B", "Öka möjligheten till arbete", only_applicant_kinds=frozenset({Kind.AF})
)
AREA_D = ProgrammeAreaFacts(
    "D",
    "Öka kapaciteten i den glesa geografin",
    only_nuts2_codes=frozenset({"SE32", "SE33"}),
    nuts2_names="Mellersta Norrland och Övre Norrland",
)


def test_r9_area_b_only_af_and_area_d_only_norrland():
    message = the_one(rules.r9_programme_area(AREA_B, Kind.KOMMUN, ["SE23"]), "R9")
    assert "Bara Arbetsförmedlingen kan söka i programområde B (Öka möjligheten till arbete)" in (
        message
    )
    for kind in (Kind.FK, Kind.REGION, Kind.OTHER, None):
        the_one(rules.r9_programme_area(AREA_B, kind, []), "R9")
    assert rules.r9_programme_area(AREA_B, Kind.AF, ["SE11", "SE23"]) == []

    message = the_one(rules.r9_programme_area(AREA_D, Kind.KOMMUN, ["SE11"]), "R9")
    assert "Programområde D (Öka kapaciteten i den glesa geografin) gäller bara" in message
    assert "Mellersta Norrland och Övre Norrland" in message
    # A project reaching outside Norrland too is refused.
    the_one(rules.r9_programme_area(AREA_D, Kind.REGION, ["SE33", "SE31"]), "R9")
    for codes in (["SE32"], ["SE33"], ["SE32", "SE33"]):
        assert rules.r9_programme_area(AREA_D, Kind.KOMMUN, codes) == []

    # Without a display name the codes are named.
    unnamed = dataclasses.replace(AREA_D, nuts2_names="")
    message = the_one(rules.r9_programme_area(unnamed, Kind.KOMMUN, ["SE22"]), "R9")
    assert "gäller bara SE32, SE33 (R9)" in message

    # Both restrictions broken at once: two violations.
    both = dataclasses.replace(AREA_D, only_applicant_kinds=frozenset({Kind.AF}))
    assert [v.rule for v in rules.r9_programme_area(both, Kind.KOMMUN, ["SE11"])] == ["R9", "R9"]

    # Area A has no such restrictions.
    assert rules.r9_programme_area(AREA_A, Kind.OTHER, ["SE11"]) == []


# Step E3 and the composition the state machine asks for ----------------------------------------


def test_e3_owner_must_be_one_of_the_parties():
    [no_owner] = rules.e3_owner_among_parties(boras_owned(owner_id=None))
    assert no_owner.rule == "E3"
    assert "Ange vilken part som ska vara projektägare" in no_owner.message
    [outsider] = rules.e3_owner_among_parties(boras_owned(parties=(AF, VGR)))
    assert outsider.rule == "E3"
    assert "Projektägaren (Borås) ska vara en av de medverkande parterna" in outsider.message
    assert rules.e3_owner_among_parties(boras_owned()) == []


def test_state_rules_grow_with_the_step():
    nothing_agreed = IdeaFacts(owner_id=None, owner_kind=None, parties=())
    assert rules.idea_state_violations(nothing_agreed, IdeaStep.NEED_IDENTIFIED) == []
    assert rules.idea_state_violations(nothing_agreed, IdeaStep.IDEA_DESIGNED) == []
    assert rules_of(rules.idea_state_violations(nothing_agreed, IdeaStep.OWNER_AGREED)) == {
        "E3",
        "R6",
    }
    # A rejected application was submitted: it is judged as far as a granted one.
    unsigned = fk_owned(agreement_signed=False)
    assert "R4" in rules_of(rules.idea_state_violations(unsigned, IdeaStep.REJECTED))
    # A stopped idea, or one that left the routine, is not judged by the main path's rules.
    assert rules.idea_state_violations(nothing_agreed, IdeaStep.STOPPED) == []
    assert rules.idea_state_violations(nothing_agreed, IdeaStep.LEFT_ROUTINE) == []
    # Leaving the routine is judged by R1 only (the verb adds R5's converse).
    outside = boras_owned(target_group_is_finsam=False)
    assert (
        rules.idea_transition_violations(
            outside, IdeaStep.LEFT_ROUTINE, forum=Forum.BEREDNINGSGRUPP, actor_organisation_id=None
        )
        == []
    )
