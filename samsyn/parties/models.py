from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samsyn.parties.bounds import Bounded
from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.querysets import ForbundQuerySet, OrganisationQuerySet


class Organisation(Bounded):
    """A party or other actor: kommun, region, AF, FK, ESF-rådet, a förbund, …"""

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    code = models.CharField(
        _("SCB-kod"),
        max_length=4,
        blank=True,
        help_text=_("Kommunkod (4 siffror) eller länskod (2)."),
    )
    lan_code = models.CharField(_("länskod"), max_length=2, blank=True)
    nuts2_code = models.CharField(_("NUTS 2-kod"), max_length=4, blank=True)
    nuts2_name = models.CharField(_("NUTS 2-region"), max_length=60, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~models.Q(code=""),
                name="organisation_unique_code_per_kind",
            )
        ]

    def __str__(self) -> str:
        # Gotland's municipality is also its region and signs as Region Gotland: where both
        # stand in one list (a Gotland förbund's parties), the kommun says so.
        if self.kind == OrganisationKind.KOMMUN and self.name.startswith("Region "):
            return f"{self.name} (kommun)"
        return self.name


class Forbund(models.Model):
    """A samordningsförbund; it is an organisation too (its kansli staff belong to it)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="forbund",
        verbose_name=_("organisation"),
    )
    members = models.ManyToManyField(
        Organisation, related_name="forbund_memberships", verbose_name=_("medlemmar")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = ForbundQuerySet.as_manager()

    class Meta:
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name


class User(Bounded, AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ForbundRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="forbund_roles")
    forbund = models.ForeignKey(Forbund, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roll i förbund")
        verbose_name_plural = _("roller i förbund")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "forbund"], name="one_role_per_user_and_forbund"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.forbund}"


class ApiToken(models.Model):
    """Bearer token for the REST API; only a SHA-256 digest of the token is stored."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"API-nyckel för {self.user}"


class PreparatoryGroup(models.Model):
    """A beredningsgrupp of a förbund: the parties' representatives who map needs and prepare.

    A förbund may have several, or none (the förbundschef prepares with the parties).
    """

    forbund = models.ForeignKey(
        Forbund,
        on_delete=models.CASCADE,
        related_name="preparatory_groups",
        verbose_name=_("förbund"),
    )
    name = models.CharField(_("namn"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beredningsgrupp")
        verbose_name_plural = _("beredningsgrupper")
        ordering = ["forbund", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forbund", "name"], name="preparatory_group_unique_name_per_forbund"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PreparatoryGroupMember(models.Model):
    """A named representative of a party (a member of the förbund) in a beredningsgrupp."""

    group = models.ForeignKey(
        PreparatoryGroup,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("beredningsgrupp"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="group_representatives",
        verbose_name=_("företräder part"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ledamot i beredningsgrupp")
        verbose_name_plural = _("ledamöter i beredningsgrupp")
        ordering = ["organisation__name", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}) i {self.group}"
