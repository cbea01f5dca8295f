"""Follow-up tables out: the report as rows and PDF; csv and xlsx come from samsyn.exports."""

from __future__ import annotations

from django.http import HttpResponse

from samsyn.exports import pdf_bytes


def pdf_response(name: str, html: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def report_rows(report: dict) -> list[tuple[str, str, str, int]]:
    """The report as (spår, mått, nyckel, antal) rows: every figure and every breakdown key."""
    rows = []
    for track in ("track_e", "track_f"):
        figures = report.get(track)
        if not figures:
            continue
        for name, value in figures.items():
            if isinstance(value, int):
                rows.append((track, name, "", value))
            elif isinstance(value, dict) and "by_reason" in value:
                rows.append((track, name, "", value["total"]))
                rows += [(track, name, k, n) for k, n in sorted(value["by_reason"].items())]
            elif isinstance(value, dict):
                rows += [(track, name, k, n) for k, n in value.items()]
            else:
                rows += [(track, name, o["name"], o["count"]) for o in value]
    return rows
