"""Meetings, minutes, networks and intelligence (DOMAIN.md §7–§8).

A meeting, a government assignment and a calendar entry belong to one förbund or one regional
network; who may see and change them follows that owner (access.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samsyn.calls.models import Application, Call
from samsyn.meetings.choices import (
    AssignmentStatus,
    DecisionKind,
    MeetingKind,
    NewsKind,
    PartStatus,
)
from samsyn.meetings.querysets import NetworkQuerySet, OwnedQuerySet
from samsyn.parties.bounds import Bounded
from samsyn.parties.models import Forbund, Organisation
from samsyn.pipeline.models import Idea, IdeaTransition, Measure, MeasureTransition, Need


class Network(Bounded):
    """A regional network (e.g. an integration network); its members are organisations."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    members = models.ManyToManyField(
        Organisation, related_name="networks", blank=True, verbose_name=_("medlemmar")
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_networks",
        blank=True,
        verbose_name=_("samordnare"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("nätverk")
        verbose_name_plural = _("nätverk")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Owned(Bounded):
    """Belongs to exactly one förbund or one network."""

    forbund = models.ForeignKey(
        Forbund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("förbund"),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nätverk"),
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def owner(self) -> Forbund | Network:
        return self.forbund or self.network

    @staticmethod
    def one_owner(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=(Q(forbund__isnull=False) & Q(network__isnull=True))
            | (Q(forbund__isnull=True) & Q(network__isnull=False)),
            name=name,
        )


class Meeting(Owned):
    kind = models.CharField(_("typ av möte"), max_length=20, choices=MeetingKind.choices)
    # The beredningsgrupp whose meeting this is (only for kind beredningsgrupp).
    group = models.ForeignKey(
        "parties.PreparatoryGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("beredningsgrupp"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"), null=True, blank=True)
    location = models.CharField(_("plats"), max_length=200, blank=True)
    # An unguessable Jitsi room name; the address comes from SAMSYN_JITSI_BASE_URL.
    video_room = models.CharField(_("videorum"), max_length=64, blank=True, editable=False)
    adjusters = models.CharField(
        _("justerare"), max_length=300, blank=True, help_text=_("Namnen på dem som justerar.")
    )
    approved_at = models.DateTimeField(_("protokollet justerat"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justerat av"),
    )
    agenda_sent_at = models.DateTimeField(_("dagordningen skickad"), null=True, blank=True)
    # Minutes are approved once the meeting has begun, never ahead of it.
    happened_fields = ("approved_at",)
    ordered_fields = (("starts_at", "approved_at"),)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-starts_at", "-pk"]
        constraints = [Owned.one_owner("meeting_has_one_owner")]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meeting", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_board_meeting(self) -> bool:
        return self.kind == MeetingKind.STYRELSE

    @property
    def date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def video_url(self) -> str:
        base = settings.SAMSYN_JITSI_BASE_URL.rstrip("/")
        if not base or not self.video_room:
            return ""
        return f"{base}/{self.video_room}"


class Attendee(Bounded):
    """Who attends, by party; a name and (optionally) a user to send the agenda to."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    name = models.CharField(_("namn"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("användare i Samsyn"),
    )
    present = models.BooleanField(_("närvarande"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}"


class AgendaItem(Bounded):
    """A numbered item on the agenda; the minutes are written item by item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("underlag"), blank=True)
    minutes = models.TextField(_("protokollsanteckning"), blank=True)
    need = models.ForeignKey(
        Need,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("behov"),
    )
    idea = models.ForeignKey(
        Idea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("projektidé"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("Finsam-insats"),
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("utlysning"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("ansökan"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("dagordning")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_number_per_item")
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"

    @property
    def esf_matters(self) -> list[str]:
        """What on this item is an ESF+ matter (R1): an idea, an application or a call."""
        return [f"”{r}”" for r in (self.idea, self.application, self.call) if r is not None]


class Decision(Bounded):
    """What was decided under an agenda item; a pipeline record it created links back here."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("punkt")
    )
    kind = models.CharField(_("typ av beslut"), max_length=20, choices=DecisionKind.choices)
    text = models.TextField(_("beslut"), blank=True)
    need = models.ForeignKey(
        Need,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        verbose_name=_("behov"),
    )
    idea_transition = models.OneToOneField(
        IdeaTransition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decision",
        verbose_name=_("steg för projektidé"),
    )
    measure_transition = models.OneToOneField(
        MeasureTransition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decision",
        verbose_name=_("steg för Finsam-insats"),
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text or self.get_kind_display()

    @property
    def meeting(self) -> Meeting:
        return self.agenda_item.meeting


class NewsItem(Bounded):
    """Omvärldsbevakning: news from an agency, or a project worth following."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="news_items", verbose_name=_("nätverk")
    )
    kind = models.CharField(
        _("typ"), max_length=20, choices=NewsKind.choices, default=NewsKind.NEWS
    )
    title = models.CharField(_("rubrik"), max_length=200)
    source = models.CharField(
        _("källa"),
        max_length=200,
        help_text=_("Till exempel Länsstyrelsen eller Migrationsverket."),
    )
    published_on = models.DateField(_("datum"))
    summary = models.TextField(_("sammanfattning"), blank=True)
    url = models.URLField(_("länk"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("omvärldsnyhet")
        verbose_name_plural = _("omvärldsbevakning")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Event(Bounded):
    """A coming event shared in a network: date, place or link."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="events", verbose_name=_("nätverk")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    url = models.URLField(_("länk"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evenemang")
        verbose_name_plural = _("evenemang")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """A member's wish to get a network's new items in the weekly digest."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_subscription_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} prenumererar på {self.network}"


class GovernmentAssignment(Owned):
    """A regeringsuppdrag to an agency, followed by a förbund or a network."""

    title = models.CharField(_("uppdrag"), max_length=300)
    assigned_agency = models.CharField(_("myndighet med uppdraget"), max_length=200)
    partners = models.TextField(
        _("samverkanspartner"), blank=True, help_text=_("En partner per rad.")
    )
    # Amounts are whole kronor everywhere (pages, API, exports).
    budget_cap = models.PositiveBigIntegerField(_("högsta belopp (kr)"), null=True, blank=True)
    decided_on = models.DateField(_("regeringens beslut"), null=True, blank=True)
    starts_on = models.DateField(_("uppdraget löper från"), null=True, blank=True)
    ends_on = models.DateField(_("uppdraget löper till"), null=True, blank=True)
    report_to = models.CharField(
        _("redovisas till"), max_length=200, blank=True, help_text=_("T.ex. Regeringskansliet.")
    )
    reporting_deadline = models.DateField(_("redovisas senast"))
    amount_fields = ("budget_cap",)
    happened_fields = ("decided_on",)
    ordered_fields = (("decided_on", "reporting_deadline"),)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ONGOING,
    )
    description = models.TextField(_("beskrivning"), blank=True)
    url = models.URLField(_("länk"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regeringsuppdrag")
        verbose_name_plural = _("regeringsuppdrag")
        ordering = ["reporting_deadline", "pk"]
        constraints = [Owned.one_owner("assignment_has_one_owner")]

    def __str__(self) -> str:
        return self.title

    @property
    def partner_list(self) -> list[str]:
        return [p.strip() for p in self.partners.splitlines() if p.strip()]

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.reporting_deadline - (today or timezone.localdate())).days

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("Uppdraget kan inte sluta innan det börjar.")}, code="period"
            )


class AssignmentPart(models.Model):
    """A deliverable (delredovisning, aktivitet) of an assignment, with its own status."""

    assignment = models.ForeignKey(
        GovernmentAssignment, on_delete=models.CASCADE, related_name="parts"
    )
    title = models.CharField(_("del"), max_length=300)
    due_on = models.DateField(_("klar senast"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PartStatus.choices, default=PartStatus.PLANNED
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("del av regeringsuppdrag")
        verbose_name_plural = _("delar av regeringsuppdrag")
        ordering = ["assignment", "pk"]

    def __str__(self) -> str:
        return self.title


class AssignmentSpend(models.Model):
    """Money spent under an assignment, against its cap (budget_cap)."""

    assignment = models.ForeignKey(
        GovernmentAssignment, on_delete=models.CASCADE, related_name="spending"
    )
    spent_on = models.DateField(_("datum"))
    amount_sek = models.PositiveBigIntegerField(_("belopp (kr)"))
    description = models.CharField(_("vad pengarna gick till"), max_length=300)
    over_cap_reason = models.TextField(
        _("varför taket passeras"),
        blank=True,
        help_text=_("Krävs när utgiften gör att uppdragets högsta belopp passeras."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utgift i regeringsuppdrag")
        verbose_name_plural = _("utgifter i regeringsuppdrag")
        ordering = ["assignment", "spent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.spent_on}: {self.amount_sek} kr"


class CalendarToken(models.Model):
    """The secret in a user's calendar feed address; only its SHA-256 digest is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kalendernyckel")
        verbose_name_plural = _("kalendernycklar")

    def __str__(self) -> str:
        return f"Kalendernyckel för {self.user}"
