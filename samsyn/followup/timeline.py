"""One story from need to result: everything that happened to a need, idea or measure.

Participants appear only as counts per month (joined, left), never as people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from samsyn.followup.disclosure import SMALL, Cell, ProjectFigures, project_figures
from samsyn.followup.models import Participant
from samsyn.pipeline.models import Idea, Measure, Need


@dataclass(frozen=True)
class Event:
    on: dt.date
    kind: str  # need, step, meeting, application, participants, results
    title: str
    detail: str = ""
    by: str = ""
    record: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _steps(record: Idea | Measure, label: str) -> list[Event]:
    events = []
    for t in record.transitions.select_related("by"):
        on = t.basis_date or timezone.localdate(t.at)
        detail = t.get_forum_display()
        if t.basis_date:
            detail += f" {t.basis_date:%Y-%m-%d}"
        if t.note:
            detail += f": {t.note}"
        events.append(
            Event(on, "step", t.get_to_step_display(), detail, str(t.by), f"{label}: {record}")
        )
    return events


def participant_months(record: Idea | Measure) -> tuple[dict[dt.date, int], dict[dt.date, int]]:
    """Participants who started and who left, per month, keyed by the first such day."""
    key = {"idea": record} if isinstance(record, Idea) else {"measure": record}
    months = []
    for field in ("started_on", "ended_on"):
        rows = (
            Participant.objects.filter(**key, **{f"{field}__isnull": False})
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("pk"), first=Min(field))
            .order_by("month")
        )
        months.append({row["first"]: row["n"] for row in rows})
    return months[0], months[1]


def _count_title(cell: Cell, verb: str) -> str:
    if not cell.suppressed:
        return f"{cell} deltagare {verb}"
    if cell.reason == SMALL:
        return f"{str(cell).capitalize()} deltagare {verb}"
    return f"Deltagare {verb} (antalet visas inte, för att skydda enskilda)"


def _participants(record: Idea | Measure, label: str, figures: ProjectFigures) -> list[Event]:
    events = []
    for cells, verb in ((figures.started, "började"), (figures.ended, "slutade")):
        # Counts per month, placed at the first such day of the month.
        for on, cell in cells.items():
            if cell.suppressed and not figures.exact:
                continue  # see disclosure._hide_small_remainder
            events.append(
                Event(on, "participants", _count_title(cell, verb), record=f"{label}: {record}")
            )
    return events


def _results(record: Idea | Measure, label: str, figures: ProjectFigures) -> list[Event]:
    results = figures.all
    total = results["participants_total"]
    if not results["period"] or total.value == 0:
        return []
    employed = results["results"]["employed_on_leaving"]
    return [
        Event(
            results["period"]["to"],
            "results",
            f"Resultat: {employed['count']} av {employed['denominator']} deltagare med arbete "
            "efter projektet",
            "Nämnaren är alla deltagare; se resultatsidan för andra urval.",
            record=f"{label}: {record}",
        )
    ]


def _exact(track: Idea | Measure) -> ProjectFigures:
    from samsyn.followup.results import project_results

    started, ended = participant_months(track)
    return project_figures(project_results(track), None, started, ended, exact=True)


def _applications(record: Idea) -> list[Event]:
    """Applications and ESF-rådet's decision, read through the reverse relation the calls app
    adds (issue 4) – follow-up does not import it, so it works with or without it."""
    related = getattr(record, "applications", None)
    if related is None:
        return []
    events = []
    for application in related.all():
        label = f"{label_of(record)}: {record}"
        submitted = getattr(application, "submitted_on", None)
        decided = getattr(application, "decided_on", None)
        status = getattr(application, "get_status_display", lambda: "")()
        if submitted:
            events.append(Event(submitted, "application", f"Ansökan: {application}", record=label))
        if decided:
            events.append(
                Event(decided, "application", "ESF-rådets beslut", str(status), record=label)
            )
    return events


def _meetings(records: list[tuple[str, Need | Idea | Measure]]) -> list[Event]:
    """Agenda items about the records, from the meetings app's reverse relation (issue 7).

    An item about both the need and its idea is told once.
    """
    seen = set()
    events = []
    for label, record in records:
        related = getattr(record, "agenda_items", None)
        if related is None:
            continue
        for item in related.select_related("meeting"):
            if item.pk in seen:
                continue
            seen.add(item.pk)
            meeting = item.meeting
            on = timezone.localdate(meeting.starts_at)
            detail = getattr(item, "minutes", "") or ""
            events.append(Event(on, "meeting", f"{meeting.title}: {item.title}", detail, "", label))
    return events


def label_of(record) -> str:
    return "Projektidé" if isinstance(record, Idea) else "Insats"


def timeline(
    record: Need | Idea | Measure,
    figures: Callable[[Idea | Measure], ProjectFigures] = _exact,
) -> list[Event]:
    """`figures` gives each project's participant figures: exact by default (domain use);
    pages and API pass `disclosure.for_user`, which protects them outside project staff."""
    if isinstance(record, Need):
        need = record
        tracks = [("Projektidé", i) for i in need.ideas.all()] + [
            ("Insats", m) for m in need.measures.all()
        ]
    else:
        need = record.need
        label = "Projektidé" if isinstance(record, Idea) else "Insats"
        tracks = [(label, record)]
    events = [Event(need.identified_on, "need", f"Behov identifierat: {need}", need.target_group)]
    events += _meetings([(f"Behov: {need}", need)] + [(f"{lb}: {t}", t) for lb, t in tracks])
    for label, track in tracks:
        events += _steps(track, label)
        counts = figures(track)
        events += _participants(track, label, counts)
        events += _results(track, label, counts)
        if isinstance(track, Idea):
            events += _applications(track)
    # On one day the meeting comes before the steps it decided.
    kinds = ["need", "meeting", "step", "application", "participants", "results"]
    return sorted(events, key=lambda e: (e.on, kinds.index(e.kind)))
