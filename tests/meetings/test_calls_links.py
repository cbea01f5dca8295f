"""Agenda items that point to calls and applications (samsyn.calls); R1 and the calendar."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from samsyn.calls import services as calls
from samsyn.calls.choices import CallsRoleKind
from samsyn.meetings import calendar, services
from samsyn.meetings.models import AgendaItem
from samsyn.pipeline.services import PipelineError
from tests.calls.conftest import agreed_idea, calls_person, make_call
from tests.factories import kommun, region


@pytest.fixture
def call(db):
    return make_call(calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23", region("14")))


@pytest.fixture
def application(sjuharad, call, bob):
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    return calls.draft_application(idea, call, by=bob)


def test_r1_board_agenda_cannot_carry_an_esf_call_or_application(board, alice, call, application):
    for link in ({"call": call}, {"application": application}):
        with pytest.raises(PipelineError) as refused:
            services.add_agenda_item(board, by=alice, title="ESF+", **link)
        assert refused.value.violations[0].rule == "R1"
    assert not AgendaItem.objects.filter(meeting=board).exists()


def test_a_beredningsgrupp_agenda_points_to_calls_and_applications(
    beredning, alice, call, application
):
    item = services.add_agenda_item(
        beredning, by=alice, title="Ansökan", call=call, application=application
    )
    assert list(call.agenda_items.all()) == [item]
    assert list(application.agenda_items.all()) == [item]


def test_another_forbunds_application_cannot_be_on_the_agenda(
    alv_och_kust, mallory, alice, call, application
):
    meeting = services.plan_meeting(
        by=mallory,
        forbund=alv_och_kust,
        kind="beredningsgrupp",
        title="Kust",
        starts_at=call.created_at,
    )
    with pytest.raises(PipelineError, match="annat förbund"):
        services.add_agenda_item(meeting, by=mallory, title="Fel", application=application)


def test_call_deadlines_are_in_the_feed_of_förbund_in_the_calls_region(bob, call):
    titles = [e.title for e in calendar.entries(bob, call.opens_on)]
    assert f"Utlysningen stänger: {call.title}" in titles
    parsed = Calendar.from_ical(calendar.ics(bob))
    assert any("Utlysningen stänger" in str(e["summary"]) for e in parsed.walk("VEVENT"))
