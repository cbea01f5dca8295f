"""Reading a downloaded list back: csv as Swedish Excel writes it, xlsx through openpyxl."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # the BOM Excel needs
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def filename(response) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


def dated(name: str, fmt: str) -> str:
    return f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
