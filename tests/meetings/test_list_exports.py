"""The meeting list as csv and xlsx: the same filter and access as the page, no attendees."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from samsyn.meetings import services
from samsyn.meetings.views import MEETING_HEADER
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
    client.force_login(alice)
    response = client.get(reverse("meeting_list"), {"kind": "styrelse", "format": fmt})
    assert response.status_code == 200
    assert filename(response) == dated("moten", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == MEETING_HEADER
    assert rows[1:] == [
        [local(board.starts_at), "Styrelsemöte", "Styrelsemöte", str(board.forbund), "Ej justerat"]
    ]


def test_another_forbunds_meetings_are_never_downloaded(client, alice, mallory, beredning, kust):
    client.force_login(alice)
    rows = csv_rows(client.get(reverse("meeting_list"), {"format": "csv"}))
    assert [r[1] for r in rows[1:]] == ["Beredningsgruppens möte"]
    client.force_login(mallory)
    rows = csv_rows(client.get(reverse("meeting_list"), {"format": "csv"}))
    assert [r[1] for r in rows[1:]] == ["Kustens beredningsgrupp"]


def test_the_download_names_no_attendees(client, alice, beredning):
    client.force_login(alice)
    body = client.get(reverse("meeting_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Bob" not in body


def test_the_meeting_list_links_to_its_downloads(client, alice, beredning):
    client.force_login(alice)
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
    client.force_login(alice)
    # session, user, the visible meetings with förbund and network
    with django_assert_num_queries(3):
        assert client.get(reverse("meeting_list"), {"format": "xlsx"}).status_code == 200
