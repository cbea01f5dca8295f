"""Every verb that changes a förbund's records leaves a history row naming who did it."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from samsyn.calls import services as calls
from samsyn.followup import services as followup
from samsyn.followup.models import Participant, ProjectStaff
from samsyn.parties.choices import Role
from samsyn.parties.models import ForbundRole
from samsyn.parties.services import remove_role, set_role
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import Idea, IdeaParty, Need
from samsyn.pipeline.steps import IdeaStep
from tests.calls.conftest import agreed_idea, calls_person, make_call
from tests.factories import kommun, person, region
from tests.followup.scene import participant_data

PNR = "19811218-9876"


def latest(model, **lookup):
    return model.history.filter(**lookup).order_by("-history_date", "-history_id").first()


def assert_by(row, user, kind):
    assert row is not None
    assert (row.history_user, row.history_type) == (user, kind)
    assert timezone.now() - row.history_date < dt.timedelta(hours=1)


def test_pipeline_verbs_record_who_changed_what(sjuharad, alice, bob):
    need = pipeline.record_need(
        sjuharad,
        by=bob,
        title="Unga utan jobb",
        target_group="Unga 16–29",
        identified_on=dt.date(2026, 1, 10),
    )
    assert_by(latest(Need, id=need.pk), bob, "+")
    idea = pipeline.create_idea(need, by=bob, title="Vägen in", owner=kommun("1490"))
    assert_by(latest(Idea, id=idea.pk), bob, "+")
    # The owner becomes a party through get_or_create: the row names bob too.
    assert_by(latest(IdeaParty, idea_id=idea.pk), bob, "+")

    pipeline.update_idea(idea, by=alice, expected_version=None, purpose="Arbete")
    row = latest(Idea, id=idea.pk)
    assert_by(row, alice, "~")
    assert [c.field for c in row.diff_against(row.prev_record).changes] == ["purpose"]

    pipeline.set_idea_party(idea, region("14"), by=alice, expected_version=None)
    rows = IdeaParty.history.filter(organisation=region("14")).order_by("history_id")
    assert [(r.history_type, r.history_user) for r in rows] == [("+", alice), ("~", alice)]
    pipeline.remove_idea_party(idea, region("14"), by=bob, expected_version=None)
    assert_by(latest(IdeaParty, organisation=region("14")), bob, "-")

    pipeline.move_idea(Idea.objects.get(pk=idea.pk), IdeaStep.IDEA_DESIGNED, by=alice)
    row = latest(Idea, id=idea.pk)
    assert_by(row, alice, "~")
    assert row.step == IdeaStep.IDEA_DESIGNED


def test_application_verbs_record_who_changed_what(sjuharad, alice):
    stina = calls_person("stina", "call_manager", "SE23", region("14"))
    call = make_call(stina)
    # Default principles come in bulk; the bulk insert writes their history too.
    assert call.principles.exists()
    assert {h.history_user for h in call.principles.model.history.all()} == {stina}
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = calls.draft_application(idea, call, by=alice)
    assert_by(latest(app.__class__, id=app.pk), alice, "+")
    assert {h.history_user for h in app.cofinancing.model.history.all()} == {alice}
    app = calls.update_application(
        app,
        by=alice,
        expected_version=None,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    assert_by(latest(app.__class__, id=app.pk), alice, "~")
    line = calls.set_budget_line(app, 2027, "personnel", 500_000, by=alice, expected_version=None)
    assert_by(latest(line.__class__, id=line.pk), alice, "+")
    calls.set_cofinancing(app, kommun("1490"), 250_000, by=alice, expected_version=None)
    assert latest(app.cofinancing.model, organisation=kommun("1490")).amount_sek == 250_000


def register(project, by):
    return followup.register_participant(project, by=by, personnummer=PNR, **participant_data())


def test_participant_and_staff_verbs_record_who_changed_what(running_idea, alice, bob, carin):
    participant = register(running_idea, bob)
    assert_by(latest(Participant, id=participant.pk), bob, "+")
    followup.update_participant(participant, by=bob, ended_on=dt.date(2025, 11, 1))
    assert_by(latest(Participant, id=participant.pk), bob, "~")
    followup.erase_participant(participant, by=bob)
    assert_by(latest(Participant, id=participant.pk), bob, "~")

    rows = [(2, {**participant_data(), "personnummer": "8112189876"})]
    [imported] = followup.import_participants(running_idea, rows, by=bob)
    assert_by(latest(Participant, id=imported.pk), bob, "+")

    followup.add_staff(running_idea, carin, by=alice)
    assert_by(latest(ProjectStaff, user=carin), alice, "+")
    followup.remove_staff(running_idea, carin, by=alice)
    assert_by(latest(ProjectStaff, user=carin), alice, "-")


def test_roles_record_who_gave_and_took_them(sjuharad, alice):
    frida = person("frida", None, None)
    set_role(sjuharad, frida, Role.READER, by=alice)
    assert_by(latest(ForbundRole, user=frida), alice, "+")
    remove_role(sjuharad, frida, by=alice)
    assert_by(latest(ForbundRole, user=frida), alice, "-")


def test_erasure_leaves_no_personnummer_in_the_history(running_idea, bob):
    participant = register(running_idea, bob)
    stored = Participant.objects.values_list("pnr_hash", "pnr_encrypted").get()
    followup.update_participant(participant, by=bob, ended_on=dt.date(2025, 11, 1))
    followup.erase_participant(participant, by=bob)
    table = Participant.history.model._meta.db_table
    columns = {f.column for f in Participant.history.model._meta.concrete_fields}
    assert not columns & {"pnr_hash", "pnr_encrypted"}
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - Django's table name
        rows = cursor.fetchall()
    assert len(rows) == 3  # created, changed, erased: all there, none with the number
    for row in rows:
        assert not any(secret in map(str, row) for secret in stored)
    assert Participant.objects.values_list("pnr_hash", "pnr_encrypted").get() == (None, "")


@pytest.fixture
def running_idea(sjuharad, alice, bob):
    from tests.followup.scene import running_project

    return running_project(sjuharad, alice, bob)
