"""The change log shows a record to exactly those who may see that record.

Generated over every kind registered in samsyn/audit/changes.py: a scene holds a record of each
kind in Sjuhärad, and for every reader the log's rows of that kind are there exactly when the
record's own access function lets the reader see the record: in the change log itself, on the
page, in its csv and xlsx exports and in the API. A kind added without an oracle here fails.

The example that started it: the applicant förbund's kansli read reviewers' scores and jäv
declarations in the log although the ranking is 403 for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from samsyn.audit.changes import KINDS, ChangeLog
from samsyn.calls import services as calls
from samsyn.calls.access import access_application, can_manage_calls, can_review
from samsyn.calls.choices import CallsRoleKind
from samsyn.calls.models import CallsRole
from samsyn.followup import services as followup
from samsyn.followup.access import access_participant, access_project
from samsyn.meetings import services as meetings
from samsyn.meetings.access import (
    access_agenda_item,
    access_assignment,
    access_meeting,
)
from samsyn.parties.access import access_forbund
from samsyn.parties.choices import Role
from samsyn.parties.models import User
from samsyn.parties.services import issue_api_token
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.access import access_idea, access_measure, access_need
from tests.api.conftest import ApiClient
from tests.auth import log_in
from tests.calls.conftest import TODAY, agreed_idea, make_call, plan, ready_application
from tests.factories import af, kommun, person, region
from tests.followup.scene import participant_data, running_project

pytestmark = pytest.mark.django_db


def _reaches(access, *args) -> bool:
    try:
        access(*args)
    except Http404:
        return False
    return True


def _sees_ranking(user, application) -> bool:
    call = application.call
    return bool(can_review(user, call) or can_manage_calls(user, call.regional_plan_id))


# Each kind's own door: the page or API access function of its record.
ORACLES = {
    "need": lambda u, r: _reaches(access_need, u, r.pk),
    "idea": lambda u, r: _reaches(access_idea, u, r.pk),
    "ideaparty": lambda u, r: _reaches(access_idea, u, r.idea_id),
    "measure": lambda u, r: _reaches(access_measure, u, r.pk),
    "application": lambda u, r: _reaches(access_application, u, r.pk),
    "budgetline": lambda u, r: _reaches(access_application, u, r.application_id),
    "cofinancing": lambda u, r: _reaches(access_application, u, r.application_id),
    "jav": lambda u, r: _sees_ranking(u, r.application),
    "score": lambda u, r: _sees_ranking(u, r.application),
    "meeting": lambda u, r: _reaches(access_meeting, u, r.pk),
    "agendaitem": lambda u, r: _reaches(access_agenda_item, u, r.pk),
    "decision": lambda u, r: _reaches(access_meeting, u, r.agenda_item.meeting_id),
    "assignment": lambda u, r: _reaches(access_assignment, u, r.pk),
    "assignmentpart": lambda u, r: _reaches(access_assignment, u, r.assignment_id),
    "assignmentspend": lambda u, r: _reaches(access_assignment, u, r.assignment_id),
    "participant": lambda u, r: _reaches(access_participant, u, r.pk),
    "staff": lambda u, r: _reaches(
        access_project, u, *(("idea", r.idea_id) if r.idea_id else ("measure", r.measure_id))
    ),
    "role": lambda u, r: _reaches(access_forbund, u, r.forbund_id),
}


@pytest.fixture
def scene(sjuharad, alv_och_kust, alice, bob, carin, mallory):
    """A record of every kind in Sjuhärad, and readers with every kind of access."""
    stina = person("stina", None, None, region("14"))
    manager = CallsRoleKind.CALL_MANAGER
    CallsRole.objects.create(user=stina, role=manager, regional_plan=plan("SE23"))
    rut = person("rut", None, None, region("14"))
    CallsRole.objects.create(user=rut, role=CallsRoleKind.REVIEWER, regional_plan=plan("SE23"))
    call = make_call(stina)
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = calls.submit_application(
        ready_application(idea, call, bob), by=bob, expected_version=None
    )
    app = calls.assess_application(
        app, by=bob, approved=True, decided_on=TODAY, reference="Dnr 2026-00001"
    )
    calls.declare_jav(app, reviewer=rut, disqualified=False, reason="Ingen koppling.")
    calls.score_application(app, reviewer=rut, scores={"P1": (4, "Väl förankrat.")})

    need = pipeline.record_need(
        sjuharad, by=alice, title="Unga vuxna", target_group="Unga", identified_on=TODAY
    )
    pipeline.create_measure(
        need,
        by=alice,
        title="Samordnad rehabilitering",
        parties=[kommun("1490"), af()],
        responsibilities="Kommunen ger coacher.",
    )
    meeting = meetings.plan_meeting(
        by=alice,
        forbund=sjuharad,
        title="Beredningsgruppens möte",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    item = meetings.add_agenda_item(meeting, by=alice, title="Nya behov")
    meetings.record_decision(item, by=alice, text="Behovet kartläggs vidare.")
    assignment = meetings.track_assignment(
        by=alice,
        forbund=sjuharad,
        title="Stärkt stöd",
        assigned_agency="Socialstyrelsen",
        partners="Länsstyrelsen",
        budget_cap=500_000,
        reporting_deadline=TODAY + dt.timedelta(days=40),
    )
    meetings.add_part(assignment, by=alice, title="Delredovisning")
    meetings.record_spend(assignment, by=alice, spent_on=TODAY, amount_sek=1000, description="Kurs")
    project = running_project(sjuharad, alice, bob)
    followup.register_participant(
        project, by=bob, personnummer="19811218-9876", **participant_data()
    )

    # Readers. Kansli of the applicant förbund only; kansli who also reviews in the region;
    # kansli who is also the project's staff; a superuser; and those who cannot open the log.
    reviewing_kansli = person("kerstin", sjuharad, Role.KANSLI, sjuharad.organisation)
    CallsRole.objects.create(
        user=reviewing_kansli, role=CallsRoleKind.REVIEWER, regional_plan=plan("SE23")
    )
    staff_kansli = person("sven", sjuharad, Role.KANSLI, sjuharad.organisation)
    followup.add_staff(project, staff_kansli, by=alice)
    admin = person("admin", None, None)
    User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    gone = person("gunnar", sjuharad, Role.KANSLI, sjuharad.organisation)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    readers = [alice, reviewing_kansli, staff_kansli, admin, bob, carin, rut, stina, mallory, gone]
    return sjuharad, [User.objects.get(pk=u.pk) for u in readers]


def test_visibility_every_kind_has_an_oracle():
    assert set(ORACLES) == set(KINDS)


def _records(forbund, key):
    kind = KINDS[key]
    return list(kind.model.objects.filter(kind.forbund(forbund.pk)))


def test_visibility_of_each_history_row_follows_its_records_own_access(scene):
    forbund, readers = scene
    checked = set()
    for key in KINDS:
        records = _records(forbund, key)
        assert records, f"the scene has no {key}"
        for reader in readers:
            expected = {r.pk for r in records if ORACLES[key](reader, r)}
            log = ChangeLog(forbund.pk, [key], reader=reader)
            pk_field = KINDS[key].model._meta.pk.attname
            shown = {getattr(row, pk_field) for row in log.querysets[key]}
            assert shown == expected, (key, reader.username)
            checked.add((key, bool(expected)))
    # The scene is worth something: every kind is seen by someone and hidden from someone.
    assert checked == {(key, seen) for key in KINDS for seen in (True, False)}


def _page_rows(client, forbund, key) -> int:
    page = client.get(f"/forbund/{forbund.pk}/historik/?kind={key}")
    assert page.status_code == 200
    return 0 if "Inga ändringar matchar filtret." in page.content.decode() else 1


def _csv_rows(client, forbund, key) -> int:
    response = client.get(f"/forbund/{forbund.pk}/historik/?kind={key}&format=csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return len(list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))) - 1


def _xlsx_rows(client, forbund, key) -> int:
    response = client.get(f"/forbund/{forbund.pk}/historik/?kind={key}&format=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    return sum(1 for row in sheet.iter_rows(values_only=True) if any(row)) - 1


def test_visibility_holds_on_the_page_the_exports_and_the_api(client, scene):
    forbund, readers = scene
    opened = 0
    for reader in readers:
        log_in(client, reader)
        api = ApiClient(issue_api_token(reader)) if reader.is_active else None
        if client.get(f"/forbund/{forbund.pk}/historik/").status_code != 200:
            if api is not None:
                assert api.get(f"forbund/{forbund.pk}/history").status_code in (403, 404)
            continue
        opened += 1
        for key in KINDS:
            expected = sum(1 for r in _records(forbund, key) if ORACLES[key](reader, r))
            rows = KINDS[key].model.history.filter(KINDS[key].forbund(forbund.pk))
            visible = ChangeLog(forbund.pk, [key], reader=reader).count()
            assert (visible > 0) == (expected > 0), (key, reader.username)
            assert _page_rows(client, forbund, key) == (1 if visible else 0), key
            assert _csv_rows(client, forbund, key) == visible, key
            assert _xlsx_rows(client, forbund, key) == visible, key
            body = api.get(f"forbund/{forbund.pk}/history", kind=key).json()
            assert body["count"] == visible, (key, reader.username)
            assert visible <= rows.count()
        client.logout()
    assert opened == 4  # the three kinds of kansli and the superuser


def test_visibility_the_applicant_kansli_reads_no_scores_or_jav(client, scene):
    """The example of the issue, on the page and in the API."""
    forbund, readers = scene
    alice = readers[0]
    page = log_in(client, alice).get(f"/forbund/{forbund.pk}/historik/?kind=score")
    assert "P1: 4" not in page.content.decode()
    api = ApiClient(issue_api_token(alice))
    for key in ("score", "jav"):
        assert api.get(f"forbund/{forbund.pk}/history", kind=key).json()["count"] == 0
    body = api.get(f"forbund/{forbund.pk}/history").json()
    assert not [c for c in body["items"] if c["kind"] in ("score", "jav", "participant")]
