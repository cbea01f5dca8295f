"""Participants of a running project (idea, track E) or measure (track F), and their staff.

A participant belongs to exactly one idea or one measure. The personnummer is stored only as
`pnr_hash` and `pnr_encrypted` (see crypto.py); the history table leaves both out, so an
erasure leaves no personnummer behind in the history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samsyn.followup.choices import AccessAction, AgeBand, Answer, Education, Gender, LabourStatus
from samsyn.followup.querysets import ParticipantQuerySet
from samsyn.parties.bounds import Bounded
from samsyn.pipeline.models import Idea, Measure

ONE_PROJECT = Q(idea__isnull=False, measure__isnull=True) | Q(
    idea__isnull=True, measure__isnull=False
)


class ProjectStaff(models.Model):
    """Projektpersonal: the only people who see participants of that project."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_staff"
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="staff"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="staff"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("projektpersonal")
        verbose_name_plural = _("projektpersonal")
        constraints = [
            models.CheckConstraint(condition=ONE_PROJECT, name="staff_one_project"),
            models.UniqueConstraint(fields=["user", "idea"], name="staff_once_per_idea"),
            models.UniqueConstraint(fields=["user", "measure"], name="staff_once_per_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.user} i {self.idea or self.measure}"


def _answer(label):
    return models.CharField(label, max_length=10, choices=Answer.choices, blank=True)


def _result(label):
    return models.BooleanField(label, null=True, blank=True)


class Participant(Bounded):
    idea = models.ForeignKey(
        Idea, on_delete=models.PROTECT, null=True, blank=True, related_name="participants"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="participants"
    )
    code = models.CharField(_("deltagarkod"), max_length=20)
    started_on = models.DateField(_("började"))
    ended_on = models.DateField(_("slutade"), null=True, blank=True)
    gender = models.CharField(_("kön"), max_length=12, choices=Gender.choices)
    age_band = models.CharField(_("ålder"), max_length=12, choices=AgeBand.choices)
    labour_status = models.CharField(
        _("ställning på arbetsmarknaden"), max_length=24, choices=LabourStatus.choices
    )
    education = models.CharField(
        _("utbildningsnivå"), max_length=10, choices=Education.choices, blank=True
    )
    disability = _answer(_("funktionsnedsättning"))
    third_country_national = _answer(_("medborgare i tredjeland"))
    foreign_background = _answer(_("utländsk bakgrund"))
    minority = _answer(_("minoritet (även marginaliserade grupper)"))
    homeless_or_housing_exclusion = _answer(_("hemlös eller utestängd från bostadsmarknaden"))
    rural_area = _answer(_("bor på landsbygden"))
    job_searching_on_leaving = _result(_("arbetssökande vid avslut"))
    in_education_or_training_on_leaving = _result(_("i utbildning vid avslut"))
    qualification_on_leaving = _result(_("fått kvalifikation vid avslut"))
    employed_on_leaving = _result(_("arbete efter projektet (även eget företag)"))
    employed_in_target_sector = _result(_("arbete inom projektets bransch"))
    employed_6_months_after = _result(_("arbete sex månader efter avslut"))
    improved_labour_market_situation_6_months_after = _result(
        _("förbättrad situation på arbetsmarknaden sex månader efter avslut")
    )
    # Personal data: only a keyed hash and a ciphertext; both are emptied on erasure. NULL (not
    # "") after erasure, so the per-project uniqueness of the hash ignores erased people.
    pnr_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    pnr_encrypted = models.TextField(blank=True, editable=False)
    erased_at = models.DateTimeField(_("raderad"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Personal data never enters the history (erasure must reach every copy).
    history = HistoricalRecords(excluded_fields=["pnr_hash", "pnr_encrypted"])

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_PROJECT, name="participant_one_project"),
            models.UniqueConstraint(
                fields=["idea", "pnr_hash"],
                condition=Q(pnr_hash__isnull=False),
                name="participant_once_per_idea",
            ),
            models.UniqueConstraint(
                fields=["measure", "pnr_hash"],
                condition=Q(pnr_hash__isnull=False),
                name="participant_once_per_measure",
            ),
        ]
        indexes = [models.Index(fields=["pnr_hash"], name="participant_pnr_hash")]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        # Here, not in the form: the import and every other door register participants too.
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Slutdatum ligger före startdatum.")})

    @property
    def project(self) -> Idea | Measure:
        return self.idea or self.measure


class PersonalDataAccess(models.Model):
    """One row per view, export or erasure of a participant's personal data, and per view of a
    project's exact participant figures by its staff (then with the project, no participant)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="access_log", null=True, blank=True
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.PROTECT, null=True, blank=True, related_name="figure_access_log"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="figure_access_log"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10, choices=AccessAction.choices)

    class Meta:
        verbose_name = _("åtkomst till personuppgifter")
        verbose_name_plural = _("åtkomst till personuppgifter")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        about = self.participant_id or self.idea_id or self.measure_id
        return f"{self.user} {self.get_action_display()} {about} {self.at:%Y-%m-%d}"
