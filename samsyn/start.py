"""The start page: each user lands on their own work, whatever roles they hold.

It sits at project level (like samsyn/demo.py) because it gathers work from every app:
the förbund's pipeline for its kansli, missing mandates and decisions for a beredningsgrupp
member's party, the calls a reviewer prioritises or a strategist keeps, and the
participants of the projects a person works in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from samsyn.calls.choices import ApplicationStatus, CallsRoleKind
from samsyn.calls.models import Call, CallsRole
from samsyn.followup.models import ProjectStaff
from samsyn.meetings.models import Meeting
from samsyn.parties.choices import Role
from samsyn.parties.models import Forbund, User
from samsyn.pipeline.models import Idea, IdeaParty, Measure
from samsyn.pipeline.steps import IdeaStep, MeasureStep

# Before the application is sent in, the parties' mandates (R6) and decisions (R7) matter.
PREPARING = [
    IdeaStep.NEED_IDENTIFIED,
    IdeaStep.IDEA_DESIGNED,
    IdeaStep.OWNER_AGREED,
    IdeaStep.APPLICATION_DRAFTED,
    IdeaStep.PARTIES_DECIDED,
]

CLOSED = [IdeaStep.STOPPED, IdeaStep.LEFT_ROUTINE, IdeaStep.REJECTED, IdeaStep.COMPLETED]


# A start page shows what waits, not everything: the first few of each list and how many in all.
SHOWN = 10


@dataclass
class FirstOf:
    """The first `SHOWN` rows of a list, and how many the whole list has."""

    items: list
    total: int

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def first_of(queryset: QuerySet) -> FirstOf:
    """One query: the first rows of the (ordered) queryset, each carrying the total count."""
    rows = list(queryset.annotate(list_total=Window(Count("pk")))[:SHOWN])
    return FirstOf(rows, rows[0].list_total if rows else 0)


@dataclass
class PipelineStep:
    label: str
    count: int


@dataclass
class KansliWork:
    forbund: Forbund
    idea_steps: list[PipelineStep]
    measure_steps: list[PipelineStep]
    minutes_to_approve: FirstOf
    coming_meetings: list[Meeting]
    parties_missing: FirstOf


@dataclass
class Work:
    kansli: list[KansliWork] = field(default_factory=list)
    party_missing: FirstOf = field(default_factory=lambda: FirstOf([], 0))
    party_ideas: FirstOf = field(default_factory=lambda: FirstOf([], 0))
    reviewer_calls: list[Call] = field(default_factory=list)
    managed_calls: list[Call] = field(default_factory=list)
    projects: list[ProjectStaff] = field(default_factory=list)

    def __bool__(self) -> bool:
        lists = (self.kansli, self.party_ideas, self.reviewer_calls, self.managed_calls)
        return any(lists) or bool(self.projects)


def _steps(queryset, choices) -> list[PipelineStep]:
    counts = dict(queryset.order_by().values_list("step").annotate(n=Count("pk")))
    return [PipelineStep(str(label), counts[v]) for v, label in choices if counts.get(v)]


def missing_parties(forbund_ids, organisation_id: int | None = None):
    """Parties of ideas still in preparation whose mandate or formal decision is missing."""
    parties = IdeaParty.objects.filter(
        idea__need__forbund__in=forbund_ids, idea__step__in=PREPARING
    ).filter(Q(mandate_confirmed_at__isnull=True) | Q(decision_date__isnull=True))
    if organisation_id is not None:
        parties = parties.filter(organisation_id=organisation_id)
    return parties.select_related("idea", "organisation").order_by("idea__title", "organisation")


def kansli_work(forbund: Forbund) -> KansliWork:
    now = timezone.now()
    meetings = Meeting.objects.filter(forbund=forbund)
    return KansliWork(
        forbund=forbund,
        idea_steps=_steps(Idea.objects.filter(need__forbund=forbund), IdeaStep.choices),
        measure_steps=_steps(Measure.objects.filter(need__forbund=forbund), MeasureStep.choices),
        minutes_to_approve=first_of(
            meetings.filter(starts_at__lt=now, approved_at__isnull=True).order_by("starts_at")
        ),
        coming_meetings=list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:3]),
        parties_missing=first_of(missing_parties([forbund.pk])),
    )


def work_for(user: User) -> Work:
    work = Work()
    roles = user.forbund_roles.select_related("forbund__organisation")
    work.kansli = [kansli_work(r.forbund) for r in roles if r.role == Role.KANSLI]
    beredning = [r.forbund_id for r in roles if r.role == Role.BEREDNING]
    if beredning and user.organisation_id:
        work.party_missing = first_of(missing_parties(beredning, user.organisation_id))
        org = user.organisation_id
        as_party = IdeaParty.objects.filter(organisation_id=org).values("idea")
        work.party_ideas = first_of(
            Idea.objects.filter(need__forbund__in=beredning)
            .filter(Q(pk__in=as_party) | Q(owner_id=org))
            .exclude(step__in=CLOSED)
            .order_by("title", "pk")
        )
    calls_roles = list(CallsRole.objects.filter(user=user))
    plans = {r.regional_plan_id for r in calls_roles if r.role == CallsRoleKind.REVIEWER}
    if plans:
        work.reviewer_calls = list(
            Call.objects.filter(regional_plan__in=plans)
            .annotate(
                to_score=Count(
                    "applications", filter=Q(applications__status=ApplicationStatus.APPROVED)
                )
            )
            .filter(to_score__gt=0)
            .order_by("-opens_on")
        )
    managed = [r.regional_plan_id for r in calls_roles if r.role == CallsRoleKind.CALL_MANAGER]
    if managed:
        national = None in managed
        plans_q = Q(regional_plan__in=[p for p in managed if p is not None])
        if national:
            plans_q |= Q(regional_plan__isnull=True)
        work.managed_calls = list(Call.objects.filter(plans_q).order_by("-opens_on")[:10])
    work.projects = list(
        ProjectStaff.objects.filter(user=user)
        .filter(
            Q(idea__need__forbund__in=Forbund.objects.visible_to(user))
            | Q(measure__need__forbund__in=Forbund.objects.visible_to(user))
        )
        .select_related("idea", "measure")
    )
    return work
