"""The pages: the whole path from a call to the prioritisation paper, through the verbs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from samsyn.calls import services
from samsyn.calls.models import Application, Call
from samsyn.pipeline.models import Idea
from samsyn.pipeline.steps import IdeaStep
from tests.auth import log_in
from tests.calls.conftest import TODAY, approve, area, make_call, plan, ready_application, themes
from tests.factories import region


def login(client, user):
    log_in(client, user)
    return client


def test_call_list_filters_and_pins_queries(client, stina, nils, django_assert_max_num_queries):
    make_call(stina)
    make_call(
        stina,
        title="Kommande",
        opens_on=TODAY + dt.timedelta(days=30),
        closes_on=TODAY + dt.timedelta(days=120),
    )
    make_call(
        nils,
        title="Nationell C",
        programme_area=area("C"),
        decision_level="national",
        regional_plan=None,
        thematic_areas=themes("ekonomisk_utsatthet"),
    )
    for i in range(5):
        make_call(stina, title=f"Extra {i}")
    login(client, stina)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("call_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 8
    body = client.get(reverse("call_list"), {"status": "coming"}).content.decode()
    assert "Kommande" in body and "Vägar till arbete" not in body
    body = client.get(reverse("call_list"), {"area": area("C").pk}).content.decode()
    assert "Nationell C" in body and "Extra 1" not in body
    body = client.get(reverse("call_list"), {"region": plan("SE23").pk}).content.decode()
    assert "Nationell C" not in body


def test_call_create_needs_the_call_manager_role(client, stina, bob):
    login(client, bob)
    assert client.get(reverse("call_create")).status_code == 403
    login(client, stina)
    response = client.post(
        reverse("call_create"),
        {
            "title": "Återinträde i Västsverige",
            "description": "Sjukskrivna tillbaka till arbete.",
            "period": area("A").period.pk,
            "programme_area": area("A").pk,
            "thematic_areas": [t.pk for t in themes("aterintrade")],
            "decision_level": "regional",
            "regional_plan": plan("SE23").pk,
            "budget_sek": "5000000",
            "min_participant_age": "16",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + dt.timedelta(days=60)).isoformat(),
        },
    )
    call = Call.objects.get(title="Återinträde i Västsverige")
    assert response.status_code == 302 and response.url == reverse("call", args=[call.pk])
    # Västsverige's plan has no principles in Samsyn: the call starts with none (issue 16;
    # it used to get Stockholm's P1–P5) and the page tells the call manager to enter them.
    assert call.principles.count() == 0
    page = client.get(reverse("call", args=[call.pk])).content.decode()
    assert "inga principer för prioritering" in page


def test_call_form_shows_the_rule_that_refuses(client, stina):
    login(client, stina)
    response = client.post(
        reverse("call_create"),
        {
            "title": "Glesbygd i väst",
            "period": area("D").period.pk,
            "programme_area": area("D").pk,
            "decision_level": "regional",
            "regional_plan": plan("SE23").pk,
            "budget_sek": "5000000",
            "min_participant_age": "16",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "(R9)" in response.content.decode()


def test_another_regions_manager_cannot_edit(client, regional_call, nils):
    login(client, nils)
    assert client.get(reverse("call_edit", args=[regional_call.pk])).status_code == 403


def test_an_idea_goes_from_owner_agreed_to_prioritisation_through_the_pages(
    client, idea, regional_call, bob, rut, ture, stina
):
    login(client, bob)
    page = client.get(reverse("idea", args=[idea.pk])).content.decode()
    assert reverse("idea_matching", args=[idea.pk]) in page
    page = client.get(reverse("idea_matching", args=[idea.pk])).content.decode()
    assert "Vägar till arbete i Västsverige" in page and "Återinträde på arbetsmarknaden" in page
    response = client.post(reverse("application_create", args=[idea.pk, regional_call.pk]))
    app = Application.objects.get(idea=idea, call=regional_call)
    assert response.url == reverse("application", args=[app.pk])
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.APPLICATION_DRAFTED

    client.post(
        reverse("application_edit", args=[app.pk]),
        {
            "version": app.version,
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "eu_share_sek": "400000",
            "project_manager": "Pia",
            "controller": "Erik",
            "administrator": "Ada",
        },
    )
    app.refresh_from_db()
    assert app.eu_share_sek == 400_000
    # R8 names its rule on the page.
    response = client.post(
        reverse("application_budget", args=[app.pk]),
        {
            "budget-version": app.version,
            "budget-year": "2029",
            "budget-category": "personnel",
            "budget-amount_sek": "5",
        },
    )
    assert "(R8)" in response.content.decode()
    client.post(
        reverse("application_budget", args=[app.pk]),
        {
            "budget-version": app.version,
            "budget-year": "2027",
            "budget-category": "personnel",
            "budget-amount_sek": "1000000",
        },
    )
    app.refresh_from_db()
    for org, amount in ((idea.owner, 300_000), (region("14"), 300_000)):
        client.post(
            reverse("application_cofinancing", args=[app.pk]),
            {
                "cofin-version": app.version,
                "cofin-organisation": org.pk,
                "cofin-amount_sek": amount,
            },
        )
        app.refresh_from_db()
    page = client.get(reverse("application", args=[app.pk])).content.decode()
    assert "Det här hindrar" not in page
    response = client.post(
        reverse("application_submit", args=[app.pk]),
        {"submit-version": app.version, "submit-submitted_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    # ESF-rådet approves it for prioritisation (issue 16); the idea stays submitted.
    response = client.post(
        reverse("application_assessment", args=[app.pk]),
        {
            "assessment-version": app.version,
            "assessment-approved": "1",
            "assessment-decided_on": TODAY.isoformat(),
            "assessment-reference": "Dnr 2026-1",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).status == "approved"
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.SUBMITTED

    # Reviewers: ture works at Borås (the owner) and declares jäv; rut scores.
    login(client, ture)
    client.post(
        reverse("application_jav", args=[app.pk]),
        {"jav-disqualified": "1", "jav-reason": "Anställd på Borås stad."},
    )
    assert "score_form" not in client.get(reverse("application", args=[app.pk])).context
    login(client, rut)
    client.post(
        reverse("application_jav", args=[app.pk]), {"jav-disqualified": "0", "jav-reason": ""}
    )
    data = {}
    for i in range(1, 6):
        data[f"score-value_P{i}"] = str(i % 5)
        data[f"score-motivation_P{i}"] = f"Motivering {i}."
    assert client.post(reverse("application_score", args=[app.pk]), data).status_code == 302
    page = client.get(reverse("call_paper", args=[regional_call.pk])).content.decode()
    assert "Anställd på Borås stad." in page and "Motivering 4." in page
    assert "2,00" in page  # (1+2+3+4+0)/5
    pdf = client.get(reverse("call_paper_pdf", args=[regional_call.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("call_paper_xlsx", args=[regional_call.pk]))
    assert xlsx.content.startswith(b"PK")


def test_r7_refusal_on_the_submit_page_names_its_rule(client, idea, regional_call, bob, carin):
    app = ready_application(idea, regional_call, bob)
    login(client, carin)
    response = client.post(
        reverse("application_submit", args=[app.pk]),
        {"submit-version": app.version, "submit-submitted_on": TODAY.isoformat()},
    )
    assert response.status_code == 200 and "(R7)" in response.content.decode()


def test_another_forbunds_application_is_404(client, idea, regional_call, bob, mallory):
    app = ready_application(idea, regional_call, bob)
    login(client, mallory)
    assert client.get(reverse("application", args=[app.pk])).status_code == 404


def test_paper_is_for_reviewers_and_managers_only(client, regional_call, bob, rut):
    login(client, bob)
    assert client.get(reverse("call_paper", args=[regional_call.pk])).status_code == 403
    login(client, rut)
    assert client.get(reverse("call_paper", args=[regional_call.pk])).status_code == 200


@pytest.mark.parametrize("name", ["call_list", "call_create"])
def test_anonymous_is_sent_to_login(client, name):
    assert client.get(reverse(name)).status_code == 302


def test_lessons_on_a_closed_call_through_the_page(client, regional_call, stina):
    Call.objects.filter(pk=regional_call.pk).update(
        opens_on=TODAY - dt.timedelta(days=90), closes_on=TODAY - dt.timedelta(days=2)
    )
    login(client, stina)
    client.post(
        reverse("call_lessons", args=[regional_call.pk]),
        {
            "lessons-version": 1,
            "lessons-lessons": "Fler små kommuner behöver stöd i mobiliseringen.",
        },
    )
    call = Call.objects.get(pk=regional_call.pk)
    assert call.phase == "larande" and "små kommuner" in call.lessons
    assert "små kommuner" in client.get(reverse("call", args=[call.pk])).content.decode()


def test_paper_page_query_count_is_pinned(
    client, sjuharad, regional_call, bob, rut, django_assert_max_num_queries
):
    from tests.calls.conftest import agreed_idea
    from tests.factories import kommun

    for i in range(4):
        idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], title=f"Idé {i}")
        app = services.submit_application(
            ready_application(idea, regional_call, bob), by=bob, expected_version=None
        )
        app = approve(app, bob)
        services.declare_jav(app, reviewer=rut, disqualified=False)
        services.score_application(app, reviewer=rut, scores={"P1": (i, "Motiverat.")})
    login(client, rut)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("call_paper", args=[regional_call.pk]))
    assert len(response.context["paper"].rows) == 4
