"""Rules for calls and applications, as facts-in, violations-out functions.

R8 and R9 live in samsyn/pipeline/rules.py and are called from here; the rules below are the
calls' own (U = utlysning, A = ansökan), each with its id so every refusal names its rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from samsyn.calls.choices import DecisionLevel
from samsyn.pipeline import rules as pipeline_rules
from samsyn.pipeline.rules import ProgrammeAreaFacts, Violation


def area_facts(area, nuts2_names: Mapping[str, str] | None = None) -> ProgrammeAreaFacts:
    """R9's facts from a ProgrammeArea row (the reference data, not hard-coded strings)."""
    codes = frozenset(area.only_nuts2_codes or ())
    names = nuts2_names or {}
    return ProgrammeAreaFacts(
        code=area.code,
        name=area.name,
        only_applicant_kinds=frozenset(area.only_applicant_kinds or ()),
        only_nuts2_codes=codes,
        nuts2_names=" och ".join(names.get(c, c) for c in sorted(codes)),
    )


def call_violations(
    *,
    area: ProgrammeAreaFacts,
    area_levels: Iterable[str],
    allowed_themes: Mapping[str, str],
    decision_level: str,
    nuts2_code: str,
    theme_codes: Iterable[str],
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    rolling: bool,
) -> list[Violation]:
    violations: list[Violation] = []
    levels = list(area_levels)
    if decision_level not in levels:
        allowed = " eller ".join(str(DecisionLevel(level).label).lower() for level in levels)
        violations.append(
            Violation(
                "U1",
                f"Programområde {area.code} beslutas {allowed}, inte "
                f"{str(DecisionLevel(decision_level).label).lower()} (U1).",
            )
        )
    if decision_level == DecisionLevel.REGIONAL and not nuts2_code:
        violations.append(
            Violation(
                "U2", "En regional utlysning hör till en regional handlingsplan; välj den (U2)."
            )
        )
    if decision_level == DecisionLevel.NATIONAL and nuts2_code:
        violations.append(
            Violation("U2", "En nationell utlysning hör inte till en regional handlingsplan (U2).")
        )
    outside = sorted(set(theme_codes) - set(allowed_themes))
    if outside:
        allowed_names = ", ".join(allowed_themes.values()) or "inga särskilda målområden"
        violations.append(
            Violation(
                "U3",
                f"Programområde {area.code} omfattar {allowed_names}; utlysningen kan inte "
                "rikta sig till andra tematiska målområden (U3).",
            )
        )
    if nuts2_code:
        # R9's regional restriction (area D): the call's region must be allowed.
        violations += [
            v
            for v in pipeline_rules.r9_programme_area(
                ProgrammeAreaFacts(
                    area.code, area.name, frozenset(), area.only_nuts2_codes, area.nuts2_names
                ),
                None,
                [nuts2_code],
            )
        ]
    if not rolling and closes_on is None:
        violations.append(
            Violation("U4", "Ange sista ansökningsdag, eller att utlysningen är löpande (U4).")
        )
    if opens_on and closes_on and closes_on < opens_on:
        violations.append(Violation("U4", "Utlysningen kan inte stänga innan den öppnar (U4)."))
    return violations


def call_window_violations(
    period_code: str,
    eligible_from: dt.date,
    eligible_until: dt.date,
    latest_start: dt.date | None,
    latest_end: dt.date | None,
) -> list[Violation]:
    """A call's latest project start and end lie in its period's eligibility window (U7)."""
    violations = []
    window = f"{eligible_from:%Y-%m-%d}–{eligible_until:%Y-%m-%d}"
    for label, day in (("start", latest_start), ("slut", latest_end)):
        if day is not None and not eligible_from <= day <= eligible_until:
            violations.append(
                Violation(
                    "U7",
                    f"Senaste projekt{label} ska ligga inom programperioden {period_code}s "
                    f"stödberättigande tid, {window} (U7).",
                )
            )
    if latest_start and latest_end and latest_end < latest_start:
        violations.append(
            Violation("U7", "Senaste projektslut kan inte ligga före senaste projektstart (U7).")
        )
    return violations


