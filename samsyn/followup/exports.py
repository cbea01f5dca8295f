"""Tables out: csv and xlsx for every report and list, PDF for the board paper."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the BOM
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def xlsx_response(name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(name[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def table_response(fmt: str, name: str, header, rows) -> HttpResponse:
    from django.http import Http404

    if fmt == "csv":
        return csv_response(name, header, rows)
    if fmt == "xlsx":
        return xlsx_response(name, header, rows)
    raise Http404("Okänt format; välj csv eller xlsx.")


def pdf_response(name: str, html: str) -> HttpResponse:
    from weasyprint import HTML  # heavy: only when a PDF is asked for

    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
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
