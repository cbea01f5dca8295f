"""The need list and the idea list as csv and xlsx: the same filter and access as the page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samsyn.pipeline.services import create_idea, record_need
from samsyn.pipeline.views import IDEA_HEADER, NEED_HEADER
from tests.auth import log_in
from tests.downloads import csv_rows, dated, filename, xlsx_rows
from tests.factories import kommun


def need_of(forbund, by, title: str, target_group: str, on: str):
    return record_need(
        forbund,
        by=by,
        title=title,
        target_group=target_group,
        identified_on=dt.date.fromisoformat(on),
    )


@pytest.fixture
def needs(sjuharad, alice, alv_och_kust, mallory):
    unga = need_of(sjuharad, alice, "Unga utan gymnasium", "Unga vuxna 18–24", "2026-02-01")
    sjuka = need_of(sjuharad, alice, "Långtidssjukskrivna", "Sjukskrivna 25–64", "2026-03-01")
    kust = need_of(alv_och_kust, mallory, "Kustens unga", "Unga vuxna 18–24", "2026-01-01")
    create_idea(unga, by=alice, title="Vägen vidare", owner=kommun("1490"))
    create_idea(unga, by=alice, title="Steget före", owner=kommun("1443"))
    create_idea(sjuka, by=alice, title="Tillbaka", owner=kommun("1490"))
    create_idea(kust, by=mallory, title="Kustidén", owner=kommun("1482"))
    return unga, sjuka, kust


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_need_list_download_is_the_filtered_list(client, alice, sjuharad, needs, fmt):
    log_in(client, alice)
    url = reverse("need_list", args=[sjuharad.pk])
    response = client.get(url, {"target_group": "unga", "format": fmt})
    assert response.status_code == 200
    assert filename(response) == dated("behov", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == NEED_HEADER
    identified = "2026-02-01" if fmt == "csv" else dt.datetime(2026, 2, 1)
    counts = ["0", "2"] if fmt == "csv" else [0, 2]
    assert rows[1:] == [["Unga utan gymnasium", "Unga vuxna 18–24", identified, *counts]]


def test_need_list_download_follows_the_pages_sort(client, alice, sjuharad, needs):
    log_in(client, alice)
    url = reverse("need_list", args=[sjuharad.pk])
    rows = csv_rows(client.get(url, {"sort": "title", "format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Långtidssjukskrivna", "Unga utan gymnasium"]


def test_another_forbunds_needs_are_never_downloaded(client, alice, mallory, sjuharad, needs):
    log_in(client, mallory)
    url = reverse("need_list", args=[sjuharad.pk])
    assert client.get(url, {"format": "csv"}).status_code == 404
    log_in(client, alice)
    body = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "Kustens unga" not in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_idea_list_download_is_the_filtered_list(client, alice, needs, fmt):
    log_in(client, alice)
    response = client.get(reverse("idea_list"), {"owner": kommun("1490").pk, "format": fmt})
    assert response.status_code == 200
    assert filename(response) == dated("projektideer", fmt)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows[0] == IDEA_HEADER
    förbund, step, borås = "Sjuhärads samordningsförbund", "Behov av ESF+-projekt identifierat", ""
    borås = str(kommun("1490"))
    assert rows[1:] == [
        ["Tillbaka", förbund, step, borås, "Sjukskrivna 25–64"],
        ["Vägen vidare", förbund, step, borås, "Unga vuxna 18–24"],
    ]


def test_idea_list_download_holds_only_visible_ideas(client, alice, mallory, needs):
    log_in(client, mallory)
    rows = csv_rows(client.get(reverse("idea_list"), {"format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Kustidén"]
    log_in(client, alice)
    rows = csv_rows(client.get(reverse("idea_list"), {"format": "csv"}))
    assert sorted(r[0] for r in rows[1:]) == ["Steget före", "Tillbaka", "Vägen vidare"]


def test_an_unknown_format_is_404(client, alice, needs):
    log_in(client, alice)
    assert client.get(reverse("idea_list"), {"format": "pdf"}).status_code == 404


def test_the_list_pages_link_to_their_downloads(client, alice, sjuharad, needs):
    log_in(client, alice)
    for url in (reverse("need_list", args=[sjuharad.pk]), reverse("idea_list")):
        page = client.get(url, {"q": "unga", "page": "1"}).content.decode()
        assert "Ladda ner som CSV" in page and "Ladda ner som Excel (xlsx)" in page
        assert "?q=unga&amp;format=csv" in page and "format=xlsx" in page
        assert "page=1&amp;format" not in page


def test_download_query_counts_are_pinned(
    client, alice, sjuharad, needs, django_assert_num_queries
):
    for n in range(10):
        create_idea(needs[1], by=alice, title=f"Idé {n}", owner=kommun("1490"))
    log_in(client, alice)
    # session, user, the session's second-factor device (samsyn/accounts), the förbund with its
    # access check, the needs with their counts
    with django_assert_num_queries(5):
        client.get(reverse("need_list", args=[sjuharad.pk]), {"format": "xlsx"})
    # session, user, second-factor device, the visible ideas with förbund and owner
    with django_assert_num_queries(4):
        client.get(reverse("idea_list"), {"format": "xlsx"})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_title_that_looks_like_a_formula_stays_text(client, alice, sjuharad, fmt):
    need_of(sjuharad, alice, '=HYPERLINK("http://x","y")', "Unga", "2026-02-01")
    log_in(client, alice)
    response = client.get(reverse("need_list", args=[sjuharad.pk]), {"format": fmt})
    if fmt == "csv":
        assert csv_rows(response)[1][0] == '\'=HYPERLINK("http://x","y")'
    else:
        cell = load_workbook(io.BytesIO(response.content)).active["A2"]
        # The same neutralisation as in csv (samsyn/exports.py): text, with its apostrophe.
        assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://x","y")'
