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
        """The applications of ideas in the user's förbund; and, for the staff who prepare a
        partnership's prioritisation, the approved applications of their region's calls."""
        from samsyn.calls.choices import ApplicationStatus
        from samsyn.parties.models import Forbund

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        scopes = list(user.calls_roles.values_list("regional_plan_id", flat=True))
        in_forbund = Q(idea__need__forbund__in=Forbund.objects.visible_to(user))
        if not scopes:
            return self.filter(in_forbund)
        regional = [s for s in scopes if s is not None]
        scope_q = Q(call__regional_plan__in=regional)
        if None in scopes:
            scope_q |= Q(call__regional_plan__isnull=True)
        approved = Q(status=ApplicationStatus.GRANTED) & scope_q
        return self.filter(in_forbund | approved).distinct()
