from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from samsyn.parties.models import User


class NetworkQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> NetworkQuerySet:
        """A network is seen by its coordinators and by the people of its member organisations."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        members = Q(members=user.organisation_id) if user.organisation_id else Q(pk__in=[])
        ids = self.filter(members | Q(coordinators=user)).values("pk")
        return self.filter(pk__in=ids)


class OwnedQuerySet(models.QuerySet):
    """Records of a förbund or a network: visible when the owner is."""

    def visible_to(self, user: User) -> OwnedQuerySet:
        return self.filter(OwnedQuerySet.visibility(user))

    @staticmethod
    def visibility(user: User) -> Q:
        """The rule as a condition on the record's own fields (its history rows obey it too)."""
        from samsyn.meetings.models import Network
        from samsyn.parties.models import Forbund

        return Q(forbund__in=Forbund.objects.visible_to(user)) | Q(
            network__in=Network.objects.visible_to(user)
        )
