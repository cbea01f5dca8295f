"""The access matrix's scene: two förbund, every role in each, one object of every kind.

The own side is Sjuhärad (Västsverige, SE23). The foreign side is a second förbund whose
calls belong to another NUTS 2 region (Stockholm, SE11), so no calls role of the own side
reaches it either. Every foreign object has a pk ≥ FOREIGN_BASE (no own object has one) and
carries MARKER in its text fields, so a leak shows by content as well as by status.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import zipfile
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from samsyn.calls.choices import ApplicationStatus, CallsRoleKind, DecisionLevel
from samsyn.calls.models import (
    Application,
    BudgetLine,
    Call,
    CallsRole,
    Cofinancing,
    JavDeclaration,
    Principle,
    ProgrammeArea,
    RegionalPlan,
    Score,
)
from samsyn.followup import crypto
from samsyn.followup.models import Participant, ProjectStaff
from samsyn.followup.personnummer import luhn_digit, normalise
from samsyn.meetings.choices import DecisionKind, MeetingKind
from samsyn.meetings.models import (
    AgendaItem,
    AssignmentPart,
    AssignmentSpend,
    Attendee,
    CalendarToken,
    Decision,
    Event,
    GovernmentAssignment,
    Meeting,
    Network,
    NewsItem,
    Subscription,
)
from samsyn.meetings.services import issue_calendar_token
from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.models import (
    ApiToken,
    Forbund,
    ForbundRole,
    Organisation,
    PreparatoryGroup,
    PreparatoryGroupMember,
    User,
)
from samsyn.parties.services import issue_api_token
from samsyn.pipeline.models import Idea, IdeaParty, IdeaTransition, Measure, Need
from samsyn.pipeline.steps import Forum, IdeaStep, MeasureStep
from tests.factories import UserFactory, af, fk, kommun, region

MARKER = "HEMLIGT-ALVKUST"  # ASCII, so it survives HTML escaping, CSV, XLSX and DOCX alike
FOREIGN_BASE = 900_000
OWN_AFTER = 1_000_000  # rows created while the matrix runs get pks from here on (SQLite)
SAMSYN_APPS = ("parties", "pipeline", "calls", "meetings", "followup")
# Kinds anyone signed in may read: the call plan is public (CallQuerySet.visible_to).
PUBLIC_KINDS = frozenset({"call", "principle"})

# Every role a person can hold, plus nobody. Superusers see everything by design and are
# left out of the leak check (the scene's prober is one, and only discovers URL kinds).
ROLES = (
    "anonymous",
    "no_role",
    "kansli",
    "beredning",
    "reader",
    "project_staff",
    "call_manager",
    "reviewer",
)


@dataclass
class Side:
    forbund: Forbund
    users: dict[str, User] = field(default_factory=dict)
    objects: dict[str, models.Model] = field(default_factory=dict)
    api_tokens: dict[str, str] = field(default_factory=dict)
    calendar_tokens: dict[str, str] = field(default_factory=dict)

    def of_model(self, model: type[models.Model]) -> list[models.Model]:
        return [o for o in self.objects.values() if type(o) is model]


@dataclass
class Scene:
    own: Side
    foreign: Side
    prober: User
    prober_token: str

    @property
    def foreign_pks(self) -> dict[int, str]:
        """pk → kind of every foreign object (users included)."""
        pks = {o.pk: kind for kind, o in self.foreign.objects.items()}
        pks.update({u.pk: f"user:{role}" for role, u in self.foreign.users.items()})
        return pks


class _Pks:
    """Explicit pks for the foreign side: one sequence over all kinds, so all are distinct."""

    def __init__(self, foreign: bool):
        self.counter = itertools.count(FOREIGN_BASE + 1) if foreign else None

    def __call__(self) -> dict:
        return {"pk": next(self.counter)} if self.counter else {}


@functools.cache
def password_hash() -> str:
    """The factories' password, hashed once: the scene's 17 people would take seconds each."""
    return make_password(UserFactory._meta.declarations["password"].default)


def _valid_personnummer(born: str, serial: str) -> str:
    nine = born[2:] + serial
    return normalise(f"{born}{serial}{luhn_digit(nine)}")


def build_side(*, foreign: bool) -> Side:
    pk = _Pks(foreign)
    secret = f" {MARKER}" if foreign else ""
    name = "Samordningsförbundet Älv och Kust" if foreign else "Sjuhärads samordningsförbund"
    codes = ("1482", "1415") if foreign else ("1490", "1443")
    nuts2 = "SE11" if foreign else "SE23"
    home, second = kommun(codes[0]), kommun(codes[1])

    # Organisations are public reference data (the API lists them all), so no marker here.
    organisation = Organisation.objects.create(name=name, kind=OrganisationKind.FORBUND)
    forbund = Forbund.objects.create(organisation=organisation, **pk())
    forbund.members.set([home, second, region("14"), af(), fk()])
    side = Side(forbund=forbund, objects={"forbund": forbund})

    def user(role: str, organisation: Organisation | None) -> User:
        username = f"{'alv' if foreign else 'own'}_{role}"
        return User.objects.create(
            username=username,
            first_name=username.capitalize(),
            last_name=f"Person{secret}",
            email=f"{username}@example.org",
            organisation=organisation,
            password=password_hash(),
            **pk(),
        )

    # A user with no role belongs to no organisation: organisations are what networks see.
    side.users["no_role"] = user("no_role", None)
    for role, forbund_role, org in (
        ("kansli", Role.KANSLI, organisation),
        ("beredning", Role.BEREDNING, home),
        ("reader", Role.READER, second),
        # Project staff must see the förbund to reach its project; a reader's role suffices.
        ("project_staff", Role.READER, second),
    ):
        side.users[role] = user(role, org)
        ForbundRole.objects.create(user=side.users[role], forbund=forbund, role=forbund_role)
    plan = RegionalPlan.objects.get(nuts2_code=nuts2)
    for role, kind in (
        ("call_manager", CallsRoleKind.CALL_MANAGER),
        ("reviewer", CallsRoleKind.REVIEWER),
    ):
        side.users[role] = user(role, None)
        CallsRole.objects.create(user=side.users[role], role=kind, regional_plan=plan)
    kansli = side.users["kansli"]

    o = side.objects
    o["preparatory_group"] = PreparatoryGroup.objects.create(
        forbund=forbund, name=f"Beredningsgruppen{secret}", **pk()
    )
    o["preparatory_group_member"] = PreparatoryGroupMember.objects.create(
        group=o["preparatory_group"], user=side.users["beredning"], organisation=home, **pk()
    )
    o["need"] = Need.objects.create(
        forbund=forbund,
        group=o["preparatory_group"],
        title=f"Behov{secret}",
        target_group=f"Unga vuxna{secret}",
        description=f"Kartlagt{secret}",
        identified_on=dt.date(2026, 3, 12),
        created_by=kansli,
        **pk(),
    )
    o["idea"] = Idea.objects.create(
        need=o["need"],
        title=f"Projektidé{secret}",
        target_group=f"Unga vuxna{secret}",
        purpose=f"Syfte{secret}",
        owner=home,
        step=IdeaStep.RUNNING,
        created_by=kansli,
        **pk(),
    )
    o["idea_party"] = IdeaParty.objects.create(
        idea=o["idea"],
        organisation=home,
        representative=f"Företrädare{secret}",
        mandate_confirmed_at=timezone.now(),
        decision_date=dt.date(2026, 5, 1),
        **pk(),
    )
    o["idea_transition"] = IdeaTransition.objects.create(
        idea=o["idea"],
        from_step=IdeaStep.GRANTED,
        to_step=IdeaStep.RUNNING,
        by=kansli,
        forum=Forum.ESF_RADET,
        note=f"Anteckning{secret}",
        **pk(),
    )
    o["measure"] = Measure.objects.create(
        need=o["need"],
        title=f"Insats{secret}",
        target_group=f"Unga vuxna{secret}",
        purpose=f"Syfte{secret}",
        step=MeasureStep.RUNNING,
        created_by=kansli,
        **pk(),
    )
    o["measure"].parties.set([home])

    area = ProgrammeArea.objects.get(code="A", period__code="2021-2027")
    today = timezone.localdate()
    # A call is public to every signed-in user (CallQuerySet), so it carries no marker.
    o["call"] = Call.objects.create(
        title=f"Utlysning {nuts2}",
        period=area.period,
        programme_area=area,
        decision_level=DecisionLevel.REGIONAL,
        regional_plan=plan,
        budget_sek=10_000_000,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=90),
        created_by=side.users["call_manager"],
        **pk(),
    )
    o["principle"] = Principle.objects.create(
        call=o["call"], code="P1", name=f"Princip {nuts2}", **pk()
    )
    # Approved for prioritisation, so the reviewers and call managers of its region see it
    # (ApplicationQuerySet); others must not.
    o["application"] = Application.objects.create(
        idea=o["idea"],
        call=o["call"],
        status=ApplicationStatus.APPROVED,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        eu_share_sek=400_000,
        project_manager=f"Projektledare{secret}",
        decision_reason=f"Skäl{secret}",
        created_by=kansli,
        **pk(),
    )
    o["budget_line"] = BudgetLine.objects.create(
        application=o["application"], year=2027, category="personnel", amount_sek=1_000, **pk()
    )
    o["cofinancing"] = Cofinancing.objects.create(
        application=o["application"], organisation=home, amount_sek=300_000, **pk()
    )
    reviewer = side.users["reviewer"]
    o["jav_declaration"] = JavDeclaration.objects.create(
        application=o["application"],
        reviewer=reviewer,
        disqualified=False,
        reason=f"Omständigheter{secret}",
        **pk(),
    )
    o["score"] = Score.objects.create(
        application=o["application"],
        reviewer=reviewer,
        principle=o["principle"],
        value=3,
        motivation=f"Motivering{secret}",
        **pk(),
    )

    o["meeting"] = Meeting.objects.create(
        forbund=forbund,
        kind=MeetingKind.BEREDNINGSGRUPP,
        title=f"Möte{secret}",
        starts_at=timezone.now() + dt.timedelta(days=7),
        location=f"Plats{secret}",
        created_by=kansli,
        **pk(),
    )
    o["attendee"] = Attendee.objects.create(
        meeting=o["meeting"], organisation=home, name=f"Deltagare{secret}", user=kansli, **pk()
    )
    o["agenda_item"] = AgendaItem.objects.create(
        meeting=o["meeting"],
        number=1,
        title=f"Punkt{secret}",
        description=f"Underlag{secret}",
        minutes=f"Protokoll{secret}",
        need=o["need"],
        **pk(),
    )
    o["decision"] = Decision.objects.create(
        agenda_item=o["agenda_item"],
        kind=DecisionKind.NOTE,
        text=f"Beslut{secret}",
        by=kansli,
        **pk(),
    )
    o["assignment"] = GovernmentAssignment.objects.create(
        forbund=forbund,
        title=f"Uppdrag{secret}",
        assigned_agency=f"Myndighet{secret}",
        reporting_deadline=today + dt.timedelta(days=60),
        description=f"Beskrivning{secret}",
        created_by=kansli,
        **pk(),
    )
    o["assignmentpart"] = AssignmentPart.objects.create(
        assignment=o["assignment"], title=f"Del{secret}", **pk()
    )
    o["assignmentspend"] = AssignmentSpend.objects.create(
        assignment=o["assignment"],
        spent_on=today,
        amount_sek=1000,
        description=f"Utgift{secret}",
        recorded_by=kansli,
        **pk(),
    )
    # The network's only member is the side's own kommun: no organisation is in both.
    o["network"] = Network.objects.create(
        name=f"Nätverk {name}{secret}", description=f"Om{secret}", **pk()
    )
    o["network"].members.set([home])
    o["network"].coordinators.set([kansli])
    o["network_meeting"] = Meeting.objects.create(
        network=o["network"],
        kind=MeetingKind.NATVERK,
        title=f"Nätverksmöte{secret}",
        starts_at=timezone.now() + dt.timedelta(days=8),
        created_by=kansli,
        **pk(),
    )
    o["news"] = NewsItem.objects.create(
        network=o["network"],
        title=f"Nyhet{secret}",
        source=f"Länsstyrelsen{secret}",
        published_on=today,
        summary=f"Sammanfattning{secret}",
        created_by=kansli,
        **pk(),
    )
    o["event"] = Event.objects.create(
        network=o["network"],
        title=f"Evenemang{secret}",
        starts_at=timezone.now() + dt.timedelta(days=9),
        place=f"Plats{secret}",
        description=f"Beskrivning{secret}",
        created_by=kansli,
        **pk(),
    )
    o["subscription"] = Subscription.objects.create(network=o["network"], user=kansli, **pk())

    staff = side.users["project_staff"]
    o["idea_staff"] = ProjectStaff.objects.create(
        user=staff, idea=o["idea"], added_by=kansli, **pk()
    )
    o["measure_staff"] = ProjectStaff.objects.create(
        user=staff, measure=o["measure"], added_by=kansli, **pk()
    )
    for kind, project, born in (
        ("idea", o["idea"], "19900101"),
        ("measure", o["measure"], "19850505"),
    ):
        pnr = _valid_personnummer(born, "123")
        o[f"{kind}_participant"] = Participant.objects.create(
            **{kind: project},
            code=f"D-1{secret}",  # max 20 characters
            started_on=dt.date(2027, 2, 1),
            gender="woman",
            age_band="age_30_54",
            labour_status="unemployed",
            pnr_hash=crypto.keyed_hash(pnr),
            pnr_encrypted=crypto.encrypt(pnr),
            created_by=staff,
            **pk(),
        )

    # Tokens: the API token and calendar token of every person of the side.
    for role, person in side.users.items():
        side.api_tokens[role] = issue_api_token(person)
        side.calendar_tokens[role] = issue_calendar_token(person)
    if foreign:
        # Give the token rows foreign pks too, so they join the disjoint set.
        for model in (ApiToken, CalendarToken):
            for row in model.objects.filter(user__in=side.users.values()).order_by("pk"):
                new_pk = pk()["pk"]
                model.objects.filter(pk=row.pk).update(id=new_pk)
    o["api_token"] = ApiToken.objects.get(user=kansli)
    o["calendar_token"] = CalendarToken.objects.get(user=kansli)
    return side


def _past_the_foreign_pks() -> None:
    """SQLite's AUTOINCREMENT continues after the largest pk ever used, so a row created during
    the test could take a foreign object's pk; start every sequence above them instead."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE seq < %s", [OWN_AFTER] * 2)


