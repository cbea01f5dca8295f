"""Regional action plans own their principles, and eligibility comes from the programme
(issue 16 §2, §3)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.urls import reverse

from samsyn.calls import rules, services
from samsyn.calls.models import (
    Application,
    ApplicationEvent,
    Call,
    DefaultPrinciple,
    ProgrammePeriod,
    RegionalPlan,
)
from samsyn.calls.services import CallsError
from tests.auth import log_in
from tests.calls.conftest import (
    TODAY,
    agreed_idea,
    approve,
    area,
    make_call,
    plan,
    themes,
)
from tests.factories import kommun, region


def rules_of(exc) -> set[str]:
    return {v.rule for v in exc.value.violations}


# Regional action plans and their principles ----------------------------------------------------


def test_regional_plans_own_their_principles_only_stockholm_is_known(db, stina, nils):
    stockholm = plan("SE11")
    assert list(stockholm.principles.values_list("code", flat=True)) == [
        "P1",
        "P2",
        "P3",
        "P4",
        "P5",
    ]
    assert "RUFS 2050" in stockholm.principles.get(code="P4").name
    assert not DefaultPrinciple.objects.exclude(regional_plan=stockholm).exists()

    # A Stockholm call starts from Stockholm's principles …
    sthlm = make_call(nils, title="Stockholm", regional_plan=stockholm)
    assert [p.code for p in sthlm.principles.all()] == ["P1", "P2", "P3", "P4", "P5"]
    # … a Västsverige call from Västsverige's, which are none yet, and a national call has none.
    west = make_call(stina, principles=False, title="Väst")
    assert west.principles.count() == 0
    national = make_call(nils, title="Nationell", decision_level="national", regional_plan=None)
    assert national.principles.count() == 0


def test_regional_plans_principles_are_edited_by_the_regions_call_manager(
    client, db, stina, nils, rut
):
    west = plan("SE23")
    url = reverse("plan_principles", args=["SE23"])
    log_in(client, stina)
    page = client.get(url).content.decode()
    assert "inga principer för prioritering" in page
    response = client.post(
        url,
        {
            "principle-code": "V1",
            "principle-name": "Förankrat hos parterna",
            "principle-description": "Alla parter har beslutat.",
            "principle-weight": "3",
        },
    )
    assert response.status_code == 302
    saved = west.principles.get(code="V1")
    assert (saved.name, saved.description, saved.weight) == (
        "Förankrat hos parterna",
        "Alla parter har beslutat.",
        3,
    )
    assert saved.history.first().history_user == stina
    # A call starts from them and changes its own weight without touching the plan's.
    call = make_call(stina, principles=False)
    assert [(p.code, p.weight, p.description) for p in call.principles.all()] == [
        ("V1", 3, "Alla parter har beslutat.")
    ]
    services.set_principle(call, "V1", by=stina, name=saved.name, weight=5)
    assert west.principles.get(code="V1").weight == 3

    # Another region's plan, and the reviewers, are not hers to edit.
    for user, plan_code in ((stina, "SE11"), (rut, "SE23"), (nils, "SE23")):
        log_in(client, user)
        response = client.post(
            reverse("plan_principles", args=[plan_code]),
            {"principle-code": "X", "principle-name": "X", "principle-weight": "1"},
        )
        assert response.status_code == 403, (user, plan_code)
    assert not DefaultPrinciple.objects.filter(code="X").exists()
    assert admin.site.is_registered(DefaultPrinciple)


def test_regional_plans_prioritisation_without_principles_is_refused(
    client, sjuharad, bob, stina, rut
):
    call = make_call(stina, principles=False)
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = services.draft_application(idea, call, by=bob)
    services.update_application(
        app,
        by=bob,
        expected_version=None,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        eu_share_sek=400_000,
        project_manager="Pia",
        controller="Erik",
        administrator="Ada",
    )
    services.set_budget_line(app, 2027, "personnel", 1_000_000, by=bob, expected_version=None)
    for org in (kommun("1490"), region("14")):
        services.set_cofinancing(app, org, 300_000, by=bob, expected_version=None)
    app = services.submit_application(
        Application.objects.get(pk=app.pk), by=bob, expected_version=None
    )
    app = approve(app, stina)
    for refused in (
        lambda: services.declare_jav(app, reviewer=rut, disqualified=False),
        lambda: services.prioritise_application(
            app, by=stina, prioritised=True, decided_on=TODAY, reference="§1"
        ),
    ):
        with pytest.raises(CallsError) as exc:
            refused()
        assert rules_of(exc) == {"J4"}
        assert "lägger in den regionala handlingsplanens principer" in str(exc.value)
    log_in(client, stina)
    page = client.get(reverse("call", args=[call.pk])).content.decode()
    assert "inga principer för prioritering" in page


def test_regional_plans_demo_uses_stockholms_principles_only_in_stockholm(db):
    from samsyn.calls.demo import load_calls_demo
    from samsyn.pipeline.demo import load_demo

    load_demo()
    load_calls_demo()
    stockholm = plan("SE11")
    for call in Call.objects.exclude(regional_plan=stockholm).prefetch_related("principles"):
        assert "RUFS" not in " ".join(p.name for p in call.principles.all()), call
    sthlm = Call.objects.get(regional_plan=stockholm)
    assert "RUFS 2050" in sthlm.principles.get(code="P4").name
    west = Call.objects.get(title="Vägar tillbaka till arbete i Västsverige")
    assert {p.code for p in west.principles.all()} == {"V1", "V2", "V3", "V4", "V5"}


# Eligibility from the programme ----------------------------------------------------------------


def test_eligibility_window_2021_2027_runs_to_2029_and_each_call_narrows_it(sjuharad, bob, stina):
    period = ProgrammePeriod.objects.get(code="2021-2027")
    assert (period.eligible_from, period.eligible_until) == (
        dt.date(2021, 1, 1),
        dt.date(2029, 12, 31),
    )
    call = make_call(stina)
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = services.draft_application(idea, call, by=bob)
    # Ending in 2029 was refused while the window was read from the name (2027-12-31).
    app = services.update_application(
        app,
        by=bob,
        expected_version=None,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2029, 12, 31),
    )
    services.set_budget_line(app, 2029, "personnel", 1_000, by=bob, expected_version=None)
    with pytest.raises(CallsError) as exc:
        services.update_application(
            app, by=bob, expected_version=None, ends_on=dt.date(2030, 1, 31)
        )
    assert rules_of(exc) == {"A2"} and "2029-12-31" in str(exc.value)

    # The call sets its own latest start and end, inside the period's window (U7).
    services.update_call(
        call,
        by=stina,
        expected_version=None,
        latest_project_start=dt.date(2026, 12, 31),
        latest_project_end=dt.date(2028, 6, 30),
    )
    app = Application.objects.get(pk=app.pk)
    violations = services.period_violations(app)
    assert [v.rule for v in violations] == ["A2", "A2"]
    assert "startar senast 2026-12-31" in violations[0].message
    assert "sluta senast 2028-06-30" in violations[1].message
    with pytest.raises(CallsError) as exc:
        services.update_call(
            call, by=stina, expected_version=None, latest_project_end=dt.date(2030, 6, 30)
        )
    assert rules_of(exc) == {"U7"}


def test_eligibility_window_2014_2020_and_care_end_by_september_2023(db, nils):
    period = ProgrammePeriod.objects.get(code="2014-2020")
    assert (period.eligible_from, period.eligible_until) == (
        dt.date(2014, 1, 1),
        dt.date(2023, 12, 31),
    )
    care_area = area("CARE", "2014-2020")
    assert care_area.latest_project_end == dt.date(2023, 9, 30)
    care = make_call(
        nils,
        title="CARE",
        period=period,
        programme_area=care_area,
        decision_level="national",
        regional_plan=None,
        thematic_areas=themes("etablering"),
        rolling=True,
        closes_on=None,
    )
    assert care.project_window() == (dt.date(2014, 1, 1), None, dt.date(2023, 9, 30))
    eligible_from, latest_start, latest_end = care.project_window()
    refused = rules.project_period_violations(
        dt.date(2022, 10, 1),
        dt.date(2023, 12, 31),
        "2014-2020",
        eligible_from,
        latest_start,
        latest_end,
        "2014-2020",
    )
    assert [v.rule for v in refused] == ["A2"] and "2023-09-30" in refused[0].message
    assert not rules.project_period_violations(
        dt.date(2022, 10, 1),
        dt.date(2023, 9, 30),
        "2014-2020",
        eligible_from,
        latest_start,
        latest_end,
        "2014-2020",
    )


# The migration carries existing data over ------------------------------------------------------


def test_migration_lifecycle_data_carries_existing_applications_over(sjuharad, bob, stina):
    """0004_lifecycle_data on data as the old Samsyn left it: a granted application (then
    "Godkänd av ESF-rådet", the decision) with its date and no events becomes beviljad with its
    decision date and the events of its moves; Stockholm's principles without a plan become the
    Stockholm plan's; the periods get their eligibility windows."""
    migration = importlib.import_module("samsyn.calls.migrations.0004_lifecycle_data")
    call = make_call(stina)
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = services.draft_application(idea, call, by=bob)
    Application.objects.filter(pk=app.pk).update(
        status="granted",
        submitted_on=dt.date(2025, 3, 1),
        decided_on=dt.date(2025, 6, 12),
        granted_sek=400_000,
    )
    ApplicationEvent.objects.all().delete()
    ProgrammePeriod.objects.update(
        eligible_from=dt.date(2021, 1, 1), eligible_until=dt.date(2027, 12, 31)
    )
    area("CARE", "2014-2020").__class__.objects.update(latest_project_end=None)

    migration.forwards(django_apps, None)

    app = Application.objects.get(pk=app.pk)
    assert app.status == "granted" and app.get_status_display() == "Beviljad"
    assert app.decided_on == dt.date(2025, 6, 12)
    assert list(app.events.values_list("move", "to_status", "decided_on")) == [
        ("submitted", "submitted", dt.date(2025, 3, 1)),
        ("decided", "granted", dt.date(2025, 6, 12)),
    ]
    assert ProgrammePeriod.objects.get(code="2021-2027").eligible_until == dt.date(2029, 12, 31)
    assert ProgrammePeriod.objects.get(code="2014-2020").eligible_until == dt.date(2023, 12, 31)
    assert area("CARE", "2014-2020").latest_project_end == dt.date(2023, 9, 30)
    assert RegionalPlan.objects.get(nuts2_code="SE11").principles.count() == 5
