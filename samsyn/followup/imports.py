"""Reading a participant file (xlsx or csv) into numbered rows for import_participants.

Columns: the field names of the template (personnummer, started_on, …). Choice columns take
the key (e.g. `woman`) or the Swedish label (`Kvinna`); yes/no columns take ja/nej/tomt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from samsyn.followup.forms import PARTICIPANT_FIELDS
from samsyn.followup.models import Participant
from samsyn.followup.services import ImportRejected, LineError

COLUMNS = ("personnummer", *PARTICIPANT_FIELDS)
YES = {"ja", "j", "yes", "true", "1", "x"}
NO = {"nej", "n", "no", "false", "0"}


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
    if name == "personnummer" and isinstance(value, int | float):
        text = str(int(value))
    field = Participant._meta.get_field(name) if name != "personnummer" else None
    if field is not None and field.get_internal_type() == "BooleanField":
        low = text.lower()
        return "true" if low in YES else "false" if low in NO else "unknown" if not low else text
    if field is not None and field.choices:
        return _choice_keys(name).get(text.lower(), text)
    return text


def _rows(header: list[Any], body) -> list[tuple[int, dict[str, Any]]]:
    names = [str(h or "").strip().lower() for h in header]
    unknown = [n for n in names if n and n not in COLUMNS]
    missing = [c for c in ("personnummer", "started_on", "gender") if c not in names]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(f"kolumner saknas: {', '.join(missing)}")
        if unknown:
            problems.append(f"okända kolumner: {', '.join(unknown)}")
        raise ImportRejected([LineError(1, "Rubrikraden: " + "; ".join(problems) + ".")])
    rows = []
    for line, values in body:
        if all(v in (None, "") for v in values):
            continue
        rows.append((line, {n: _cell(n, v) for n, v in zip(names, values, strict=False) if n}))
    return rows


def read_participant_file(name: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportRejected([LineError(1, "Filen kunde inte läsas som xlsx.")]) from exc
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            raise ImportRejected([LineError(1, "Filen är tom.")])
        return _rows(list(values[0]), ((i, list(v)) for i, v in enumerate(values[1:], start=2)))
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRejected([LineError(1, "Filen ska vara en csv-fil i UTF-8.")]) from exc
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","  # Swedish Excel: ";"
        reader = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        if not reader:
            raise ImportRejected([LineError(1, "Filen är tom.")])
        return _rows(reader[0], ((i, r) for i, r in enumerate(reader[1:], start=2)))
    raise ImportRejected([LineError(1, "Läs in en fil av typen .xlsx eller .csv.")])
