from __future__ import annotations

from django.db import models
from django.db.models import Q

from samsyn.parties.models import Forbund, User


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> NeedQuerySet:
        return self.filter(NeedQuerySet.visibility(user))

    @staticmethod
    def visibility(user: User) -> Q:
        """The rule as a condition on a need's own fields, so that its history rows obey it too."""
        return Q(forbund__in=Forbund.objects.visible_to(user))


class TrackQuerySet(models.QuerySet):
    """Ideas and measures: both hang off a need, so access follows the need's förbund."""

    def visible_to(self, user: User) -> TrackQuerySet:
        return self.filter(TrackQuerySet.visibility(user))

    @staticmethod
    def visibility(user: User) -> Q:
        return Q(need__forbund__in=Forbund.objects.visible_to(user))

    def count_by_step(self) -> dict[str, int]:
        return dict(self.values_list("step").annotate(n=models.Count("pk")).order_by())
