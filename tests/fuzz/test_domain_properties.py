"""Property tests of the domain functions: any input gives an answer, never a crash.

- the rules R1–R9 (samsyn.pipeline.rules): any facts give a list of violations, each with a
  known rule id and a Swedish message; the consistency the rule texts (DOMAIN.md §3) imply;
- personnummer: every valid number (any format, samordningsnummer too) is accepted and
  normalised; a wrong check digit and any other text are refused with a Swedish message;
- the participant file reader: any bytes give rows or a Swedish refusal.
No database: these run in well under a second each.
"""

from __future__ import annotations

import datetime as dt
import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from samsyn.followup.imports import read_participant_file
from samsyn.followup.personnummer import luhn_digit, normalise
from samsyn.followup.services import ImportRejected
from samsyn.parties.choices import FINSAM_PARTY_KINDS, OrganisationKind
from samsyn.pipeline import rules
from samsyn.pipeline.rules import BudgetLine, IdeaFacts, PartyFacts, ProgrammeAreaFacts
from samsyn.pipeline.steps import IDEA_MAIN_PATH, Forum, IdeaStep, ProgrammePeriod

FAST = settings(max_examples=50, deadline=None)
TODAY = dt.date(2026, 11, 26)  # fixed: "not in the future" must not depend on the clock

# Rules ---------------------------------------------------------------------------------------

