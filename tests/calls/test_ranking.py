"""The prioritisation arithmetic against hand-computed examples, and exact amounts."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from samsyn.calls.ranking import (
    BELOW,
    CUT,
    UNSCORED,
    WITHIN,
    ApplicationFacts,
    ScoreFact,
    rank,
    weighted_total,
)
from samsyn.calls.rules import financing_violations

WEIGHTS = {"P1": 1, "P2": 1, "P3": 2}


def scores(reviewer: str, p1: int, p2: int, p3: int) -> list[ScoreFact]:
    return [
        ScoreFact(reviewer, "P1", p1),
        ScoreFact(reviewer, "P2", p2),
        ScoreFact(reviewer, "P3", p3),
    ]


A = ApplicationFacts(1, "A", 400, [*scores("rut", 4, 4, 2), *scores("sara", 2, 4, 4)])
# sara is disqualified for B: her zeros must not count.
B = ApplicationFacts(
    2, "B", 300, [*scores("rut", 3, 3, 3), *scores("sara", 0, 0, 0)], frozenset({"sara"})
)
C = ApplicationFacts(3, "C", 500, [*scores("rut", 4, 2, 3), *scores("sara", 2, 4, 3)])
D = ApplicationFacts(4, "D", 100, [*scores("rut", 1, 1, 1)])
E = ApplicationFacts(5, "E", 200, [])


def test_weighted_total_is_the_weighted_mean_of_the_reviewers_means():
    # Means P1 = (4+2)/2 = 3, P2 = 4, P3 = 3; (1·3 + 1·4 + 2·3) / 4 = 13/4.
    total, means = weighted_total(WEIGHTS, A.scores)
    assert total == Fraction(13, 4)
    assert means == {"P1": 3, "P2": 4, "P3": 3}


def test_weighted_total_leaves_out_a_disqualified_reviewer():
    assert weighted_total(WEIGHTS, B.scores, B.disqualified)[0] == 3
    # Counted, sara's zeros would halve it: means 1.5 each → 1.5.
    assert weighted_total(WEIGHTS, B.scores)[0] == Fraction(3, 2)


def test_ranking_ties_and_budget_running_out_mid_application():
    rows = rank(WEIGHTS, [A, B, C, D, E], budget_sek=1000)
    assert [(r.title, r.rank, r.total) for r in rows] == [
        ("A", 1, Fraction(13, 4)),
        ("B", 2, 3),  # B and C tie at 3 and share second place, in submission order
        ("C", 2, 3),
        ("D", 4, 1),
        ("E", None, None),
    ]
    assert [r.tied for r in rows] == [False, True, True, False, False]
    # 400 + 300 fit in 1 000; C needs 500 but only 300 are left: the budget runs out there.
    assert [(r.position, r.funded_sek, r.cumulative_sek) for r in rows] == [
        (WITHIN, 400, 400),
        (WITHIN, 300, 700),
        (CUT, 300, 1200),
        (BELOW, 0, 1300),
        (UNSCORED, 0, 0),
    ]


def test_large_disagreements_are_flagged_per_principle():
    rows = {r.title: r for r in rank(WEIGHTS, [A, B, C], budget_sek=10_000)}
    assert rows["C"].disagreements == ["P1", "P2"]  # 4 vs 2 and 2 vs 4
    assert rows["A"].disagreements == ["P1", "P3"]
    assert rows["B"].disagreements == []  # sara's zeros are not hers to give
    assert rows["B"].reviewers == ["rut"]


def test_budget_exactly_used_up_leaves_no_cut():
    rows = rank(WEIGHTS, [A, B], budget_sek=700)
    assert [r.position for r in rows] == [WITHIN, WITHIN]


def test_weights_change_the_order():
    # With P2 weighted 10, C (P2 mean 3) ... and B (3) still tie; A leads with P2 = 4.
    rows = rank({"P1": 1, "P2": 10, "P3": 1}, [B, C, A], budget_sek=0)
    assert [r.title for r in rows] == ["A", "B", "C"]
    assert all(r.position == BELOW for r in rows)


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=1, max_value=10**11),
    eu_percent=st.integers(min_value=0, max_value=100),
    parts=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=6),
)
def test_cofinancing_and_eu_share_always_sum_exactly_to_the_total(total, eu_percent, parts):
    """Split a total into an EU share and co-financiers' contributions in whole kronor:
    the largest-remainder split always sums exactly, and A1 accepts it and nothing else."""
    eu = total * eu_percent // 100
    rest = total - eu
    weight_sum = sum(parts)
    shares = [rest * p // weight_sum for p in parts]
    remainders = sorted(
        range(len(parts)), key=lambda i: (rest * parts[i]) % weight_sum, reverse=True
    )
    for i in remainders[: rest - sum(shares)]:
        shares[i] += 1
    cofinancing = {str(i): s for i, s in enumerate(shares)}
    assert eu + sum(shares) == total
    assert all(isinstance(v, int) for v in [eu, *shares])
    assert financing_violations(total, eu, cofinancing) == []
    assert [v.rule for v in financing_violations(total, eu + 1, cofinancing)] == ["A1"]
    assert [v.rule for v in financing_violations(total + 1, eu, cofinancing)] == ["A1"]
