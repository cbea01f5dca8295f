"""The change log of one förbund: the history rows of its records, across models, newest first.

Each model keeps its own history table (django-simple-history). A page of the log asks each
table for at most offset + page size rows, newest first, and merges them in Python; so a page
never loads the whole history.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samsyn.calls.models import (
    Application,
    BudgetLine,
    Call,
    Cofinancing,
    JavDeclaration,
    Score,
)
from samsyn.calls.querysets import ApplicationQuerySet
from samsyn.followup.models import Participant, ProjectStaff
from samsyn.followup.querysets import ParticipantQuerySet
from samsyn.meetings.models import (
    AgendaItem,
    AssignmentPart,
    AssignmentSpend,
    Decision,
    GovernmentAssignment,
    Meeting,
)
from samsyn.meetings.querysets import OwnedQuerySet
from samsyn.parties.models import Forbund, ForbundRole, User
from samsyn.parties.templatetags.swedish import tal
from samsyn.pipeline.models import Idea, IdeaParty, Measure, Need
from samsyn.pipeline.querysets import NeedQuerySet, TrackQuerySet

HISTORY_TYPES = {"+": _("skapad"), "~": _("ändrad"), "-": _("borttagen")}


@dataclass(frozen=True)
class Kind:
    """One kind of record in the log: its model, how to find the förbund, how to name a row."""

    label: str
    model: type[Model]
    forbund: Callable[[int], Q]
    # Who may see a record of this kind, as a condition on its fields (which its history rows
    # share): the record's own access rule, never a looser one.
    visible: Callable[[User], Q]
    name: Callable[[Any], str]
    link: Callable[[Any], str | None] = lambda row: None
    related: tuple[str, ...] = ()
    # Participants: which fields changed is shown, never their values (personal data).
    hide_values: bool = False
    exclude: frozenset[str] = field(default_factory=frozenset)


def _in(field: str, queryset: Callable[[User], QuerySet]) -> Callable[[User], Q]:
    """Visible when the record this one belongs to is (its aggregate's visible_to)."""
    return lambda user: Q(**{f"{field}__in": queryset(user).values("pk")})


def _project_visible(user: User) -> Q:
    return Q(idea__in=Idea.objects.visible_to(user).values("pk")) | Q(
        measure__in=Measure.objects.visible_to(user).values("pk")
    )


def _ranking_visible(user: User) -> Q:
    """Scores and jäv declarations: for those who may read the call's ranking, only."""
    return _in("application", Application.objects.visible_to)(user) & _in(
        "application__call", Call.objects.with_ranking_for
    )(user)


def _via_project(prefix: str = "") -> Callable[[int], Q]:
    return lambda pk: (
        Q(**{f"{prefix}idea__need__forbund_id": pk})
        | Q(**{f"{prefix}measure__need__forbund_id": pk})
    )


KINDS: dict[str, Kind] = {
    "need": Kind(
        _("behov"),
        Need,
        lambda pk: Q(forbund_id=pk),
        NeedQuerySet.visibility,
        lambda r: r.title,
        lambda r: reverse("need", args=[r.id]),
    ),
    "idea": Kind(
        _("projektidé"),
        Idea,
        lambda pk: Q(need__forbund_id=pk),
        TrackQuerySet.visibility,
        lambda r: r.title,
        lambda r: reverse("idea", args=[r.id]),
    ),
    "ideaparty": Kind(
        _("medverkande part"),
        IdeaParty,
        lambda pk: Q(idea__need__forbund_id=pk),
        _in("idea", Idea.objects.visible_to),
        lambda r: f"{r.organisation.name} i {r.idea.title}",
        lambda r: reverse("idea", args=[r.idea_id]),
        related=("organisation", "idea"),
    ),
    "measure": Kind(
        _("Finsam-insats"),
        Measure,
        lambda pk: Q(need__forbund_id=pk),
        TrackQuerySet.visibility,
        lambda r: r.title,
        lambda r: reverse("measure", args=[r.id]),
    ),
    "application": Kind(
        _("ansökan"),
        Application,
        lambda pk: Q(idea__need__forbund_id=pk),
        ApplicationQuerySet.visibility,
        lambda r: f"{r.idea.title} – {r.call.title}",
        lambda r: reverse("application", args=[r.id]),
        related=("idea", "call"),
    ),
    "budgetline": Kind(
        _("budgetpost"),
        BudgetLine,
        lambda pk: Q(application__idea__need__forbund_id=pk),
        _in("application", Application.objects.visible_to),
        lambda r: f"{r.year} {r.get_category_display()} ({r.application.idea.title})",
        lambda r: reverse("application", args=[r.application_id]),
        related=("application__idea",),
    ),
    "cofinancing": Kind(
        _("medfinansiering"),
        Cofinancing,
        lambda pk: Q(application__idea__need__forbund_id=pk),
        _in("application", Application.objects.visible_to),
        lambda r: f"{r.organisation.name} ({r.application.idea.title})",
        lambda r: reverse("application", args=[r.application_id]),
        related=("organisation", "application__idea"),
    ),
    "jav": Kind(
        _("jävsdeklaration"),
        JavDeclaration,
        lambda pk: Q(application__idea__need__forbund_id=pk),
        _ranking_visible,
        lambda r: f"{r.reviewer} ({r.application.idea.title})",
        lambda r: reverse("application", args=[r.application_id]),
        related=("reviewer", "application__idea"),
    ),
    "score": Kind(
        _("poäng"),
        Score,
        lambda pk: Q(application__idea__need__forbund_id=pk),
        _ranking_visible,
        lambda r: f"{r.principle.code}: {r.value} ({r.application.idea.title})",
        lambda r: reverse("application", args=[r.application_id]),
        related=("principle", "application__idea"),
    ),
    "meeting": Kind(
        _("möte"),
        Meeting,
        lambda pk: Q(forbund_id=pk),
        OwnedQuerySet.visibility,
        lambda r: r.title,
        lambda r: reverse("meeting", args=[r.id]),
    ),
    "agendaitem": Kind(
        _("punkt på dagordningen"),
        AgendaItem,
        lambda pk: Q(meeting__forbund_id=pk),
        _in("meeting", Meeting.objects.visible_to),
        lambda r: f"§ {r.number} {r.title}",
        lambda r: reverse("meeting", args=[r.meeting_id]),
    ),
    "decision": Kind(
        _("beslut"),
        Decision,
        lambda pk: Q(agenda_item__meeting__forbund_id=pk),
        _in("agenda_item__meeting", Meeting.objects.visible_to),
        lambda r: r.text or r.get_kind_display(),
        lambda r: reverse("meeting", args=[r.agenda_item.meeting_id]) if r.agenda_item else None,
        related=("agenda_item",),
    ),
    "assignment": Kind(
        _("regeringsuppdrag"),
        GovernmentAssignment,
        lambda pk: Q(forbund_id=pk),
        OwnedQuerySet.visibility,
        lambda r: r.title,
        lambda r: reverse("assignment", args=[r.id]),
    ),
    "assignmentpart": Kind(
        _("del av regeringsuppdrag"),
        AssignmentPart,
        lambda pk: Q(assignment__forbund_id=pk),
        _in("assignment", GovernmentAssignment.objects.visible_to),
        lambda r: f"{r.title} ({r.assignment.title})",
        lambda r: reverse("assignment", args=[r.assignment_id]),
        related=("assignment",),
    ),
    "assignmentspend": Kind(
        _("utgift i regeringsuppdrag"),
        AssignmentSpend,
        lambda pk: Q(assignment__forbund_id=pk),
        _in("assignment", GovernmentAssignment.objects.visible_to),
        lambda r: f"{r.amount_sek} kr {r.spent_on} ({r.assignment.title})",
        lambda r: reverse("assignment", args=[r.assignment_id]),
        related=("assignment",),
    ),
    "participant": Kind(
        _("deltagare"),
        Participant,
        _via_project(),
        ParticipantQuerySet.visibility,
        lambda r: f"{r.code}",
        hide_values=True,
    ),
    "staff": Kind(
        _("projektpersonal"),
        ProjectStaff,
        _via_project(),
        _project_visible,
        lambda r: f"{r.user}",
        related=("user",),
    ),
    "role": Kind(
        _("roll i förbundet"),
        ForbundRole,
        lambda pk: Q(forbund_id=pk),
        _in("forbund", Forbund.objects.visible_to),
        lambda r: f"{r.user} – {r.get_role_display()}",
        related=("user",),
    ),
}

KIND_CHOICES = [(key, kind.label) for key, kind in KINDS.items()]
# Bookkeeping fields that every change touches; listing them says nothing.
IGNORED_FIELDS = frozenset({"version"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    at: Any
    user: Any
    kind: str
    kind_label: str
    record: str
    link: str | None
    action: str
    reason: str
    changes: list[FieldChange]


def history_of(kind: Kind, forbund_pk: int, user: User) -> QuerySet:
    """The förbund's history rows of this kind that `user` may see."""
    return (
        kind.model.history.filter(kind.forbund(forbund_pk), kind.visible(user))
        .select_related("history_user", *kind.related)
        .order_by("-history_date", "-history_id")
    )


def _value(field, value):
    if value is None or value == "":
        return "–"
    if isinstance(value, Model):
        return str(value)
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | Decimal):
        return tal(value)  # 3 375 000, as every page writes an amount
    return value


def field_changes(kind: Kind, row) -> list[FieldChange]:
    if row.history_type != "~":
        return []
    previous = row.prev_record
    if previous is None:
        return []
    delta = row.diff_against(
        previous, excluded_fields=IGNORED_FIELDS, foreign_keys_are_objs=not kind.hide_values
    )
    found = []
    for change in delta.changes:
        model_field = kind.model._meta.get_field(change.field)
        label = str(getattr(model_field, "verbose_name", change.field))
        if kind.hide_values:
            found.append(FieldChange(label, "", ""))
        else:
            old = _value(model_field, change.old)
            new = _value(model_field, change.new)
            if getattr(model_field, "many_to_many", False):
                old, new = len(change.old or []), len(change.new or [])
            found.append(FieldChange(label, old, new))
    return found


def describe(key: str, row) -> Change:
    kind = KINDS[key]
    return Change(
        at=row.history_date,
        user=row.history_user,
        kind=key,
        kind_label=str(kind.label),
        record=kind.name(row),
        link=kind.link(row) if row.history_type != "-" else None,
        action=str(HISTORY_TYPES.get(row.history_type, row.history_type)),
        reason=row.history_change_reason or "",
        changes=field_changes(kind, row),
    )


class ChangeLog:
    """Sliceable and countable, so Django's Paginator can page through the merged log.

    `reader` is who reads the log: each row is shown only if the reader may see its record.
    `narrow` applies the filter (user, dates) to each history queryset.
    """

    def __init__(
        self,
        forbund_pk: int,
        kinds: list[str] | None = None,
        narrow: Callable[[QuerySet], QuerySet] = lambda qs: qs,
        *,
        reader: User,
    ):
        self.querysets = {
            key: narrow(history_of(KINDS[key], forbund_pk, reader))
            for key in (kinds or list(KINDS))
        }

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets.values())

    def __len__(self) -> int:
        return self.count()

    def _merged(self, limit: int | None) -> Iterator[tuple[str, Any]]:
        def stream(key, qs):
            rows = qs[:limit] if limit is not None else qs.iterator(chunk_size=500)
            for row in rows:
                yield (row.history_date, row.history_id, key), row

        return (
            (entry[0][2], entry[1])
            for entry in heapq.merge(
                *(stream(key, qs) for key, qs in self.querysets.items()),
                key=lambda entry: entry[0][:2],
                reverse=True,
            )
        )

    def __getitem__(self, window: slice) -> list[Change]:
        start, stop = window.start or 0, window.stop
        return [describe(key, row) for key, row in islice(self._merged(stop), start, stop)]

    def __iter__(self) -> Iterator[Change]:
        return (describe(key, row) for key, row in self._merged(None))
