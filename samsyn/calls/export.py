"""The prioritisation paper as PDF (WeasyPrint) and xlsx (openpyxl)."""

from __future__ import annotations

from django.template.loader import render_to_string

from samsyn.calls.prioritisation import POSITION_LABELS, Paper, fmt
from samsyn.exports import pdf_bytes, workbook_bytes


def paper_pdf(paper: Paper) -> bytes:
    html = render_to_string("calls/paper_print.html", {"paper": paper, "labels": POSITION_LABELS})
    return pdf_bytes(html)


def paper_xlsx(paper: Paper) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    bold = Font(bold=True)

    ws = wb.active
    ws.title = "Rangordning"
    ws.append([f"Prioriteringsunderlag: {paper.call}"])
    ws["A1"].font = bold
    ws.append(["Budget (kr)", paper.budget_sek])
    ws.append([])
    header = [
        "Plats",
        "Ansökan",
        "Projektägare",
        "Belopp (kr)",
        "Viktad summa",
        "Ackumulerat (kr)",
        "Ryms (kr)",
        "Budget",
        "Oenighet",
        "Bedömare",
    ]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in paper.rows:
        r = row.ranked
        ws.append(
            [
                r.rank,
                str(row.application.idea),
                str(row.application.idea.owner or ""),
                r.amount_sek,
                float(r.total) if r.total is not None else None,
                r.cumulative_sek,
                r.funded_sek,
                POSITION_LABELS[r.position],
                ", ".join(r.disagreements),
                ", ".join(r.reviewers),
            ]
        )

    ws = wb.create_sheet("Principer")
    ws.append(["Kod", "Princip", "Vikt"])
    for cell in ws[1]:
        cell.font = bold
    for p in paper.principles:
        ws.append([p.code, p.name, p.weight])

    ws = wb.create_sheet("Poäng")
    ws.append(["Ansökan", "Bedömare", "Princip", "Poäng", "Motivering"])
    for cell in ws[1]:
        cell.font = bold
    for row in paper.rows:
        for s in row.scores:
            ws.append(
                [
                    str(row.application.idea),
                    s.reviewer.username,
                    s.principle.code,
                    s.value,
                    s.motivation,
                ]
            )

    ws = wb.create_sheet("Jäv")
    ws.append(["Ansökan", "Bedömare", "Jävig", "Omständigheter", "Deklarerad"])
    for cell in ws[1]:
        cell.font = bold
    for row in paper.rows:
        for d in row.declarations:
            ws.append(
                [
                    str(row.application.idea),
                    d.reviewer.username,
                    "Ja" if d.disqualified else "Nej",
                    d.reason,
                    d.declared_at.strftime("%Y-%m-%d %H:%M"),
                ]
            )
    # Titles, motivations and jäv circumstances are typed by people: neutralised on the way out.
    return workbook_bytes(wb)


__all__ = ["fmt", "paper_pdf", "paper_xlsx"]
