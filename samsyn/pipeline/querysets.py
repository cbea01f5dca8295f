from __future__ import annotations

from django.db import models
from django.db.models import Func, Q, Subquery

from samsyn.parties.models import Forbund, User


def count_of(queryset: models.QuerySet) -> Subquery:
    """COUNT(*) of a correlated queryset (filtered on an OuterRef), as a scalar subquery.

    For annotating a list with counts of two relations: Count() over both joins multiplies the
    rows (needs x ideas x measures) before DISTINCT removes them again. COUNT as a Func is not
    seen as an aggregate, so the subquery has no GROUP BY and always returns one row.
    """
    return Subquery(queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n"))


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
