"""Government assignments with their money and their parts (issue 16 §5).

Seed 003: Socialstyrelsen "får använda högst 500 000 kronor"; Länsstyrelsen's assignment
runs "under åren 2016–2017"; both report to Regeringskansliet by a date. Spending against
the cap is flagged as soon as it would pass it and refused past it unless a reason is
recorded; page, API and export show cap, spent and left; the 30-day warning is in the API.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samsyn.meetings import services
from samsyn.meetings.models import AssignmentSpend
from samsyn.parties.services import issue_api_token
from samsyn.pipeline.services import PipelineError
from tests.api.conftest import ApiClient
from tests.auth import log_in
from tests.downloads import csv_rows

TODAY = timezone.localdate()


@pytest.fixture
def assignment(sjuharad, alice):
    return services.track_assignment(
        by=alice,
        forbund=sjuharad,
        title="Stärkt stöd till socialtjänsten",
        assigned_agency="Socialstyrelsen",
        budget_cap=500_000,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        report_to="Regeringskansliet",
        reporting_deadline=TODAY + dt.timedelta(days=20),
    )


def spend(assignment, by, amount, reason=""):
    return services.record_spend(
        assignment,
        by=by,
        spent_on=TODAY,
        amount_sek=amount,
        description="Utbildningsdag",
        over_cap_reason=reason,
    )


def test_assignment_money_shows_cap_spent_and_left(assignment, alice):
    spend(assignment, alice, 120_000)
    spend(assignment, alice, 30_000)
    money = services.assignment_money(assignment)
    assert (money.cap, money.spent, money.left, money.over_cap) == (
        500_000,
        150_000,
        350_000,
        False,
    )


def test_assignment_money_past_the_cap_is_refused_without_a_reason(assignment, alice):
    spend(assignment, alice, 450_000)
    with pytest.raises(PipelineError) as refused:
        spend(assignment, alice, 60_000)
    assert "passeras med 10 000 kr" in str(refused.value) and "Skriv varför" in str(refused.value)
    assert AssignmentSpend.objects.count() == 1  # nothing changed
    # Exactly up to the cap needs no reason.
    spend(assignment, alice, 50_000)
    assert services.assignment_money(assignment).left == 0


def test_assignment_money_past_the_cap_with_a_reason_is_recorded_and_flagged(assignment, alice):
    spend(assignment, alice, 490_000)
    spend(assignment, alice, 20_000, reason="Regeringen har utökat ramen muntligt; beslut väntas.")
    money = services.assignment_money(assignment)
    assert (money.spent, money.left, money.over_cap) == (510_000, -10_000, True)
    # Once past it, every further krona needs its reason too.
    with pytest.raises(PipelineError):
        spend(assignment, alice, 1)


def test_assignment_money_only_the_planner_records_spending(assignment, bob, mallory):
    for outsider in (bob, mallory):
        with pytest.raises(PipelineError):
            spend(assignment, outsider, 1_000)
    assert not AssignmentSpend.objects.exists()


def test_assignment_period_cannot_end_before_it_starts(sjuharad, alice):
    with pytest.raises(ValidationError) as refused:
        services.track_assignment(
            by=alice,
            forbund=sjuharad,
            title="Länsstyrelsens uppdrag",
            assigned_agency="Länsstyrelsen",
            starts_on=dt.date(2017, 12, 31),
            ends_on=dt.date(2016, 1, 1),
            reporting_deadline=TODAY + dt.timedelta(days=90),
        )
    assert "sluta innan det börjar" in str(refused.value)


def test_assignment_parts_have_their_own_status(assignment, alice, bob):
    part = services.add_part(assignment, by=alice, title="Delredovisning 1", due_on=TODAY)
    other = services.add_part(assignment, by=alice, title="Slutrapport")
    services.set_part_status(part, by=alice, status="done")
    assert [(p.title, p.status) for p in assignment.parts.all()] == [
        ("Delredovisning 1", "done"),
        ("Slutrapport", "planned"),
    ]
    with pytest.raises(PipelineError):
        services.set_part_status(other, by=bob, status="done")


def test_assignment_page_shows_money_parts_and_refuses_past_the_cap(client, assignment, alice):
    spend(assignment, alice, 480_000)
    services.add_part(assignment, by=alice, title="Delredovisning 1")
    log_in(client, alice)
    page = client.get(reverse("assignment", args=[assignment.pk])).content.decode()
    assert "Regeringskansliet" in page and "2026-01-01 – 2027-12-31" in page
    assert "<dd>480\u202f000</dd>" in page and "<dd>20\u202f000</dd>" in page
    assert "Delredovisning 1" in page
    data = {
        "utgift-spent_on": TODAY.isoformat(),
        "utgift-amount_sek": "30000",
        "utgift-description": "Konferens",
    }
    refused = client.post(reverse("assignment_spend", args=[assignment.pk]), data)
    assert refused.status_code == 422
    assert "passeras med 10 000 kr" in refused.content.decode()
    assert AssignmentSpend.objects.count() == 1
    data["utgift-over_cap_reason"] = "Beslut om utökad ram 2026-11-02."
    done = client.post(reverse("assignment_spend", args=[assignment.pk]), data)
    assert done.status_code == 302
    page = client.get(reverse("assignment", args=[assignment.pk])).content.decode()
    assert "taket är passerat" in page and "Beslut om utökad ram" in page
    part = assignment.parts.get()
    client.post(
        reverse("assignment_part", args=[assignment.pk]), {"part": part.pk, "status": "ongoing"}
    )
    part.refresh_from_db()
    assert part.status == "ongoing"


def test_assignment_api_shows_cap_spent_left_and_the_deadline_warning(assignment, alice, bob):
    api = ApiClient(issue_api_token(alice))
    path = f"assignments/{assignment.pk}"
    created = api.post(
        f"{path}/spending",
        {"spent_on": TODAY.isoformat(), "amount_sek": 100_000, "description": "Kurs"},
    )
    assert created.status_code == 201 and created.json()["amount_sek"] == 100_000
    refused = api.post(
        f"{path}/spending",
        {"spent_on": TODAY.isoformat(), "amount_sek": 450_000, "description": "Kurs"},
    )
    assert refused.status_code == 422 and "passeras" in refused.text
    part = api.post(f"{path}/parts", {"title": "Slutrapport"}).json()
    assert api.patch(f"{path}/parts/{part['id']}", {"status": "done"}).json()["status"] == "done"
    body = api.get(path).json()
    assert (body["spent_sek"], body["left_sek"], body["over_cap"]) == (100_000, 400_000, False)
    assert body["days_left"] == 20 and body["deadline_warning"] is True
    assert (body["starts_on"], body["ends_on"], body["report_to"]) == (
        "2026-01-01",
        "2027-12-31",
        "Regeringskansliet",
    )
    assert [p["status"] for p in body["parts"]] == ["done"]
    # A reader sees it but cannot spend.
    reader = ApiClient(issue_api_token(bob))
    assert reader.get(path).status_code == 200
    assert (
        reader.post(
            f"{path}/spending", {"spent_on": TODAY.isoformat(), "amount_sek": 1, "description": "x"}
        ).status_code
        == 403
    )


def test_assignment_deadline_warning_is_off_beyond_30_days(assignment, alice):
    services.update_assignment(
        assignment,
        by=alice,
        expected_version=None,
        reporting_deadline=TODAY + dt.timedelta(days=31),
    )
    body = ApiClient(issue_api_token(alice)).get(f"assignments/{assignment.pk}").json()
    assert body["deadline_warning"] is False


def test_assignment_export_shows_cap_spent_and_left(client, assignment, alice):
    spend(assignment, alice, 125_000)
    log_in(client, alice)
    rows = csv_rows(client.get(reverse("assignment_list"), {"format": "csv"}))
    assert rows[0][2:5] == ["Högsta belopp (kr)", "Använt (kr)", "Kvar (kr)"]
    assert [float(v) for v in rows[1][2:5]] == [500_000, 125_000, 375_000]
