"""The prioritisation paper of a call: principles, every score, every jäv declaration, ranking.

Riksrevisionen found regional prioritisation opaque and beset by jäv (RiR 2020:10), so the
paper shows everything the ranking rests on. The same data feeds the page, the PDF, the xlsx
and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Prefetch

from samsyn.calls import ranking
from samsyn.calls.choices import PRIORITISATION_STATUSES
from samsyn.calls.models import Application, Call, JavDeclaration, Score


@dataclass
class Row:
    application: Application
    ranked: ranking.Ranked
    scores: list[Score] = field(default_factory=list)
    declarations: list[JavDeclaration] = field(default_factory=list)

    @property
    def total_display(self) -> str:
        return fmt(self.ranked.total)


@dataclass
class Paper:
    call: Call
    principles: list
    rows: list[Row]
    budget_sek: int
    weight_sum: int

    @property
    def applied_sek(self) -> int:
        return sum(r.ranked.amount_sek for r in self.rows)


def fmt(value: Fraction | None, places: int = 2) -> str:
    if value is None:
        return "–"
    rounded = round(value, places)
    return f"{float(rounded):.{places}f}".replace(".", ",")


def amount(application: Application) -> int:
    """What the application asks for: the paper ranks applications before ESF-rådet's
    decision (approved for prioritisation, or already prioritised), never granted ones."""
    return application.eu_share_sek


def paper(call: Call) -> Paper:
    principles = list(call.principles.all())
    weights = {p.code: p.weight for p in principles}
    applications = list(
        Application.objects.filter(call=call, status__in=PRIORITISATION_STATUSES)
        .select_related("idea__owner")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("reviewer", "principle").order_by(
                    "reviewer__username", "principle__order"
                ),
            ),
            Prefetch(
                "declarations",
                queryset=JavDeclaration.objects.select_related("reviewer").order_by(
                    "reviewer__username"
                ),
            ),
        )
        .order_by("submitted_on", "pk")
    )
    facts = []
    for app in applications:
        facts.append(
            ranking.ApplicationFacts(
                key=app.pk,
                title=str(app.idea),
                amount_sek=amount(app),
                scores=[
                    ranking.ScoreFact(s.reviewer.username, s.principle.code, s.value)
                    for s in app.scores.all()
                ],
                disqualified=frozenset(
                    d.reviewer.username for d in app.declarations.all() if d.disqualified
                ),
            )
        )
    by_pk = {a.pk: a for a in applications}
    rows = [
        Row(
            application=by_pk[r.key],
            ranked=r,
            scores=list(by_pk[r.key].scores.all()),
            declarations=list(by_pk[r.key].declarations.all()),
        )
        for r in ranking.rank(weights, facts, call.budget_sek)
    ]
    return Paper(call, principles, rows, call.budget_sek, sum(weights.values()))


POSITION_LABELS = {
    ranking.WITHIN: "Inom budget",
    ranking.CUT: "Budgeten tar slut här",
    ranking.BELOW: "Under strecket",
    ranking.UNSCORED: "Inte bedömd",
}
