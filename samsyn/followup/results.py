"""Results of a project or measure, and the participant indicator report.

A result share always states its denominator and the rule that chose it:
- rule "all": every participant registered in the project (erased ones included: erasure
  removes the person, not the count);
- rule "min_share" with N: participants whose time in the project covers at least N % of the
  project period. The project period runs from the date the project went to `running` (else
  the earliest start) to the date it went to `completed` (else the latest end among the
  participants, else today). A participant without an end date is counted as taking part until
  the end of the period.
Numerator for each result indicator: participants in the denominator with the value "yes".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from samsyn.followup import report_cache
from samsyn.followup.choices import RESULT_FIELDS, SENSITIVE_FIELDS, AgeBand, Gender, LabourStatus
from samsyn.followup.models import Participant
from samsyn.followup.querysets import Period, event_date
from samsyn.parties.models import Forbund
from samsyn.pipeline.models import Idea, Measure


@dataclass(frozen=True)
class ProjectPeriod:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return max((self.end - self.start).days, 0)


def project_period(project: Idea | Measure, participants) -> ProjectPeriod | None:
    """Two queries: the running/completed dates, and the participants' first start, last end."""
    steps = dict(
        project.transitions.filter(to_step__in=["running", "completed"])
        .annotate(on=event_date())
        .values("to_step")
        .annotate(first=Min("on"))
        .values_list("to_step", "first")
    )
    span = participants.aggregate(first=Min("started_on"), last=Max("ended_on"))
    start = steps.get("running") or span["first"]
    end = steps.get("completed") or span["last"] or dt.date.today()
    if start is None:
        return None
    return ProjectPeriod(start, max(end, start))


def _share(count: int, denominator: int) -> float | None:
    return round(100 * count / denominator, 1) if denominator else None


def project_results(project: Idea | Measure, min_share: int | None = None) -> dict:
    """Outcome counts and shares with an explicit denominator; one aggregate query."""
    participants = Participant.objects.of(project)
    period = project_period(project, participants)
    if min_share is None or period is None:
        chosen = Q()
        rule = {"rule": "all", "text": "alla deltagare"}
    else:
        need_days = math.ceil(period.days * min_share / 100)
        took_part = ExpressionWrapper(
            Coalesce("ended_on", Value(period.end)) - F("started_on"),
            output_field=DurationField(),
        )
        participants = participants.alias(took_part=took_part)
        # Time inside the period = min(end, period end) − max(start, period start) ≥ need_days.
        chosen = (
            Q(took_part__gte=dt.timedelta(days=need_days))
            & Q(started_on__lte=period.end - dt.timedelta(days=need_days))
            & (
                Q(ended_on__isnull=True)
                | Q(ended_on__gte=period.start + dt.timedelta(days=need_days))
            )
        )
        rule = {
            "rule": "min_share",
            "min_share": min_share,
            "text": f"deltagare som deltagit minst {min_share} % av projektperioden "
            f"({period.start:%Y-%m-%d}–{period.end:%Y-%m-%d}, minst {need_days} dagar)",
        }
    aggregates = {"total": Count("pk"), "denominator": Count("pk", filter=chosen)}
    for name in RESULT_FIELDS:
        aggregates[f"n_{name}"] = Count("pk", filter=chosen & Q(**{name: True}))
        aggregates[f"unknown_{name}"] = Count("pk", filter=chosen & Q(**{f"{name}__isnull": True}))
    counts = participants.aggregate(**aggregates)
    denominator = counts["denominator"]
    return {
        "participants_total": counts["total"],
        "period": {"from": period.start, "to": period.end} if period else None,
        "denominator": {"count": denominator, **rule},
        "results": {
            name: {
                "count": counts[f"n_{name}"],
                "unknown": counts[f"unknown_{name}"],
                "denominator": denominator,
                "percent": _share(counts[f"n_{name}"], denominator),
                "label": str(Participant._meta.get_field(name).verbose_name),
            }
            for name in RESULT_FIELDS
        },
    }


