"""The prioritisation paper as PDF and xlsx: principles, every score, every jäv declaration."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from samsyn.calls import services
from samsyn.calls.export import paper_pdf, paper_xlsx
from samsyn.calls.prioritisation import paper
from tests.calls.conftest import approve, ready_application


@pytest.fixture
def scored(idea, regional_call, bob, rut, ture):
    app = services.submit_application(
        ready_application(idea, regional_call, bob), by=bob, expected_version=None
    )
    app = approve(app, bob)
    services.declare_jav(app, reviewer=ture, disqualified=True, reason="Anställd i Borås stad.")
    services.declare_jav(app, reviewer=rut, disqualified=False)
    services.score_application(
        app, reviewer=rut, scores={"P1": (4, "Väl förankrat hos alla parter."), "P2": (2, "Vagt.")}
    )
    return regional_call


def test_xlsx_holds_ranking_principles_scores_and_jav(scored):
    wb = load_workbook(io.BytesIO(paper_xlsx(paper(scored))))
    assert wb.sheetnames == ["Rangordning", "Principer", "Poäng", "Jäv"]
    ranking = list(wb["Rangordning"].values)
    assert ranking[4][:5] == (1, "Vägen tillbaka", "Borås stad", 400_000, 3.0)
    assert ranking[4][7] == "Inom budget"
    assert [r[0] for r in list(wb["Principer"].values)[1:]] == ["P1", "P2", "P3", "P4", "P5"]
    scores = list(wb["Poäng"].values)[1:]
    assert ("Vägen tillbaka", "rut", "P1", 4, "Väl förankrat hos alla parter.") in scores
    jav = {(r[1], r[2], r[3]) for r in list(wb["Jäv"].values)[1:]}
    assert jav == {("rut", "Nej", None), ("ture", "Ja", "Anställd i Borås stad.")}


def test_pdf_is_a_pdf(scored):
    pdf = paper_pdf(paper(scored))
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
