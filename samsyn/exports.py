"""Tables out as csv and xlsx, for every report and list in every app.

It sits at project level, below all apps, so pipeline, calls, meetings and followup can all use
it without importing one another.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A typed title that starts like a formula must stay text in Excel (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dated(name: str) -> str:
    """A file name that says which day the list was taken: ``behov-2026-03-01``."""
    return f"{name}-{timezone.localdate():%Y-%m-%d}"


def csv_response(
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    delimiter: str = ";",
    preamble: Sequence[Sequence] = (),
) -> HttpResponse:
    # Swedish Excel opens a csv correctly only with the BOM and with ";" (the decimal comma).
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter)
    writer.writerows([_text(value) for value in row] for row in preamble)
    writer.writerow(header)
    writer.writerows([_text(value) for value in row] for row in rows)
    return response


def _text(value):
    if isinstance(value, dt.datetime):
        # Swedish local time, as the pages show it (never UTC with an offset).
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_response(
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    preamble: Sequence[Sequence] = (),
    number_format: str = "",
) -> HttpResponse:
    """`preamble`: lines above the header (what the table covers); `number_format`: for whole
    numbers, e.g. "#,##0", which Swedish Excel shows with a space between thousands."""
    from openpyxl import Workbook  # only when a workbook is asked for
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(name[:31])
    for line in preamble:
        sheet.append([_cell(sheet, value, WriteOnlyCell) for value in line])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_cell(sheet, value, WriteOnlyCell, number_format) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


# Excel shows the group separator of the reader's locale: a space in Swedish Excel.
THOUSANDS = "#,##0"
DATETIME = "yyyy-mm-dd hh:mm"


def _cell(sheet, value, cell_class, number_format: str = ""):
    if number_format and isinstance(value, int) and not isinstance(value, bool):
        cell = cell_class(sheet, value)
        cell.number_format = number_format
        return cell
    # openpyxl refuses aware datetimes; show them as the pages do, in local time.
    if isinstance(value, dt.datetime):
        cell = cell_class(sheet, _local(value))
        cell.number_format = DATETIME
        return cell
    if isinstance(value, int | Decimal) and not isinstance(value, bool) and abs(value) >= 1000:
        cell = cell_class(sheet, value)
        cell.number_format = THOUSANDS if value == int(value) else "#,##0.00"
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = cell_class(sheet, value)
        cell.data_type = "s"  # openpyxl would otherwise write it as a formula
        return cell
    return value


def table_response(
    fmt: str,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    delimiter: str = ";",
    preamble: Sequence[Sequence] = (),
    number_format: str = "",
) -> HttpResponse:
    if fmt == "csv":
        return csv_response(name, header, rows, delimiter=delimiter, preamble=preamble)
    if fmt == "xlsx":
        return xlsx_response(name, header, rows, preamble=preamble, number_format=number_format)
    raise Http404("Okänt format; välj csv eller xlsx.")
