"""Every write to a Samsyn record bumps a data version: its förbund's, or everyone's.

The follow-up figures (samsyn/followup/report_cache.py) and the cached pages
(samsyn/page_cache.py) are keyed by these versions. A record that belongs to one förbund (a
need, an idea or a measure and what hangs off them, a participant) bumps that förbund; any other
record (organisations, roles, calls, meetings, networks, users …) bumps the version that every
key holds (EVERYWHERE). Coarse where it must be, never missing: every model of Samsyn's apps is
connected, not a list of them.

Signals rather than the verbs: the verbs, the admin, the import and a restore all save through
the models, so no door can forget it. Bulk writes (the participant import) bump by hand.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from samsyn.followup import report_cache
from samsyn.followup.models import Participant
from samsyn.parties.models import User
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


def _changed(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if not report_cache.enabled():
        return
    if sender is User and update_fields is not None and set(update_fields) <= UNSHOWN_USER_FIELDS:
        return  # a log-in: nothing any page shows has changed
    # A restore (raw) loads rows in any order: its lookups could miss, so bump everything.
    ids = None if raw else _forbund_of(instance)
    report_cache.bump(ids if ids else [report_cache.EVERYWHERE])


def _m2m_changed(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _changed(sender, instance)


# Django's log-in saves last_login alone; no page shows it.
UNSHOWN_USER_FIELDS = frozenset({"last_login"})


def versioned_models() -> list[type]:
    """Every model of Samsyn's own apps, except the history rows their saves write anyway."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("samsyn.") and not issubclass(model, HistoricalChanges)
    ]


def connect() -> None:
    for model in versioned_models():
        name = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"data-version-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"data-version-d-{name}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            uid = f"data-version-m2m-{through._meta.label}"
            m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=uid)
