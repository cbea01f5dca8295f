"""Beredningsgrupper are real things (issue 16 §4): groups with named members and meetings,
the group a need was identified in, the follow-up per group, and B1 (each party's word is its
own)."""

import datetime as dt
import importlib

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from samsyn.followup.querysets import Period
from samsyn.followup.report import ReportParams, followup_report
from samsyn.http import CONFIRMED
from samsyn.parties import services as parties
from samsyn.parties.models import Forbund, PreparatoryGroup, PreparatoryGroupMember
from samsyn.parties.services import issue_api_token
from samsyn.pipeline import services
from samsyn.pipeline.models import IdeaParty, IdeaTransition, Need
from samsyn.pipeline.services import PipelineError
from samsyn.pipeline.steps import IdeaStep
from tests.api.conftest import ApiClient
from tests.auth import log_in
from tests.factories import fk, kommun

YEAR_2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def api(user) -> ApiClient:
    return ApiClient(issue_api_token(user))


def make_need(forbund, by, group=None, **extra) -> Need:
    return services.record_need(
        forbund,
        by=by,
        title=extra.pop("title", "Unga vuxna"),
        target_group="Unga vuxna 18–29 år",
        identified_on=extra.pop("identified_on", dt.date(2026, 3, 12)),
        group=group,
        **extra,
    )


# The migration --------------------------------------------------------------------------------


def _migration(name: str):
    return importlib.import_module(name)


@pytest.mark.django_db
def test_migration_gives_every_existing_forbund_one_default_beredningsgrupp():
    """Existing förbund get "Beredningsgruppen"; needs identified in the preparatory structure
    and the förbund's beredningsgrupp meetings are attached to it; other needs stay without.

    The three data steps run as the migrations run them, on rows as they were before (no
    group). Running the schema backwards and forwards in the suite's shared test database
    broke other tests' data on SQLite under xdist, so the schema half is left to `migrate`."""
    from django.apps import apps

    from samsyn.meetings.models import Meeting
    from samsyn.parties.models import Organisation

    forbund = Forbund.objects.create(
        organisation=Organisation.objects.create(name="Gamla förbundet", kind="forbund")
    )
    inside = Need.objects.create(
        forbund=forbund, title="I strukturen", target_group="Unga", identified_on="2025-01-01"
    )
    outside = Need.objects.create(
        forbund=forbund,
        title="Utanför",
        target_group="Unga",
        identified_on="2025-01-01",
        in_preparatory_structure=False,
    )
    meeting = Meeting.objects.create(
        forbund=forbund, kind="beredningsgrupp", title="Beredning", starts_at=timezone.now()
    )
    board = Meeting.objects.create(
        forbund=forbund, kind="styrelse", title="Styrelse", starts_at=timezone.now()
    )

    _migration("samsyn.parties.migrations.0003_preparatory_groups").default_groups(apps, None)
    _migration("samsyn.pipeline.migrations.0005_need_group_and_b1").attach_needs(apps, None)
    _migration("samsyn.meetings.migrations.0004_meeting_group").attach_meetings(apps, None)

    groups = PreparatoryGroup.objects.filter(forbund=forbund)
    assert list(groups.values_list("name", flat=True)) == ["Beredningsgruppen"]
    group = groups.get()
    assert Need.objects.get(pk=inside.pk).group_id == group.pk
    assert Need.objects.get(pk=outside.pk).group_id is None
    assert Meeting.objects.get(pk=meeting.pk).group_id == group.pk
    assert Meeting.objects.get(pk=board.pk).group_id is None


# Groups and members ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_preparatory_group_members_represent_a_party_of_the_forbund(sjuharad, alice, bob, mallory):
    group = parties.create_group(sjuharad, "Beredningsgrupp Borås", by=alice)
    member = parties.add_group_member(group, bob, kommun("1490"), by=alice)
    assert member.organisation == kommun("1490")
    with pytest.raises(parties.ForbundError, match="redan en beredningsgrupp"):
        parties.create_group(sjuharad, "beredningsgrupp borås", by=alice)
    with pytest.raises(parties.ForbundError, match="inte medlem i förbundet"):
        parties.add_group_member(group, mallory, kommun("1482"), by=alice)
    with pytest.raises(parties.ForbundError, match="ingen aktiv användare med det"):
        parties.add_group_member(group, alice, fk(), by=alice)
    assert group.members.count() == 1