def build_scene() -> Scene:
    own = build_side(foreign=False)
    foreign = build_side(foreign=True)
    _past_the_foreign_pks()
    prober = User.objects.create(
        username="prober", is_superuser=True, is_staff=True, password=password_hash()
    )
    # Participants are seen by project staff only, superuser or not: the prober joins both
    # sides' projects so that it can discover which URLs take a participant.
    for side in (own, foreign):
        for kind in ("idea", "measure"):
            ProjectStaff.objects.create(user=prober, **{kind: side.objects[kind]})
    return Scene(own=own, foreign=foreign, prober=prober, prober_token=issue_api_token(prober))


# Detecting a leak ------------------------------------------------------------------------------


def body_text(content: bytes) -> str:
    """The response's text; a zipped office file (xlsx, docx) is searched member by member."""
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def foreign_rows(scene: Scene) -> dict[str, list[dict]]:
    """Every row of every Samsyn table (history and m2m tables too) that is a foreign object
    or points to one. Pointing to a public one (a call) is no change to the other förbund:
    an own agenda item may well name another region's call."""
    foreign_pks = list(scene.foreign_pks)
    private_pks = [pk for pk, kind in scene.foreign_pks.items() if kind not in PUBLIC_KINDS]
    snapshot: dict[str, list[dict]] = {}
    for app_label in SAMSYN_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            query = models.Q()
            for f in model._meta.concrete_fields:
                if f.primary_key or f.name == "id":
                    query |= models.Q(**{f"{f.attname}__in": foreign_pks})
                elif f.is_relation:
                    query |= models.Q(**{f"{f.attname}__in": private_pks})
            rows = model.objects.filter(query).order_by("pk").values()
            snapshot[model._meta.label] = [
                {k: v for k, v in row.items() if k not in VOLATILE} for row in rows
            ]
    return snapshot


# Columns that change on a read, not a write.
VOLATILE = frozenset({"last_login"})
