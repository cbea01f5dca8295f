"""Disclosure control: the one door every figure about participants passes on its way out.

Outside a project's own staff no figure about participants may single anyone out (GDPR
art. 9, DOMAIN.md §8). Every page, API answer and export that shows such figures (the EU
indicator table, results, timelines) builds them from the exact counts and hands them to
`protect`, which decides cell by cell what is shown:

- primary suppression: every count below `SAMSYN_MIN_CELL` (default 5), zero included, is
  hidden and shown as "färre än 5";
- secondary suppression: a table is a set of additive groups (a total and its parts: the
  genders of an indicator, the labour-market statuses, the age bands, a result's yes/unknown/no
  within its denominator …). Parts that are never shown (the "no" answers, the 30–54 age band)
  take part as unpublished cells. While some group would let a reader compute a hidden count
  below the threshold (a total minus the other cells, or the bounds "färre än 5" and "dolt"
  imply), one more cell of that group is hidden, the smallest part first, else the total, and
  shown as "dolt". Totals are therefore suppressed, never rounded;
- GDPR art. 9 indicators (`disability`, `minority`) are never broken down: only their total
  over the whole time, never by gender nor for part of the time.

The query functions (`indicator_report`, `project_results`) stay exact; this module works on
their output, so caching or rewriting them does not touch the rule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from samsyn.followup.choices import RESULT_FIELDS, SENSITIVE_FIELDS, Gender
from samsyn.followup.querysets import Period
from samsyn.parties.templatetags.swedish import tal

SMALL = "small"  # below the threshold
SECONDARY = "secondary"  # hidden so that a small one cannot be computed
NOT_BROKEN_DOWN = "not_broken_down"  # art. 9: never by gender outside project staff
_UNPUBLISHED = "unpublished"  # a part that is never shown (e.g. the "no" answers)

GENDERS = tuple(Gender.values)
ART9_FIELDS = ("disability", "minority")


def min_cell() -> int:
    return settings.SAMSYN_MIN_CELL


def number(value: int) -> str:
    """Swedish digit grouping with a narrow no-break space: 1 900 000 (the pages' `tal`)."""
    return tal(value)


@dataclass(frozen=True)
class Cell:
    """One figure on its way out: the count, or None and why it is hidden."""

    value: int | None
    reason: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def as_json(self) -> dict:
        data: dict = {"value": self.value, "suppressed": self.suppressed}
        if self.suppressed:
            data["reason"] = self.reason
        return data

    def __str__(self) -> str:
        if self.value is not None:
            return number(self.value)
        if self.reason == SMALL:
            return _("färre än %(n)s") % {"n": min_cell()}
        if self.reason == NOT_BROKEN_DOWN:
            return _("visas inte uppdelat")
        return _("dolt")


def exact(value: int) -> Cell:
    return Cell(value)


Group = tuple[Hashable, Sequence[Hashable]]  # (total, parts): total == sum(parts)


def protect(
    values: Mapping[Hashable, int],
    groups: Iterable[Group],
    *,
    unpublished: Iterable[Hashable] = (),
    withheld: Mapping[Hashable, str] | None = None,
    positive: Iterable[Hashable] = (),
    threshold: int | None = None,
) -> dict[Hashable, Cell]:
    """The cells of a table as they may be shown outside project staff.

    `values` holds every cell's exact count, unpublished ones too; `groups` the additive
    relations; `withheld` cells hidden for another reason (art. 9); `positive` cells a reader
    knows are at least 1 (a month that appears at all). Returns a Cell for every published key.
    """
    k = min_cell() if threshold is None else threshold
    unpublished = set(unpublished)
    hidden: dict[Hashable, str] = dict.fromkeys(unpublished, _UNPUBLISHED)
    for key, reason in (withheld or {}).items():
        hidden.setdefault(key, reason)
    if k > 1:
        for key, value in values.items():
            if key not in hidden and value < k:
                hidden[key] = SMALL
    groups = [(total, tuple(parts)) for total, parts in groups]
    positive = set(positive)
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            if not revealing(values, hidden, total, parts, k, positive):
                continue
            pick = _cheapest(values, hidden, parts)
            if pick is None and total not in hidden:
                pick = total
            if pick is not None:
                hidden[pick] = SECONDARY
                changed = True
    return {
        key: Cell(None, hidden[key]) if key in hidden else Cell(value)
        for key, value in values.items()
        if key not in unpublished
    }


def _cheapest(values, hidden, parts) -> Hashable | None:
    visible = [p for p in parts if p not in hidden]
    return min(visible, key=lambda p: values[p]) if visible else None


def bounds(key, values, hidden, k, positive=frozenset()) -> tuple[float, float]:
    """What a reader knows about a cell: its value, "färre än k", "dolt" (k or more) or nothing."""
    reason = hidden.get(key)
    if reason is None:
        return values[key], values[key]
    if reason == SMALL:
        return (1 if key in positive else 0), k - 1
    if reason == SECONDARY:
        return k, math.inf
    return 0, math.inf


def revealing(values, hidden, total, parts, k, positive=frozenset()) -> bool:
    """Whether this group pins down a hidden count below the threshold."""
    cells = [total, *parts]
    known = {c: bounds(c, values, hidden, k, positive) for c in cells}
    for cell in cells:
        if cell not in hidden or values[cell] >= k:
            continue
        others = [p for p in parts if p != cell]
        if cell == total:
            lo, hi = sum(known[p][0] for p in parts), sum(known[p][1] for p in parts)
        else:
            lo = known[total][0] - sum(known[p][1] for p in others)
            hi = known[total][1] - sum(known[p][0] for p in others)
        lo, hi = max(lo, known[cell][0]), min(hi, known[cell][1])
        if lo >= hi:
            return True
    return False


# The EU indicator table -------------------------------------------------------------------------


def whole_years(period: Period) -> Period:
    """Participant figures outside project staff cover whole calendar years: otherwise two
    periods one day apart would tell, by difference, who started on that day."""
    return Period(
        dt.date(period.start.year, 1, 1) if period.start else None,
        dt.date(period.end.year, 12, 31) if period.end else None,
    )


def _indicator_relations(report: Mapping[str, Mapping[str, int]]):
    """The table's exact cells with the unpublished complements, and its additive groups."""
    values: dict = {(row, g): n for row, by_gender in report.items() for g, n in by_gender.items()}
    columns = [*GENDERS, "total"]
    groups: list[Group] = []
    unpublished: list = []

    def complement(name: str, whole: str, parts: list[str]) -> None:
        if whole not in report or any(p not in report for p in parts):
            return
        for g in columns:
            values[(name, g)] = report[whole][g] - sum(report[p][g] for p in parts)
            unpublished.append((name, g))
            groups.append(((whole, g), [*((p, g) for p in parts), (name, g)]))

    if "total" in report:
        labour = ["unemployed", "inactive", "employed"]
        if all(p in report for p in labour):
            groups += [(("total", g), [(p, g) for p in labour]) for g in columns]
        complement("~short_term_unemployed", "unemployed", ["long_term_unemployed"])
        complement("~age_30_54", "total", ["under_18", "age_18_29", "age_55_plus"])
        complement("~education_unknown", "total", ["isced_0_2", "isced_3_4", "isced_5_8"])
        for name in SENSITIVE_FIELDS:
            complement(f"~{name}_other", "total", [name, f"{name}_declined"])
        for name in RESULT_FIELDS:
            complement(f"~{name}_other", "total", [name])
    rows = {row for row, _g in values}
    groups += [((row, "total"), [(row, g) for g in GENDERS]) for row in rows]
    return values, groups, unpublished


def art9_rows(report: Iterable[str]) -> list[str]:
    return [row for row in report if row.removesuffix("_declined") in ART9_FIELDS]


def protect_indicators(
    report: Mapping[str, Mapping[str, int]],
    hidden: Iterable[tuple[str, str]] = (),
    *,
    whole_time: bool = True,
) -> dict[str, dict[str, Cell]]:
    """The indicator table (indicator → gender → count) as it may leave project staff.

    `hidden`: cells that must stay hidden because a unit they sum up hides them. Art. 9 rows
    show only their total, and only when the table covers the whole time (`whole_time`)."""
    values, groups, unpublished = _indicator_relations(report)
    art9_columns = GENDERS if whole_time else (*GENDERS, "total")
    withheld = {(row, g): NOT_BROKEN_DOWN for row in art9_rows(report) for g in art9_columns}
    k = min_cell()
    for cell in hidden:
        withheld.setdefault(cell, SMALL if values[cell] < k else SECONDARY)
    cells = protect(values, groups, unpublished=unpublished, withheld=withheld)
    return {row: {g: cells[(row, g)] for g in by_gender} for row, by_gender in report.items()}


def cells_json(table: Mapping[str, Mapping[str, Cell]]) -> dict:
    return {row: {g: c.as_json() for g, c in by.items()} for row, by in table.items()}


# Results and timelines of one project ----------------------------------------------------------

_FIGURES = ("count", "unknown")


def _results_cells(table: Mapping, column: str, values: dict) -> None:
    values[(column, "den")] = table["denominator"]["count"]
    for name, r in table["results"].items():
        values[(name, column, "count")] = r["count"]
        values[(name, column, "unknown")] = r["unknown"]
        values[(name, column, "~no")] = r["denominator"] - r["count"] - r["unknown"]


def _results_groups(names, column: str) -> list[Group]:
    return [
        ((column, "den"), [(n, column, "count"), (n, column, "unknown"), (n, column, "~no")])
        for n in names
    ]


def _shown_results(table: Mapping, column: str, cells: Mapping) -> dict:
    den = cells[(column, "den")]
    results = {}
    for name, r in table["results"].items():
        count = cells[(name, column, "count")]
        results[name] = {
            **r,
            "count": count,
            "unknown": cells[(name, column, "unknown")],
            "denominator": den,
            # A share gives away its count (or its denominator): only with both shown.
            "percent": r["percent"] if not (count.suppressed or den.suppressed) else None,
        }
    return {
        **table,
        "participants_total": cells[("all", "den")],
        "denominator": {**table["denominator"], "count": den},
        "results": results,
    }


@dataclass(frozen=True)
class ProjectFigures:
    """A project's results (every participant, and the chosen denominator) and the timeline's
    counts per month, protected together: the same total appears in all of them."""

    all: dict
    chosen: dict | None
    started: dict[dt.date, Cell]
    ended: dict[dt.date, Cell]
    exact: bool


def project_figures(
    results_all: Mapping,
    results_chosen: Mapping | None = None,
    started: Mapping[dt.date, int] | None = None,
    ended: Mapping[dt.date, int] | None = None,
    *,
    exact: bool,
) -> ProjectFigures:
    """`results_*` are `project_results` answers; `started`/`ended` counts per month."""
    started, ended = dict(started or {}), dict(ended or {})
    names = list(results_all["results"])
    values: dict = {}
    _results_cells(results_all, "all", values)
    groups = _results_groups(names, "all")
    unpublished = [(n, "all", "~no") for n in names]
    joint = results_chosen is not None and results_chosen["denominator"]["rule"] != "all"
    if joint:
        _results_cells(results_chosen, "chosen", values)
        # Those outside the chosen denominator: all − chosen, never shown.
        values[("~rest", "den")] = values[("all", "den")] - values[("chosen", "den")]
        for n in names:
            for f in (*_FIGURES, "~no"):
                values[(n, "~rest", f)] = values[(n, "all", f)] - values[(n, "chosen", f)]
                unpublished.append((n, "~rest", f))
                groups.append(((n, "all", f), [(n, "chosen", f), (n, "~rest", f)]))
            unpublished.append((n, "chosen", "~no"))
        unpublished.append(("~rest", "den"))
        groups += _results_groups(names, "chosen") + _results_groups(names, "~rest")
        groups.append((("all", "den"), [("chosen", "den"), ("~rest", "den")]))
    values.update({("started", m): n for m, n in started.items()})
    values.update({("ended", m): n for m, n in ended.items()})
    values[("~not_ended", "")] = values[("all", "den")] - sum(ended.values())
    unpublished.append(("~not_ended", ""))
    groups.append((("all", "den"), [("started", m) for m in started]))
    groups.append((("all", "den"), [*(("ended", m) for m in ended), ("~not_ended", "")]))

    if exact:
        cells = {k: Cell(v) for k, v in values.items() if k not in set(unpublished)}
    else:
        cells = protect(values, groups, unpublished=unpublished)
        _hide_small_remainder(values, cells, [("started", m) for m in started])
        not_ended = values[("~not_ended", "")]
        _hide_small_remainder(values, cells, [("ended", m) for m in ended], not_ended)
    chosen = None
    if results_chosen is not None:
        chosen = _shown_results(results_chosen, "chosen" if joint else "all", cells)
    return ProjectFigures(
        all=_shown_results(results_all, "all", cells),
        chosen=chosen,
        started={m: cells[("started", m)] for m in started},
        ended={m: cells[("ended", m)] for m in ended},
        exact=exact,
    )


def _hide_small_remainder(values, cells, months, unshown: int = 0) -> None:
    """A hidden month is left out of the timeline altogether (that a month appears at all
    would tell that someone started then). What the shown months leave of the total must then
    not be a small count either: hide one more month until it is not."""
    k = min_cell()
    while True:
        rest = unshown + sum(values[m] for m in months if cells[m].suppressed)
        shown = [m for m in months if not cells[m].suppressed]
        if rest == 0 or rest >= k or not shown:
            return
        pick = min(shown, key=lambda m: values[m])
        cells[pick] = Cell(None, SECONDARY)


def results_json(table: Mapping, *, exact: bool) -> dict:
    """A protected results table for the API: every count as {"value", "suppressed"}."""
    return {
        **table,
        "participants_total": table["participants_total"].as_json(),
        "denominator": {**table["denominator"], "count": table["denominator"]["count"].as_json()},
        "results": {
            name: {
                **r,
                "count": r["count"].as_json(),
                "unknown": r["unknown"].as_json(),
                "denominator": r["denominator"].as_json(),
            }
            for name, r in table["results"].items()
        },
        "disclosure": {"exact": exact, "min_cell": min_cell()},
    }


# The doors: what pages, API and exports call -------------------------------------------------

STANDARD_MIN_SHARE = 50  # "most of the project period", the denominator anyone may see


def followup_indicators(forbund, period: Period) -> tuple[Period, dict[str, dict[str, Cell]]]:
    """The EU indicator table of the follow-up (förbund level, so never exact for anyone):
    participants who started in the whole calendar years the period touches."""
    from samsyn.followup import report_cache
    from samsyn.followup.results import forbund_unit_reports, sum_reports

    years = whole_years(period)
    whole_time = not (period.start or period.end)

    def compute() -> dict[str, dict[str, Cell]]:
        # The table sums fixed units, one förbund and one calendar year each, and shows a cell
        # only where every unit shows it: otherwise two selections (2025–2026 and 2025, or two
        # förbund and one) would tell, by difference, what the other unit hides.
        units = forbund_unit_reports(ids, years)
        exact = sum_reports(units.values())
        if len(units) <= 1:
            return protect_indicators(exact, whole_time=whole_time)
        hidden = set()
        for report in units.values():
            table = protect_indicators(report)
            hidden |= {(row, g) for row, by in table.items() for g, c in by.items() if c.suppressed}
        return protect_indicators(exact, hidden, whole_time=whole_time)

    # The protected table is kept too: working out what to hide costs more than the counts.
    ids = list(forbund.values_list("pk", flat=True))
    parts = [years.start, years.end, whole_time, min_cell()]
    return years, report_cache.cached("indicator-table", ids, parts, compute)


def for_user(project, user, *, min_share: int | None = STANDARD_MIN_SHARE) -> ProjectFigures:
    """A project's results and timeline counts as this user may see them: exact (and logged)
    for the project's own staff, disclosure-controlled with the standard denominator for
    everyone else."""
    from samsyn.followup import services
    from samsyn.followup.access import is_staff
    from samsyn.followup.results import project_results
    from samsyn.followup.timeline import participant_months

    staff = bool(is_staff(user, project))
    if not staff:
        min_share = STANDARD_MIN_SHARE
    started, ended = participant_months(project)
    figures = project_figures(
        project_results(project),
        project_results(project, min_share),
        started,
        ended,
        exact=staff,
    )
    if staff:
        services.log_exact_figures(project, by=user)
    return figures
