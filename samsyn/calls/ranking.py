"""The prioritisation arithmetic: weighted totals, ranking, budget cut-off, disagreement.

Plain data in, plain data out, with exact fractions (no floats): the hand-computed examples
in tests/calls/test_ranking.py pin it.

- A principle's score for an application is the mean of the eligible reviewers' scores
  (reviewers who declared themselves disqualified by jäv are left out entirely).
- The weighted total is Σ weight × mean / Σ weight, on the 0–4 scale, over the principles
  that at least one eligible reviewer scored.
- Applications are ranked by weighted total, highest first; equal totals share a place
  (1, 1, 3) and keep the order in which they were submitted.
- The call's budget is consumed in ranking order; the application where the remaining budget
  no longer covers its amount is where the budget runs out: it could get only what is left,
  and every application after it falls below the line.
- Reviewers disagree when their scores for one principle differ by DISAGREEMENT or more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

DISAGREEMENT = 2


@dataclass(frozen=True)
class ScoreFact:
    reviewer: str
    principle: str
    value: int


@dataclass(frozen=True)
class ApplicationFacts:
    key: int
    title: str
    amount_sek: int
    scores: Sequence[ScoreFact] = ()
    disqualified: frozenset[str] = frozenset()


@dataclass
class Ranked:
    key: int
    title: str
    amount_sek: int
    total: Fraction | None
    principle_means: dict[str, Fraction]
    reviewers: list[str]
    disagreements: list[str] = field(default_factory=list)
    rank: int | None = None
    tied: bool = False
    cumulative_sek: int = 0
    funded_sek: int = 0
    position: str = ""  # "within", "cut" (budget runs out here), "below", "unscored"


WITHIN, CUT, BELOW, UNSCORED = "within", "cut", "below", "unscored"


def weighted_total(
    weights: dict[str, int], scores: Sequence[ScoreFact], disqualified: frozenset[str] = frozenset()
) -> tuple[Fraction | None, dict[str, Fraction]]:
    by_principle: dict[str, list[int]] = defaultdict(list)
    for s in scores:
        if s.reviewer not in disqualified and s.principle in weights:
            by_principle[s.principle].append(s.value)
    means = {p: Fraction(sum(v), len(v)) for p, v in by_principle.items() if v}
    weight_sum = sum(weights[p] for p in means)
    if not weight_sum:
        return None, means
    return sum(weights[p] * m for p, m in means.items()) / weight_sum, means


def disagreements(
    scores: Sequence[ScoreFact], disqualified: frozenset[str] = frozenset()
) -> list[str]:
    """The principles on which eligible reviewers differ by DISAGREEMENT points or more."""
    by_principle: dict[str, list[int]] = defaultdict(list)
    for s in scores:
        if s.reviewer not in disqualified:
            by_principle[s.principle].append(s.value)
    return sorted(p for p, v in by_principle.items() if max(v) - min(v) >= DISAGREEMENT)


def rank(
    weights: dict[str, int], applications: Sequence[ApplicationFacts], budget_sek: int
) -> list[Ranked]:
    rows = []
    for app in applications:
        total, means = weighted_total(weights, app.scores, app.disqualified)
        rows.append(
            Ranked(
                key=app.key,
                title=app.title,
                amount_sek=app.amount_sek,
                total=total,
                principle_means=means,
                reviewers=sorted(
                    {s.reviewer for s in app.scores if s.reviewer not in app.disqualified}
                ),
                disagreements=disagreements(app.scores, app.disqualified),
            )
        )
    scored = [r for r in rows if r.total is not None]
    unscored = [r for r in rows if r.total is None]
    # Stable sort: equal totals keep the input (submission) order.
    scored.sort(key=lambda r: r.total, reverse=True)
    for i, row in enumerate(scored):
        if i and row.total == scored[i - 1].total:
            row.rank = scored[i - 1].rank
        else:
            row.rank = i + 1
    for i, row in enumerate(scored):
        row.tied = any(o.total == row.total for j, o in enumerate(scored) if j != i)
    remaining = budget_sek
    cumulative = 0
    for row in scored:
        cumulative += row.amount_sek
        row.cumulative_sek = cumulative
        if remaining >= row.amount_sek and remaining > 0:
            row.position, row.funded_sek = WITHIN, row.amount_sek
            remaining -= row.amount_sek
        elif remaining > 0:
            row.position, row.funded_sek = CUT, remaining
            remaining = 0
        else:
            row.position = BELOW
    for row in unscored:
        row.position = UNSCORED
    return [*scored, *unscored]
