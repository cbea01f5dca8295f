from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from samsyn.parties.models import User


class ForbundQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ForbundQuerySet:
        """The one place that decides which förbund a user may see (pages and API)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(roles__user=user).distinct()


class OrganisationQuerySet(models.QuerySet):
    def finsam_parties(self) -> OrganisationQuerySet:
        from samsyn.parties.choices import FINSAM_PARTY_KINDS

        return self.filter(kind__in=FINSAM_PARTY_KINDS)
