"""One story from need to result: a need recorded at the beredningsgrupp's meeting, an idea
moved through its steps (one of them from an agenda item), an application submitted and
granted, participants joining and leaving – told in order on the page and in the API, with
participants only as counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samsyn.calls import services as calls
from samsyn.calls.choices import CallsRoleKind
from samsyn.followup import services as followup
from samsyn.meetings import services as meetings
from samsyn.meetings.choices import MeetingKind
from samsyn.parties.services import issue_api_token
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import Need
from samsyn.pipeline.steps import Forum, IdeaStep
from tests.auth import log_in
from tests.calls.conftest import calls_person, make_call, ready_application
from tests.factories import kommun, region
from tests.followup.scene import participant_data

TODAY = timezone.localdate()
PNR = ("19811218-9876", "19900101-0017")


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def first_of_month(date: dt.date) -> dt.date:
    return date.replace(day=1)


# The project runs from today; two join in the month after next, one leaves in
# the next: counts per month are then known whatever today is.
STARTS = first_of_month(day(70))
LEAVES = first_of_month(STARTS + dt.timedelta(days=40)) + dt.timedelta(days=4)


def meeting_on(forbund, by, date: dt.date, title: str):
    starts = timezone.make_aware(dt.datetime.combine(date, dt.time(9, 0)))
    return meetings.plan_meeting(
        by=by,
        forbund=forbund,
        kind=MeetingKind.BEREDNINGSGRUPP,
        title=title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )


@pytest.fixture
def story(sjuharad, alice, bob):
    """Everything from the need to the participants, each through its verb."""
    first = meeting_on(sjuharad, alice, day(-60), "Beredningsgruppens möte")
    item = meetings.add_agenda_item(first, by=alice, title="Aktuellt hos parterna")
    decision = meetings.record_need_from_item(
        item,
        by=alice,
        title="Långtidssjukskrivna",
        target_group="Personer 20–64 år sjukskrivna mer än ett år",
    )
    need = Need.objects.get(pk=decision.need_id)

    idea = pipeline.create_idea(
        need,
        by=bob,
        title="Vägen tillbaka",
        purpose="Arbetsträning och rehabilitering i samverkan för sjukskrivna.",
        owner=kommun("1490"),
    )
    for org in (kommun("1490"), region("14")):
        idea.refresh_from_db()
        pipeline.set_idea_party(
            idea,
            org,
            by=alice,
            expected_version=idea.version,
            is_cofinancier=True,
            mandate=True,
            decision_date=day(-50),
        )

    second = meeting_on(sjuharad, alice, day(-45), "Beredningsgruppen, idéer")
    idea_item = meetings.add_agenda_item(second, by=alice, title="Vägen tillbaka", idea=idea)
    idea.refresh_from_db()
    meetings.record_step_from_item(
        idea_item, by=alice, to_step="idea_designed", expected_version=idea.version
    )
    pipeline.move_idea(
        idea, "owner_agreed", by=alice, forum=Forum.BEREDNINGSGRUPP, basis_date=day(-40)
    )

    stina = calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23", region("14"))
    application = ready_application(idea, make_call(stina), bob)  # application_drafted today
    application = calls.submit_application(
        application, by=bob, expected_version=application.version, submitted_on=TODAY
    )
    # A regional call: ESF-rådet's assessment, the partnership's prioritisation, the decision.
    application = calls.assess_application(
        application, by=stina, approved=True, decided_on=TODAY, reference="Dnr B-1"
    )
    application = calls.prioritise_application(
        application, by=stina, prioritised=True, decided_on=TODAY, reference="Protokoll 7"
    )
    calls.decide_application(
        application,
        by=stina,
        granted=True,
        decided_on=TODAY,  # every step has happened: drafted today, so decided today too
        reference="Dnr S-1",
        amount_sek=400_000,
        expected_version=application.version,
    )
    idea.refresh_from_db()
    pipeline.move_idea(idea, "running", by=alice, forum=Forum.PARTERNA, basis_date=TODAY)

    followup.add_staff(idea, bob, by=alice)
    idea.refresh_from_db()
    followup.register_participant(
        idea,
        by=bob,
        personnummer=PNR[0],
        **participant_data(started_on=STARTS + dt.timedelta(days=1), ended_on=LEAVES),
    )
    followup.register_participant(
        idea,
        by=bob,
        personnummer=PNR[1],
        **participant_data(
            started_on=STARTS + dt.timedelta(days=2), ended_on=None, employed_on_leaving=None
        ),
    )
    return idea


def expected(idea) -> list[tuple[str, str, str]]:
    application = idea.applications.get()
    return [
        (str(day(-60)), "need", "Behov identifierat: Långtidssjukskrivna"),
        (str(day(-60)), "meeting", "Beredningsgruppens möte: Aktuellt hos parterna"),
        (str(day(-45)), "meeting", "Beredningsgruppen, idéer: Vägen tillbaka"),
        (str(day(-45)), "step", str(IdeaStep.IDEA_DESIGNED.label)),
        (str(day(-40)), "step", str(IdeaStep.OWNER_AGREED.label)),
        (str(TODAY), "step", str(IdeaStep.APPLICATION_DRAFTED.label)),
        (str(TODAY), "step", str(IdeaStep.PARTIES_DECIDED.label)),
        (str(TODAY), "step", str(IdeaStep.SUBMITTED.label)),
        (str(TODAY), "step", str(IdeaStep.GRANTED.label)),
        (str(TODAY), "step", str(IdeaStep.RUNNING.label)),
        (str(TODAY), "application", f"Ansökan: {application}"),
        (str(TODAY), "application", "ESF-rådets beslut"),
        (str(STARTS + dt.timedelta(days=1)), "participants", "2 deltagare började"),
        (str(LEAVES), "participants", "1 deltagare slutade"),
        (str(LEAVES), "results", "Resultat: 1 av 2 deltagare med arbete efter projektet"),
    ]


def test_the_timeline_tells_the_story_in_order(story):
    from samsyn.followup.timeline import timeline

    events = [(str(e.on), e.kind, e.title) for e in timeline(story)]
    assert events == expected(story)


PROTECTED = {
    # What a reader who is not project staff sees instead (issue 13: disclosure control): a
    # month with fewer than 5 is left out, and the result is "färre än 5".
    "2 deltagare började": None,
    "1 deltagare slutade": None,
    "Resultat: 1 av 2 deltagare med arbete efter projektet": (
        "Resultat: färre än 5 av färre än 5 deltagare med arbete efter projektet"
    ),
}


def expected_for_others(idea) -> list[tuple[str, str, str]]:
    return [
        (on, kind, PROTECTED.get(title, title))
        for on, kind, title in expected(idea)
        if PROTECTED.get(title, title) is not None
    ]


def test_project_staff_see_the_exact_story(client, story, bob):
    log_in(client, bob)
    page = client.get(reverse("idea_timeline", args=[story.pk])).content.decode()
    assert "2 deltagare började" in page and "1 av 2 deltagare med arbete" in page


def test_the_page_and_the_api_tell_the_same_story_without_names(client, story, erik, mallory):
    log_in(client, erik)  # a reader in the förbund
    page = client.get(reverse("idea_timeline", args=[story.pk])).content.decode()
    titles = [title for _on, _kind, title in expected_for_others(story)]
    position = 0
    for title in titles:  # each one after the one before (a forum label may repeat a title)
        position = page.index(title, position) + len(title)

    api = client.get(
        f"/api/v1/followup/ideas/{story.pk}/timeline",
        headers={"Authorization": f"Bearer {issue_api_token(erik)}"},
    )
    assert api.status_code == 200
    rows = [(e["on"], e["kind"], e["title"]) for e in api.json()]
    assert rows == expected_for_others(story)

    body = page + api.content.decode()
    for pnr in PNR:
        assert pnr not in body and pnr.replace("-", "") not in body
    assert "D-0001" not in body  # not even the participant codes, only counts

    other = client.get(
        f"/api/v1/followup/ideas/{story.pk}/timeline",
        headers={"Authorization": f"Bearer {issue_api_token(mallory)}"},
    )
    assert other.status_code == 404


def test_the_needs_timeline_holds_the_idea_and_tells_each_meeting_once(story, alice):
    from samsyn.followup.timeline import timeline

    need = story.need
    item = need.agenda_items.get()
    # The same item now also points to the idea: it stays one event.
    item.idea = story
    item.save(update_fields=["idea"])
    events = timeline(need)
    meetings_told = [e.title for e in events if e.kind == "meeting"]
    assert meetings_told == [
        "Beredningsgruppens möte: Aktuellt hos parterna",
        "Beredningsgruppen, idéer: Vägen tillbaka",
    ]
    assert [e.kind for e in events].count("application") == 2
