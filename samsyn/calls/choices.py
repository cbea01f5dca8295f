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
    """The application's life cycle (DOMAIN.md §2 step 7, §5): ansökan → bedömning →
    (regional calls only) prioritering → beslut."""

    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inskickad")
    APPROVED = "approved", _("Godkänd för prioritering")
    NOT_APPROVED = "not_approved", _("Inte godkänd")
    PRIORITISED = "prioritised", _("Prioriterad")
    NOT_PRIORITISED = "not_prioritised", _("Inte prioriterad")
    GRANTED = "granted", _("Beviljad")
    REJECTED = "rejected", _("Avslagen")


# Statuses in which the partnership's prioritisation paper ranks the application: approved
# for prioritisation, and the ones the partnership has already decided on (so the ranking does
# not shift while decisions are recorded one by one). Never a granted one.
PRIORITISATION_STATUSES = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.PRIORITISED,
    ApplicationStatus.NOT_PRIORITISED,
)
# Final statuses: nothing more happens to the application.
FINAL_STATUSES = (
    ApplicationStatus.NOT_APPROVED,
    ApplicationStatus.GRANTED,
    ApplicationStatus.REJECTED,
)


class ApplicationMove(models.TextChoices):
    """What an application event records: the step and whose decision it was."""

    DRAFTED = "drafted", _("Ansökan påbörjad")
    SUBMITTED = "submitted", _("Inskickad i Projektrummet+")
    ASSESSED = "assessed", _("ESF-rådets bedömning")
    PRIORITISED = "prioritised", _("Strukturfondspartnerskapets prioritering")
    DECIDED = "decided", _("ESF-rådets beslut")
    MIGRATED = "migrated", _("Överfört från tidigare version")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Öppen nu")
    COMING = "coming", _("Kommande")
    CLOSED = "closed", _("Stängd")
