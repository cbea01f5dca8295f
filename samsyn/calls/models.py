"""The ESF+ programme, its calls, applications and the regional prioritisation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samsyn.calls.choices import (
    ApplicationMove,
    ApplicationStatus,
    CallPhase,
    CallsRoleKind,
    CallStatus,
    CostCategory,
    DecisionLevel,
)
from samsyn.calls.querysets import ApplicationQuerySet, CallQuerySet
from samsyn.parties.bounds import Bounded
from samsyn.parties.models import Organisation
from samsyn.pipeline.models import Idea, Versioned

# Reference data (data migration 0002) ----------------------------------------------------


class ProgrammePeriod(Bounded):
    code = models.CharField(_("kod"), max_length=9, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))
    national_total_sek = models.BigIntegerField(_("nationell ram (kr)"), null=True, blank=True)
    eligible_from = models.DateField(
        _("stödberättigande utgifter från"),
        help_text=_("Första dag då utgifter kan vara stödberättigande i perioden."),
    )
    eligible_until = models.DateField(
        _("stödberättigande utgifter till och med"),
        help_text=_("Till exempel 2029-12-31 för 2021–2027 (förordning (EU) 2021/1060 art. 63.2)."),
    )
    amount_fields = ("national_total_sek",)
    eu_share_percent = models.PositiveSmallIntegerField(_("EU-andel (procent)"))

    class Meta:
        verbose_name = _("programperiod")
        verbose_name_plural = _("programperioder")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class ThematicArea(Bounded):
    code = models.CharField(_("kod"), max_length=20, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    keywords = models.TextField(
        _("nyckelord"),
        blank=True,
        help_text=_("Ord i en projektidé som tyder på målområdet (matchningen läser dem)."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tematiskt målområde")
        verbose_name_plural = _("tematiska målområden")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class ProgrammeArea(Bounded):
    period = models.ForeignKey(
        ProgrammePeriod, on_delete=models.PROTECT, related_name="areas", verbose_name=_("period")
    )
    code = models.CharField(_("kod"), max_length=10)
    name = models.CharField(_("namn"), max_length=200)
    thematic_areas = models.ManyToManyField(
        ThematicArea, blank=True, related_name="programme_areas", verbose_name=_("målområden")
    )
    national = models.BooleanField(_("beslutas nationellt"), default=True)
    regional = models.BooleanField(_("beslutas regionalt"), default=False)
    only_applicant_kinds = models.JSONField(_("bara dessa sökande (R9)"), default=list, blank=True)
    only_nuts2_codes = models.JSONField(
        _("bara dessa NUTS 2-regioner (R9)"), default=list, blank=True
    )
    rolling = models.BooleanField(_("löpande ansökan"), default=False)
    latest_project_end = models.DateField(
        _("projekten slutar senast"),
        null=True,
        blank=True,
        help_text=_("Tom: periodens sista stödberättigande dag (CARE: 2023-09-30)."),
    )
    note = models.TextField(_("anmärkning"), blank=True)

    class Meta:
        verbose_name = _("programområde")
        verbose_name_plural = _("programområden")
        ordering = ["period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="one_area_code_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def decision_levels(self) -> list[str]:
        return [
            level
            for level, allowed in (
                (DecisionLevel.NATIONAL, self.national),
                (DecisionLevel.REGIONAL, self.regional),
            )
            if allowed
        ]


class RegionalPlan(Bounded):
    """One of the eight regional action plans, one per NUTS 2 region."""

    nuts2_code = models.CharField(_("NUTS 2-kod"), max_length=4, unique=True)
    name = models.CharField(_("NUTS 2-region"), max_length=60)
    title = models.CharField(_("handlingsplan"), max_length=200)

    class Meta:
        verbose_name = _("regional handlingsplan")
        verbose_name_plural = _("regionala handlingsplaner")
        ordering = ["nuts2_code"]

    def __str__(self) -> str:
        return self.name


class DefaultPrinciple(Bounded):
    """A regional action plan's own principle for prioritisation (DOMAIN.md §5), kept by the
    region's call manager; a new call in the region starts from its plan's principles."""

    regional_plan = models.ForeignKey(
        RegionalPlan,
        on_delete=models.CASCADE,
        related_name="principles",
        verbose_name=_("regional handlingsplan"),
    )
    code = models.CharField(_("kod"), max_length=10)
    name = models.CharField(_("princip"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("standardvikt"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("princip i regional handlingsplan")
        verbose_name_plural = _("principer i regionala handlingsplaner")
        ordering = ["regional_plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regional_plan", "code"], name="one_principle_code_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# Roles -------------------------------------------------------------------------------------


class CallsRole(models.Model):
    """Who keeps the call plan or scores applications, nationally or for one NUTS 2 region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calls_roles"
    )
    role = models.CharField(_("roll"), max_length=20, choices=CallsRoleKind.choices)
    regional_plan = models.ForeignKey(
        RegionalPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regional handlingsplan"),
        help_text=_("Tom: nationella utlysningar."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roll för utlysningar")
        verbose_name_plural = _("roller för utlysningar")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "regional_plan"], name="one_calls_role_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.regional_plan or 'nationellt'})"


# Calls -------------------------------------------------------------------------------------


class Call(Versioned):
    title = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    period = models.ForeignKey(
        ProgrammePeriod, on_delete=models.PROTECT, related_name="calls", verbose_name=_("period")
    )
    programme_area = models.ForeignKey(
        ProgrammeArea,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("programområde"),
    )
    thematic_areas = models.ManyToManyField(
        ThematicArea, blank=True, related_name="calls", verbose_name=_("tematiska målområden")
    )
    decision_level = models.CharField(
        _("beslutsnivå"), max_length=10, choices=DecisionLevel.choices
    )
    regional_plan = models.ForeignKey(
        RegionalPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("regional handlingsplan"),
        help_text=_("Tom för nationella utlysningar."),
    )
    budget_sek = models.BigIntegerField(
        _("budget (kr, ESF+-medel)"), validators=[MinValueValidator(1)]
    )
    amount_fields = ("budget_sek",)
    min_participant_age = models.PositiveSmallIntegerField(
        _("lägsta ålder för deltagare"), default=15
    )
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"), null=True, blank=True)
    rolling = models.BooleanField(_("löpande ansökan"), default=False)
    latest_project_start = models.DateField(_("projekten startar senast"), null=True, blank=True)
    latest_project_end = models.DateField(
        _("projekten slutar senast"),
        null=True,
        blank=True,
        help_text=_("Tom: programområdets eller periodens sista stödberättigande dag."),
    )
    phase = models.CharField(
        _("fas"), max_length=20, choices=CallPhase.choices, default=CallPhase.BEHOVSANALYS
    )
    lessons = models.TextField(_("lärdomar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[thematic_areas])

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysningar")
        ordering = ["opens_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def status(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.opens_on > today:
            return CallStatus.COMING
        if self.closes_on is not None and self.closes_on < today:
            return CallStatus.CLOSED
        return CallStatus.OPEN

    def get_status_display(self) -> str:
        return str(CallStatus(self.status()).label)

    @property
    def is_closed(self) -> bool:
        return self.status() == CallStatus.CLOSED

    @property
    def nuts2_code(self) -> str:
        return self.regional_plan.nuts2_code if self.regional_plan_id else ""

    @property
    def region_name(self) -> str:
        return self.regional_plan.name if self.regional_plan_id else str(_("Hela Sverige"))

    @property
    def has_partnership_step(self) -> bool:
        """A regional call is prioritised by the strukturfondspartnerskap; a national one is
        not (bedömning → beslut)."""
        return self.decision_level == DecisionLevel.REGIONAL

    def project_window(self) -> tuple[dt.date, dt.date | None, dt.date]:
        """(earliest start, latest start or None, latest end) for a project in this call:
        the period's eligibility window narrowed by the programme area and the call."""
        period, area = self.period, self.programme_area
        ends = [period.eligible_until, area.latest_project_end, self.latest_project_end]
        return period.eligible_from, self.latest_project_start, min(d for d in ends if d)


class Principle(Bounded):
    """A principle the partnership prioritises by, with its weight, for one call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="principles")
    code = models.CharField(_("kod"), max_length=10)
    name = models.CharField(_("princip"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("vikt"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("princip för prioritering")
        verbose_name_plural = _("principer för prioritering")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="one_principle_code_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# Applications ------------------------------------------------------------------------------


class Application(Versioned):
    idea = models.ForeignKey(
        Idea, on_delete=models.PROTECT, related_name="applications", verbose_name=_("projektidé")
    )
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("utlysning")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    starts_on = models.DateField(_("projektet startar"), null=True, blank=True)
    ends_on = models.DateField(_("projektet slutar"), null=True, blank=True)
    eu_share_sek = models.BigIntegerField(
        _("ESF+-stöd som söks (kr)"), default=0, validators=[MinValueValidator(0)]
    )
    project_manager = models.CharField(_("projektledare"), max_length=200, blank=True)
    controller = models.CharField(_("ekonom/controller"), max_length=200, blank=True)
    administrator = models.CharField(_("administratör"), max_length=200, blank=True)
    submitted_on = models.DateField(_("inskickad"), null=True, blank=True)
    decided_on = models.DateField(_("ESF-rådets slutliga beslut"), null=True, blank=True)
    granted_sek = models.BigIntegerField(_("beviljat belopp (kr)"), null=True, blank=True)
    decision_reason = models.TextField(_("skäl till beslutet"), blank=True)
    amount_fields = ("eu_share_sek", "granted_sek")
    happened_fields = ("submitted_on", "decided_on")
    ordered_fields = (("submitted_on", "decided_on"),)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "call"], name="one_application_per_idea_call")
        ]

    def __str__(self) -> str:
        return f"{self.idea} – {self.call}"


class ApplicationEvent(models.Model):
    """One move of an application: who recorded it, when, and the decision's date and
    reference (diarienummer). Application verbs write one for every status they set."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    move = models.CharField(_("steg"), max_length=20, choices=ApplicationMove.choices)
    from_status = models.CharField(
        _("från"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("till"), max_length=20, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    at = models.DateTimeField(_("registrerad"), default=timezone.now)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    reference = models.CharField(_("diarienummer"), max_length=100, blank=True)
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        verbose_name = _("händelse i ansökan")
        verbose_name_plural = _("händelser i ansökan")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_move_display()}: {self.get_to_status_display()}"


class BudgetLine(Bounded):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    category = models.CharField(_("kostnadsslag"), max_length=20, choices=CostCategory.choices)
    amount_sek = models.BigIntegerField(_("belopp (kr)"), validators=[MinValueValidator(0)])
    amount_fields = ("amount_sek",)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        ordering = ["year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "year", "category"], name="one_budget_line_per_year_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()}"


class Cofinancing(Bounded):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="cofinancing"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("medfinansiär")
    )
    amount_sek = models.BigIntegerField(_("belopp (kr)"), validators=[MinValueValidator(0)])
    amount_fields = ("amount_sek",)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medfinansiering")
        verbose_name_plural = _("medfinansiering")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="one_cofinancing_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.amount_sek} kr"


# Prioritisation ----------------------------------------------------------------------------


class JavDeclaration(Bounded):
    """A reviewer's declaration, before scoring, of whether she is disqualified (jäv)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granskare"),
    )
    disqualified = models.BooleanField(_("jävig"))
    reason = models.TextField(_("omständigheter"), blank=True)
    declared_at = models.DateTimeField(_("deklarerad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jävsdeklaration")
        verbose_name_plural = _("jävsdeklarationer")
        ordering = ["application", "reviewer__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_declaration_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {'jävig' if self.disqualified else 'inte jävig'}"


class Score(Bounded):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granskare"),
    )
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("poäng (0–4)"), validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    motivation = models.TextField(_("motivering"))
    scored_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("poäng")
        verbose_name_plural = _("poäng")
        ordering = ["application", "reviewer__username", "principle__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "principle"], name="one_score_per_principle"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=4), name="score_between_0_and_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principle.code}: {self.value}"
