from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    REGION = "region", _("Region")
    AF = "af", _("Arbetsförmedlingen")
    FK = "fk", _("Försäkringskassan")
    ESF = "esf", _("Svenska ESF-rådet")
    FORBUND = "forbund", _("Samordningsförbund")
    OTHER = "other", _("Annan aktör")


# The parties of financial coordination under lag (2003:1210).
FINSAM_PARTY_KINDS = frozenset(
    {OrganisationKind.AF, OrganisationKind.FK, OrganisationKind.KOMMUN, OrganisationKind.REGION}
)


class Role(models.TextChoices):
    KANSLI = "kansli", _("Kansli")
    BEREDNING = "beredning", _("Ledamot i beredningsgrupp")
    READER = "reader", _("Läsare")
