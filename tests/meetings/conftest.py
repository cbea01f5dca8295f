"""Meetings of Sjuhärad (alice plans them) and a regional network with Borås and AF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samsyn.meetings import services
from samsyn.meetings.choices import MeetingKind
from samsyn.pipeline import services as pipeline
from tests.factories import af, kommun

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def at(days: int, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture(autouse=True)
def _quiet_tasks(settings):
    settings.TASKS = DUMMY_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def need(sjuharad, alice):
    return pipeline.record_need(
        sjuharad,
        by=alice,
        title="Unga vuxna med aktivitetsersättning",
        target_group="Unga vuxna 18–29 år med aktivitetsersättning",
        identified_on=dt.date(2026, 3, 12),
    )


@pytest.fixture
def idea(need, bob):
    return pipeline.create_idea(
        need, by=bob, title="Vägen vidare", purpose="Fler närmar sig arbete.", owner=kommun("1490")
    )


@pytest.fixture
def measure(need, alice):
    """A Finsam measure whose parties agreed on responsibilities: ready for the board."""
    m = pipeline.create_measure(
        need,
        by=alice,
        title="Samordnad rehabilitering",
        parties=[kommun("1490"), af()],
        responsibilities="Kommunen ger coacher, AF handläggare.",
    )
    pipeline.move_measure(m, "measure_designed", by=alice)
    pipeline.move_measure(m, "responsibility_agreed", by=alice)
    m.refresh_from_db()
    return m


@pytest.fixture
def beredning(sjuharad, alice, bob):
    meeting = services.plan_meeting(
        by=alice,
        forbund=sjuharad,
        kind=MeetingKind.BEREDNINGSGRUPP,
        title="Beredningsgruppens möte",
        # Held a week ago: needs, steps and approved minutes are events that have happened.
        starts_at=at(-7),
        ends_at=at(-7, 11),
        location="Kansliet",
    )
    services.add_attendee(meeting, by=alice, organisation=kommun("1490"), name="Bob", user=bob)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def board(sjuharad, alice):
    return services.plan_meeting(
        by=alice,
        forbund=sjuharad,
        kind=MeetingKind.STYRELSE,
        title="Styrelsemöte",
        starts_at=at(-14, 13),
    )


@pytest.fixture
def network(alice, bob, dora):
    """Borås stad (bob) and AF (dora) are members; alice coordinates."""
    return services.create_network(
        "Integrationsnätverket Sjuhärad",
        by=alice,
        members=[kommun("1490"), af()],
        coordinators=[alice],
    )
