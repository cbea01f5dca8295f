"""Choices of the calls app: decision levels, the regional cycle, roles, cost categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionLevel(models.TextChoices):
    NATIONAL = "national", _("Nationellt")
    REGIONAL = "regional", _("Regionalt")


class CallPhase(models.TextChoices):
    """The regional call cycle (DOMAIN.md §5), in order."""

    BEHOVSANALYS = "behovsanalys", _("Behovsanalys")
    UTLYSNING = "utlysning", _("Utlysning")
    MOBILISERING = "mobilisering", _("Mobilisering")
    ANSOKAN = "ansokan", _("Ansökan")
    BEDOMNING = "bedomning", _("Bedömning")
    PRIORITERING = "prioritering", _("Prioritering")
    LARANDE = "larande", _("Lärande")


CALL_PHASES = list(CallPhase.values)


class CallsRoleKind(models.TextChoices):
    CALL_MANAGER = "call_manager", _("Förvaltar utlysningsplanen (EU-strateg)")
    REVIEWER = "reviewer", _("Bereder strukturfondspartnerskapets prioritering")


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personal")
    EXTERNAL = "external", _("Externa tjänster")
    PREMISES = "premises", _("Lokaler")
    EQUIPMENT = "equipment", _("Utrustning och material")
    TRAVEL = "travel", _("Resor")
    INDIRECT = "indirect", _("Indirekta kostnader (schablon)")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inskickad till ESF-rådet")
    GRANTED = "granted", _("Godkänd av ESF-rådet")
    REJECTED = "rejected", _("Avslagen av ESF-rådet")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Öppen nu")
    COMING = "coming", _("Kommande")
    CLOSED = "closed", _("Stängd")
