"""The calendar page and .ics feed, assignments and their warnings, the weekly digest."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from samsyn.meetings import services, tasks
from samsyn.meetings.models import CalendarToken
from tests.auth import log_in
from tests.factories import kommun
from tests.meetings.conftest import IMMEDIATE_TASKS, at


@pytest.fixture
def assignment(network, alice):
    return services.track_assignment(
        by=alice,
        network=network,
        title="Stärkt stöd till socialtjänsten",
        assigned_agency="Socialstyrelsen",
        partners="Länsstyrelsen i Stockholms län\nPolismyndigheten",
        budget_cap=500000,
        reporting_deadline=timezone.localdate() + dt.timedelta(days=10),
    )


@pytest.fixture
def other_meeting(alv_och_kust, mallory):
    return services.plan_meeting(
        by=mallory, forbund=alv_och_kust, kind="styrelse", title="Kustens styrelse", starts_at=at(2)
    )


def feed(client, user) -> Calendar:
    log_in(client, user)
    response = client.post(reverse("calendar"))
    client.logout()
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/kalender/") and url.endswith(".ics")
    ics = client.get(url.removeprefix("http://testserver"))
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(ics.content)


def test_ics_feed_validates_and_holds_meetings_events_and_deadlines(
    client, bob, beredning, network, assignment, alice, other_meeting, settings
):
    settings.SAMSYN_JITSI_BASE_URL = "https://mote.sjuharad.example"
    services.share_event(network, by=alice, title="Erfarenhetsutbyte", starts_at=at(20, 13))
    calendar = feed(client, bob)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Beredningsgruppens möte",
        "Erfarenhetsutbyte",
        "Redovisning: Stärkt stöd till socialtjänsten",
    }
    meeting = events["Beredningsgruppens möte"]
    assert meeting.decoded("dtstart") == beredning.starts_at
    assert beredning.video_room in str(meeting["location"])
    deadline = events["Redovisning: Stärkt stöd till socialtjänsten"]
    assert deadline.decoded("dtstart") == assignment.reporting_deadline
    assert all(e.get("uid") for e in events.values())
    assert str(calendar["version"]) == "2.0"


def test_the_feed_never_shows_another_forbunds_meetings(client, mallory, beredning, other_meeting):
    calendar = feed(client, mallory)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Kustens styrelse"]


def test_a_wrong_or_revoked_token_gives_404(client, bob, beredning):
    log_in(client, bob)
    url = client.post(reverse("calendar")).context["feed_url"].removeprefix("http://testserver")
    client.post(reverse("calendar"), {"action": "aterkalla"})
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/kalender/gissning.ics").status_code == 404
    assert not CalendarToken.objects.filter(user=bob).exists()


def test_calendar_page_lists_coming_things(client, sjuharad, alice, bob, assignment):
    services.plan_meeting(
        by=alice, forbund=sjuharad, kind="beredningsgrupp", title="Nästa beredning", starts_at=at(7)
    )
    log_in(client, bob)
    page = client.get(reverse("calendar")).content.decode()
    assert "Nästa beredning" in page and "Redovisning: Stärkt stöd" in page


def test_assignment_deadline_warns_before_it_comes(client, bob, assignment):
    log_in(client, bob)
    page = client.get(reverse("assignment", args=[assignment.pk])).content.decode()
    assert "ska redovisas om 10 dagar" in page
    listing = client.get(reverse("assignment_list")).content.decode()
    assert "om 10 dagar" in listing and "Socialstyrelsen" in listing


def test_assignment_is_tracked_by_the_coordinator_only(client, alice, bob, network):
    log_in(client, bob)
    assert client.get(reverse("assignment_create")).status_code == 403
    log_in(client, alice)
    response = client.post(
        reverse("assignment_create"),
        {
            "owner": f"n-{network.pk}",
            "title": "Nationell samordning",
            "assigned_agency": "Länsstyrelsen i Stockholms län",
            "partners": "Socialstyrelsen\nPolismyndigheten",
            "budget_cap": "2000000",
            "reporting_deadline": "2027-03-31",
            "status": "ongoing",
        },
    )
    assert response.status_code == 302
    from samsyn.meetings.models import GovernmentAssignment

    a = GovernmentAssignment.objects.get(title="Nationell samordning")
    assert a.partner_list == ["Socialstyrelsen", "Polismyndigheten"]
    assert a.network == network and a.history.count() == 1


def test_weekly_digest_goes_to_subscribers_who_are_still_members(
    network, alice, bob, dora, assignment, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    services.share_news(
        network,
        by=alice,
        title="Komvux för skyddsbehövande",
        source="Länsstyrelsen",
        published_on=timezone.localdate(),
    )
    services.subscribe(network, user=bob)
    services.subscribe(network, user=dora)
    network.members.remove(kommun("1490"))  # Borås leaves: bob no longer gets the items
    sent = tasks.send_weekly_digest.enqueue(network.pk).return_value
    assert sent == 1
    assert mail.outbox[0].to == ["dora@example.org"]
    body = mail.outbox[0].body
    assert "Komvux för skyddsbehövande" in body and "Stärkt stöd till socialtjänsten" in body


def test_digest_command_enqueues_a_task_per_network(network, bob, settings):
    from django_tasks import default_task_backend

    services.subscribe(network, user=bob)
    call_command("send_weekly_digest", stdout=io.StringIO())
    results = default_task_backend.results
    assert [r.task.name for r in results] == ["send_weekly_digest"]
    assert results[0].args == [network.pk]
    assert mail.outbox == []