def budget_lines_r8(
    starts_on: dt.date, ends_on: dt.date, years: Iterable[tuple[str, int]]
) -> list[Violation]:
    """R8 on per-year budget lines: a year that does not overlap the project period is outside.

    A year line covers the part of the year that lies in the period; a year wholly before or
    after the period keeps its whole calendar year, so R8 sees it outside.
    """
    lines = []
    for label, year in years:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if last >= starts_on and first <= ends_on:
            first, last = max(first, starts_on), min(last, ends_on)
        lines.append(pipeline_rules.BudgetLine(label, first, last))
    return pipeline_rules.r8_budget_within_period(starts_on, ends_on, lines)


def kr(amount: int) -> str:
    """Whole kronor with a space between thousands: 1 250 000 kr."""
    return f"{amount:,}\u00a0kr".replace(",", "\u00a0")


def financing_violations(
    total_sek: int, eu_share_sek: int, cofinancing: Mapping[str, int]
) -> list[Violation]:
    """The EU share and the co-financiers' contributions sum exactly to the budget total."""
    financed = eu_share_sek + sum(cofinancing.values())
    if total_sek <= 0:
        return [Violation("A1", "Ansökan har ingen budget än; lägg till budgetposter (A1).")]
    if financed != total_sek:
        diff = total_sek - financed
        what = "saknas" if diff > 0 else "är för mycket"
        return [
            Violation(
                "A1",
                f"Finansieringen ska vara exakt lika med budgeten: budget {kr(total_sek)}, "
                f"ESF+-stöd {kr(eu_share_sek)} och medfinansiering "
                f"{kr(sum(cofinancing.values()))}; {kr(abs(diff))} {what} (A1).",
            )
        ]
    return []


def project_period_violations(
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    period_code: str,
    eligible_from: dt.date,
    latest_start: dt.date | None,
    latest_end: dt.date,
    idea_period: str,
) -> list[Violation]:
    """The project period lies in the call's window: from the programme period's first
    eligible day, starting by the call's latest start, ending by the latest end (the call's,
    else the programme area's, else the period's last eligible day). Read from data."""
    violations = []
    if starts_on is None or ends_on is None:
        violations.append(Violation("A2", "Ange projektperioden: start och slut (A2)."))
    elif ends_on < starts_on:
        violations.append(Violation("A2", "Projektet kan inte sluta innan det startar (A2)."))
    else:
        if starts_on < eligible_from:
            violations.append(
                Violation(
                    "A2",
                    f"Projektet kan starta tidigast {eligible_from:%Y-%m-%d}, när utgifter i "
                    f"programperioden {period_code} blir stödberättigande (A2).",
                )
            )
        if latest_start is not None and starts_on > latest_start:
            violations.append(
                Violation(
                    "A2",
                    f"Utlysningen kräver att projektet startar senast {latest_start:%Y-%m-%d} "
                    "(A2).",
                )
            )
        if ends_on > latest_end:
            violations.append(
                Violation(
                    "A2",
                    f"Projektet ska sluta senast {latest_end:%Y-%m-%d} i den här utlysningen "
                    f"(programperioden {period_code}) (A2).",
                )
            )
    if idea_period != period_code:
        violations.append(
            Violation(
                "A2",
                f"Utlysningen hör till programperioden {period_code}, projektidén till "
                f"{idea_period} (A2).",
            )
        )
    return violations


def call_open_violations(status: str, closes_on: dt.date | None, today: dt.date) -> list[Violation]:
    from samsyn.calls.choices import CallStatus

    if status == CallStatus.CLOSED:
        return [
            Violation(
                "A3",
                f"Utlysningen stängde {closes_on:%Y-%m-%d}; ansökan kan inte skickas in (A3).",
            )
        ]
    if status == CallStatus.COMING:
        return [Violation("A3", "Utlysningen har inte öppnat än (A3).")]
    return []
