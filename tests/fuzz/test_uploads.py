"""Uploaded participant files: anything wrong is refused in Swedish, and nothing is created.

Wrong types (png, exe, a pdf or png renamed, a zip that is no xlsx), files over the 5 MB limit,
too many rows or columns, a "csv bomb" (one endless line), broken encodings and empty files
are each answered with the import form and a Swedish message (status 422), and the number of
participants is unchanged. Files Swedish Excel really writes (Windows-1252 with `;`, UTF-8
with BOM, UTF-16 with BOM) are read.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from samsyn.followup import services
from samsyn.followup.imports import MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, read_participant_file
from samsyn.followup.models import Participant, PersonalDataAccess
from tests.auth import log_in

HEADER = "personnummer;started_on;ended_on;gender;age_band;labour_status;employed_on_leaving"
GOOD_ROW = "19811218-9876;2025-06-01;2025-12-01;Kvinna;age_30_54;unemployed;ja"
SWEDISH_ROW = GOOD_ROW.replace("age_30_54", "18–29 år")  # en dash and å: not ASCII


def _zip(**files: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


BAD_FILES = {
    "png": ("bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "typen .xlsx eller .csv"),
    "exe": ("program.exe", b"MZ\x90\x00" + b"\x00" * 64, "typen .xlsx eller .csv"),
    "pdf renamed csv": ("deltagare.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "en pdf-fil"),
    "png renamed xlsx": ("deltagare.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00", "en bild (png)"),
    "exe renamed csv": ("deltagare.csv", b"MZ\x90\x00\x03\x00\x00\x00", "ett program"),
    "zip that is no xlsx": (
        "deltagare.xlsx",
        _zip(**{"readme.txt": b"hej"}),
        "kunde inte läsas som xlsx",
    ),
    "xlsx renamed csv": ("deltagare.csv", _zip(**{"[Content_Types].xml": b"<x/>"}), "zip"),
    "zip bomb": (
        "deltagare.xlsx",
        _zip(**{"xl/sharedStrings.xml": b"a" * (60 * 1024 * 1024)}),
        "för stor",
    ),
    "empty": ("deltagare.csv", b"", "tom"),
    "only blanks": ("deltagare.csv", b" \r\n\r\n  ", "tom"),
    "no text encoding fits": (
        "deltagare.csv",
        _csv(HEADER) + b"\x81\x8d\x8f\x90\x9d",
        "kunde inte läsas som text",
    ),
    "nul bytes": ("deltagare.csv", _csv(HEADER) + b"1\x002\x00", "binära data"),
    "utf-16 cut in half": (
        "deltagare.csv",
        b"\xff\xfe" + "personnummer".encode("utf-16-le")[:-1],
        "UTF-16",
    ),
    "csv bomb: one endless line": ("deltagare.csv", b";" * 2_000_000, "för lång"),
    "too many columns": (
        "deltagare.csv",
        _csv(";".join(f"k{i}" for i in range(MAX_COLUMNS + 1))),
        "för många kolumner",
    ),
    "too many rows": (
        "deltagare.csv",
        _csv(HEADER, *[GOOD_ROW] * (MAX_ROWS + 1)),
        "för många rader",
    ),
    "a cell bigger than csv allows": (
        "deltagare.csv",
        _csv(HEADER, '"' + "x\n" * 70_000 + '"'),
        "kunde inte läsas som csv",
    ),
    "over the size limit": ("deltagare.csv", b"a" * (MAX_FILE_BYTES + 1), "för stor"),
    "header only": ("deltagare.csv", _csv(HEADER), "inga deltagare"),
}


def _post(client, project, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(f"/projektideer/{project.pk}/deltagare/import/", {"file": upload})


@pytest.mark.django_db
def test_a_bad_upload_is_refused_in_swedish_and_creates_nothing(
    client, running_idea, bob, subtests
):
    log_in(client, bob)
    for case, (name, content, message) in BAD_FILES.items():
        with subtests.test(msg=case):
            response = _post(client, running_idea, name, content)
            assert response.status_code == 422
            page = response.content.decode()
            assert message in page
            assert 'name="file"' in page  # the form is back to try again
            assert Participant.objects.count() == 0
            assert PersonalDataAccess.objects.count() == 0


SWEDISH_EXCEL = {
    "windows-1252 with ;": _csv(HEADER, SWEDISH_ROW, encoding="cp1252"),
    "utf-8 with BOM": b"\xef\xbb\xbf" + _csv(HEADER, GOOD_ROW),
    "utf-16 with BOM": _csv(HEADER, GOOD_ROW, encoding="utf-16"),
    "utf-8 with ,": _csv(HEADER.replace(";", ","), GOOD_ROW.replace(";", ",")),
}


@pytest.mark.django_db
def test_files_swedish_excel_writes_are_read(client, running_idea, bob, subtests):
    log_in(client, bob)
    for case, content in SWEDISH_EXCEL.items():
        with subtests.test(msg=case), transaction.atomic():
            response = _post(client, running_idea, "deltagare.csv", content)
            assert response.status_code == 302
            participant = Participant.objects.get()
            assert (participant.gender, participant.employed_on_leaving) == ("woman", True)
            transaction.set_rollback(True)  # the next file brings the same person


def test_a_windows_1252_file_keeps_its_swedish_letters():
    content = _csv(HEADER, SWEDISH_ROW, encoding="cp1252")
    assert b"18\x9629 \xe5r" in content  # Windows-1252 bytes, invalid as UTF-8
    [(line, row)] = read_participant_file("deltagare.csv", content)
    assert (line, row["age_band"]) == (2, "age_18_29")


def test_the_biggest_allowed_file_is_read_to_the_end():
    row = GOOD_ROW + ";" + " " * 100
    rows = [row] * MAX_ROWS
    assert len(_csv(HEADER, *rows)) < MAX_FILE_BYTES
    assert len(read_participant_file("deltagare.csv", _csv(HEADER, *rows))) == MAX_ROWS


@pytest.mark.django_db
def test_an_import_that_fails_half_way_leaves_nothing_behind(running_idea, bob, monkeypatch):
    """The import is one transaction: if logging the new rows fails, the rows go too."""
    rows = read_participant_file("deltagare.csv", _csv(HEADER, GOOD_ROW))

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(PersonalDataAccess.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.import_participants(running_idea, rows, by=bob)
    assert Participant.objects.count() == 0


def _xlsx(*rows: list) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_counts_only_rows_with_content(monkeypatch):
    from samsyn.followup import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    header = HEADER.split(";")
    row = GOOD_ROW.split(";")
    blank = [None] * 3 + ["   "]  # a cell that only looks filled in does not count
    rows = read_participant_file("d.xlsx", _xlsx(header, row, blank, blank, row))
    assert [line for line, _ in rows] == [2, 5]
    with pytest.raises(services.ImportRejected, match="Ingen deltagare"):
        read_participant_file("d.xlsx", _xlsx(header, row, row, row))