@pytest.mark.django_db
def test_preparatory_groups_are_managed_by_the_kansli_with_confirmation(
    client, alice, bob, sjuharad
):
    log_in(client, alice)
    manage = reverse("forbund_manage", args=[sjuharad.pk])
    assert client.post(manage, {"action": "group", "name": "Södra gruppen"}).status_code == 302
    group = PreparatoryGroup.objects.get(forbund=sjuharad, name="Södra gruppen")
    response = client.post(
        manage,
        {
            "action": "group_member",
            "group": group.pk,
            "username": "bob",
            "organisation": kommun("1490").pk,
        },
    )
    assert response.status_code == 302
    member = PreparatoryGroupMember.objects.get(group=group, user=bob)
    page = client.get(manage).content.decode()
    assert "Södra gruppen" in page and "Borås stad" in page

    remove = reverse("group_member_remove", args=[sjuharad.pk, member.pk])
    confirm = client.post(remove)  # the button on the page: first the question
    assert "Ja, ta bort ledamoten" in confirm.content.decode()
    assert PreparatoryGroupMember.objects.filter(pk=member.pk).exists()  # asking removes nothing
    assert client.post(remove, {CONFIRMED: "ja"}).status_code == 302
    assert not PreparatoryGroupMember.objects.filter(pk=member.pk).exists()

    remove_group = reverse("group_remove", args=[sjuharad.pk, group.pk])
    client.post(remove_group)
    assert PreparatoryGroup.objects.filter(pk=group.pk).exists()
    client.post(remove_group, {CONFIRMED: "ja"})
    assert not PreparatoryGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.django_db
def test_preparatory_groups_cannot_be_managed_by_beredning_or_another_forbund(
    client, bob, mallory, sjuharad
):
    group = PreparatoryGroup.objects.create(forbund=sjuharad, name="Gruppen")
    log_in(client, bob)
    manage = reverse("forbund_manage", args=[sjuharad.pk])
    assert client.post(manage, {"action": "group", "name": "Bobs grupp"}).status_code == 403
    remove = reverse("group_remove", args=[sjuharad.pk, group.pk])
    assert client.post(remove, {CONFIRMED: "ja"}).status_code == 403
    log_in(client, mallory)
    assert client.post(remove, {CONFIRMED: "ja"}).status_code == 404
    assert PreparatoryGroup.objects.filter(forbund=sjuharad).count() == 1


@pytest.mark.django_db
def test_preparatory_group_with_needs_is_not_removed(sjuharad, alice):
    group = parties.create_group(sjuharad, "Gruppen", by=alice)
    make_need(sjuharad, alice, group)
    with pytest.raises(parties.ForbundError, match="kan inte tas bort"):
        parties.remove_group(group, by=alice)
    assert PreparatoryGroup.objects.filter(pk=group.pk).exists()


# The group a need was identified in -----------------------------------------------------------


@pytest.mark.django_db
def test_need_group_belongs_to_the_needs_forbund_for_verb_page_and_api(
    client, alice, sjuharad, alv_och_kust
):
    own = PreparatoryGroup.objects.create(forbund=sjuharad, name="Egna gruppen")
    foreign = PreparatoryGroup.objects.create(forbund=alv_och_kust, name="Andras grupp")
    with pytest.raises(PipelineError, match="hör inte till behovets förbund"):
        make_need(sjuharad, alice, foreign)
    need = make_need(sjuharad, alice, own)
    assert need.group == own
    # None: the förbundschef with the parties.
    assert make_need(sjuharad, alice, None).group is None
    with pytest.raises(PipelineError, match="beredningsstruktur"):
        make_need(sjuharad, alice, own, in_preparatory_structure=False)

    # The page offers only the förbund's own groups and shows the group on the need's page.
    log_in(client, alice)
    form = client.get(reverse("need_create", args=[sjuharad.pk])).content.decode()
    assert "Egna gruppen" in form and "Andras grupp" not in form
    assert "Förbundschefen med parterna" in form
    response = client.post(
        reverse("need_edit", args=[need.pk]),
        {
            "title": need.title,
            "target_group": need.target_group,
            "identified_on": "2026-03-12",
            "in_preparatory_structure": "on",
            "is_finsam_target_group": "on",
            "group": foreign.pk,
            "version": need.version,
        },
    )
    assert response.status_code == 200  # refused, form shown again
    need.refresh_from_db()
    assert need.group == own
    assert "Egna gruppen" in client.get(reverse("need", args=[need.pk])).content.decode()

    # The API: group_id, checked by the same verb.
    patch = api(alice).patch(f"needs/{need.pk}", {"group_id": foreign.pk})
    assert patch.status_code == 422, patch.content
    need.refresh_from_db()
    assert need.group == own
    patch = api(alice).patch(f"needs/{need.pk}", {"group_id": None})
    assert patch.status_code == 200 and patch.json()["group_id"] is None
    created = api(alice).post(
        "needs",
        {
            "forbund_id": sjuharad.pk,
            "title": "Nytt",
            "target_group": "Unga",
            "identified_on": "2026-04-01",
            "group_id": own.pk,
        },
    )
    assert created.status_code == 201 and created.json()["group_id"] == own.pk


