"""The participant import page links to an xlsx template whose Swedish headers it accepts."""

import io
import re

from openpyxl import load_workbook

from samsyn.followup.imports import column_labels
from samsyn.followup.models import Participant
from tests.auth import log_in


def test_import_template_is_linked_and_its_swedish_columns_are_read_back(client, running_idea, bob):
    log_in(client, bob)
    page = client.get(f"/projektideer/{running_idea.pk}/deltagare/")
    link = re.search(r'href="([^"]+)"[^>]*>Ladda ner mallen', page.content.decode())
    assert link, "the import page links to its template"
    template = client.get(link.group(1))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(template.content))
    sheet = book["Deltagare"]
    headers = [c.value for c in sheet[1]]
    assert headers == list(column_labels().values())
    # Swedish names only: no field name such as started_on in the header row.
    assert not [h for h in headers if "_" in h]
    assert {"Personnummer", "Startdatum", "Kön"} <= set(headers)
    values = {
        "Personnummer": "19811218-9876",
        "Startdatum": "2025-06-01",
        "Kön": "Kvinna",
        "Ålder": "30–54 år",
        "Ställning på arbetsmarknaden": "Arbetslös",
    }
    sheet.append([values.get(h, "") for h in headers])
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    filled.name = "deltagare.xlsx"
    response = client.post(
        f"/projektideer/{running_idea.pk}/deltagare/import/", {"file": filled}, follow=True
    )
    assert "1 deltagare har lästs in." in response.content.decode()
    participant = Participant.objects.get()
    assert participant.gender == "woman" and participant.labour_status == "unemployed"


def test_import_template_headers_missing_are_named_in_swedish(client, running_idea, bob):
    from samsyn.followup.imports import read_participant_file
    from samsyn.followup.services import ImportRejected

    try:
        read_participant_file("x.csv", b"Personnummer;Slutdatum\n19811218-9876;2025-06-01\n")
    except ImportRejected as exc:
        message = exc.errors[0].message
    assert "kolumner saknas: Startdatum, Kön" in message