ANY_TEXT = st.text(max_size=20)
KINDS = st.one_of(st.sampled_from(list(OrganisationKind.values)), ANY_TEXT)
RULE_IDS = {"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "E3"}

parties = st.lists(
    st.builds(
        PartyFacts,
        organisation_id=st.integers(1, 8),
        name=st.text(min_size=1, max_size=12),
        kind=KINDS,
        is_cofinancier=st.booleans(),
        has_mandate=st.booleans(),
        has_decision=st.booleans(),
        performs_rehabilitation=st.booleans(),
    ),
    max_size=5,
    unique_by=lambda p: p.organisation_id,
).map(tuple)

ideas = st.builds(
    IdeaFacts,
    owner_id=st.one_of(st.none(), st.integers(1, 8)),
    owner_kind=st.one_of(st.none(), KINDS),
    owner_name=ANY_TEXT,
    parties=parties,
    target_group_is_finsam=st.booleans(),
    need_in_preparatory_structure=st.booleans(),
    no_other_owner=st.booleans(),
    programme_period=st.one_of(st.sampled_from(list(ProgrammePeriod.values)), ANY_TEXT),
    aimed_at_individuals=st.booleans(),
    agreement_signed=st.booleans(),
)
steps = st.one_of(st.sampled_from(list(IdeaStep.values)), ANY_TEXT)
forums = st.one_of(st.sampled_from(list(Forum.values)), ANY_TEXT)


def _well_formed(violations) -> None:
    assert isinstance(violations, list)
    for v in violations:
        assert v.rule in RULE_IDS
        assert v.message.strip() and v.message[-1] in ".)"


@FAST
@given(facts=ideas, step=steps, forum=forums, actor=st.one_of(st.none(), st.integers(1, 8)))
def test_any_idea_facts_give_violations_never_a_crash(facts, step, forum, actor):
    _well_formed(rules.idea_state_violations(facts, step))
    moved = rules.idea_transition_violations(facts, step, forum=forum, actor_organisation_id=actor)
    _well_formed(moved)
    # R1: an ESF+ idea is never moved at the board, whatever else holds (also out of routine).
    assert any(v.rule == "R1" for v in moved) == (forum == Forum.STYRELSE)


@FAST
@given(facts=ideas, steps_=st.lists(st.sampled_from(IDEA_MAIN_PATH), min_size=2, max_size=2))
def test_further_along_the_path_no_rule_is_forgotten(facts, steps_):
    """The rules accumulate along track E: what blocks an earlier step blocks every later one."""
    early, late = sorted(steps_, key=IDEA_MAIN_PATH.index)
    before = set(rules.idea_state_violations(facts, early))
    after = set(rules.idea_state_violations(facts, late))
    assert before <= after


@FAST
@given(facts=ideas)
def test_r2_r3_r4_speak_only_about_their_owner(facts):
    assert bool(rules.r2_forbund_cannot_own(facts.owner_kind)) == (
        facts.owner_kind == OrganisationKind.FORBUND
    )
    if facts.owner_kind != OrganisationKind.FK:
        assert rules.r3_fk_owner_conditions(facts) == []
        assert rules.r4_fk_individual_project_agreement(facts) == []


@FAST
@given(facts=ideas)
def test_r3_holds_exactly_when_every_condition_of_the_assignment_holds(facts):
    facts = IdeaFacts(**{**facts.__dict__, "owner_kind": OrganisationKind.FK})
    all_hold = (
        facts.need_in_preparatory_structure
        and facts.no_other_owner
        and all(p.is_cofinancier for p in facts.parties)
        and facts.target_group_is_finsam
        and all(p.kind in FINSAM_PARTY_KINDS for p in facts.parties)
        and facts.programme_period == ProgrammePeriod.P2021_2027
    )
    assert (rules.r3_fk_owner_conditions(facts) == []) == all_hold


@FAST
@given(facts=ideas)
def test_r5_r6_r7_follow_their_facts(facts):
    outside = not facts.target_group_is_finsam or any(
        p.kind not in FINSAM_PARTY_KINDS for p in facts.cofinanciers
    )
    assert bool(rules.r5_outside_finsam(facts)) == outside
    assert bool(rules.r6_mandates_recorded(facts)) == (
        not facts.parties or not all(p.has_mandate for p in facts.parties)
    )
    assert bool(rules.r7_cofinancier_decisions(facts)) == any(
        not p.has_decision for p in facts.cofinanciers
    )
    with_mandates = tuple(PartyFacts(**{**p.__dict__, "has_mandate": True}) for p in facts.parties)
    if with_mandates:  # recording every mandate is always enough for R6
        assert (
            rules.r6_mandates_recorded(IdeaFacts(**{**facts.__dict__, "parties": with_mandates}))
            == []
        )


budget_lines = st.lists(
    st.builds(BudgetLine, label=ANY_TEXT, starts_on=st.dates(), ends_on=st.dates()), max_size=6
)


@FAST
@given(start=st.dates(), end=st.dates(), lines=budget_lines, shrink=st.integers(0, 400))
def test_r8_flags_exactly_the_lines_outside_and_a_shorter_period_flags_no_fewer(
    start, end, lines, shrink
):
    found = rules.r8_budget_within_period(start, end, lines)
    _well_formed(found)
    outside = [ln for ln in lines if ln.starts_on < start or ln.ends_on > end]
    assert len(found) == len(outside)
    assume(end - dt.timedelta(days=shrink) >= dt.date.min)
    shorter = rules.r8_budget_within_period(start, end - dt.timedelta(days=shrink), lines)
    assert len(shorter) >= len(found)


NUTS2 = ["SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"]


@FAST
@given(
    only_kinds=st.frozensets(st.sampled_from(list(OrganisationKind.values)), max_size=2),
    only_codes=st.frozensets(st.sampled_from(NUTS2), max_size=2),
    applicant=st.one_of(st.none(), KINDS),
    codes=st.lists(st.one_of(st.sampled_from(NUTS2), ANY_TEXT), max_size=3),
)
def test_r9_refuses_exactly_the_wrong_applicant_or_region(only_kinds, only_codes, applicant, codes):
    area = ProgrammeAreaFacts("B", "Öka möjligheten till arbete", only_kinds, only_codes)
    found = rules.r9_programme_area(area, applicant, codes)
    _well_formed(found)
    wrong_kind = bool(only_kinds) and applicant not in only_kinds
    wrong_place = bool(only_codes) and not (codes and set(codes) <= only_codes)
    assert len(found) == wrong_kind + wrong_place


# Personnummer --------------------------------------------------------------------------------


def _with_check_digit(born: dt.date, serial: int, samordning: bool) -> str:
    day = born.day + (60 if samordning else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born:%Y%m}{day:02d}{serial:03d}{luhn_digit(nine)}"


valid_numbers = st.builds(
    _with_check_digit,
    born=st.dates(dt.date(1900, 1, 1), TODAY),
    serial=st.integers(0, 999),
    samordning=st.booleans(),
)


@FAST
@given(twelve=valid_numbers, style=st.sampled_from(["long", "hyphen", "short", "spaced"]))
def test_every_valid_personnummer_is_accepted_in_every_format(twelve, style):
    if style == "short":
        assume(int(twelve[:4]) > TODAY.year - 100)  # ten digits: the century is inferred
    written = {
        "long": twelve,
        "hyphen": f"{twelve[:8]}-{twelve[8:]}",
        "short": twelve[2:],
        "spaced": f" {twelve[:8]} {twelve[8:]} ",
    }[style]
    assert normalise(written, today=TODAY) == twelve


@FAST
@given(twelve=valid_numbers, wrong=st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(twelve, wrong):
    bad = twelve[:11] + str((int(twelve[11]) + wrong) % 10)
    with pytest.raises(ValidationError) as caught:
        normalise(bad, today=TODAY)
    assert caught.value.code == "luhn"
    assert "kontrollsiffra" in caught.value.messages[0]


SWEDISH_REFUSALS = ("Personnumret", "personnumret", "Födelsedatumet")


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(max_size=20), st.text(string.digits + "-+ ", max_size=14)))
@example("١٩٨١١٢١٨٩٨٧٦")  # Arabic-Indic digits: \d matches them, a personnummer has none
@example("19811218-9876\n")
@example("19811218－9876")  # a full-width hyphen
def test_any_other_text_is_refused_in_swedish_or_normalised_to_twelve_ascii_digits(text):
    try:
        result = normalise(text, today=TODAY)
    except ValidationError as exc:
        assert exc.messages and any(w in exc.messages[0] for w in SWEDISH_REFUSALS)
    else:
        assert len(result) == 12 and result.isascii() and result.isdigit()
        assert normalise(result, today=TODAY) == result  # normalising is stable


