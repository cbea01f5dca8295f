"""Reading a participant file (xlsx or csv) into numbered rows for import_participants.

Columns: the Swedish headers of the downloadable template (Personnummer, Startdatum, Kön …,
see `column_labels()`); the field names (personnummer, started_on, …) are still accepted.
Choice columns take the Swedish label (`Kvinna`) or the key (`woman`); yes/no columns take
ja/nej/tomt.

Whatever is uploaded, the answer is rows or ImportRejected with a Swedish message, never a
crash: the file is bounded in size, rows, columns and line length before it is parsed, and
text is read as UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252, which Swedish
Excel writes for "CSV (semikolonavgränsad)".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from typing import Any, NoReturn

from samsyn.followup.forms import PARTICIPANT_FIELDS
from samsyn.followup.models import Participant
from samsyn.followup.services import ImportRejected, LineError

COLUMNS = ("personnummer", *PARTICIPANT_FIELDS)
REQUIRED = ("personnummer", "started_on", "gender")
MAX_FILE_BYTES = 5 * 1024 * 1024  # 5 MB: tens of thousands of participants in csv
MAX_ROWS = 5000  # participants in one file
MAX_COLUMNS = 100  # the template has about 20
MAX_LINE_CHARS = 10_000  # a participant is a few hundred characters
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an xlsx unpacked
FILE_TOO_BIG = f"Filen är för stor: högst {MAX_FILE_BYTES // (1024 * 1024)} MB."
TOO_MANY_ROWS = f"Filen har för många rader: högst {MAX_ROWS} deltagare per fil."
# First bytes of files people pick by mistake, and what to call them.
SIGNATURES = (
    (b"%PDF", "en pdf-fil"),
    (b"\x89PNG", "en bild (png)"),
    (b"\xff\xd8\xff", "en bild (jpeg)"),
    (b"GIF8", "en bild (gif)"),
    (b"MZ", "ett program (exe)"),
    (b"\x7fELF", "ett program"),
    (b"PK\x03\x04", "ett zip-arkiv"),
    (b"\xd0\xcf\x11\xe0", "en äldre Office-fil (xls eller doc)"),
)
YES = {"ja", "j", "yes", "true", "1", "x"}
NO = {"nej", "n", "no", "false", "0"}


def column_labels() -> dict[str, str]:
    """Each column's Swedish header, in the template's order."""
    from django.utils.text import capfirst

    named = {"personnummer": "Personnummer", "started_on": "Startdatum", "ended_on": "Slutdatum"}
    return {
        c: named.get(c) or str(capfirst(Participant._meta.get_field(c).verbose_name))
        for c in COLUMNS
    }


def _column(header: str) -> str | None:
    """The column a header names: its Swedish label or its field name, in any case."""
    wanted = header.strip().lower()
    for key, label in column_labels().items():
        if wanted in (key, label.lower()):
            return key
    return None


def template_xlsx() -> bytes:
    """An empty participant list with the Swedish headers, and the values each column takes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    labels = column_labels()
    book = Workbook()
    sheet = book.active
    sheet.title = "Deltagare"
    sheet.append(list(labels.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, label in enumerate(labels.values(), start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(14, len(label) + 2)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("Förklaring")
    help_sheet.append(["Kolumn", "Värden", "Måste fyllas i"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for key, label in labels.items():
        if key == "personnummer":
            values = "ÅÅÅÅMMDD-NNNN eller tio siffror (även samordningsnummer)"
        elif key in ("started_on", "ended_on"):
            values = "Datum, ÅÅÅÅ-MM-DD"
        else:
            field = Participant._meta.get_field(key)
            if field.choices:
                values = ", ".join(str(lbl) for _, lbl in field.choices)
            else:
                values = "Ja, Nej eller tomt (vet inte)"
        help_sheet.append([label, values, "Ja" if key in REQUIRED else "Nej"])
    help_sheet.column_dimensions["A"].width = 45
    help_sheet.column_dimensions["B"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _choice_keys(name: str) -> dict[str, str]:
    field = Participant._meta.get_field(name)
    keys = {}
    for key, label in field.choices or ():
        keys[str(key).lower()] = key
        keys[str(label).lower()] = key
    return keys


def _cell(name: str, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if name == "personnummer" and isinstance(value, int | float) and math.isfinite(value):
        text = str(int(value))
    field = Participant._meta.get_field(name) if name != "personnummer" else None
    if field is not None and field.get_internal_type() == "BooleanField":
        low = text.lower()
        return "true" if low in YES else "false" if low in NO else "unknown" if not low else text
    if field is not None and field.choices:
        return _choice_keys(name).get(text.lower(), text)
    return text


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(header: list[Any], body) -> list[tuple[int, dict[str, Any]]]:
    headers = [str(h or "").strip() for h in header]
    names = [_column(h) if h else "" for h in headers]
    unknown = [h for h, n in zip(headers, names, strict=True) if h and n is None]
    labels = column_labels()
    missing = [labels[c] for c in REQUIRED if c not in names]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(f"kolumner saknas: {', '.join(missing)}")
        if unknown:
            problems.append(f"okända kolumner: {', '.join(unknown)}")
        raise ImportRejected([LineError(1, "Rubrikraden: " + "; ".join(problems) + ".")])
    rows = []
    for line, values in body:
        if all(_blank(v) for v in values):
            continue
        rows.append((line, {n: _cell(n, v) for n, v in zip(names, values, strict=False) if n}))
    return rows


def _refuse(message: str) -> NoReturn:
    raise ImportRejected([LineError(1, message)])


def _looks_like(content: bytes) -> str | None:
    return next((what for magic, what in SIGNATURES if content.startswith(magic)), None)


def _text(content: bytes) -> str:
    """The csv file as text: UTF-16 with BOM, UTF-8 (BOM optional) or else Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            _refuse("Filen är märkt som UTF-16 men går inte att läsa som text.")
    if what := _looks_like(content):
        _refuse(f"Filen är {what}, inte en csv-fil. Spara listan som csv eller xlsx.")
    if b"\x00" in content:
        _refuse("Filen innehåller binära data och är ingen csv-fil.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")  # Swedish Excel's "CSV (semikolonavgränsad)"
    except UnicodeDecodeError:
        _refuse("Filen kunde inte läsas som text. Spara den som CSV UTF-8 och försök igen.")


def _csv_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    text = _text(content)
    if not text.strip():
        _refuse("Filen är tom.")
    lines = text.splitlines()
    if (longest := max(len(line) for line in lines)) > MAX_LINE_CHARS:
        line = next(i for i, x in enumerate(lines, start=1) if len(x) == longest)
        raise ImportRejected(
            [LineError(line, f"Raden är för lång (högst {MAX_LINE_CHARS} tecken).")]
        )
    first = lines[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Swedish Excel: ";"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, [])
        if len(header) > MAX_COLUMNS:
            _refuse(f"Filen har för många kolumner (högst {MAX_COLUMNS}).")
        body = []
        for number, row in enumerate(reader, start=2):
            if len(body) >= MAX_ROWS:
                _refuse(TOO_MANY_ROWS)
            body.append((number, row))
    except csv.Error:  # e.g. a quoted cell over the csv module's limit (128 kB)
        _refuse("Filen kunde inte läsas som csv: kontrollera citattecken och radbrytningar.")
    return _rows(header, body)


def _xlsx_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        what = _looks_like(content) or "ingen xlsx-fil"
        _refuse(f"Filen är {what}. Spara listan som xlsx eller csv.")
    try:  # openpyxl raises many kinds for a broken file, also while reading rows
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # A zip bomb: zipfile stops at the declared size, so the declared sum is a bound.
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                _refuse(FILE_TOO_BIG)
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        header: list[Any] | None = None
        body: list[tuple[int, list[Any]]] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), 1):
            if number > MAX_ROWS * 10:  # rows that are only formatted (empty) count here
                _refuse(TOO_MANY_ROWS)
            if header is None:
                header = list(row)
            elif not all(_blank(v) for v in row):
                if len(body) >= MAX_ROWS:
                    _refuse(TOO_MANY_ROWS)
                body.append((number, list(row)))
    except ImportRejected:
        raise
    except Exception as exc:
        raise ImportRejected([LineError(1, "Filen kunde inte läsas som xlsx.")]) from exc
    if not header:
        _refuse("Filen är tom.")
    if not all(_blank(v) for v in header[MAX_COLUMNS:]):
        _refuse(f"Filen har för många kolumner (högst {MAX_COLUMNS}).")
    return _rows(header, body)


def read_participant_file(name: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Numbered rows of the file, or ImportRejected saying in Swedish what is wrong with it."""
    if len(content) > MAX_FILE_BYTES:
        _refuse(FILE_TOO_BIG)
    if not content:
        _refuse("Filen är tom.")
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.lower().endswith(".csv"):
        return _csv_rows(content)
    _refuse("Läs in en fil av typen .xlsx eller .csv.")
