from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samsyn.parties.bounds import Bounded
from samsyn.parties.models import Forbund, Organisation, PreparatoryGroup
from samsyn.pipeline.querysets import NeedQuerySet, TrackQuerySet
from samsyn.pipeline.steps import (
    Forum,
    IdeaStep,
    LeftRoutineReason,
    MeasureStep,
    ProgrammePeriod,
    StopReason,
)


class Versioned(Bounded):
    """A version counter: an edit based on an older version is refused, never merged silently."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Need(Versioned):
    forbund = models.ForeignKey(
        Forbund, on_delete=models.PROTECT, related_name="needs", verbose_name=_("förbund")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    target_group = models.CharField(_("målgrupp"), max_length=300)
    description = models.TextField(_("beskrivning av behovet"), blank=True)
    is_finsam_target_group = models.BooleanField(
        _("Finsams målgrupp"),
        default=True,
        help_text=_(
            "Individer som behöver samordnade rehabiliteringsinsatser för att uppnå eller "
            "förbättra sin förmåga att utföra förvärvsarbete."
        ),
    )
    identified_on = models.DateField(_("identifierat den"))
    happened_fields = ("identified_on",)
    in_preparatory_structure = models.BooleanField(
        _("identifierat i förbundets beredningsstruktur"), default=True
    )
    # None: identified by the förbundschef with the parties (no beredningsgrupp).
    group = models.ForeignKey(
        PreparatoryGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("beredningsgrupp"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("behov")
        verbose_name_plural = _("behov")
        ordering = ["-identified_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Track(Versioned):
    """Shared fields of a Finsam measure (track F) and an ESF+ project idea (track E)."""

    title = models.CharField(_("namn"), max_length=200)
    target_group = models.CharField(_("målgrupp"), max_length=300)
    purpose = models.TextField(_("syfte"), blank=True)
    goals = models.TextField(_("mål"), blank=True)
    implementation = models.TextField(_("genomförande"), blank=True)
    stop_reason = models.CharField(
        _("skäl till stopp"), max_length=30, choices=StopReason.choices, blank=True
    )
    stop_note = models.TextField(_("kommentar till stopp"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def forbund(self) -> Forbund:
        return self.need.forbund


class Measure(Track):
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="measures", verbose_name=_("behov")
    )
    step = models.CharField(
        _("steg"), max_length=30, choices=MeasureStep.choices, default=MeasureStep.NEED_IDENTIFIED
    )
    parties = models.ManyToManyField(
        Organisation, related_name="measures", blank=True, verbose_name=_("medverkande parter")
    )
    responsibilities = models.TextField(_("ansvarsfördelning"), blank=True)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("Finsam-insats")
        verbose_name_plural = _("Finsam-insatser")
        ordering = ["-pk"]


class Idea(Track):
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("behov")
    )
    step = models.CharField(
        _("steg"), max_length=30, choices=IdeaStep.choices, default=IdeaStep.NEED_IDENTIFIED
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_ideas",
        verbose_name=_("föreslagen projektägare"),
    )
    programme_period = models.CharField(
        _("programperiod"),
        max_length=9,
        choices=ProgrammePeriod.choices,
        default=ProgrammePeriod.P2021_2027,
    )
    aimed_at_individuals = models.BooleanField(_("riktar sig till individer"), default=True)
    no_other_owner = models.BooleanField(
        _("övriga parter avstår från att vara projektägare"), default=False
    )
    agreement_signed_on = models.DateField(
        _("överenskommelse om ansvar undertecknad"), null=True, blank=True
    )
    happened_fields = ("agreement_signed_on",)
    left_routine_reason = models.CharField(
        _("skäl till att idén lämnat rutinen"),
        max_length=40,
        choices=LeftRoutineReason.choices,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("projektidé")
        verbose_name_plural = _("projektidéer")
        ordering = ["-pk"]


class IdeaParty(Bounded):
    """A party taking part in an idea: co-financing, mandate (R6) and formal decision (R7)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="idea_parts", verbose_name=_("part")
    )
    is_cofinancier = models.BooleanField(_("medfinansiär"), default=True)
    performs_rehabilitation = models.BooleanField(_("utför rehabiliteringsinsatser"), default=False)
    representative = models.CharField(_("företrädare"), max_length=200, blank=True)
    # When it was recorded in Samsyn (and by whom) ...
    mandate_confirmed_at = models.DateTimeField(_("mandat bekräftat"), null=True, blank=True)
    mandate_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # ... and when the party gave its representative the mandate, as the user enters it.
    mandate_given_on = models.DateField(_("mandatet gavs"), null=True, blank=True)
    decision_date = models.DateField(_("partens formella beslut"), null=True, blank=True)
    happened_fields = ("decision_date",)
    decision_reference = models.CharField(
        _("beslutets diarienummer eller paragraf"), max_length=100, blank=True
    )
    # B1: who recorded the party's word, and whether the kansli did so on the party's behalf.
    mandate_on_behalf = models.BooleanField(
        _("mandatet registrerat av kansliet för partens räkning"), default=False
    )
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_on_behalf = models.BooleanField(
        _("beslutet registrerat av kansliet för partens räkning"), default=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medverkande part")
        verbose_name_plural = _("medverkande parter")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "organisation"], name="one_row_per_idea_party")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} i {self.idea}"


class Transition(Bounded):
    """One move of a track from a step to another: who, when, on what basis."""

    from_step = models.CharField(_("från steg"), max_length=30)
    to_step = models.CharField(_("till steg"), max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("av")
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    forum = models.CharField(_("grund"), max_length=20, choices=Forum.choices)
    basis_date = models.DateField(_("datum för möte eller beslut"), null=True, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    happened_fields = ("basis_date",)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class IdeaTransition(Transition):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        # The follow-up report and roll-up filter transitions by step, then join the track.
        indexes = [models.Index(fields=["to_step", "idea"], name="ideatransition_to_step")]

    def __str__(self) -> str:
        return f"{self.idea}: {self.get_to_step_display()}"

    def get_from_step_display(self) -> str:
        return IdeaStep(self.from_step).label

    def get_to_step_display(self) -> str:
        return IdeaStep(self.to_step).label


class MeasureTransition(Transition):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        # The follow-up report and roll-up filter transitions by step, then join the track.
        indexes = [models.Index(fields=["to_step", "measure"], name="measuretransition_to_step")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_to_step_display()}"

    def get_from_step_display(self) -> str:
        return MeasureStep(self.from_step).label

    def get_to_step_display(self) -> str:
        return MeasureStep(self.to_step).label
