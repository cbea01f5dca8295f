"""The meeting, intelligence and assignment lists as csv and xlsx: same filter and access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from samsyn.meetings import services
from samsyn.meetings.views import ASSIGNMENT_HEADER, MEETING_HEADER, NETWORK_HEADER, NEWS_HEADER
from tests.auth import log_in
from tests.downloads import csv_rows, dated, filename, xlsx_rows
from tests.meetings.conftest import at


@pytest.fixture
def kust(alv_och_kust, mallory):
    return services.plan_meeting(
        by=mallory,
        forbund=alv_och_kust,
        kind="beredningsgrupp",
        title="Kustens beredningsgrupp",
        starts_at=at(3),
    )


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_meeting_list_download_is_the_filtered_list(client, alice, beredning, board, kust, fmt):
    log_in(client, alice)
    response = client.get(reverse("meeting_list"), {"kind": "styrelse", "format": fmt})
    assert response.status_code == 200
    assert filename(response) == dated("moten", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == MEETING_HEADER
    assert rows[1:] == [
        [
            local(board.starts_at),
            "Styrelsemöte",
            "Styrelsemöte",
            str(board.forbund),
            "Inte justerat",
        ]
    ]


def test_another_forbunds_meetings_are_never_downloaded(client, alice, mallory, beredning, kust):
    log_in(client, alice)
    rows = csv_rows(client.get(reverse("meeting_list"), {"format": "csv"}))
    assert [r[1] for r in rows[1:]] == ["Beredningsgruppens möte"]
    log_in(client, mallory)
    rows = csv_rows(client.get(reverse("meeting_list"), {"format": "csv"}))
    assert [r[1] for r in rows[1:]] == ["Kustens beredningsgrupp"]


def test_the_download_names_no_attendees(client, alice, beredning):
    log_in(client, alice)
    body = client.get(reverse("meeting_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Bob" not in body


def test_the_meeting_list_links_to_its_downloads(client, alice, beredning):
    log_in(client, alice)
    page = client.get(reverse("meeting_list"), {"kind": "beredningsgrupp"}).content.decode()
    assert "Ladda ner som CSV" in page and "Ladda ner som Excel (xlsx)" in page
    assert "?kind=beredningsgrupp&amp;format=csv" in page


def test_meeting_list_download_query_count_is_pinned(
    client, alice, sjuharad, beredning, network, django_assert_num_queries
):
    for n in range(8):
        services.plan_meeting(
            by=alice,
            forbund=sjuharad,
            kind="beredningsgrupp",
            title=f"Möte {n}",
            starts_at=at(20 + n),
        )
    log_in(client, alice)
    # session, user, the session's second-factor device (samsyn/accounts), the visible meetings
    # with förbund and network
    with django_assert_num_queries(4):
        assert client.get(reverse("meeting_list"), {"format": "xlsx"}).status_code == 200


# Intelligence and government assignments ----------------------------------------------------


@pytest.fixture
def kust_network(mallory):
    return services.create_network("Kustnätverket", by=mallory, coordinators=[mallory])


@pytest.fixture
def news(network, kust_network, alice, mallory):
    today = timezone.localdate()
    project = services.share_news(
        network,
        by=alice,
        title="=Komvux för skyddsbehövande",
        source="Länsstyrelsen",
        kind="project",
        published_on=today,
    )
    services.share_news(network, by=alice, title="Ny statistik", source="SCB", published_on=today)
    services.share_news(
        kust_network, by=mallory, title="Kustens nyhet", source="Länsstyrelsen", published_on=today
    )
    return project


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_news_list_download_is_the_filtered_list(client, alice, mallory, news, fmt):
    log_in(client, alice)
    response = client.get(reverse("news_list"), {"source": "läns", "format": fmt})
    assert response.status_code == 200
    assert filename(response) == dated("omvarldsbevakning", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == NEWS_HEADER
    assert len(rows) == 2  # the other network's item from Länsstyrelsen never appears
    published, source, kind, title, network = rows[1]
    assert str(published).startswith(str(news.published_on))
    assert (source, kind, network) == ("Länsstyrelsen", "Projekt att följa", str(news.network))
    # a title that starts like a formula stays text: quoted in csv, a string cell in xlsx
    assert title == "'=Komvux för skyddsbehövande"  # neutralised in csv and xlsx alike
    log_in(client, mallory)
    rows = csv_rows(client.get(reverse("news_list"), {"format": "csv"}))
    assert [r[3] for r in rows[1:]] == ["Kustens nyhet"]


@pytest.fixture
def assignments(network, kust_network, sjuharad, alice, mallory):
    deadline = timezone.localdate() + dt.timedelta(days=10)
    ours = services.track_assignment(
        by=alice,
        network=network,
        title="Stärkt stöd till socialtjänsten",
        assigned_agency="Socialstyrelsen",
        budget_cap=500000,
        reporting_deadline=deadline,
    )
    services.track_assignment(
        by=alice,
        forbund=sjuharad,
        title="Etableringsuppdraget",
        assigned_agency="Arbetsförmedlingen",
        reporting_deadline=deadline,
    )
    services.track_assignment(
        by=mallory,
        network=kust_network,
        title="Kustens uppdrag",
        assigned_agency="Socialstyrelsen",
        reporting_deadline=deadline,
    )
    return ours


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_assignment_list_download_is_the_filtered_list(client, alice, mallory, assignments, fmt):
    log_in(client, alice)
    response = client.get(reverse("assignment_list"), {"agency": "social", "format": fmt})
    assert response.status_code == 200
    assert filename(response) == dated("regeringsuppdrag", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == ASSIGNMENT_HEADER
    assert len(rows) == 2  # the other network's Socialstyrelsen assignment never appears
    title, agency, cap, spent, left, deadline, status = rows[1]
    assert (title, agency, status) == (
        "Stärkt stöd till socialtjänsten",
        "Socialstyrelsen",
        "Pågår",
    )
    assert (float(cap), float(spent), float(left)) == (500000, 0, 500000)
    assert str(deadline).startswith(str(assignments.reporting_deadline))
    log_in(client, mallory)
    rows = csv_rows(client.get(reverse("assignment_list"), {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Kustens uppdrag"]


def test_news_and_assignment_lists_link_to_their_downloads(client, alice, news, assignments):
    log_in(client, alice)
    for name in ("news_list", "assignment_list"):
        page = client.get(reverse(name), {"q": "s"}).content.decode()
        assert "Ladda ner som CSV" in page and "Ladda ner som Excel (xlsx)" in page
        assert "?q=s&amp;format=csv" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_network_list_download_holds_only_the_users_networks(
    client, alice, mallory, network, kust_network, fmt
):
    log_in(client, alice)
    response = client.get(reverse("network_list"), {"format": fmt})
    assert filename(response) == dated("natverk", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == NETWORK_HEADER
    members = network.members.count()
    assert rows[1:] == [[network.name, str(members) if fmt == "csv" else members]]
    log_in(client, mallory)
    rows = csv_rows(client.get(reverse("network_list"), {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Kustnätverket"]
