"""The application as ESF-rådet reads it, in docx and PDF, for typing into Projektrummet+.

Sections come in the order ESF-rådet assesses an application; each names who last changed
what it shows (django-simple-history). A section Samsyn holds no field for says so
("Inte ifyllt i Samsyn") rather than inventing text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from samsyn.calls.choices import CostCategory
from samsyn.calls.models import Application, BudgetLine, Cofinancing
from samsyn.exports import docx_bytes, pdf_bytes
from samsyn.parties.templatetags.swedish import tal
from samsyn.pipeline.models import IdeaParty

EMPTY = "Inte ifyllt i Samsyn"


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    changed: str = ""


def _field_change(instance, attnames: tuple[str, ...]):
    """The newest history record of `instance` that changed one of `attnames` (or created it)."""
    records = list(instance.history.order_by("-history_date", "-history_id"))
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None or any(getattr(newer, a) != getattr(older, a) for a in attnames):
            return newer
    return None


def _changed(records) -> str:
    records = [r for r in records if r is not None]
    if not records:
        return "Senast ändrad: ingen ändring registrerad i Samsyn"
    record = max(records, key=lambda r: r.history_date)
    user = record.history_user
    who = (user.get_full_name() or user.username) if user else "okänd användare"
    at = timezone.localtime(record.history_date)
    return f"Senast ändrad {at:%Y-%m-%d %H:%M} av {who}"


def _text(value) -> str:
    return str(value).strip() if value else EMPTY


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else EMPTY


def _kr(value: int) -> str:
    return f"{tal(value)} kr"


def _recorded_by(party: IdeaParty) -> str:
    user = party.decision_recorded_by
    if user is None:
        return "–"
    name = user.get_full_name() or user.username
    return f"{name} (kansliet, för partens räkning)" if party.decision_on_behalf else name


def sections(app: Application) -> list[Section]:
    idea = app.idea
    need = idea.need
    parties = list(
        IdeaParty.objects.filter(idea=idea).select_related("organisation", "decision_recorded_by")
    )
    lines = list(app.budget_lines.all())
    cofinancing = list(
        app.cofinancing.select_related("organisation").order_by("organisation__name")
    )

    problem = Section(
        "1. Problem och målgrupp",
        [
            f"Behovet: {_text(need.description)}",
            f"Syfte: {_text(idea.purpose)}",
            f"Målgrupp: {_text(idea.target_group)}",
        ],
        changed=_changed(
            [
                _field_change(need, ("description",)),
                _field_change(idea, ("purpose", "target_group")),
            ]
        ),
    )
    goals = Section(
        "2. Mål", [_text(idea.goals)], changed=_changed([_field_change(idea, ("goals",))])
    )
    method = Section(
        "3. Metod och aktiviteter",
        [_text(idea.implementation)],
        changed=_changed([_field_change(idea, ("implementation",))]),
    )
    organisation = Section(
        "4. Organisation och kapacitet",
        [
            f"Projektägare: {_text(idea.owner)}",
            f"Projektledare: {_text(app.project_manager)}",
            f"Ekonom/controller: {_text(app.controller)}",
            f"Administratör: {_text(app.administrator)}",
        ],
        changed=_changed(
            [
                _field_change(idea, ("owner_id",)),
                _field_change(app, ("project_manager", "controller", "administrator")),
            ]
        ),
    )
    anchoring = Section(
        "5. Förankring hos parterna",
        [] if parties else [EMPTY],
        header=[
            "Part",
            "Företrädare",
            "Mandat gavs",
            "Formellt beslut",
            "Diarienummer/paragraf",
            "Beslutet registrerat av",
        ],
        rows=[
            [
                str(p.organisation),
                _text(p.representative),
                _date(p.mandate_given_on),
                _date(p.decision_date) if p.decision_date else "Beslut saknas",
                _text(p.decision_reference),
                _recorded_by(p),
            ]
            for p in parties
        ],
        changed=_changed(
            [IdeaParty.history.filter(idea_id=idea.pk).order_by("-history_date").first()]
        ),
    )
    principles = Section(
        "6. Horisontella principer",
        [f"{EMPTY}: Samsyn har inget fält för jämställdhet, likabehandling och tillgänglighet."],
        changed="Senast ändrad: ingen ändring registrerad i Samsyn",
    )
    years = sorted({line.year for line in lines})
    amounts = {(line.category, line.year): line.amount_sek for line in lines}
    categories = [c for c in CostCategory if any((c.value, y) in amounts for y in years)]
    budget_rows = [
        [
            str(c.label),
            *(tal(amounts.get((c.value, y), 0)) for y in years),
            tal(sum(amounts.get((c.value, y), 0) for y in years)),
        ]
        for c in categories
    ]
    if lines:
        budget_rows.append(
            [
                "Summa",
                *(tal(sum(v for (_, y), v in amounts.items() if y == year)) for year in years),
                tal(sum(amounts.values())),
            ]
        )
    budget = Section(
        "7. Budget per år och kostnadsslag (kr)",
        [] if lines else [EMPTY],
        header=["Kostnadsslag", *map(str, years), "Summa"] if lines else [],
        rows=budget_rows,
        changed=_changed(
            [BudgetLine.history.filter(application_id=app.pk).order_by("-history_date").first()]
        ),
    )
    cofin_rows = [[str(c.organisation), _kr(c.amount_sek)] for c in cofinancing]
    if cofinancing:
        cofin_rows.append(["Summa medfinansiering", _kr(sum(c.amount_sek for c in cofinancing))])
    cofin = Section(
        "8. Medfinansiering per medfinansiär",
        [f"Sökt EU-stöd: {_kr(app.eu_share_sek) if app.eu_share_sek is not None else EMPTY}"]
        + ([] if cofinancing else [EMPTY]),
        header=["Medfinansiär", "Belopp"] if cofinancing else [],
        rows=cofin_rows,
        changed=_changed(
            [
                Cofinancing.history.filter(application_id=app.pk).order_by("-history_date").first(),
                _field_change(app, ("eu_share_sek",)),
            ]
        ),
    )
    timeplan = Section(
        "9. Tidsplan",
        [
            f"Projektet startar: {_date(app.starts_on)}",
            f"Projektet slutar: {_date(app.ends_on)}",
            "Aktiviteter per tidpunkt: " + EMPTY,
        ],
        changed=_changed([_field_change(app, ("starts_on", "ends_on"))]),
    )
    return [problem, goals, method, organisation, anchoring, principles, budget, cofin, timeplan]


def _title(app: Application) -> str:
    return f"Ansökan: {app.idea}"


def _facts(app: Application) -> str:
    return f"{app.call} · {app.get_status_display()} · utskriven {timezone.localdate():%Y-%m-%d}"


def application_docx(app: Application) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = _title(app)
    doc.add_heading(_title(app), level=1)
    doc.add_paragraph(_facts(app))
    for section in sections(app):
        doc.add_heading(section.title, level=2)
        for text in section.paragraphs:
            doc.add_paragraph(text)
        if section.rows:
            table = doc.add_table(rows=1, cols=len(section.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.header, strict=True):
                cell.text = text
            for row in section.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        doc.add_paragraph(section.changed).runs[0].italic = True
    return docx_bytes(doc)


def application_pdf(app: Application) -> bytes:
    html = render_to_string(
        "calls/application_print.html",
        {"title": _title(app), "facts": _facts(app), "sections": sections(app)},
    )
    return pdf_bytes(html)
