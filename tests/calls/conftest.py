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


def make_call(by, **overrides):
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
    return services.create_call(by=by, **data)


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
