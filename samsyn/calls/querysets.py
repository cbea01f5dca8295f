from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from samsyn.parties.models import User


def _in_plans(roles: models.QuerySet, prefix: str = "call__") -> Q:
    """In the regional plan of one of these calls roles; a role without a plan stands for the
    national calls. Subqueries, so that the condition costs no query of its own."""
    return Q(
        **{f"{prefix}regional_plan__in": roles.exclude(regional_plan=None).values("regional_plan")}
    ) | (
        Q(**{f"{prefix}regional_plan__isnull": True})
        & Q(models.Exists(roles.filter(regional_plan=None)))
    )


class CallQuerySet(models.QuerySet):
    """Calls are public information: every signed-in user sees the call plan."""

    def visible_to(self, user: User) -> CallQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def with_ranking_for(self, user: User) -> CallQuerySet:
        """The calls whose ranking, with every reviewer's scores and jäv declarations, the user
        may read: those of the regions whose applications she reviews or whose calls she
        manages."""
        from samsyn.calls.choices import CallsRoleKind

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        roles = user.calls_roles.filter(
            role__in=[CallsRoleKind.REVIEWER, CallsRoleKind.CALL_MANAGER]
        )
        return self.filter(_in_plans(roles, prefix=""))

    def open_on(self, day: dt.date) -> CallQuerySet:
        return self.filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day), opens_on__lte=day)

    def coming_on(self, day: dt.date) -> CallQuerySet:
        return self.filter(opens_on__gt=day)

    def closed_on(self, day: dt.date) -> CallQuerySet:
        return self.filter(closes_on__lt=day)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ApplicationQuerySet:
        return self.filter(ApplicationQuerySet.visibility(user)).distinct()

    @staticmethod
    def visibility(user: User) -> Q:
        """The applications of ideas in the user's förbund; for the staff who prepare a
        partnership's prioritisation, the applications of their region's calls that are up for
        (or through) prioritisation; for a call manager, every submitted application of the
        calls she keeps (she records ESF-rådet's assessment and decision).

        A condition on the application's own fields, so that its history rows obey it too."""
        from samsyn.calls.choices import PRIORITISATION_STATUSES, ApplicationStatus, CallsRoleKind
        from samsyn.parties.models import Forbund

        if not user.is_authenticated or not user.is_active:
            return Q(pk__in=[])
        if user.is_superuser:
            return Q()
        in_forbund = Q(idea__need__forbund__in=Forbund.objects.visible_to(user))
        reviewed = Q(status__in=PRIORITISATION_STATUSES) & _in_plans(
            user.calls_roles.filter(role=CallsRoleKind.REVIEWER)
        )
        managed = ~Q(status=ApplicationStatus.DRAFT) & _in_plans(
            user.calls_roles.filter(role=CallsRoleKind.CALL_MANAGER)
        )
        return in_forbund | reviewed | managed
