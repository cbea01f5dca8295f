"""The verbs of meetings: agenda, minutes, pipeline steps from items, R1, approval."""

from __future__ import annotations

import pytest
from django.core import mail

from samsyn.meetings import services
from samsyn.meetings.choices import DecisionKind, MeetingKind
from samsyn.meetings.models import AgendaItem, Decision, Meeting
from samsyn.pipeline.models import IdeaTransition, Need
from samsyn.pipeline.services import PipelineError, StaleEdit
from samsyn.pipeline.steps import Forum
from tests.factories import kommun
from tests.meetings.conftest import IMMEDIATE_TASKS, at


def test_agenda_items_are_numbered_in_order(beredning, alice):
    first = services.add_agenda_item(beredning, by=alice, title="Öppnande")
    second = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    assert (first.number, second.number) == (1, 2)
    assert str(second) == "§ 2 Aktuellt"


def test_video_room_cannot_be_guessed_and_needs_a_configured_service(beredning, board, settings):
    assert beredning.video_room != board.video_room
    assert len(beredning.video_room) >= 20
    settings.SAMSYN_JITSI_BASE_URL = ""
    assert beredning.video_url == ""
    settings.SAMSYN_JITSI_BASE_URL = "https://mote.sjuharad.example/"
    assert beredning.video_url == f"https://mote.sjuharad.example/{beredning.video_room}"


def test_r1_board_meeting_agenda_cannot_carry_an_esf_idea(board, alice, idea):
    version = Meeting.objects.get(pk=board.pk).version
    with pytest.raises(PipelineError) as refused:
        services.add_agenda_item(board, by=alice, title="ESF+-idé", idea=idea)
    assert [v.rule for v in refused.value.violations] == ["R1"]
    assert "styrelse" in str(refused.value) and "Vägen vidare" in str(refused.value)
    assert not AgendaItem.objects.filter(meeting=board).exists()
    assert Meeting.objects.get(pk=board.pk).version == version


def test_r1_a_meeting_with_an_esf_idea_cannot_become_a_board_meeting(beredning, alice, idea):
    services.add_agenda_item(beredning, by=alice, title="Idén", idea=idea)
    beredning.refresh_from_db()
    with pytest.raises(PipelineError) as refused:
        services.update_meeting(
            beredning, by=alice, expected_version=beredning.version, kind=MeetingKind.STYRELSE
        )
    assert refused.value.violations[0].rule == "R1"
    assert Meeting.objects.get(pk=beredning.pk).kind == MeetingKind.BEREDNINGSGRUPP


def test_r1_board_agenda_may_carry_a_finsam_measure(board, alice, measure):
    item = services.add_agenda_item(board, by=alice, title="Finansiering", measure=measure)
    assert item.measure == measure


def test_a_need_recorded_from_an_item_links_both_ways(beredning, alice, sjuharad):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt hos parterna")
    decision = services.record_need_from_item(
        item, by=alice, title="Sjukskrivna med psykisk ohälsa", target_group="Sjukskrivna 25–64"
    )
    need = Need.objects.get(title="Sjukskrivna med psykisk ohälsa")
    assert need.forbund == sjuharad
    assert need.identified_on == beredning.date
    assert need.in_preparatory_structure is True
    assert decision.kind == DecisionKind.NEED and decision.need == need
    assert list(need.meeting_decisions.all()) == [decision]
    assert AgendaItem.objects.get(pk=item.pk).need == need
    assert need.history.first().history_user == alice


def test_an_idea_step_taken_at_a_meeting_has_the_meeting_as_basis(beredning, alice, idea):
    item = services.add_agenda_item(beredning, by=alice, title="Idén", idea=idea)
    decision = services.record_step_from_item(
        item, by=alice, target="idea", to_step="idea_designed", expected_version=idea.version
    )
    transition = IdeaTransition.objects.get(idea=idea)
    assert decision.idea_transition == transition
    assert transition.forum == Forum.BEREDNINGSGRUPP
    assert transition.basis_date == beredning.date
    assert transition.meeting_decision.agenda_item.meeting == beredning
    idea.refresh_from_db()
    assert idea.step == "idea_designed"


def test_the_board_decides_on_a_finsam_measure_at_its_meeting(board, alice, measure):
    item = services.add_agenda_item(board, by=alice, title="Finansiering", measure=measure)
    decision = services.record_step_from_item(item, by=alice, to_step="board_decided")
    transition = decision.measure_transition
    assert transition.forum == Forum.STYRELSE and transition.to_step == "board_decided"
    measure.refresh_from_db()
    assert measure.step == "board_decided"


def test_a_step_the_pipeline_refuses_records_no_decision(beredning, alice, measure):
    item = services.add_agenda_item(beredning, by=alice, title="Insatsen", measure=measure)
    with pytest.raises(PipelineError) as refused:
        services.record_step_from_item(item, by=alice, to_step="board_decided")
    assert refused.value.violations[0].rule == "F4"
    assert not Decision.objects.exists()