# Follow-up per group --------------------------------------------------------------------------


def _idea_with_steps(need, by, *steps):
    idea = services.create_idea(need, by=by, title=f"Idé i {need.title}")
    for step in steps:
        IdeaTransition.objects.create(
            idea=idea,
            from_step="",
            to_step=step,
            by=by,
            forum="beredningsgrupp",
            basis_date=dt.date(2026, 6, 1),
        )
    return idea


@pytest.mark.django_db
def test_followup_counts_ideas_per_preparatory_group_and_filters_by_group(
    settings, sjuharad, alice
):
    settings.SAMSYN_REPORT_CACHE = True
    cache.clear()
    north = PreparatoryGroup.objects.create(forbund=sjuharad, name="Norra gruppen")
    south = PreparatoryGroup.objects.create(forbund=sjuharad, name="Södra gruppen")
    _idea_with_steps(make_need(sjuharad, alice, north, title="N1"), alice, IdeaStep.SUBMITTED)
    _idea_with_steps(
        make_need(sjuharad, alice, north, title="N2"), alice, IdeaStep.SUBMITTED, IdeaStep.GRANTED
    )
    _idea_with_steps(make_need(sjuharad, alice, south, title="S1"), alice)
    _idea_with_steps(make_need(sjuharad, alice, None, title="C1"), alice, IdeaStep.SUBMITTED)

    forbund = Forbund.objects.filter(pk=sjuharad.pk)
    report = followup_report(ReportParams(forbund, YEAR_2026))
    by_group = {g["name"]: g for g in report["ideas_by_group"]}
    assert {k: by_group["Norra gruppen"][k] for k in by_group["Norra gruppen"]} == {
        "group_id": north.pk,
        "name": "Norra gruppen",
        "forbund_id": sjuharad.pk,
        "ideas_identified": 2,
        "ideas_led_to_application": 2,
        "applications_granted": 1,
    }
    assert by_group["Södra gruppen"]["ideas_identified"] == 1
    assert by_group["Södra gruppen"]["ideas_led_to_application"] == 0
    assert by_group["Förbundschefen med parterna"]["group_id"] is None
    assert by_group["Förbundschefen med parterna"]["ideas_led_to_application"] == 1
    assert report["track_e"]["ideas_identified"] == 4

    # The group is part of the cache key: each group gets its own figures.
    north_report = followup_report(ReportParams(forbund, YEAR_2026, group=north))
    south_report = followup_report(ReportParams(forbund, YEAR_2026, group=south))
    assert north_report["track_e"]["ideas_identified"] == 2
    assert north_report["track_e"]["applications_granted"] == 1
    assert south_report["track_e"]["ideas_identified"] == 1
    assert south_report["group"] == {"id": south.pk, "name": "Södra gruppen"}

    # The same filter on the API, the page, its lists and its exports.
    response = api(alice).get("followup", group=north.pk, **{"from": "2026-01-01"})
    assert response.status_code == 200, response.content
    assert response.json()["track_e"]["ideas_identified"] == 2
    listed = api(alice).get("followup/list", group=south.pk, figure="ideas_identified")
    assert listed.status_code == 200, listed.content
    assert [row["title"] for row in listed.json()] == ["Idé i S1"]


