"""The records two people edit at once, each built the way the app builds it."""

from __future__ import annotations

import datetime as dt

from samsyn.calls import services as calls
from samsyn.calls.choices import CallsRoleKind
from samsyn.calls.models import Application
from samsyn.followup import services as followup
from samsyn.followup.models import Participant
from samsyn.parties.models import Forbund, User
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import Idea, Measure, Need
from tests.calls.conftest import agreed_idea, calls_person, make_call
from tests.factories import kommun, region
from tests.followup.scene import participant_data, running_project


def need(forbund: Forbund, by: User) -> Need:
    return pipeline.record_need(
        forbund,
        by=by,
        title="Unga vuxna med aktivitetsersättning",
        target_group="Unga vuxna 19–29 år",
        identified_on=dt.date(2026, 2, 3),
    )


def idea(forbund: Forbund, by: User) -> Idea:
    return pipeline.create_idea(
        need(forbund, by), by=by, title="Vägen vidare", owner=kommun("1490")
    )


def measure(forbund: Forbund, by: User) -> Measure:
    return pipeline.create_measure(
        need(forbund, by), by=by, title="Samordnad rehabilitering", parties=[kommun("1490")]
    )


def application(forbund: Forbund, by: User) -> Application:
    """A draft application from Borås stad's agreed idea to Västsverige's open call."""
    stina = calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23", region("14"))
    project = agreed_idea(forbund, kommun("1490"), [region("14")])
    return calls.draft_application(project, make_call(stina), by=by)


def participant(forbund: Forbund, kansli: User, *staff: User) -> Participant:
    """A participant in a running project; every one of `staff` works in the project."""
    project = running_project(forbund, kansli, staff[0])
    for user in staff[1:]:
        followup.add_staff(project, user, by=kansli)
    return followup.register_participant(
        project, by=staff[0], personnummer="19811218-9876", **participant_data()
    )
