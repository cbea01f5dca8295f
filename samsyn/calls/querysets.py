from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from samsyn.parties.models import User


class CallQuerySet(models.QuerySet):
    """Calls are public information: every signed-in user sees the call plan."""

    def visible_to(self, user: User) -> CallQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def open_on(self, day: dt.date) -> CallQuerySet:
        return self.filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day), opens_on__lte=day)

    def coming_on(self, day: dt.date) -> CallQuerySet:
        return self.filter(opens_on__gt=day)

    def closed_on(self, day: dt.date) -> CallQuerySet:
        return self.filter(closes_on__lt=day)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ApplicationQuerySet:
        """The applications of ideas in the user's förbund; for the staff who prepare a
        partnership's prioritisation, the applications of their region's calls that are up for
        (or through) prioritisation; for a call manager, every submitted application of the
        calls she keeps (she records ESF-rådet's assessment and decision)."""
        from samsyn.calls.choices import PRIORITISATION_STATUSES, ApplicationStatus, CallsRoleKind
        from samsyn.parties.models import Forbund

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        roles = list(user.calls_roles.values_list("role", "regional_plan_id"))
        in_forbund = Q(idea__need__forbund__in=Forbund.objects.visible_to(user))
        if not roles:
            return self.filter(in_forbund)

        def in_scope(role: str) -> Q:
            scopes = [plan for r, plan in roles if r == role]
            q = Q(call__regional_plan__in=[s for s in scopes if s is not None])
            if None in scopes:
                q |= Q(call__regional_plan__isnull=True)
            return q if scopes else Q(pk__in=[])

        reviewed = Q(status__in=PRIORITISATION_STATUSES) & in_scope(CallsRoleKind.REVIEWER)
        managed = ~Q(status=ApplicationStatus.DRAFT) & in_scope(CallsRoleKind.CALL_MANAGER)
        return self.filter(in_forbund | reviewed | managed).distinct()
