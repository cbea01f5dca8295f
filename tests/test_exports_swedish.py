"""Every export (csv and xlsx, through samsyn.exports) writes times as Swedes read them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from samsyn.exports import table_response
from tests.downloads import csv_rows

# 12:30 UTC on a summer day is 14:30 in Stockholm.
SUMMER_NOON_UTC = dt.datetime(2026, 6, 15, 12, 30, tzinfo=dt.UTC)


def test_export_times_in_swedish_local_time_csv():
    response = table_response("csv", "lista", ["Tidpunkt"], [(SUMMER_NOON_UTC,)])
    assert csv_rows(response)[1] == ["2026-06-15 14:30"]


def test_export_times_in_swedish_local_time_xlsx():
    response = table_response(
        "xlsx", "lista", ["Tidpunkt", "Belopp"], [(SUMMER_NOON_UTC, 1_900_000)]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    when, amount = sheet["A2"], sheet["B2"]
    assert when.value == dt.datetime(2026, 6, 15, 14, 30)
    assert when.number_format == "yyyy-mm-dd hh:mm"
    # Thousands grouped (Swedish Excel shows 1 900 000), the value stays a number.
    assert amount.value == 1_900_000
    assert amount.number_format == "#,##0"


@pytest.mark.parametrize("small", [0, 999, True])
def test_export_small_numbers_and_booleans_keep_general_format(small):
    response = table_response("xlsx", "lista", ["Tal"], [(small,)])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].number_format == "General"
