"""FK's follow-up figures for a set of förbund and a period, and the national roll-up.

Definitions (also in README, "Uppföljning"). A period is [from, to], both inclusive, either open.
A transition's date is its basis_date (the meeting or decision), else the day it was registered.

Track E (ESF+ project ideas):
- ideas_identified: ideas whose need was identified in the förbund's preparatory structure
  (Need.in_preparatory_structure) with Need.identified_on in the period.
- ideas_led_to_application: ideas with a transition to `submitted` dated in the period.
- applications_granted / applications_rejected: ideas with a transition to `granted` /
  `rejected` dated in the period. An idea reaches `granted` only through ESF-rådet's final
  decision on its application (beviljad), never at approval for prioritisation.
- ideas_stopped_without_application: ideas with a transition to `stopped` or `left_routine`
  dated in the period and no transition to `submitted` ever; by_reason: the stop reason, or for
  left_routine the reason it left (target_group_outside_finsam, parties_outside_finsam).
- ideas_in_progress: ideas identified on or before the period's end that by then had no
  transition to submitted, stopped or left_routine (a snapshot at the period's end).
- owners_by_kind / owners_by_organisation: the owners of the ideas counted in
  ideas_led_to_application (kinds af, fk, kommun, region, other).
- cofinanciers_by_kind / cofinanciers_by_organisation: the number of those same ideas in which a
  party of that kind (that organisation) co-finances; an idea counts once per kind.
Track F (Finsam measures): needs_identified (needs, same rule as above), measures_identified,
measures_board_decided, measures_board_declined, measures_stopped_without_decision (stopped in
the period, never board_decided; by_reason), measures_in_progress (snapshot: identified by the
end, no board decision or stop by then), parties_by_kind / parties_by_organisation (parties of
the measures counted in measures_board_decided).
ideas_by_group: per beredningsgrupp of the förbund (group_id, name, forbund_id) and, when some
need has none, "förbundschefen med parterna" (group_id null): ideas_identified,
ideas_led_to_application and applications_granted, as above. With `group`, every figure counts
only the ideas and measures whose need was identified in that group.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Min, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from samsyn.followup import report_cache
from samsyn.followup.querysets import (
    IdeaReportQuerySet,
    MeasureReportQuerySet,
    Period,
    event_date,
)
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, PreparatoryGroup
from samsyn.pipeline.models import Idea, IdeaTransition, Measure, MeasureTransition, Need
from samsyn.pipeline.steps import IdeaStep, MeasureStep


def report_ideas(
    forbund: QuerySet[Forbund], group: PreparatoryGroup | None = None
) -> IdeaReportQuerySet:
    ideas = IdeaReportQuerySet(model=Idea).filter(need__forbund__in=forbund)
    return ideas.filter(need__group=group) if group is not None else ideas


def report_measures(
    forbund: QuerySet[Forbund], group: PreparatoryGroup | None = None
) -> MeasureReportQuerySet:
    measures = MeasureReportQuerySet(model=Measure).filter(need__forbund__in=forbund)
    return measures.filter(need__group=group) if group is not None else measures


@dataclass(frozen=True)
class ReportParams:
    forbund: QuerySet[Forbund]
    period: Period
    track: str = ""  # "e", "f" or "" for both
    group: PreparatoryGroup | None = None  # only the needs identified in this beredningsgrupp


# The list of ideas (or measures) behind each figure: figure key → queryset method.
IDEA_FIGURES = {
    "ideas_identified": "identified",
    "ideas_led_to_application": "led_to_application",
    "applications_granted": "granted",
    "applications_rejected": "rejected",
    "ideas_stopped_without_application": "stopped_without_application",
    "ideas_in_progress": "in_progress",
}
MEASURE_FIGURES = {
    "measures_identified": "identified",
    "measures_board_decided": "board_decided",
    "measures_board_declined": "board_declined",
    "measures_stopped_without_decision": "stopped_without_decision",
    "measures_in_progress": "in_progress",
}


def figure_ideas(params: ReportParams, figure: str, *, kind="", organisation=None, reason=""):
    """The ideas behind a figure (and a breakdown key), for the list a figure links to."""
    ideas = report_ideas(params.forbund, params.group)
    if figure in ("owners", "cofinanciers"):
        ideas = ideas.led_to_application(params.period)
        if figure == "owners":
            if kind:
                ideas = ideas.with_owner_kind(kind)
            if organisation:
                ideas = ideas.filter(owner=organisation)
        else:
            ideas = ideas.with_cofinancier(kind=kind, organisation=organisation)
        return ideas
    ideas = getattr(ideas, IDEA_FIGURES[figure])(params.period)
    if reason:
        ideas = ideas.with_reason(reason)
    return ideas


def figure_measures(params: ReportParams, figure: str, *, kind="", reason=""):
    measures = report_measures(params.forbund, params.group)
    if figure == "parties":
        measures = measures.board_decided(params.period)
        return measures.with_party_kind(kind) if kind else measures
    measures = getattr(measures, MEASURE_FIGURES[figure])(params.period)
    return measures.with_reason(reason) if reason else measures


def track_e(
    forbund: QuerySet[Forbund], period: Period, group: PreparatoryGroup | None = None
) -> dict:
    ideas = report_ideas(forbund, group)
    applied = ideas.led_to_application(period)
    by_reason = ideas.stopped_without_application(period).count_by_reason()
    return {
        "ideas_identified": ideas.identified(period).count(),
        "ideas_led_to_application": applied.count(),
        "applications_granted": ideas.granted(period).count(),
        "applications_rejected": ideas.rejected(period).count(),
        "ideas_stopped_without_application": {
            "total": sum(by_reason.values()),
            "by_reason": by_reason,
        },
        "ideas_in_progress": ideas.in_progress(period).count(),
        "owners_by_kind": applied.count_by_owner_kind(),
        "owners_by_organisation": applied.count_by_owner(),
        "cofinanciers_by_kind": applied.count_cofinanciers_by_kind(),
        "cofinanciers_by_organisation": applied.count_cofinanciers(),
    }


def track_f(
    forbund: QuerySet[Forbund], period: Period, group: PreparatoryGroup | None = None
) -> dict:
    measures = report_measures(forbund, group)
    decided = measures.board_decided(period)
    by_reason = measures.stopped_without_decision(period).count_by_reason()
    needs = Need.objects.filter(forbund__in=forbund, in_preparatory_structure=True)
    if group is not None:
        needs = needs.filter(group=group)
    return {
        "needs_identified": needs.filter(period.q("identified_on")).count(),
        "measures_identified": measures.identified(period).count(),
        "measures_board_decided": decided.count(),
        "measures_board_declined": measures.board_declined(period).count(),
        "measures_stopped_without_decision": {
            "total": sum(by_reason.values()),
            "by_reason": by_reason,
        },
        "measures_in_progress": measures.in_progress(period).count(),
        "parties_by_kind": decided.count_parties_by_kind(),
        "parties_by_organisation": decided.count_parties(),
    }


# The figures FK counts per preparatory group (seed 004 §8).
GROUP_FIGURES = ("ideas_identified", "ideas_led_to_application", "applications_granted")
NO_GROUP_NAME = "Förbundschefen med parterna"


def ideas_by_group(
    forbund: QuerySet[Forbund], period: Period, group: PreparatoryGroup | None = None
) -> list[dict]:
    """Per beredningsgrupp (and "förbundschefen med parterna", group_id None): ideas identified,
    led to application and granted in the period. One grouped query per figure."""
    ideas = report_ideas(forbund, group)
    counts = {
        "ideas_identified": ideas.identified(period),
        "ideas_led_to_application": ideas.led_to_application(period),
        "applications_granted": ideas.granted(period),
    }
    counts = {
        name: dict(qs.values_list("need__group").annotate(n=Count("pk", distinct=True)).order_by())
        for name, qs in counts.items()
    }
    groups = PreparatoryGroup.objects.filter(forbund__in=forbund)
    if group is not None:
        groups = groups.filter(pk=group.pk)
    rows = [
        {"group_id": pk, "name": name, "forbund_id": forbund_id}
        for pk, name, forbund_id in groups.order_by(
            "forbund__organisation__name", "name"
        ).values_list("pk", "name", "forbund_id")
    ]
    if group is None and any(None in c for c in counts.values()):
        rows.append({"group_id": None, "name": NO_GROUP_NAME, "forbund_id": None})
    for row in rows:
        row.update({name: counts[name].get(row["group_id"], 0) for name in GROUP_FIGURES})
    return rows


def followup_report(params: ReportParams) -> dict:
    """The report, from the shared cache while no write in these förbund has changed it."""
    names = list(params.forbund.values_list("pk", "organisation__name"))
    ids = [pk for pk, _ in names]
    group = params.group
    parts = [params.period.start, params.period.end, params.track, group.pk if group else None]
    forbund = Forbund.objects.filter(pk__in=ids)
    period, track = params.period, params.track
    return report_cache.cached(
        "report",
        ids,
        parts,
        lambda: {
            "period": {"from": period.start, "to": period.end},
            "forbund": [{"id": pk, "name": name} for pk, name in names],
            "group": {"id": group.pk, "name": group.name} if group else None,
            "track_e": track_e(forbund, period, group) if track != "f" else None,
            "track_f": track_f(forbund, period, group) if track != "e" else None,
            "ideas_by_group": ideas_by_group(forbund, period, group) if track != "f" else None,
        },
    )


# National roll-up ----------------------------------------------------------------------------

ROLLUP_FIGURES = (
    "ideas_identified",
    "ideas_led_to_application",
    "applications_granted",
    "applications_rejected",
    "ideas_stopped_without_application",
    "measures_identified",
    "measures_board_decided",
    "measures_board_declined",
    "measures_stopped_without_decision",
)


def _regions(forbund: QuerySet[Forbund]) -> dict[str, list[int]]:
    """NUTS 2 code → the förbund in it (a förbund's region: the lowest NUTS 2 code among its
    member regions). One small query; the grouping itself stays in the database."""
    rows = (
        forbund.order_by()
        .annotate(nuts2=Min("members__nuts2_code", filter=Q(members__kind=OrganisationKind.REGION)))
        .values_list("pk", "nuts2")
    )
    regions: dict[str, list[int]] = {}
    for pk, code in rows:
        regions.setdefault(code or "", []).append(pk)
    return regions


def _region_case(forbund_path: str, regions: dict[str, list[int]]) -> Case:
    return Case(
        *(When(**{f"{forbund_path}__in": ids}, then=Value(code)) for code, ids in regions.items()),
        default=Value(""),
        output_field=CharField(),
    )


def _grouped(qs, forbund_path: str, date_expr, count_field: str, regions):
    qs = qs.annotate(year=ExtractYear(date_expr))
    keys = ["year"]
    if regions is not None:
        qs = qs.annotate(nuts2=_region_case(forbund_path, regions))
        keys = ["nuts2", "year"]
    rows = qs.values(*keys).annotate(n=Count(count_field, distinct=True)).order_by()
    return {tuple(r[k] for k in keys): r["n"] for r in rows}


def _idea_events(forbund, steps, *, exclude_submitted=False):
    qs = IdeaTransition.objects.filter(idea__need__forbund__in=forbund, to_step__in=steps)
    if exclude_submitted:
        qs = qs.exclude(idea__transitions__to_step=IdeaStep.SUBMITTED)
    return qs


def _measure_events(forbund, steps, *, exclude_decided=False):
    qs = MeasureTransition.objects.filter(measure__need__forbund__in=forbund, to_step__in=steps)
    if exclude_decided:
        qs = qs.exclude(measure__transitions__to_step=MeasureStep.BOARD_DECIDED)
    return qs


def rollup(forbund: QuerySet[Forbund], *, by_region: bool = True) -> list[dict]:
    """Figures per (NUTS 2 region and) year; one grouped query per figure, kept in the cache."""
    # The regions' query names the förbund too; without regions, one small query does.
    regions = _regions(forbund) if by_region else None
    if regions is not None:
        ids = [pk for pks in regions.values() for pk in pks]
    else:
        ids = list(forbund.values_list("pk", flat=True))
    return report_cache.cached(
        "rollup",
        ids,
        [regions],
        lambda: _rollup(Forbund.objects.filter(pk__in=ids), regions),
    )


def _rollup(forbund: QuerySet[Forbund], regions: dict[str, list[int]] | None) -> list[dict]:
    e_path, f_path = "idea__need__forbund", "measure__need__forbund"
    identified = Idea.objects.filter(need__forbund__in=forbund, need__in_preparatory_structure=True)
    m_identified = Measure.objects.filter(
        need__forbund__in=forbund, need__in_preparatory_structure=True
    )
    figures = {
        "ideas_identified": _grouped(
            identified, "need__forbund", "need__identified_on", "pk", regions
        ),
        "ideas_led_to_application": _grouped(
            _idea_events(forbund, [IdeaStep.SUBMITTED]), e_path, event_date(), "idea", regions
        ),
        "applications_granted": _grouped(
            _idea_events(forbund, [IdeaStep.GRANTED]), e_path, event_date(), "idea", regions
        ),
        "applications_rejected": _grouped(
            _idea_events(forbund, [IdeaStep.REJECTED]), e_path, event_date(), "idea", regions
        ),
        "ideas_stopped_without_application": _grouped(
            _idea_events(
                forbund, [IdeaStep.STOPPED, IdeaStep.LEFT_ROUTINE], exclude_submitted=True
            ),
            e_path,
            event_date(),
            "idea",
            regions,
        ),
        "measures_identified": _grouped(
            m_identified, "need__forbund", "need__identified_on", "pk", regions
        ),
        "measures_board_decided": _grouped(
            _measure_events(forbund, [MeasureStep.BOARD_DECIDED]),
            f_path,
            event_date(),
            "measure",
            regions,
        ),
        "measures_board_declined": _grouped(
            _measure_events(forbund, [MeasureStep.BOARD_DECLINED]),
            f_path,
            event_date(),
            "measure",
            regions,
        ),
        "measures_stopped_without_decision": _grouped(
            _measure_events(forbund, [MeasureStep.STOPPED], exclude_decided=True),
            f_path,
            event_date(),
            "measure",
            regions,
        ),
    }
    keys = sorted(
        {k for counts in figures.values() for k in counts}, key=lambda k: tuple(str(x) for x in k)
    )
    names = {}
    if regions is not None:
        names = dict(
            Organisation.objects.filter(kind=OrganisationKind.REGION)
            .values_list("nuts2_code", "nuts2_name")
            .distinct()
        )
    rows = []
    for key in keys:
        row = {"nuts2_code": key[0], "nuts2_name": names.get(key[0], "")} if names else {}
        row["year"] = key[-1]
        row.update({name: figures[name].get(key, 0) for name in ROLLUP_FIGURES})
        rows.append(row)
    return rows