def test_a_stale_step_is_refused(beredning, alice, idea):
    item = services.add_agenda_item(beredning, by=alice, title="Idén", idea=idea)
    with pytest.raises(StaleEdit):
        services.record_step_from_item(
            item, by=alice, to_step="idea_designed", expected_version=idea.version - 1
        )
    assert not Decision.objects.exists()


def test_concurrent_minutes_are_refused(beredning, alice):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    services.update_agenda_item(item, by=alice, expected_version=1, minutes="Första versionen.")
    with pytest.raises(StaleEdit):
        services.update_agenda_item(item, by=alice, expected_version=1, minutes="Min version.")
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Första versionen."


def test_links_stay_inside_the_meetings_forbund(alv_och_kust, mallory, beredning, alice):
    from samsyn.pipeline import services as pipeline

    other_need = pipeline.record_need(
        alv_och_kust, by=mallory, title="Kust", target_group="Unga", identified_on=at(0).date()
    )
    with pytest.raises(PipelineError, match="annat förbund"):
        services.add_agenda_item(beredning, by=alice, title="Fel", need=other_need)


def test_approved_minutes_cannot_change(beredning, alice, bob, idea):
    item = services.add_agenda_item(beredning, by=alice, title="Idén", idea=idea)
    services.update_agenda_item(item, by=alice, expected_version=None, minutes="Diskuterades.")
    services.approve_minutes(beredning, by=alice, adjusters="Bob")
    meeting = Meeting.objects.get(pk=beredning.pk)
    assert meeting.is_approved and meeting.approved_by == alice
    item = AgendaItem.objects.get(pk=item.pk)
    attempts = [
        lambda: services.update_agenda_item(item, by=alice, expected_version=None, minutes="Ny"),
        lambda: services.add_agenda_item(meeting, by=alice, title="Till"),
        lambda: services.record_decision(item, by=alice, text="Beslut"),
        lambda: services.record_need_from_item(item, by=alice, title="B", target_group="M"),
        lambda: services.record_step_from_item(item, by=alice, to_step="idea_designed"),
        lambda: services.update_meeting(meeting, by=alice, expected_version=None, title="Nytt"),
        lambda: services.add_attendee(
            meeting, by=alice, organisation=kommun("1490"), name="Ny person"
        ),
        lambda: services.approve_minutes(meeting, by=alice, adjusters="Bob"),
    ]
    for attempt in attempts:
        with pytest.raises(PipelineError, match="justerat"):
            attempt()
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Diskuterades."
    assert Meeting.objects.get(pk=beredning.pk).version == meeting.version
    assert not Decision.objects.exists()


def test_approval_needs_adjusters_and_items(beredning, alice):
    with pytest.raises(PipelineError, match="utan punkter"):
        services.approve_minutes(beredning, by=alice, adjusters="Bob")
    services.add_agenda_item(beredning, by=alice, title="Öppnande")
    with pytest.raises(PipelineError, match="justerar"):
        services.approve_minutes(beredning, by=alice)
    assert not Meeting.objects.get(pk=beredning.pk).is_approved


def test_approved_minutes_are_mailed_with_the_pdf_after_commit(
    beredning, alice, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    services.add_agenda_item(beredning, by=alice, title="Öppnande")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve_minutes(beredning, by=alice, adjusters="Bob")
    # Nothing is sent inside the request's transaction.
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.org"]
    assert "Justerat protokoll" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_the_agenda_is_mailed_to_attendees_by_a_task(
    beredning, alice, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    services.add_agenda_item(beredning, by=alice, title="Öppnande")
    services.add_agenda_item(beredning, by=alice, title="Nya behov")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_agenda(beredning, by=alice)
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "§ 2 Nya behov" in mail.outbox[0].body


def test_sending_an_empty_agenda_is_refused(beredning, alice):
    with pytest.raises(PipelineError, match="tom"):
        services.send_agenda(beredning, by=alice)


def test_calendar_tokens_are_stored_as_digests(alice):
    token = services.issue_calendar_token(alice)
    assert alice.calendar_token.digest != token and len(alice.calendar_token.digest) == 64
    assert services.user_for_calendar_token(token) == alice
    new = services.issue_calendar_token(alice)
    assert services.user_for_calendar_token(token) is None
    assert services.user_for_calendar_token(new) == alice


def test_removing_an_item_renumbers_the_rest(beredning, alice):
    items = [services.add_agenda_item(beredning, by=alice, title=t) for t in ("A", "B", "C")]
    services.remove_agenda_item(items[0], by=alice)
    assert list(beredning.agenda_items.values_list("number", "title")) == [(1, "B"), (2, "C")]


def test_an_item_with_a_decision_stays_on_the_agenda(beredning, alice):
    item = services.add_agenda_item(beredning, by=alice, title="A")
    services.record_decision(item, by=alice, text="Beslutat.")
    with pytest.raises(PipelineError, match="beslut registrerade"):
        services.remove_agenda_item(item, by=alice)
    assert AgendaItem.objects.filter(pk=item.pk).exists()
