"""Pages: plan a meeting, write minutes, record from items, approve, download; access."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from samsyn.http import CONFIRMED as CONFIRMED_FIELD
from samsyn.meetings import services
from samsyn.meetings.models import AgendaItem, Decision, Meeting
from samsyn.pipeline.models import Need
from tests.auth import log_in
from tests.factories import kommun
from tests.meetings.conftest import at

CONFIRMED = {CONFIRMED_FIELD: "ja"}  # the "Är du säker?" page was answered


def form_date(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def test_kansli_plans_a_meeting_and_builds_the_agenda(client, alice, sjuharad, need):
    log_in(client, alice)
    response = client.post(
        reverse("meeting_create"),
        {
            "owner": f"f-{sjuharad.pk}",
            "kind": "beredningsgrupp",
            "title": "Beredningsgruppen i maj",
            "starts_at": form_date(at(5)),
            "ends_at": form_date(at(5, 11)),
            "location": "Kansliet",
        },
    )
    meeting = Meeting.objects.get(title="Beredningsgruppen i maj")
    assert response.status_code == 302 and response["Location"] == reverse(
        "meeting", args=[meeting.pk]
    )
    assert meeting.forbund == sjuharad and meeting.created_by == alice
    response = client.post(
        reverse("agenda_item_add", args=[meeting.pk]),
        {"punkt-title": "Behovet", "punkt-need": need.pk},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("attendee_add", args=[meeting.pk]),
        {"deltagare-organisation": kommun("1490").pk, "deltagare-name": "Bob Borås"},
    )
    assert response.status_code == 302
    page = client.get(reverse("meeting", args=[meeting.pk])).content.decode()
    assert "§ 1 Behovet" in page and "Bob Borås" in page
    assert reverse("need", args=[need.pk]) in page


def test_network_meeting_must_be_a_network_meeting(client, alice, network):
    log_in(client, alice)
    response = client.post(
        reverse("meeting_create"),
        {
            "owner": f"n-{network.pk}",
            "kind": "styrelse",
            "title": "Fel",
            "starts_at": form_date(at(5)),
        },
    )
    assert response.status_code == 200
    assert "nätverksmöte" in response.content.decode()
    assert not Meeting.objects.exists()


def test_r1_board_agenda_refuses_an_esf_idea_on_the_page(client, alice, board, idea):
    log_in(client, alice)
    version = board.version
    response = client.post(
        reverse("agenda_item_add", args=[board.pk]),
        {"punkt-title": "ESF+-idén", "punkt-idea": idea.pk},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "(R1)" in page and "styrelse" in page
    assert not AgendaItem.objects.filter(meeting=board).exists()
    assert Meeting.objects.get(pk=board.pk).version == version


def test_minutes_written_item_by_item(client, alice, beredning):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    log_in(client, alice)
    response = client.post(
        reverse("minutes_save", args=[item.pk]),
        {f"p{item.pk}-minutes": "Parterna berättade.", f"p{item.pk}-version": item.version},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Parterna berättade."
    stale = client.post(
        reverse("minutes_save", args=[item.pk]),
        {f"p{item.pk}-minutes": "Min äldre version.", f"p{item.pk}-version": item.version},
    )
    assert stale.status_code == 422 and "Någon annan har ändrat" in stale.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Parterna berättade."


def test_need_recorded_from_an_item_shows_the_meeting_and_back(client, alice, beredning):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    log_in(client, alice)
    response = client.post(
        reverse("need_from_item", args=[item.pk]),
        {
            f"b{item.pk}-title": "Långtidssjukskrivna",
            f"b{item.pk}-target_group": "Sjukskrivna 25–64 år",
            f"b{item.pk}-is_finsam_target_group": "on",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get(title="Långtidssjukskrivna")
    meeting_page = client.get(reverse("meeting", args=[beredning.pk])).content.decode()
    assert reverse("need", args=[need.pk]) in meeting_page
    need_page = client.get(reverse("need", args=[need.pk])).content.decode()
    assert "Identifierat vid" in need_page
    assert reverse("meeting", args=[beredning.pk]) in need_page


def test_step_taken_at_a_meeting_is_shown_on_the_idea(client, alice, beredning, idea):
    item = services.add_agenda_item(beredning, by=alice, title="Idén", idea=idea)
    log_in(client, alice)
    prefix = f"s{item.pk}i"
    response = client.post(
        reverse("step_from_item", args=[item.pk]),
        {
            "target_kind": "idea",
            f"{prefix}-target": "idea",
            f"{prefix}-to_step": "idea_designed",
            f"{prefix}-version": idea.version,
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.step == "idea_designed"
    idea_page = client.get(reverse("idea", args=[idea.pk])).content.decode()
    assert "Beslutat vid" in idea_page
    assert reverse("meeting", args=[beredning.pk]) in idea_page
    meeting_page = client.get(reverse("meeting", args=[beredning.pk])).content.decode()
    assert "Projektidé utformad och förankrad" in meeting_page


def test_approved_minutes_cannot_change_through_pages(client, alice, beredning, need):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    services.update_agenda_item(item, by=alice, expected_version=None, minutes="Justerad text.")
    log_in(client, alice)
    response = client.post(
        reverse("meeting_approve", args=[beredning.pk]),
        {
            "justera-adjusters": "Bob Borås",
            "justera-version": Meeting.objects.get(pk=beredning.pk).version,
            **CONFIRMED,
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=beredning.pk)
    assert meeting.is_approved
    page = client.get(reverse("meeting", args=[beredning.pk])).content.decode()
    assert "kan inte längre ändras" in page
    assert reverse("minutes_save", args=[item.pk]) not in page
    posts = [
        (
            reverse("minutes_save", args=[item.pk]),
            {f"p{item.pk}-minutes": "Ändrad", f"p{item.pk}-version": item.version + 1},
        ),
        (reverse("agenda_item_add", args=[meeting.pk]), {"punkt-title": "Ny"}),
        (reverse("decision_add", args=[item.pk]), {f"d{item.pk}-text": "Beslut"}),
        (reverse("agenda_item_remove", args=[item.pk]), CONFIRMED),
        (
            reverse("need_from_item", args=[item.pk]),
            {f"b{item.pk}-title": "B", f"b{item.pk}-target_group": "M"},
        ),
        (reverse("agenda_item_edit", args=[item.pk]), {"title": "Nytt", "version": 2}),
        (
            reverse("meeting_edit", args=[meeting.pk]),
            {
                "kind": "beredningsgrupp",
                "title": "Nytt",
                "starts_at": form_date(at(3)),
                "version": meeting.version,
            },
        ),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert "justerat och kan inte längre ändras" in response.content.decode(), url
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Justerad text."
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert Meeting.objects.get(pk=meeting.pk).version == meeting.version
    assert not Decision.objects.exists() and Need.objects.count() == 1


def test_minutes_download_as_pdf_and_word(client, alice, beredning, sjuharad):
    from docx import Document

    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    services.update_agenda_item(item, by=alice, expected_version=None, minutes="Text.")
    services.approve_minutes(beredning, by=alice, adjusters="Bob Borås")
    log_in(client, alice)
    pdf = client.get(reverse("meeting_document", args=[beredning.pk, "protokoll", "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("meeting_document", args=[beredning.pk, "protokoll", "docx"]))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert sjuharad.name in text
    assert "§ 1 Aktuellt" in text and "Text." in text
    assert "Protokollet justerat" in text and "Bob Borås" in text
    agenda = client.get(reverse("meeting_document", args=[beredning.pk, "dagordning", "docx"]))
    assert "Text." not in "\n".join(p.text for p in Document(io.BytesIO(agenda.content)).paragraphs)
    assert client.get(f"/moten/{beredning.pk}/protokoll.exe").status_code == 404


def test_the_pdf_carries_the_forbund_and_the_approval(alice, beredning, sjuharad):
    from samsyn.meetings.documents import minutes_pdf

    services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    services.approve_minutes(beredning, by=alice, adjusters="Bob Borås")
    pdf = minutes_pdf(Meeting.objects.get(pk=beredning.pk))
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


@pytest.mark.parametrize("name", ["meeting", "meeting_edit", "meeting_document"])
def test_another_forbunds_meeting_is_404(client, mallory, beredning, name):
    log_in(client, mallory)
    args = [beredning.pk, "protokoll", "pdf"] if name == "meeting_document" else [beredning.pk]
    assert client.get(reverse(name, args=args)).status_code == 404


def test_another_forbunds_items_are_404(client, mallory, beredning, alice):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    log_in(client, mallory)
    for name in ("minutes_save", "need_from_item", "decision_add", "step_from_item"):
        assert client.post(reverse(name, args=[item.pk]), {}).status_code == 404
    assert AgendaItem.objects.get(pk=item.pk).minutes == ""


def test_a_reader_sees_but_cannot_plan(client, erik, beredning, alice):
    item = services.add_agenda_item(beredning, by=alice, title="Aktuellt")
    log_in(client, erik)
    assert client.get(reverse("meeting", args=[beredning.pk])).status_code == 200
    response = client.post(reverse("minutes_save", args=[item.pk]), {})
    assert response.status_code == 403
    assert client.get(reverse("meeting_create")).status_code == 403


def test_meeting_list_shows_only_visible_meetings(
    client, mallory, alv_och_kust, beredning, django_assert_max_num_queries
):
    services.plan_meeting(
        by=mallory, forbund=alv_och_kust, kind="styrelse", title="Kustens styrelse", starts_at=at(3)
    )
    log_in(client, mallory)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meeting_list")).content.decode()
    assert "Kustens styrelse" in page
    assert reverse("meeting", args=[beredning.pk]) not in page


def test_network_members_share_news_and_subscribe(client, bob, network, mallory):
    log_in(client, bob)
    response = client.post(
        reverse("news_add", args=[network.pk]),
        {
            "kind": "news",
            "title": "Kommuntal för nyanlända",
            "source": "Migrationsverket",
            "published_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    assert client.post(reverse("network_subscribe", args=[network.pk])).status_code == 302
    assert network.subscriptions.filter(user=bob).exists()
    page = client.get(reverse("news_list")).content.decode()
    assert "Kommuntal för nyanlända" in page and "Migrationsverket" in page
    log_in(client, mallory)
    assert client.get(reverse("network", args=[network.pk])).status_code == 404
    assert "Kommuntal" not in client.get(reverse("news_list")).content.decode()


def test_network_members_cannot_plan_its_meetings(client, bob, network):
    log_in(client, bob)
    response = client.post(
        reverse("meeting_create"),
        {
            "owner": f"n-{network.pk}",
            "kind": "natverk",
            "title": "X",
            "starts_at": "2026-09-01T09:00",
        },
    )
    assert response.status_code == 403


def test_meeting_page_query_count_is_pinned(
    client, alice, beredning, idea, measure, django_assert_max_num_queries
):
    for n in range(6):
        item = services.add_agenda_item(
            beredning, by=alice, title=f"Punkt {n}", need=idea.need, idea=idea, measure=measure
        )
        services.record_decision(item, by=alice, text=f"Beslut {n}")
    log_in(client, alice)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("meeting", args=[beredning.pk])).status_code == 200


def test_the_coordinator_manages_the_networks_members(client, alice, bob, network):
    from tests.factories import region

    log_in(client, bob)
    response = client.post(
        reverse("network_member", args=[network.pk]), {"organisation": region("14").pk}
    )
    assert response.status_code == 403
    log_in(client, alice)
    client.post(reverse("network_member", args=[network.pk]), {"organisation": region("14").pk})
    assert network.members.filter(pk=region("14").pk).exists()
    client.post(
        reverse("network_member", args=[network.pk]),
        {"organisation": kommun("1490").pk, "action": "ta-bort", **CONFIRMED},
    )
    log_in(client, bob)  # Borås left: bob no longer sees the network
    assert client.get(reverse("network", args=[network.pk])).status_code == 404
