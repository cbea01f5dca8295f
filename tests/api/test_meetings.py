"""The meetings API: plan, agenda, minutes, steps from items, R1, approval, access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samsyn.meetings import services
from samsyn.meetings.models import AgendaItem, Decision, Meeting
from samsyn.pipeline.models import Need
from tests.api.conftest import rules_of, violations
from tests.factories import af, kommun


@pytest.fixture(autouse=True)
def _quiet_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def soon(days: int = 7) -> str:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0).isoformat()


@pytest.fixture
def beredning(sjuharad, alice):
    return services.plan_meeting(
        by=alice,
        forbund=sjuharad,
        kind="beredningsgrupp",
        title="Beredningsgruppens möte",
        # Held last week: needs, steps and approval are events that have happened.
        starts_at=timezone.now() - dt.timedelta(days=7),
    )


@pytest.fixture
def board(sjuharad, alice):
    return services.plan_meeting(
        by=alice,
        forbund=sjuharad,
        kind="styrelse",
        title="Styrelsemöte",
        starts_at=timezone.now() - dt.timedelta(days=14),
    )


def test_plan_a_meeting_and_build_its_agenda(as_user, alice, sjuharad, need):
    api = as_user(alice)
    response = api.post(
        "meetings",
        {"forbund_id": sjuharad.pk, "kind": "beredningsgrupp", "title": "Maj", "starts_at": soon()},
    )
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert meeting["approved"] is False and meeting["video_url"] == ""
    item = api.post(
        f"meetings/{meeting['id']}/agenda-items", {"title": "Behovet", "need_id": need.pk}
    )
    assert item.status_code == 201
    assert item.json()["number"] == 1 and item.json()["need_id"] == need.pk
    detail = api.get(f"meetings/{meeting['id']}").json()
    assert [i["title"] for i in detail["agenda_items"]] == ["Behovet"]
    listed = api.get("meetings", kind="beredningsgrupp").json()
    assert [m["id"] for m in listed["items"]] == [meeting["id"]]


def test_r1_board_agenda_refuses_an_esf_idea_through_the_api(as_user, alice, board, idea):
    version = board.version
    response = as_user(alice).post(
        f"meetings/{board.pk}/agenda-items", {"title": "ESF+", "idea_id": idea.pk}
    )
    assert response.status_code == 422
    assert rules_of(response) == {"R1"}
    assert "styrelse" in violations(response)[0]["message"]
    assert not AgendaItem.objects.filter(meeting=board).exists()
    assert Meeting.objects.get(pk=board.pk).version == version


def test_record_a_need_and_a_step_from_items(as_user, alice, beredning, idea):
    api = as_user(alice)
    item = api.post(f"meetings/{beredning.pk}/agenda-items", {"title": "Aktuellt"}).json()
    need = api.post(
        f"agenda-items/{item['id']}/needs",
        {"title": "Sjukskrivna med psykisk ohälsa", "target_group": "Sjukskrivna 25–64"},
    )
    assert need.status_code == 201, need.content
    need_id = need.json()["need_id"]
    assert Need.objects.get(pk=need_id).identified_on == beredning.date
    assert api.get(f"needs/{need_id}").status_code == 200
    idea_item = api.post(
        f"meetings/{beredning.pk}/agenda-items", {"title": "Idén", "idea_id": idea.pk}
    ).json()
    step = api.post(
        f"agenda-items/{idea_item['id']}/steps",
        {"target": "idea", "to": "idea_designed", "version": idea.version},
    )
    assert step.status_code == 201, step.content
    assert step.json()["idea_id"] == idea.pk
    transitions = api.get(f"ideas/{idea.pk}/transitions").json()
    assert transitions[-1]["forum"] == "beredningsgrupp"
    stale = api.post(
        f"agenda-items/{idea_item['id']}/steps",
        {"target": "idea", "to": "owner_agreed", "version": idea.version},
    )
    assert stale.status_code == 409


def test_approved_minutes_cannot_change_through_the_api(as_user, alice, beredning):
    api = as_user(alice)
    item = api.post(f"meetings/{beredning.pk}/agenda-items", {"title": "Aktuellt"}).json()
    written = api.patch(
        f"agenda-items/{item['id']}", {"minutes": "Parterna berättade.", "version": 1}
    )
    assert written.status_code == 200 and written.json()["version"] == 2
    approved = api.post(f"meetings/{beredning.pk}/approve", {"adjusters": "Bob Borås"})
    assert approved.status_code == 200 and approved.json()["approved"] is True
    refused = [
        api.patch(f"agenda-items/{item['id']}", {"minutes": "Ändrad"}),
        api.post(f"meetings/{beredning.pk}/agenda-items", {"title": "Ny"}),
        api.patch(f"meetings/{beredning.pk}", {"title": "Nytt namn"}),
        api.post(f"agenda-items/{item['id']}/decisions", {"text": "Beslut"}),
        api.post(f"agenda-items/{item['id']}/needs", {"title": "B", "target_group": "M"}),
        api.post(
            f"meetings/{beredning.pk}/attendees",
            {"organisation_id": kommun("1490").pk, "name": "Ny"},
        ),
        api.post(f"meetings/{beredning.pk}/approve", {"adjusters": "Någon annan"}),
        api.delete(f"agenda-items/{item['id']}"),
    ]
    for response in refused:
        assert response.status_code == 422
        assert "justerat" in violations(response)[0]["message"]
    assert AgendaItem.objects.get(pk=item["id"]).minutes == "Parterna berättade."
    assert Meeting.objects.get(pk=beredning.pk).adjusters == "Bob Borås"
    assert not Decision.objects.exists()


def test_another_forbunds_meeting_is_404(as_user, mallory, beredning, alice):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    api = as_user(mallory)
    assert api.get(f"meetings/{beredning.pk}").status_code == 404
    assert api.patch(f"agenda-items/{item.pk}", {"minutes": "Hej"}).status_code == 404
    assert api.get("meetings").json()["items"] == []
    assert AgendaItem.objects.get(pk=item.pk).minutes == ""


def test_a_reader_cannot_plan(as_user, erik, beredning, sjuharad):
    api = as_user(erik)
    assert api.get(f"meetings/{beredning.pk}").status_code == 200
    response = api.post(
        "meetings",
        {"forbund_id": sjuharad.pk, "kind": "styrelse", "title": "X", "starts_at": soon()},
    )
    assert response.status_code == 403


def test_network_news_events_and_assignments(as_user, alice, bob, mallory):
    network = services.create_network(
        "Integrationsnätverket Sjuhärad",
        by=alice,
        members=[kommun("1490"), af()],
        coordinators=[alice],
    )
    member = as_user(bob)
    news = member.post(
        "news",
        {
            "network_id": network.pk,
            "title": "Kommuntal",
            "source": "Migrationsverket",
            "published_on": "2026-09-01",
        },
    )
    assert news.status_code == 201, news.content
    assert [n["title"] for n in member.get("news", source="migrations").json()["items"]] == [
        "Kommuntal"
    ]
    assert member.put(f"networks/{network.pk}/subscription", {}).json()["subscribed"] is True
    denied = member.post(
        "assignments",
        {
            "network_id": network.pk,
            "title": "Uppdrag",
            "assigned_agency": "Socialstyrelsen",
            "reporting_deadline": "2027-01-31",
        },
    )
    assert denied.status_code == 403
    created = as_user(alice).post(
        "assignments",
        {
            "network_id": network.pk,
            "title": "Uppdrag",
            "assigned_agency": "Socialstyrelsen",
            "partners": ["Polismyndigheten", "Kronofogdemyndigheten"],
            "budget_cap": 500000,
            "reporting_deadline": "2027-01-31",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["partners"] == ["Polismyndigheten", "Kronofogdemyndigheten"]
    outsider = as_user(mallory)
    assert outsider.get(f"networks/{network.pk}").status_code == 404
    assert outsider.get("news").json()["items"] == []
    assert outsider.get("assignments").json()["items"] == []
    assert (
        outsider.post(
            "news",
            {"network_id": network.pk, "title": "X", "source": "Y", "published_on": "2026-09-01"},
        ).status_code
        == 404
    )


def test_r1_board_agenda_refuses_an_esf_call_through_the_api(as_user, alice, board):
    from tests.calls.conftest import calls_person, make_call
    from tests.factories import region

    call = make_call(calls_person("stina", "call_manager", "SE23", region("14")))
    response = as_user(alice).post(
        f"meetings/{board.pk}/agenda-items", {"title": "Utlysningen", "call_id": call.pk}
    )
    assert response.status_code == 422 and rules_of(response) == {"R1"}
    assert not AgendaItem.objects.filter(meeting=board).exists()


def test_network_members_by_organisation_through_the_api(as_user, alice, bob):
    network = services.create_network("Nätverket", by=alice, members=[af()], coordinators=[alice])
    assert as_user(bob).get(f"networks/{network.pk}").status_code == 404
    added = as_user(alice).post(
        f"networks/{network.pk}/members", {"organisation_id": kommun("1490").pk}
    )
    assert added.status_code == 200 and kommun("1490").pk in added.json()["member_ids"]
    assert as_user(bob).get(f"networks/{network.pk}").status_code == 200
    refused = as_user(bob).delete(f"networks/{network.pk}/members/{af().pk}")
    assert refused.status_code == 403


def test_remove_an_agenda_item_through_the_api(as_user, alice, beredning):
    api = as_user(alice)
    first = api.post(f"meetings/{beredning.pk}/agenda-items", {"title": "A"}).json()
    api.post(f"meetings/{beredning.pk}/agenda-items", {"title": "B"})
    assert api.delete(f"agenda-items/{first['id']}").status_code == 204
    items = api.get(f"meetings/{beredning.pk}").json()["agenda_items"]
    assert [(i["number"], i["title"]) for i in items] == [(1, "B")]
