"""The call plan as csv and xlsx: the same filter as the page; only for signed-in users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from samsyn.calls.views import CALL_HEADER
from tests.auth import log_in
from tests.calls.conftest import TODAY, area, make_call, plan
from tests.downloads import csv_rows, dated, filename, xlsx_rows


@pytest.fixture
def plan_of_calls(stina, nils):
    västsverige = make_call(stina)
    kommande = make_call(
        stina,
        title="Etablering för nyanlända",
        opens_on=TODAY + dt.timedelta(days=30),
        closes_on=None,
        rolling=True,
    )
    nationell = make_call(
        nils,
        title="Nationell utlysning",
        regional_plan=None,
        decision_level="national",
        programme_area=area("A"),
    )
    return västsverige, kommande, nationell


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_call_list_download_is_the_filtered_list(client, bob, plan_of_calls, fmt):
    log_in(client, bob)
    response = client.get(
        reverse("call_list"), {"region": plan("SE23").pk, "status": "open", "format": fmt}
    )
    assert response.status_code == 200
    assert filename(response) == dated("utlysningar", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == CALL_HEADER
    assert len(rows) == 2
    title, status, code, themes, region, budget, opens, closes = rows[1]
    assert (title, status, code) == ("Vägar till arbete i Västsverige", "Öppen nu", "A")
    assert region == plan("SE23").name
    assert themes and str(budget) == "10000000"
    assert str(opens).startswith(str(TODAY - dt.timedelta(days=10)))
    assert str(closes).startswith(str(TODAY + dt.timedelta(days=90)))


def test_a_rolling_call_says_so_in_the_download(client, bob, plan_of_calls):
    log_in(client, bob)
    rows = csv_rows(client.get(reverse("call_list"), {"q": "nyanlända", "format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Etablering för nyanlända"]
    assert rows[1][-1] == "Löpande"


def test_the_call_list_download_needs_a_login(client, plan_of_calls):
    response = client.get(reverse("call_list"), {"format": "csv"})
    assert response.status_code == 302


def test_the_call_list_links_to_its_downloads(client, bob, plan_of_calls):
    log_in(client, bob)
    page = client.get(reverse("call_list"), {"q": "Väst"}).content.decode()
    assert "Ladda ner som CSV" in page and "Ladda ner som Excel (xlsx)" in page
    assert "?q=V%C3%A4st&amp;format=xlsx" in page


def test_call_list_download_query_count_is_pinned(
    client, bob, stina, plan_of_calls, django_assert_num_queries
):
    for n in range(8):
        make_call(stina, title=f"Utlysning {n}")
    log_in(client, bob)
    # session, user, the session's second-factor device (samsyn/accounts), the calls with area
    # and region, their thematic areas
    with django_assert_num_queries(5):
        assert client.get(reverse("call_list"), {"format": "xlsx"}).status_code == 200
