"""Follow-up tables out: the report as rows and PDF; csv and xlsx come from samsyn.exports.

Every row is in Swedish (no code names), and every export says which förbund and which period
it covers. Participant figures arrive here already disclosure-controlled (disclosure.py).
"""

from __future__ import annotations

from django.http import HttpResponse

from samsyn.exports import pdf_bytes
from samsyn.followup import labels
from samsyn.followup.disclosure import Cell
from samsyn.followup.querysets import Period

HEADER = ["Del", "Mått", "Uppdelning", "Antal"]


def pdf_response(name: str, html: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def period_text(period: Period) -> str:
    if not period.start and not period.end:
        return "hela tiden"
    start = f"{period.start:%Y-%m-%d}" if period.start else "början"
    end = f"{period.end:%Y-%m-%d}" if period.end else "i dag"
    return f"{start} – {end}"


def preamble(report: dict, participant_period: Period) -> list[list[str]]:
    """The lines above the table: what it is, for which förbund, for which period."""
    names = ", ".join(f["name"] for f in report["forbund"]) or "–"
    period = Period(report["period"]["from"], report["period"]["to"])
    return [
        ["Uppföljning av beredningsstrukturen"],
        ["Förbund", names],
        ["Period", period_text(period)],
        [
            "Deltagare som började",
            period_text(participant_period) + " (hela kalenderår)"
            if participant_period.start or participant_period.end
            else "alla deltagare",
        ],
        [],
    ]


def _breakdown(name: str, key: str) -> str:
    if name.endswith("_by_kind"):
        return str(labels.KINDS.get(key, key))
    return str(labels.REASONS.get(key, key))


def report_rows(report: dict) -> list[tuple[str, str, str, int]]:
    """The report as (del, mått, uppdelning, antal) rows: every figure and every breakdown."""
    rows = []
    for track in ("track_e", "track_f"):
        figures = report.get(track)
        if not figures:
            continue
        part = str(labels.TRACKS[track])
        for name, value in figures.items():
            figure = str(labels.FIGURES.get(name, name))
            if isinstance(value, int):
                rows.append((part, figure, "", value))
            elif isinstance(value, dict) and "by_reason" in value:
                rows.append((part, figure, "", value["total"]))
                rows += [
                    (part, figure, _breakdown(name, k), n)
                    for k, n in sorted(value["by_reason"].items())
                ]
            elif isinstance(value, dict):
                rows += [(part, figure, _breakdown(name, k), n) for k, n in value.items()]
            else:
                rows += [(part, figure, o["name"], o["count"]) for o in value]
    part = "Per beredningsgrupp"
    for group in report.get("ideas_by_group") or []:
        rows += [
            (part, str(labels.FIGURES.get(name, name)), group["name"], group[name])
            for name in ("ideas_identified", "ideas_led_to_application", "applications_granted")
        ]
    return rows


def indicator_rows(table: dict[str, dict[str, Cell]]) -> list[tuple[str, str, str, int | str]]:
    """The (already protected) EU indicator table: a count, or why it is not shown."""
    part = "Deltagare: EU:s gemensamma indikatorer"
    return [
        (
            part,
            labels.indicator(row),
            str(labels.GENDERS[g]),
            cell.value if cell.value is not None else str(cell),
        )
        for row, by_gender in table.items()
        for g, cell in by_gender.items()
    ]
