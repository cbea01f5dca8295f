"""A check a page form makes is the verb's check, so the API, the import and tasks get it too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from samsyn.followup import services as followup
from samsyn.followup.models import Participant
from samsyn.meetings import services as meetings
from samsyn.meetings.choices import MeetingKind
from samsyn.parties.models import ForbundRole
from samsyn.parties.services import ForbundError, set_role
from samsyn.pipeline import services as pipeline
from tests.factories import kommun, person
from tests.followup.scene import participant_data, running_project

pytestmark = pytest.mark.django_db


def test_form_checks_in_the_verb_participant_cannot_end_before_it_starts(sjuharad, alice, bob):
    project = running_project(sjuharad, alice, bob)
    with pytest.raises(ValidationError) as refused:
        followup.register_participant(
            project,
            by=bob,
            personnummer="19811218-9876",
            **participant_data(started_on=dt.date(2025, 6, 1), ended_on=dt.date(2025, 5, 1)),
        )
    assert "Slutdatum ligger före startdatum" in str(refused.value)
    assert not Participant.objects.exists()


def test_form_checks_in_the_verb_a_deactivated_user_gets_no_role(sjuharad, alice):
    gone = person("gone", None, None)
    gone.is_active = False
    gone.save()
    with pytest.raises(ForbundError):
        set_role(sjuharad, gone, "reader", by=alice)
    assert not ForbundRole.objects.filter(user=gone).exists()


def test_form_checks_in_the_verb_attendees_and_parties_are_the_forbunds(sjuharad, alice, mallory):
    meeting = meetings.plan_meeting(
        by=alice,
        forbund=sjuharad,
        kind=MeetingKind.BEREDNINGSGRUPP,
        title="Beredningsgruppen",
        starts_at=dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC),
    )
    with pytest.raises(pipeline.PipelineError) as outsider:
        meetings.add_attendee(meeting, by=alice, organisation=kommun("1480"), name="Göta")
    assert [v.code for v in outsider.value.violations] == ["not_member"]
    # A person of another förbund gets the same answer as an unknown one.
    with pytest.raises(pipeline.PipelineError) as stranger:
        meetings.add_attendee(
            meeting, by=alice, organisation=kommun("1490"), name="Mallory", user=mallory
        )
    assert str(stranger.value) == "Det finns ingen sådan användare."
    assert not meeting.attendees.exists()
    # Förbundet itself (its kansli) attends its own meetings.
    meetings.add_attendee(meeting, by=alice, organisation=sjuharad.organisation, name="Alice")
