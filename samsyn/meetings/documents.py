"""Agenda and minutes as PDF (WeasyPrint) and as a Word document (python-docx)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from samsyn.exports import docx_bytes, pdf_bytes
from samsyn.meetings.models import Meeting


def _context(meeting: Meeting, minutes: bool) -> dict:
    return {
        "meeting": meeting,
        "owner": meeting.owner,
        "minutes": minutes,
        "items": meeting.agenda_items.select_related("need", "idea", "measure").prefetch_related(
            "decisions"
        ),
        "attendees": meeting.attendees.select_related("organisation"),
    }


def _pdf(meeting: Meeting, minutes: bool) -> bytes:
    return pdf_bytes(render_to_string("meetings/print.html", _context(meeting, minutes)))


def minutes_pdf(meeting: Meeting) -> bytes:
    return _pdf(meeting, minutes=True)


def agenda_pdf(meeting: Meeting) -> bytes:
    return _pdf(meeting, minutes=False)


def _docx(meeting: Meeting, minutes: bool) -> bytes:
    from docx import Document

    context = _context(meeting, minutes)
    doc = Document()
    doc.core_properties.title = f"{'Protokoll' if minutes else 'Dagordning'}: {meeting.title}"
    doc.add_paragraph(str(meeting.owner))
    doc.add_heading(f"{'Protokoll' if minutes else 'Dagordning'}: {meeting.title}", level=1)
    start = timezone.localtime(meeting.starts_at)
    facts = [f"{meeting.get_kind_display()}, {start:%Y-%m-%d %H:%M}"]
    if meeting.location:
        facts.append(f"Plats: {meeting.location}")
    doc.add_paragraph("\n".join(facts))
    attendees = list(context["attendees"])
    if attendees:
        doc.add_heading("Närvarande" if minutes else "Kallade", level=2)
        for a in attendees:
            doc.add_paragraph(f"{a.name}, {a.organisation}", style="List Bullet")
    doc.add_heading("Punkter", level=2)
    for item in context["items"]:
        doc.add_heading(f"§ {item.number} {item.title}", level=3)
        if item.description:
            doc.add_paragraph(item.description)
        if minutes:
            if item.minutes:
                doc.add_paragraph(item.minutes)
            for decision in item.decisions.all():
                p = doc.add_paragraph()
                p.add_run("Beslut: ").bold = True
                p.add_run(str(decision))
    if minutes:
        doc.add_heading("Justering", level=2)
        if meeting.is_approved:
            at = timezone.localtime(meeting.approved_at)
            doc.add_paragraph(
                f"Protokollet justerat {at:%Y-%m-%d %H:%M} av {meeting.approved_by}. "
                f"Justerare: {meeting.adjusters}."
            )
        else:
            doc.add_paragraph("Utkast: protokollet är inte justerat.")
    return docx_bytes(doc)


def minutes_docx(meeting: Meeting) -> bytes:
    return _docx(meeting, minutes=True)


def agenda_docx(meeting: Meeting) -> bytes:
    return _docx(meeting, minutes=False)
