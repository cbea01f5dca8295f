"""A hand-made pipeline: dates and steps set directly, so every right answer is known."""

from __future__ import annotations

import datetime as dt

from samsyn.pipeline.models import IdeaTransition, Measure, MeasureTransition, Need
from samsyn.pipeline.steps import Forum
from tests.factories import IdeaFactory, NeedFactory


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def need(forbund, identified: str, *, in_structure: bool = True) -> Need:
    return NeedFactory(
        forbund=forbund, identified_on=d(identified), in_preparatory_structure=in_structure
    )


def idea(need_, by, *moves: tuple[str, str | None], owner=None, stop_reason="", left=""):
    """An idea with transitions (to_step, basis date or None for "registered today")."""
    record = IdeaFactory(need=need_, owner=owner, stop_reason=stop_reason, left_routine_reason=left)
    step = "need_identified"
    for to_step, on in moves:
        IdeaTransition.objects.create(
            idea=record,
            from_step=step,
            to_step=to_step,
            by=by,
            forum=Forum.BEREDNINGSGRUPP,
            basis_date=d(on) if on else None,
        )
        step = to_step
    record.step = step
    record.save(update_fields=["step"])
    return record


def measure(need_, by, *moves: tuple[str, str], parties=(), stop_reason=""):
    record = Measure.objects.create(
        need=need_, title=f"Insats {need_.pk}", target_group="Unga", stop_reason=stop_reason
    )
    record.parties.set(parties)
    step = "need_identified"
    for to_step, on in moves:
        MeasureTransition.objects.create(
            measure=record,
            from_step=step,
            to_step=to_step,
            by=by,
            forum=Forum.STYRELSE,
            basis_date=d(on),
        )
        step = to_step
    record.step = step
    record.save(update_fields=["step"])
    return record


def participant_data(**overrides):
    data = {
        "started_on": d("2025-06-01"),
        "ended_on": d("2025-12-01"),
        "gender": "woman",
        "age_band": "age_30_54",
        "labour_status": "long_term_unemployed",
        "education": "isced_0_2",
        "employed_on_leaving": True,
    }
    data.update(overrides)
    return data


def running_project(forbund, kansli, staff):
    """A running project; `staff` is its staff (added by the kansli)."""
    from samsyn.followup import services

    record = idea(
        need(forbund, "2025-01-15"),
        staff,
        ("submitted", "2025-03-01"),
        ("granted", "2025-05-01"),
        ("running", "2025-06-01"),
    )
    services.add_staff(record, staff, by=kansli)
    return record