# The participant file reader -----------------------------------------------------------------

HEADER = b"personnummer;started_on;gender\r\n"


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(["d.csv", "d.CSV", "d.xlsx", "d.txt", "d"]),
    content=st.one_of(
        st.binary(max_size=200),
        st.binary(max_size=200).map(lambda b: HEADER + b),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.text(max_size=200).map(lambda t: HEADER + t.encode("utf-8", "surrogatepass")),
    ),
)
def test_any_bytes_give_rows_or_a_swedish_refusal(name, content):
    try:
        rows = read_participant_file(name, content)
    except ImportRejected as exc:
        assert exc.errors and all(e.message.strip() for e in exc.errors)
        assert str(exc).startswith("Ingen deltagare har lästs in")
    else:
        assert all(isinstance(line, int) and isinstance(row, dict) for line, row in rows)


cell = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters=';,"'),
    max_size=15,
).map(str.strip)


@FAST
@given(
    body=st.lists(st.tuples(cell, cell, cell), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_every_line_of_a_wellformed_csv_comes_back_numbered(body, encoding):
    lines = ["personnummer;started_on;gender", *(";".join(r) for r in body)]
    rows = read_participant_file("d.csv", ("\r\n".join(lines) + "\r\n").encode(encoding))
    expected = [n for n, r in enumerate(body, start=2) if any(r)]
    assert [line for line, _ in rows] == expected
    for line, row in rows:
        assert row["personnummer"] == body[line - 2][0]
