"""Every file Samsyn writes goes out through here: csv, xlsx, docx and pdf.

One door for every exit: text that starts like a spreadsheet formula (=, +, -, @, tab, CR) is
neutralised with a leading apostrophe in every csv, xlsx and docx (OWASP "CSV injection"), so a
title such as "=HYPERLINK(…)" stays text wherever the file is opened; a PDF fetches nothing from
anywhere. It sits at project level, below all apps, so pipeline, calls, meetings and followup
can all use it without importing one another.
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
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
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


def safe_text(value):
    """The one neutraliser: a string that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text(value):
    if isinstance(value, dt.datetime):
        # Swedish local time, as the pages show it (never UTC with an offset).
        return _local(value).strftime("%Y-%m-%d %H:%M")
    return safe_text(value)


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
    if isinstance(value, str):
        cell = cell_class(sheet, safe_text(value))
        cell.data_type = "s"  # text is text: openpyxl would write "=…" as a formula
        return cell
    return value


def workbook_bytes(book) -> bytes:
    """A finished openpyxl workbook (several sheets, styles) as bytes, every text cell
    neutralised and kept as text on the way out."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = safe_text(cell.value)
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes(document) -> bytes:
    """A python-docx document as bytes, no paragraph (in the body or in a table) starting
    like a formula."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for paragraph in paragraphs:
        runs = [r for r in paragraph.runs if r.text]
        if runs and paragraph.text.startswith(FORMULA_START):
            runs[0].text = "'" + runs[0].text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _no_fetch(url: str, *args, **kwargs):
    # Every document carries its own inline styles; nothing is fetched from anywhere.
    raise ValueError(f"Samsyn hämtar inget utifrån: {url}")


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


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
