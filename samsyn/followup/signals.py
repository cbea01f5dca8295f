"""Every write that a follow-up figure depends on bumps the data version of its förbund.

Signals rather than the verbs: the verbs, the admin, the import and a restore all save through
the models, so no door can forget it. Bulk writes (the participant import) bump by hand.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from samsyn.followup import report_cache
from samsyn.followup.models import Participant
from samsyn.parties.models import Forbund, Organisation
from samsyn.pipeline.models import (
    Idea,
    IdeaParty,
    IdeaTransition,
    Measure,
    MeasureTransition,
    Need,
)


def _forbund_of(instance) -> list[int] | None:
    """The förbund the record belongs to; None when it cannot be told (bump everywhere)."""
    if isinstance(instance, Need):
        return [instance.forbund_id]
    if isinstance(instance, Idea | Measure):
        need_id = instance.need_id
    elif isinstance(instance, IdeaParty | IdeaTransition):
        need_id = Idea.objects.filter(pk=instance.idea_id).values_list("need_id", flat=True)
        need_id = need_id.first()
    elif isinstance(instance, MeasureTransition):
        need_id = Measure.objects.filter(pk=instance.measure_id).values_list("need_id", flat=True)
        need_id = need_id.first()
    elif isinstance(instance, Participant):
        return forbund_of_project(instance.idea_id, instance.measure_id)
    else:
        return None
    ids = list(Need.objects.filter(pk=need_id).values_list("forbund_id", flat=True))
    return ids or None


def forbund_of_project(idea_id: int | None, measure_id: int | None) -> list[int] | None:
    model, pk = (Idea, idea_id) if idea_id else (Measure, measure_id)
    ids = list(model.objects.filter(pk=pk).values_list("need__forbund_id", flat=True))
    return ids or None


def _changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not report_cache.enabled():
        return
    # A restore (raw) loads rows in any order: its lookups could miss, so bump everything.
    ids = None if raw else _forbund_of(instance)
    report_cache.bump(ids if ids else [report_cache.EVERYWHERE])


def _everywhere(sender, **kwargs) -> None:
    report_cache.bump([report_cache.EVERYWHERE])


def _measure_parties(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _changed(sender, instance)


def connect() -> None:
    for model in (Need, Idea, Measure, IdeaParty, IdeaTransition, MeasureTransition, Participant):
        post_save.connect(_changed, sender=model, dispatch_uid=f"followup-version-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"followup-version-d-{model}")
    for model in (Organisation, Forbund):
        post_save.connect(_everywhere, sender=model, dispatch_uid=f"followup-version-{model}")
        post_delete.connect(_everywhere, sender=model, dispatch_uid=f"followup-version-d-{model}")
    m2m_changed.connect(_everywhere, sender=Forbund.members.through, dispatch_uid="fv-members")
    m2m_changed.connect(_measure_parties, sender=Measure.parties.through, dispatch_uid="fv-mp")
