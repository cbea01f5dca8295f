from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    BEREDNINGSGRUPP = "beredningsgrupp", _("Beredningsgruppens möte")
    STYRELSE = "styrelse", _("Styrelsemöte")
    NATVERK = "natverk", _("Nätverksmöte")


FORBUND_MEETING_KINDS = frozenset({MeetingKind.BEREDNINGSGRUPP, MeetingKind.STYRELSE})


class DecisionKind(models.TextChoices):
    NEED = "need", _("Behov identifierat")
    IDEA_STEP = "idea_step", _("Steg för projektidé")
    MEASURE_STEP = "measure_step", _("Steg för Finsam-insats")
    NOTE = "note", _("Beslut")


class NewsKind(models.TextChoices):
    NEWS = "news", _("Nyhet")
    PROJECT = "project", _("Projekt att följa")


class AssignmentStatus(models.TextChoices):
    ONGOING = "ongoing", _("Pågår")
    REPORTED = "reported", _("Redovisat")
    CLOSED = "closed", _("Avslutat")


class PartStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Klar")
