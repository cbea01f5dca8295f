"""Every list's download links, clicked in the browser as a user does.

The links are found on the page (not built by the test), so a link that leads back to the
HTML page (`??format=csv`) fails here: the browser would save the page instead of the list.
The set of pages is the set of templates that include `_downloads.html`, so a new list with
download links cannot be left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samsyn.audit.views import HEADER as CHANGE_LOG_HEADER
from samsyn.calls.choices import CallsRoleKind
from samsyn.calls.views import CALL_HEADER
from samsyn.meetings import services as meetings
from samsyn.meetings.choices import MeetingKind
from samsyn.meetings.views import ASSIGNMENT_HEADER, MEETING_HEADER, NETWORK_HEADER, NEWS_HEADER
from samsyn.pipeline.views import IDEA_HEADER, NEED_HEADER
from tests.calls.conftest import calls_person, make_call
from tests.factories import IdeaFactory, NeedFactory, af, kommun, region

TEMPLATES = Path(__file__).resolve().parents[2] / "samsyn" / "templates"

# template → (url name, needs the förbund's pk, the header the file starts with)
LISTS = {
    "pipeline/need_list.html": ("need_list", True, NEED_HEADER),
    "pipeline/idea_list.html": ("idea_list", False, IDEA_HEADER),
    "calls/call_list.html": ("call_list", False, CALL_HEADER),
    "meetings/meeting_list.html": ("meeting_list", False, MEETING_HEADER),
    "meetings/network_list.html": ("network_list", False, NETWORK_HEADER),
    "meetings/news_list.html": ("news_list", False, NEWS_HEADER),
    "meetings/assignment_list.html": ("assignment_list", False, ASSIGNMENT_HEADER),
    "audit/change_log.html": ("change_log", True, CHANGE_LOG_HEADER),
}


def one_row_in_every_list(forbund, alice) -> None:
    """A list with no rows shows no download links: give each list a row."""
    today = dt.date.today()
    need = NeedFactory(forbund=forbund, title="Unga vuxna långt från arbetsmarknaden")
    IdeaFactory(need=need, title="Vägen till arbete")
    make_call(calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23", region("14")))
    start = timezone.now() + dt.timedelta(days=7)
    meetings.plan_meeting(
        by=alice,
        forbund=forbund,
        kind=MeetingKind.BEREDNINGSGRUPP,
        title="Beredningsgruppens möte",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    network = meetings.create_network(
        "Integrationsnätverket Sjuhärad",
        by=alice,
        members=[kommun("1490"), af()],
        coordinators=[alice],
    )
    meetings.share_news(
        network,
        by=alice,
        title="Nya regler för etableringen",
        source="Länsstyrelsen",
        published_on=today,
    )
    meetings.track_assignment(
        by=alice,
        forbund=forbund,
        title="Uppdrag om samverkan",
        assigned_agency="Försäkringskassan",
        budget_cap=1_900_000,
        reporting_deadline=today + dt.timedelta(days=90),
    )


def test_download_links_cover_every_list_that_offers_them():
    offering = {
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if '"_downloads.html"' in p.read_text(encoding="utf-8")
    }
    assert offering == set(LISTS)


@pytest.mark.parametrize("template", sorted(LISTS))
def test_list_download_links_give_the_file_not_the_page(
    page, log_in, visit, template, sjuharad, alice
):
    one_row_in_every_list(sjuharad, alice)
    name, by_forbund, header = LISTS[template]
    log_in("alice")
    visit(reverse(name, args=[sjuharad.pk]) if by_forbund else reverse(name))

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Ladda ner som CSV").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_bytes().decode("utf-8-sig")
    assert not text.lstrip().startswith("<")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == header

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Ladda ner som Excel (xlsx)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(
        io.BytesIO(Path(xlsx_download.value.path()).read_bytes()), read_only=True
    ).active
    first = next(sheet.iter_rows(values_only=True))
    assert list(first) == header
    if template == "pipeline/idea_list.html":
        titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert titles == ["Vägen till arbete"]
