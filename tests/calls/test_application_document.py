"""The application as ESF-rådet reads it: docx and PDF from the application page's links,
sections in ESF-rådet's order, exact co-financing, who last changed each section."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.urls import reverse

from samsyn.calls.document import EMPTY
from samsyn.pipeline import services as pipeline
from tests.auth import log_in
from tests.calls.conftest import TODAY, ready_application
from tests.factories import kommun, region

ORDER = [
    "1. Problem och målgrupp",
    "2. Mål",
    "3. Metod och aktiviteter",
    "4. Organisation och kapacitet",
    "5. Förankring hos parterna",
    "6. Horisontella principer",
    "7. Budget per år och kostnadsslag (kr)",
    "8. Medfinansiering per medfinansiär",
    "9. Tidsplan",
]
# The section a person changed last → who the document must name under it.
CHANGED_BY = {
    "1. Problem och målgrupp": "alice",
    "2. Mål": "alice",
    "3. Metod och aktiviteter": "alice",
    "4. Organisation och kapacitet": "bob",
    "5. Förankring hos parterna": "bob",
    "7. Budget per år och kostnadsslag (kr)": "bob",
    "8. Medfinansiering per medfinansiär": "bob",
    "9. Tidsplan": "bob",
}


@pytest.fixture
def app(idea, regional_call, alice, bob):
    idea = pipeline.update_idea(
        idea,
        by=alice,
        expected_version=None,
        purpose="Arbetsträning i samverkan.",
        goals="Hälften av deltagarna i arbete eller studier.",
        implementation="=Stegvis arbetsträning med handledare.",
    )
    pipeline.update_need(
        idea.need, by=alice, expected_version=None, description="Långa sjukskrivningar."
    )
    # Bob records Borås' decision after Alice wrote the goals: the idea's newest history
    # record is then his, yet the goals are still Alice's.
    pipeline.set_idea_party(
        idea,
        kommun("1490"),
        by=bob,
        expected_version=None,
        decision_date=TODAY,
        decision_reference="KS § 112",
    )
    return ready_application(
        idea, regional_call, bob, cofin={kommun("1490"): 1_234_567, region("14"): 300_000}
    )


def _download(client, app, label: str) -> bytes:
    page = client.get(reverse("application", args=[app.pk])).content.decode()
    href = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{re.escape(label)}</a>', page)
    assert href, f"no link {label!r} on the application page"
    response = client.get(html.unescape(href.group(1)))
    assert response.status_code == 200
    return response.content


def _docx_lines(data: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = []
    for block in doc.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = [c for c in row.iter() if c.tag.endswith("}tc")]
                    lines.append(
                        " | ".join(
                            "".join(t.text or "" for t in c.iter() if t.tag.endswith("}t"))
                            for c in cells
                        )
                    )
    return lines


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _assert_document(text: str, names: dict[str, str]) -> None:
    positions = [text.find(title) for title in ORDER]
    assert -1 not in positions, dict(zip(ORDER, positions, strict=True))
    assert positions == sorted(positions), "sections out of ESF-rådet's order"
    parts = {
        title: text[start : (positions[i + 1] if i + 1 < len(ORDER) else len(text))]
        for i, (title, start) in enumerate(zip(ORDER, positions, strict=True))
    }
    for title, part in parts.items():
        assert "Senast ändrad" in part, f"{title} does not say who last changed it"
    for title, who in CHANGED_BY.items():
        stamp = rf"Senast ändrad \d{{4}}-\d\d-\d\d \d\d:\d\d av {re.escape(names[who])}"
        assert re.search(stamp, parts[title]), title
    cofin = parts["8. Medfinansiering per medfinansiär"]
    assert "1\u202f234\u202f567 kr" in cofin and "300\u202f000 kr" in cofin
    assert "1\u202f534\u202f567 kr" in cofin  # the sum, exact to the krona
    assert "400\u202f000 kr" in cofin  # the EU share asked for
    anchoring = parts["5. Förankring hos parterna"]
    assert (
        "Borås stad" in anchoring and "KS § 112" in anchoring and f"{TODAY:%Y-%m-%d}" in anchoring
    )
    assert "1\u202f000\u202f000" in parts["7. Budget per år och kostnadsslag (kr)"]
    assert EMPTY in parts["6. Horisontella principer"]  # no field in Samsyn: said, not invented
    assert "Pia Projektledare" in parts["4. Organisation och kapacitet"]
    assert "2027-01-01" in parts["9. Tidsplan"]


def _names(*users) -> dict[str, str]:
    return {u.username: u.get_full_name() or u.username for u in users}


def test_application_document_docx_in_esf_order(client, app, alice, bob):
    log_in(client, bob)
    data = _download(client, app, "Ladda ner ansökan som Word (docx)")
    lines = _docx_lines(data)
    _assert_document("\n".join(lines), _names(alice, bob))
    # Through the one export writer: typed text that starts like a formula stays text.
    assert "'=Stegvis arbetsträning med handledare." in lines


def test_application_document_pdf_in_esf_order(client, app, alice, bob):
    log_in(client, bob)
    data = _download(client, app, "Ladda ner ansökan som PDF")
    assert data.startswith(b"%PDF")
    _assert_document(_pdf_text(data), _names(alice, bob))


def test_application_document_another_forbunds_user_gets_404(client, app, mallory):
    log_in(client, mallory)
    for name in ("application_document_docx", "application_document_pdf"):
        assert client.get(reverse(name, args=[app.pk])).status_code == 404
