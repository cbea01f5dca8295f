"""The calls cast, on top of tests/conftest.py's Sjuhärad:

stina   – EU strategist at Västra Götalandsregionen: keeps Västsverige's call plan (SE23)
nils    – keeps the national call plan at ESF-rådet
rut     – reviewer for Västsverige (prepares the partnership's prioritisation)
ture    – reviewer for Västsverige, works at Borås stad (jäv for Borås' applications)
"""

from __future__ import annotations

import datetime as dt

import pytest

from samsyn.calls import services
from samsyn.calls.choices import CallsRoleKind, DecisionLevel
from samsyn.calls.models import CallsRole, ProgrammeArea, RegionalPlan, ThematicArea
from samsyn.pipeline.models import Idea
from samsyn.pipeline.steps import IdeaStep
from tests.factories import IdeaFactory, NeedFactory, add_party, kommun, person, region

TODAY = dt.date.today()


def area(code: str, period: str = "2021-2027") -> ProgrammeArea:
    return ProgrammeArea.objects.get(code=code, period__code=period)


def plan(code: str) -> RegionalPlan:
    return RegionalPlan.objects.get(nuts2_code=code)


def themes(*codes: str) -> list[ThematicArea]:
    return list(ThematicArea.objects.filter(code__in=codes))


def calls_person(username: str, role: str, nuts2: str | None, organisation=None):
    user = person(username, None, None, organisation)
    CallsRole.objects.create(user=user, role=role, regional_plan=plan(nuts2) if nuts2 else None)
    return user


@pytest.fixture
def stina(db):
    return calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23", region("14"))


@pytest.fixture
def nils(db):
    return calls_person("nils", CallsRoleKind.CALL_MANAGER, None)


@pytest.fixture
def rut(db):
    return calls_person("rut", CallsRoleKind.REVIEWER, "SE23", region("14"))


@pytest.fixture
def ture(db):
    return calls_person("ture", CallsRoleKind.REVIEWER, "SE23", kommun("1490"))


def plan_principles(nuts2: str, by=None, count: int = 5) -> None:
    """Test principles P1…Pn in a regional plan (only Stockholm's are known from the seeds)."""
    for i in range(1, count + 1):
        services.set_plan_principle(
            plan(nuts2), f"P{i}", by=by, name=f"Testprincip {i} för {nuts2}", weight=1
        )


def make_call(by, *, principles: bool = True, **overrides):
    """A regional call in Västsverige; with `principles`, the plan gets P1–P5 first (when it
    has none) so the call starts from them."""
    data = {
        "title": "Vägar till arbete i Västsverige",
        "description": "Insatser för personer långt från arbetsmarknaden: sjukskrivna, "
        "rehabilitering och arbetsträning i samverkan.",
        "period": area("A").period,
        "programme_area": area("A"),
        "decision_level": DecisionLevel.REGIONAL,
        "regional_plan": plan("SE23"),
        "budget_sek": 10_000_000,
        "min_participant_age": 16,
        "opens_on": TODAY - dt.timedelta(days=10),
        "closes_on": TODAY + dt.timedelta(days=90),
        "rolling": False,
        "thematic_areas": themes("aterintrade", "etablering"),
    }
    data.update(overrides)
    region = data["regional_plan"]
    if principles and region is not None and not region.principles.exists():
        plan_principles(region.nuts2_code, by)
    return services.create_call(by=by, **data)


def approve(app, by, on=TODAY):
    """ESF-rådet's assessment: approved for prioritisation."""
    return services.assess_application(
        app, by=by, approved=True, decided_on=on, reference=f"Dnr B-{app.pk}"
    )


def prioritise(app, by, prioritised=True, on=TODAY):
    return services.prioritise_application(
        app, by=by, prioritised=prioritised, decided_on=on, reference=f"Protokoll P-{app.pk}"
    )


def grant(app, by, amount, on=TODAY):
    return services.decide_application(
        app, by=by, granted=True, amount_sek=amount, decided_on=on, reference=f"Dnr S-{app.pk}"
    )


@pytest.fixture
def regional_call(stina):
    return make_call(stina)


def agreed_idea(forbund, owner, cofinanciers=(), *, decisions=True, title="Vägen tillbaka"):
    """An idea at owner_agreed, owned by `owner`, with mandates (and decisions) recorded."""
    need = NeedFactory(forbund=forbund, target_group="Personer 20–64 år sjukskrivna mer än ett år")
    idea = IdeaFactory(
        need=need,
        title=title,
        target_group=need.target_group,
        purpose="Arbetsträning och rehabilitering i samverkan för sjukskrivna.",
        owner=owner,
        step=IdeaStep.OWNER_AGREED,
    )
    for org in (owner, *cofinanciers):
        add_party(idea, org, decision=decisions)
    return Idea.objects.get(pk=idea.pk)


@pytest.fixture
def idea(sjuharad):
    return agreed_idea(sjuharad, kommun("1490"), [region("14")])


def ready_application(idea, call, by, *, eu=400_000, cofin=None):
    """A complete draft: period, organisation, budget 1 000 000 kr in 2027, financing."""
    app = services.draft_application(idea, call, by=by)
    app = services.update_application(
        app,
        by=by,
        expected_version=None,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        eu_share_sek=eu,
        project_manager="Pia Projektledare",
        controller="Erik Ekonom",
        administrator="Ada Administratör",
    )
    services.set_budget_line(app, 2027, "personnel", 1_000_000, by=by, expected_version=None)
    cofin = cofin if cofin is not None else {kommun("1490"): 300_000, region("14"): 300_000}
    for org, amount in cofin.items():
        services.set_cofinancing(app, org, amount, by=by, expected_version=None)
    app.refresh_from_db()
    return app
