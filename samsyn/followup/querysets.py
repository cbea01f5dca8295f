"""The reporting layer: querysets whose methods compose into the follow-up figures.

Every figure is one query, aggregated in the database. A transition's date is the date of the
meeting or decision it rests on (`basis_date`), or, when none was recorded, the day it was
registered in Samsyn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate

from samsyn.parties.choices import OrganisationKind
from samsyn.pipeline.models import IdeaParty, IdeaTransition, MeasureTransition
from samsyn.pipeline.querysets import TrackQuerySet
from samsyn.pipeline.steps import IdeaStep, MeasureStep

# The kinds FK's routine asks for; any other kind of organisation counts as "other".
KINDS = ("af", "fk", "kommun", "region", "other")
_NAMED_KINDS = [
    OrganisationKind.AF,
    OrganisationKind.FK,
    OrganisationKind.KOMMUN,
    OrganisationKind.REGION,
]


def kind_bucket(field: str) -> Case:
    return Case(
        When(**{f"{field}__in": _NAMED_KINDS}, then=F(field)),
        default=Value("other"),
        output_field=models.CharField(),
    )


def event_date() -> Coalesce:
    return Coalesce("basis_date", TruncDate("at"), output_field=models.DateField())


@dataclass(frozen=True)
class Period:
    """Inclusive dates; None is open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def q(self, field: str) -> Q:
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    def until_end(self) -> Period:
        return Period(None, self.end)


def _transitions(model, fk: str, steps, period: Period):
    """The ids of the tracks with a transition to one of `steps` dated in the period.

    An uncorrelated `IN (SELECT …)`: both SQLite and PostgreSQL compute it once per query.
    """
    qs = model.objects.filter(to_step__in=list(steps))
    if period.start or period.end:
        qs = qs.annotate(on=event_date()).filter(period.q("on"))
    return qs.values(fk)


def _never(model, fk: str, steps, period: Period) -> Exists:
    """No transition to one of `steps` dated in the period, as NOT EXISTS: PostgreSQL runs it as
    an anti-join, while NOT IN (SELECT …) cannot be one (NULL semantics) and became a scan of
    the subquery per row (168 ms for one förbund's ideas in progress at national scale)."""
    return ~Exists(_transitions(model, fk, steps, period).filter(**{fk: OuterRef("pk")}))


def zeros(counts: dict, keys=KINDS) -> dict[str, int]:
    return {k: counts.get(k, 0) for k in keys}


class IdeaReportQuerySet(TrackQuerySet):
    """Track E figures over ideas."""

    def identified(self, period: Period) -> IdeaReportQuerySet:
        return self.filter(Q(need__in_preparatory_structure=True) & period.q("need__identified_on"))

    def reached(self, steps, period: Period) -> IdeaReportQuerySet:
        return self.filter(pk__in=_transitions(IdeaTransition, "idea", steps, period))

    def led_to_application(self, period: Period) -> IdeaReportQuerySet:
        return self.reached([IdeaStep.SUBMITTED], period)

    def granted(self, period: Period) -> IdeaReportQuerySet:
        return self.reached([IdeaStep.GRANTED], period)

    def rejected(self, period: Period) -> IdeaReportQuerySet:
        return self.reached([IdeaStep.REJECTED], period)

    def stopped_without_application(self, period: Period) -> IdeaReportQuerySet:
        return self.reached([IdeaStep.STOPPED, IdeaStep.LEFT_ROUTINE], period).filter(
            _never(IdeaTransition, "idea", [IdeaStep.SUBMITTED], Period())
        )

    def in_progress(self, period: Period) -> IdeaReportQuerySet:
        """Identified by the period's end, and by then neither submitted, stopped nor left."""
        ended = [IdeaStep.SUBMITTED, IdeaStep.STOPPED, IdeaStep.LEFT_ROUTINE]
        return self.identified(period.until_end()).filter(
            _never(IdeaTransition, "idea", ended, period.until_end())
        )

    def with_owner_kind(self, kind: str) -> IdeaReportQuerySet:
        return self.alias(k=kind_bucket("owner__kind")).filter(k=kind)

    def with_cofinancier(self, *, kind: str = "", organisation: int | None = None):
        parties = IdeaParty.objects.filter(idea=OuterRef("pk"), is_cofinancier=True)
        if kind:
            parties = parties.alias(k=kind_bucket("organisation__kind")).filter(k=kind)
        if organisation:
            parties = parties.filter(organisation=organisation)
        return self.filter(Exists(parties))

    def with_reason(self, reason: str) -> IdeaReportQuerySet:
        return self.alias(r=_reason()).filter(r=reason)

    # Breakdowns: each one query returning {key: count}.

    def count_by_reason(self) -> dict[str, int]:
        return dict(self.values_list(_reason()).annotate(n=Count("pk")).order_by())

    def count_by_owner_kind(self) -> dict[str, int]:
        rows = self.values_list(kind_bucket("owner__kind")).annotate(n=Count("pk")).order_by()
        return zeros(dict(rows))

    def count_by_owner(self) -> list[dict]:
        rows = (
            self.filter(owner__isnull=False)
            .values("owner", "owner__name", "owner__kind")
            .annotate(n=Count("pk"))
            .order_by("-n", "owner__name")
        )
        return [
            {"id": r["owner"], "name": r["owner__name"], "kind": r["owner__kind"], "count": r["n"]}
            for r in rows
        ]

    def _cofinanciers(self):
        return IdeaParty.objects.filter(is_cofinancier=True, idea__in=self.values("pk"))

    def count_cofinanciers_by_kind(self) -> dict[str, int]:
        rows = (
            self._cofinanciers()
            .values_list(kind_bucket("organisation__kind"))
            .annotate(n=Count("idea", distinct=True))
            .order_by()
        )
        return zeros(dict(rows))

    def count_cofinanciers(self) -> list[dict]:
        rows = (
            self._cofinanciers()
            .values("organisation", "organisation__name", "organisation__kind")
            .annotate(n=Count("idea", distinct=True))
            .order_by("-n", "organisation__name")
        )
        return [
            {
                "id": r["organisation"],
                "name": r["organisation__name"],
                "kind": r["organisation__kind"],
                "count": r["n"],
            }
            for r in rows
        ]


