"""The API's own description of itself, for tests generated from it: operations, bodies, and
a scene with one record of every kind an operation's path can name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from samsyn.api.urls import api
from samsyn.calls.choices import CallsRoleKind
from samsyn.meetings import services as meetings
from samsyn.meetings.choices import MeetingKind
from samsyn.parties.models import Organisation, User
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import IdeaParty
from tests.calls.conftest import calls_person, make_call, ready_application
from tests.factories import add_party, af, fk, kommun, region

PREFIX = "/api/v1"
WRITES = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # without the /api/v1 prefix
    spec: dict

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def path_params(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "path"]

    def body_schema(self) -> dict:
        content = self.spec.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return resolve(schema) if schema else {}

    @property
    def success(self) -> list[int]:
        return sorted(int(code) for code in self.spec["responses"] if str(code).startswith("2"))

    def response_ref(self, status: int) -> str | None:
        content = self.spec["responses"][status].get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        return schema.get("$ref")


def schema() -> dict:
    return api.get_openapi_schema()


def resolve(node: dict) -> dict:
    if "$ref" in node:
        return schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def operations(methods=WRITES) -> list[Operation]:
    return [
        Operation(method, path.removeprefix(PREFIX), spec)
        for path, ops in schema()["paths"].items()
        for method, spec in ops.items()
        if method in methods
    ]


# The scene ------------------------------------------------------------------------------------


@dataclass
class Scene:
    alice: User  # kansli of Sjuhärad
    bob: User  # beredningsgrupp, Borås stad (owner of the application's idea)
    stina: User  # keeps Västsverige's call plan
    ids: dict[str, int]  # path parameter → id
    party: IdeaParty  # a party of the idea with nothing at its default value

    def actor(self, op: Operation) -> User:
        if op.path.startswith("/calls"):
            return self.stina
        if op.path.startswith("/applications"):
            return self.bob
        return self.alice


def build(sjuharad, alice, bob) -> Scene:
    """Sjuhärad with an idea, a measure, a draft application, a meeting with an item and a
    government assignment; every field of the idea's FK party differs from its default."""
    stina = calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23", region("14"))
    need = pipeline.record_need(
        sjuharad,
        by=alice,
        title="Unga vuxna med aktivitetsersättning",
        target_group="Unga vuxna 19–29 år",
        description="Kartlagt i beredningsgruppen.",
        identified_on=dt.date(2026, 2, 3),
    )
    idea = pipeline.create_idea(
        need,
        by=bob,
        title="Vägen vidare",
        purpose="Fler närmar sig arbete.",
        goals="Tjugo deltagare.",
        owner=kommun("1490"),
        aimed_at_individuals=False,
        no_other_owner=True,
        agreement_signed_on=dt.date(2026, 4, 2),
    )
    party = pipeline.set_idea_party(
        idea,
        fk(),
        by=alice,
        expected_version=None,
        is_cofinancier=False,
        performs_rehabilitation=True,
        representative="Karin Karlsson",
        mandate=True,
        decision_date=dt.date(2026, 5, 4),
        decision_reference="Dnr FK 2026/17",
    )
    measure = pipeline.create_measure(
        need,
        by=alice,
        title="Samordnad rehabilitering",
        purpose="Rehabilitering i samverkan.",
        responsibilities="Borås stad leder.",
        parties=[kommun("1490"), af()],
    )
    # Decided by the board: its parties are settled, and still only members may join.
    for to, forum in (
        ("measure_designed", "beredningsgrupp"),
        ("responsibility_agreed", "beredningsgrupp"),
        ("board_decided", "styrelse"),
    ):
        measure = pipeline.move_measure(measure, to, by=alice, forum=forum).measure
    call = make_call(stina)
    project = agreed_idea_with_owner(sjuharad)
    application = ready_application(project, call, bob)
    meeting = meetings.plan_meeting(
        by=alice,
        forbund=sjuharad,
        kind=MeetingKind.BEREDNINGSGRUPP,
        title="Beredningsgruppen i mars",
        starts_at=timezone.now() + dt.timedelta(days=7),
        location="Borås stadshus",
    )
    meetings.add_attendee(meeting, by=alice, organisation=kommun("1490"), name="Bo Borg")
    item = meetings.add_agenda_item(
        meeting, by=alice, title="Unga vuxna", description="Underlag.", need=need
    )
    assignment = meetings.track_assignment(
        by=alice,
        forbund=sjuharad,
        title="Uppdrag om samverkan",
        assigned_agency="Försäkringskassan",
        partners="Arbetsförmedlingen\nSocialstyrelsen",
        budget_cap=500_000,
        decided_on=dt.date(2025, 3, 13),
        reporting_deadline=dt.date(2027, 3, 1),
        description="Redovisas till regeringen.",
        url="https://www.regeringen.se/",
    )
    network = meetings.create_network(
        "Nätverket i Västsverige", by=alice, members=[kommun("1490")], coordinators=[alice]
    )
    ids = {
        "need_id": need.pk,
        "idea_id": idea.pk,
        "measure_id": measure.pk,
        "call_id": call.pk,
        "application_id": application.pk,
        "meeting_id": meeting.pk,
        "item_id": item.pk,
        "assignment_id": assignment.pk,
        "part_id": meetings.add_part(assignment, by=alice, title="Delrapport").pk,
        "network_id": network.pk,
        "organisation_id": fk().pk,
    }
    return Scene(alice=alice, bob=bob, stina=stina, ids=ids, party=party)


def agreed_idea_with_owner(forbund):
    from tests.calls.conftest import agreed_idea

    idea = agreed_idea(forbund, kommun("1490"), [region("14")])
    add_party(idea, af(), cofinancier=False)
    return idea


def url(op: Operation, ids: dict[str, Any]) -> str:
    path = op.path
    for name in op.path_params:
        path = path.replace("{" + name + "}", str(ids[name]))
    return path.lstrip("/")


def snapshot() -> dict[str, list[dict]]:
    """Every row of every Samsyn table, history included: "nothing changed" is this equal."""
    rows = {}
    for label in ("parties", "pipeline", "calls", "meetings", "followup"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows[model._meta.label] = list(
                model.objects.order_by("pk").values(
                    *[f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
                )
            )
    return rows


def non_member() -> Organisation:
    """Göteborg: a kommun, a Finsam party, but no member of Sjuhärad."""
    return kommun("1480")