# The output indicators of Annex I, each as a condition on a participant.
OUTPUT_INDICATORS: dict[str, Q] = {
    "unemployed": Q(labour_status__in=[LabourStatus.UNEMPLOYED, LabourStatus.LONG_TERM_UNEMPLOYED]),
    "long_term_unemployed": Q(labour_status=LabourStatus.LONG_TERM_UNEMPLOYED),
    "inactive": Q(labour_status=LabourStatus.INACTIVE),
    "employed": Q(labour_status=LabourStatus.EMPLOYED),
    "under_18": Q(age_band=AgeBand.UNDER_18),
    "age_18_29": Q(age_band=AgeBand.AGE_18_29),
    "age_55_plus": Q(age_band=AgeBand.AGE_55_PLUS),
    "isced_0_2": Q(education="isced_0_2"),
    "isced_3_4": Q(education="isced_3_4"),
    "isced_5_8": Q(education="isced_5_8"),
    **{name: Q(**{name: "yes"}) for name in SENSITIVE_FIELDS},
    **{f"{name}_declined": Q(**{name: "declined"}) for name in SENSITIVE_FIELDS},
    **{name: Q(**{name: True}) for name in RESULT_FIELDS},
}


def indicator_report(participants) -> dict[str, dict[str, int]]:
    """Every indicator by gender (and `total`), in one grouped query."""
    # Prefixed names: an annotation may not share a name with a field.
    rows = (
        participants.values("gender")
        .annotate(
            n_total=Count("pk"),
            **{f"n_{k}": Count("pk", filter=q) for k, q in OUTPUT_INDICATORS.items()},
        )
        .order_by()
    )
    keys = ["total", *OUTPUT_INDICATORS]
    report = {k: {g: 0 for g in [*Gender.values, "total"]} for k in keys}
    for row in rows:  # one row per gender
        for k in keys:
            report[k][row["gender"]] = row[f"n_{k}"]
            report[k]["total"] += row[f"n_{k}"]
    return report


Unit = tuple[int, int]  # (förbund id, calendar year the participants started)


def _empty_report() -> dict[str, dict[str, int]]:
    return {k: dict.fromkeys([*Gender.values, "total"], 0) for k in ["total", *OUTPUT_INDICATORS]}


def forbund_unit_reports(ids: list[int], period: Period) -> dict[Unit, dict]:
    """indicator_report per (förbund, calendar year of start) of the förbund's participants who
    started in the period, cached; disclosure control works on these fixed units.

    Ideas' and measures' participants are counted by two grouped queries: a participant belongs
    to exactly one project, and an OR (or a COALESCE) across the two join chains made
    PostgreSQL scan every participant in the country.
    """
    keys = ["total", *OUTPUT_INDICATORS]

    def compute() -> dict[Unit, dict]:
        units: dict[Unit, dict] = {}
        for chain in ("idea__need__forbund", "measure__need__forbund"):
            rows = (
                Participant.objects.filter(period.q("started_on"), **{f"{chain}__in": ids})
                .annotate(unit_forbund=F(chain), unit_year=ExtractYear("started_on"))
                .values("unit_forbund", "unit_year", "gender")
                .annotate(
                    n_total=Count("pk"),
                    **{f"n_{k}": Count("pk", filter=q) for k, q in OUTPUT_INDICATORS.items()},
                )
                .order_by()
            )
            for row in rows:
                report = units.setdefault((row["unit_forbund"], row["unit_year"]), _empty_report())
                for k in keys:
                    report[k][row["gender"]] += row[f"n_{k}"]
                    report[k]["total"] += row[f"n_{k}"]
        return units

    return report_cache.cached("indicator-units", ids, [period.start, period.end], compute)


def forbund_indicator_report(forbund: QuerySet[Forbund], period: Period) -> dict:
    """indicator_report of the förbund's participants who started in the period: the sum of
    its units (forbund_unit_reports), so one cached pair of queries serves both."""
    ids = list(forbund.values_list("pk", flat=True))
    return sum_reports(forbund_unit_reports(ids, period).values())


def sum_reports(reports: Iterable[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    total = _empty_report()
    for report in reports:
        for key, by_gender in report.items():
            for gender, n in by_gender.items():
                total[key][gender] += n
    return total