@pytest.mark.django_db
def test_followup_group_filter_on_pages_and_exports(client, alice, sjuharad, mallory, alv_och_kust):
    north = PreparatoryGroup.objects.create(forbund=sjuharad, name="Norra gruppen")
    _idea_with_steps(make_need(sjuharad, alice, north, title="N1"), alice, IdeaStep.SUBMITTED)
    _idea_with_steps(make_need(sjuharad, alice, None, title="C1"), alice)
    log_in(client, alice)
    page = client.get(reverse("followup"), {"group": north.pk}).content.decode()
    assert "Per beredningsgrupp" in page and "Norra gruppen" in page
    export = client.get(reverse("followup_export", args=["csv"]), {"group": north.pk})
    assert export.status_code == 200
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert "Per beredningsgrupp" in text and "Norra gruppen" in text
    ideas = client.get(reverse("followup_ideas"), {"group": north.pk, "figure": "ideas_identified"})
    assert "Idé i N1" in ideas.content.decode()
    assert "Idé i C1" not in ideas.content.decode()
    # Another förbund's group is a 404, as another förbund is.
    log_in(client, mallory)
    response = client.get(reverse("followup"), {"group": north.pk})
    assert response.status_code == 404


# B1: each party's word is its own -------------------------------------------------------------


@pytest.fixture
def fk_party_idea(sjuharad, alice, bob):
    need = make_need(sjuharad, alice)
    idea = services.create_idea(need, by=bob, title="Vägen vidare", owner=kommun("1490"))
    services.set_idea_party(idea, fk(), by=alice, expected_version=None, is_cofinancier=True)
    IdeaParty.objects.filter(idea=idea, organisation=fk()).update(
        mandate_confirmed_at=None, mandate_on_behalf=False
    )
    idea.refresh_from_db()
    return idea


@pytest.mark.django_db
def test_b1_only_own_representative_sets_mandate(fk_party_idea, alice, bob, carin):
    idea = fk_party_idea
    version = idea.version
    with pytest.raises(PipelineError) as refusal:
        services.set_idea_party(idea, fk(), by=bob, expected_version=None, mandate=True)
    assert {v.rule for v in refusal.value.violations} == {"B1"}
    assert "Försäkringskassans egna företrädare" in str(refusal.value)
    with pytest.raises(PipelineError):
        services.set_idea_party(
            idea, fk(), by=bob, expected_version=None, decision_date=dt.date(2026, 5, 1)
        )
    row = IdeaParty.objects.get(idea=idea, organisation=fk())
    assert row.mandate_confirmed_at is None and row.decision_date is None
    idea.refresh_from_db()
    assert idea.version == version

    # FK's own representative: recorded as FK's own word.
    services.set_idea_party(
        idea, fk(), by=carin, expected_version=None, mandate=True, decision_date=dt.date(2026, 5, 1)
    )
    row.refresh_from_db()
    assert row.mandate_confirmed_by == carin and not row.mandate_on_behalf
    assert row.decision_recorded_by == carin and not row.decision_on_behalf

    # Bob may still change what is not FK's word (co-financing), leaving the mandate alone.
    services.set_idea_party(idea, fk(), by=bob, expected_version=None, representative="Karin")
    row.refresh_from_db()
    assert row.representative == "Karin" and row.mandate_confirmed_by == carin


@pytest.mark.django_db
def test_b1_kansli_records_on_the_partys_behalf(fk_party_idea, alice):
    services.set_idea_party(
        fk_party_idea,
        fk(),
        by=alice,
        expected_version=None,
        mandate=True,
        decision_date=dt.date(2026, 5, 1),
        decision_reference="§ 4",
    )
    row = IdeaParty.objects.get(idea=fk_party_idea, organisation=fk())
    assert row.mandate_confirmed_by == alice and row.mandate_on_behalf
    assert row.decision_recorded_by == alice and row.decision_on_behalf


@pytest.mark.django_db
def test_b1_only_own_representative_sets_mandate_through_page_and_api(client, fk_party_idea, bob):
    idea = fk_party_idea
    log_in(client, bob)
    response = client.post(
        reverse("idea_party_edit", args=[idea.pk, fk().pk]),
        {
            "is_cofinancier": "on",
            "mandate": "on",
            "mandate_given_on": "2026-05-01",
            "version": idea.version,
        },
    )
    assert response.status_code == 200
    assert "egna företrädare" in response.content.decode()
    put = api(bob).patch(f"ideas/{idea.pk}/parties/{fk().pk}", {"mandate": True})
    assert put.status_code == 422, put.content
    assert {v["rule"] for v in put.json()["violations"]} == {"B1"}
    row = IdeaParty.objects.get(idea=idea, organisation=fk())
    assert row.mandate_confirmed_at is None