def _reason() -> Coalesce:
    """Stop reason, or the reason for leaving the routine, or "unspecified"."""
    from django.db.models.functions import NullIf

    return Coalesce(
        NullIf("stop_reason", Value("")),
        NullIf("left_routine_reason", Value("")),
        Value("unspecified"),
        output_field=models.CharField(),
    )


class MeasureReportQuerySet(TrackQuerySet):
    """Track F figures over measures."""

    def identified(self, period: Period) -> MeasureReportQuerySet:
        return self.filter(Q(need__in_preparatory_structure=True) & period.q("need__identified_on"))

    def reached(self, steps, period: Period) -> MeasureReportQuerySet:
        return self.filter(pk__in=_transitions(MeasureTransition, "measure", steps, period))

    def board_decided(self, period: Period) -> MeasureReportQuerySet:
        return self.reached([MeasureStep.BOARD_DECIDED], period)

    def board_declined(self, period: Period) -> MeasureReportQuerySet:
        return self.reached([MeasureStep.BOARD_DECLINED], period)

    def stopped_without_decision(self, period: Period) -> MeasureReportQuerySet:
        return self.reached([MeasureStep.STOPPED], period).filter(
            _never(MeasureTransition, "measure", [MeasureStep.BOARD_DECIDED], Period())
        )

    def in_progress(self, period: Period) -> MeasureReportQuerySet:
        ended = [MeasureStep.BOARD_DECIDED, MeasureStep.BOARD_DECLINED, MeasureStep.STOPPED]
        return self.identified(period.until_end()).filter(
            _never(MeasureTransition, "measure", ended, period.until_end())
        )

    def with_party_kind(self, kind: str) -> MeasureReportQuerySet:
        return self.alias(k=kind_bucket("parties__kind")).filter(k=kind).distinct()

    def with_reason(self, reason: str) -> MeasureReportQuerySet:
        return self.alias(r=_stop_reason()).filter(r=reason)

    def count_by_reason(self) -> dict[str, int]:
        return dict(self.values_list(_stop_reason()).annotate(n=Count("pk")).order_by())

    def count_parties_by_kind(self) -> dict[str, int]:
        rows = (
            self.filter(parties__isnull=False)
            .values_list(kind_bucket("parties__kind"))
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return zeros(dict(rows))

    def count_parties(self) -> list[dict]:
        rows = (
            self.filter(parties__isnull=False)
            .values("parties", "parties__name", "parties__kind")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "parties__name")
        )
        return [
            {
                "id": r["parties"],
                "name": r["parties__name"],
                "kind": r["parties__kind"],
                "count": r["n"],
            }
            for r in rows
        ]


def _stop_reason() -> Coalesce:
    from django.db.models.functions import NullIf

    return Coalesce(
        NullIf("stop_reason", Value("")), Value("unspecified"), output_field=models.CharField()
    )


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> ParticipantQuerySet:
        return self.filter(ParticipantQuerySet.visibility(user))

    @staticmethod
    def visibility(user) -> Q:
        """Only the project's own staff see its participants, and only in a förbund they can
        still see (a staff member who lost the role sees nothing). A condition on the
        participant's own fields, so that its history rows obey it too."""
        from samsyn.pipeline.models import Idea, Measure

        if not user.is_authenticated or not user.is_active:
            return Q(pk__in=[])
        return Q(idea__in=Idea.objects.visible_to(user).filter(staff__user=user).values("pk")) | Q(
            measure__in=Measure.objects.visible_to(user).filter(staff__user=user).values("pk")
        )

    def of(self, project) -> ParticipantQuerySet:
        from samsyn.pipeline.models import Idea

        return self.filter(**{"idea" if isinstance(project, Idea) else "measure": project})

    def of_forbund(self, forbund) -> ParticipantQuerySet:
        """Participants of the förbund's ideas and measures.

        Two id subqueries rather than an OR across two join chains: the OR made PostgreSQL join
        the whole participant table on every request (found by `make loadtest`).
        """
        from samsyn.pipeline.models import Idea, Measure

        return self.filter(
            Q(idea__in=Idea.objects.filter(need__forbund__in=forbund).values("pk"))
            | Q(measure__in=Measure.objects.filter(need__forbund__in=forbund).values("pk"))
        )

    def active(self) -> ParticipantQuerySet:
        """Not erased: the people whose personal data are still held."""
        return self.filter(erased_at__isnull=True)
