"""One life cycle for idea and application (issue 16 §1; issue 13 §4 "idea and application
drift", §5 basis_date): ansökan → bedömning → (regional calls) prioritering → beslut, each
move a verb, recorded with who, when, the decision's date and its diarienummer; the idea
follows its application and can be granted only through it.

Cast (tests/conftest.py, tests/calls/conftest.py): alice is Sjuhärad's kansli, bob sits in the
beredningsgrupp for Borås stad (the owner), carin for Försäkringskassan, erik reads for the
region; stina keeps Västsverige's call plan, nils the national one; rut and ture review.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from samsyn.calls import services
from samsyn.calls.choices import ApplicationStatus
from samsyn.calls.models import Application, Call
from samsyn.calls.services import CallsError
from samsyn.parties.services import issue_api_token
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import Idea
from samsyn.pipeline.services import PipelineError
from samsyn.pipeline.steps import IdeaStep
from tests.api.conftest import ApiClient, rules_of
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
from tests.factories import IdeaFactory, NeedFactory, kommun, region


@pytest.fixture
def as_user():
    """An API client with a fresh token (tests/api/conftest.py's fixture, here too)."""
    return lambda user: ApiClient(issue_api_token(user))


D = {n: TODAY - dt.timedelta(days=n) for n in range(0, 11)}


def fill(app: Application, by) -> Application:
    """Period, organisation, 1 000 000 kr budget in 2027, financed exactly."""
    services.update_application(
        app,
        by=by,
        expected_version=None,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        eu_share_sek=400_000,
        project_manager="Pia Projektledare",
        controller="Erik Ekonom",
        administrator="Ada Administratör",
    )
    services.set_budget_line(app, 2027, "personnel", 1_000_000, by=by, expected_version=None)
    for org in (kommun("1490"), region("14")):
        services.set_cofinancing(app, org, 300_000, by=by, expected_version=None)
    return Application.objects.get(pk=app.pk)


def submitted(idea, call, by) -> Application:
    app = fill(services.draft_application(idea, call, by=by, basis_date=D[6]), by)
    return services.submit_application(app, by=by, expected_version=None, submitted_on=D[5])


def national_call(nils) -> Call:
    return make_call(
        nils,
        title="Nationell utlysning inom A",
        decision_level="national",
        regional_plan=None,
        thematic_areas=themes("aterintrade"),
    )


def page_post(client, name: str, pk: int, prefix: str, **fields):
    data = {f"{prefix}-{k}": v for k, v in fields.items()}
    data[f"{prefix}-version"] = Application.objects.get(pk=pk).version
    return client.post(reverse(name, args=[pk]), data)


def followup_e(as_user, user) -> dict:
    response = as_user(user).get("followup", track="e")
    assert response.status_code == 200, response.content
    return response.json()["track_e"]


# The stories ---------------------------------------------------------------------------------


def test_lifecycle_regional_call_story_assessment_prioritisation_decision_through_pages_and_api(
    client, as_user, sjuharad, alice, bob, stina, rut, regional_call
):
    # Through the pages: bob drafts (dated by the decision to draft), submits, stina records
    # ESF-rådet's assessment, alice the partnership's prioritisation, bob ESF-rådet's decision.
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], title="Vägen tillbaka")
    log_in(client, bob)
    response = client.post(
        reverse("application_create", args=[idea.pk, regional_call.pk]),
        {"basis_date": D[6].isoformat()},
    )
    app = Application.objects.get(idea=idea)
    assert response.url == reverse("application", args=[app.pk])
    assert idea.transitions.get(to_step=IdeaStep.APPLICATION_DRAFTED).basis_date == D[6]
    fill(app, bob)
    response = page_post(
        client,
        "application_submit",
        app.pk,
        "submit",
        submitted_on=D[5].isoformat(),
        reference="PR+ 4711",
    )
    assert response.status_code == 302
    said = " ".join(m.message for m in get_messages(response.wsgi_request))
    assert "Projektrummet+" in said and "skickar ingenting" in said
    assert followup_e(as_user, alice)["ideas_led_to_application"] == 1

    log_in(client, stina)
    page = client.get(reverse("application", args=[app.pk])).content.decode()
    assert "Registrera ESF-rådets bedömning" in page
    response = page_post(
        client,
        "application_assessment",
        app.pk,
        "assessment",
        approved="1",
        decided_on=D[4].isoformat(),
        reference="Dnr 2026-100",
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.APPROVED
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.SUBMITTED
    # Approval for prioritisation is not a grant: the follow-up does not count it.
    assert followup_e(as_user, alice)["applications_granted"] == 0

    app = Application.objects.get(pk=app.pk)
    services.declare_jav(app, reviewer=rut, disqualified=False)
    services.score_application(app, reviewer=rut, scores={"P1": (3, "Väl förankrat.")})
    log_in(client, alice)
    response = page_post(
        client,
        "application_prioritisation",
        app.pk,
        "prioritisation",
        prioritised="1",
        decided_on=D[3].isoformat(),
        reference="Partnerskapet §7",
    )
    assert response.status_code == 302
    log_in(client, bob)
    response = page_post(
        client,
        "application_decision",
        app.pk,
        "decision",
        granted="1",
        decided_on=D[2].isoformat(),
        reference="Dnr 2026-100",
        amount_sek="400000",
    )
    assert response.status_code == 302
    app = Application.objects.get(pk=app.pk)
    assert (app.status, app.granted_sek, app.decided_on) == ("granted", 400_000, D[2])
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.GRANTED
    events = [
        (e.move, e.to_status, e.by.username, e.decided_on, e.reference)
        for e in app.events.select_related("by")
    ]
    assert events == [
        ("drafted", "draft", "bob", D[6], ""),
        ("submitted", "submitted", "bob", D[5], "PR+ 4711"),
        ("assessed", "approved", "stina", D[4], "Dnr 2026-100"),
        ("prioritised", "prioritised", "alice", D[3], "Partnerskapet §7"),
        ("decided", "granted", "bob", D[2], "Dnr 2026-100"),
    ]
    page = client.get(reverse("application", args=[app.pk])).content.decode()
    assert "Partnerskapet §7" in page and "Ansökans gång" in page

    # Through the API: a second idea is approved, not prioritised, and then rejected.
    other = agreed_idea(sjuharad, kommun("1490"), [region("14")], title="Andra vägen")
    response = as_user(bob).post(
        "applications",
        {"idea_id": other.pk, "call_id": regional_call.pk, "basis_date": str(D[6])},
    )
    assert response.status_code == 201, response.content
    second = fill(Application.objects.get(pk=response.json()["id"]), bob)
    url = f"applications/{second.pk}"
    response = as_user(bob).post(f"{url}/submit", {"submitted_on": str(D[5])})
    assert response.status_code == 200, response.content
    response = as_user(stina).post(
        f"{url}/assessment", {"approved": True, "decided_on": str(D[4]), "reference": "Dnr 101"}
    )
    assert (response.status_code, response.json()["status"]) == (200, "approved")
    response = as_user(stina).post(
        f"{url}/decision",
        {"granted": True, "decided_on": str(D[3]), "reference": "Dnr 101", "amount_sek": 1},
    )
    assert rules_of(response) == {"A6"}  # a regional call is prioritised first
    response = as_user(alice).post(
        f"{url}/prioritisation",
        {"prioritised": False, "decided_on": str(D[3]), "reference": "Partnerskapet §8"},
    )
    assert (response.status_code, response.json()["status"]) == (200, "not_prioritised")
    response = as_user(stina).post(
        f"{url}/decision",
        {"granted": True, "decided_on": str(D[2]), "reference": "Dnr 101", "amount_sek": 1},
    )
    assert rules_of(response) == {"A6"}  # not prioritised: ESF-rådet can only reject
    response = as_user(stina).post(
        f"{url}/decision",
        {
            "granted": False,
            "decided_on": str(D[2]),
            "reference": "Dnr 101",
            "reason": "Inte prioriterad av partnerskapet.",
        },
    )
    body = response.json()
    assert (response.status_code, body["status"], body["idea_step"]) == (
        200,
        "rejected",
        "rejected",
    )
    assert [e["move"] for e in body["events"]] == [
        "drafted",
        "submitted",
        "assessed",
        "prioritised",
        "decided",
    ]
    assert (
        body["events"][3]["by"] == "alice" and body["events"][3]["reference"] == "Partnerskapet §8"
    )

    # Counted by hand: two applications, one granted (the final grant), one rejected.
    figures = followup_e(as_user, alice)
    assert (
        figures["ideas_led_to_application"],
        figures["applications_granted"],
        figures["applications_rejected"],
    ) == (2, 1, 1)


def test_lifecycle_national_call_story_assessment_then_decision_through_pages_and_api(
    client, as_user, sjuharad, alice, bob, nils, stina
):
    call = national_call(nils)
    assert not call.has_partnership_step and call.principles.count() == 0
    granted_idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], title="Nationell väg")
    app = submitted(granted_idea, call, bob)

    # Pages: nils (the national call plan) records the assessment, bob the decision.
    log_in(client, nils)
    response = page_post(
        client,
        "application_assessment",
        app.pk,
        "assessment",
        approved="1",
        decided_on=D[4].isoformat(),
        reference="Dnr N-1",
    )
    assert response.status_code == 302
    page = client.get(reverse("application", args=[app.pk])).content.decode()
    assert "Registrera strukturfondspartnerskapets prioritering" not in page
    assert "Registrera ESF-rådets beslut" in page
    # No partnership step in a national call, whichever door.
    response = as_user(nils).post(
        f"applications/{app.pk}/prioritisation",
        {"prioritised": True, "decided_on": str(D[3]), "reference": "x"},
    )
    assert rules_of(response) == {"J4"}
    log_in(client, bob)
    response = page_post(
        client,
        "application_decision",
        app.pk,
        "decision",
        granted="1",
        decided_on=D[3].isoformat(),
        reference="Dnr N-1",
        amount_sek="400000",
    )
    assert response.status_code == 302
    assert Idea.objects.get(pk=granted_idea.pk).step == IdeaStep.GRANTED

    # API: another idea is not approved at the assessment, which ends it.
    refused_idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], title="Nationell nej")
    other = submitted(refused_idea, call, bob)
    response = as_user(alice).post(
        f"applications/{other.pk}/assessment",
        {"approved": False, "decided_on": str(D[4]), "reference": "Dnr N-2"},
    )
    assert rules_of(response) == {"A6"}  # the reason is required
    response = as_user(alice).post(
        f"applications/{other.pk}/assessment",
        {
            "approved": False,
            "decided_on": str(D[4]),
            "reference": "Dnr N-2",
            "reason": "Uppfyller inte utlysningens krav.",
        },
    )
    body = response.json()
    assert (response.status_code, body["status"], body["idea_step"]) == (
        200,
        "not_approved",
        "rejected",
    )
    response = as_user(alice).post(
        f"applications/{other.pk}/decision",
        {"granted": True, "decided_on": str(D[3]), "reference": "Dnr N-2", "amount_sek": 1},
    )
    assert rules_of(response) == {"A6"}

    figures = followup_e(as_user, alice)
    assert (
        figures["ideas_led_to_application"],
        figures["applications_granted"],
        figures["applications_rejected"],
    ) == (2, 1, 1)


# Each rule of the life cycle -------------------------------------------------------------------


def test_lifecycle_every_move_is_a_verb_that_checks_its_order(sjuharad, bob, stina, regional_call):
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = services.draft_application(idea, regional_call, by=bob, basis_date=D[6])
    with pytest.raises(CallsError) as exc:
        approve(app, stina)
    assert {v.rule for v in exc.value.violations} == {"A6"}  # a draft is not assessed
    app = fill(app, bob)
    app = services.submit_application(app, by=bob, expected_version=None, submitted_on=D[5])
    with pytest.raises(CallsError) as exc:
        services.prioritise_application(
            app, by=stina, prioritised=True, decided_on=D[4], reference="x"
        )
    assert "ESF-rådets bedömning" not in str(exc.value) and "registreras när" in str(exc.value)
    with pytest.raises(CallsError) as exc:  # before the submission it follows (A8)
        services.assess_application(
            app, by=stina, approved=True, decided_on=D[8], reference="Dnr 1"
        )
    assert {v.rule for v in exc.value.violations} == {"A8"}
    with pytest.raises(CallsError) as exc:  # the diarienummer is part of the record
        services.assess_application(app, by=stina, approved=True, decided_on=D[4], reference="")
    assert "diarienummer" in str(exc.value)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.SUBMITTED


def test_lifecycle_prioritisation_ranks_only_approved_applications_never_granted(
    sjuharad, bob, stina, rut, regional_call
):
    from samsyn.calls.prioritisation import paper

    apps = []
    for title in ("Ett", "Två", "Tre"):
        idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], title=title)
        apps.append(approve(submitted(idea, regional_call, bob), stina, on=D[4]))
    draft_idea = agreed_idea(sjuharad, kommun("1490"), [region("14")], title="Utkast")
    services.draft_application(draft_idea, regional_call, by=bob)
    assert [r.application.idea.title for r in paper(regional_call).rows] == ["Ett", "Två", "Tre"]
    one, two, _three = apps
    services.prioritise_application(
        one, by=stina, prioritised=True, decided_on=D[3], reference="§1"
    )
    assert len(paper(regional_call).rows) == 3  # a decided prioritisation stays on the paper
    services.decide_application(
        Application.objects.get(pk=one.pk),
        by=stina,
        granted=True,
        amount_sek=400_000,
        decided_on=D[2],
        reference="Dnr",
    )
    assert [r.application.idea.title for r in paper(regional_call).rows] == ["Två", "Tre"]
    with pytest.raises(CallsError) as exc:  # a granted application is not scored
        services.declare_jav(Application.objects.get(pk=one.pk), reviewer=rut, disqualified=False)
    assert {v.rule for v in exc.value.violations} == {"J1"}


def test_lifecycle_idea_is_granted_only_through_its_application(
    client, as_user, sjuharad, alice, bob, stina, regional_call
):
    # The issue's example: an idea whose application is submitted is moved to granted.
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = submitted(idea, regional_call, bob)
    for to in ("granted", "rejected", "submitted", "stopped"):
        response = as_user(alice).post(
            f"ideas/{idea.pk}/transitions",
            {"to": to, "forum": "esf_radet", "stop_reason": "other", "note": "x"},
        )
        assert rules_of(response) == {"A9"}, to
    assert "bara genom ansökan" in str(
        as_user(alice).post(f"ideas/{idea.pk}/transitions", {"to": "granted"}).json()
    )
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.SUBMITTED
    # … and the application can still be decided.
    app = approve(app, stina, on=D[4])
    app = services.prioritise_application(
        app, by=stina, prioritised=True, decided_on=D[3], reference="§1"
    )
    services.decide_application(
        app, by=stina, granted=True, amount_sek=1, decided_on=D[2], reference="Dnr"
    )
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.GRANTED

    # A page step cannot grant an idea, with or without an application.
    lone = IdeaFactory(
        need=NeedFactory(forbund=sjuharad), owner=kommun("1490"), step=IdeaStep.SUBMITTED
    )
    log_in(client, alice)
    page = client.get(reverse("idea", args=[lone.pk])).content.decode()
    assert 'value="granted"' not in page
    response = client.post(
        reverse("idea_move", args=[lone.pk]),
        {"to": "granted", "forum": "esf_radet", "version": lone.version},
    )
    assert "bara genom ansökan" in response.content.decode()
    assert Idea.objects.get(pk=lone.pk).step == IdeaStep.SUBMITTED
    with pytest.raises(PipelineError) as exc:
        pipeline.move_idea(lone, IdeaStep.GRANTED, by=alice)
    assert {v.rule for v in exc.value.violations} == {"A9"}


def test_lifecycle_submitted_application_freezes_its_parties_and_cofinancing(
    as_user, sjuharad, alice, bob, regional_call
):
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    submitted(idea, regional_call, bob)
    vgr = region("14")
    for change in (
        {"is_cofinancier": False},
        {"decision_date": str(D[1])},
        {"performs_rehabilitation": True},
    ):
        response = as_user(alice).patch(f"ideas/{idea.pk}/parties/{vgr.pk}", change)
        assert rules_of(response) == {"A9"}, change
    assert idea.parties.get(organisation=vgr).is_cofinancier
    assert rules_of(as_user(alice).delete(f"ideas/{idea.pk}/parties/{vgr.pk}")) == {"A9"}
    response = as_user(alice).patch(f"ideas/{idea.pk}/parties/{kommun('1443').pk}", {})
    assert rules_of(response) == {"A9"}  # no new party either
    with pytest.raises(PipelineError) as exc:
        pipeline.update_idea(idea, by=alice, expected_version=None, owner=vgr)
    assert {v.rule for v in exc.value.violations} == {"A9"}
    # People change: the representative's name may still be corrected.
    pipeline.set_idea_party(
        Idea.objects.get(pk=idea.pk), vgr, by=alice, expected_version=None, representative="Ny"
    )


def test_lifecycle_only_owner_representatives_kansli_or_call_manager_record_decisions(
    client, as_user, sjuharad, alice, bob, carin, erik, stina, rut, nils, regional_call
):
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    app = submitted(idea, regional_call, bob)
    body = {"approved": True, "decided_on": str(D[4]), "reference": "Dnr 1"}
    for user in (carin, erik):  # FK's member of the beredningsgrupp, a reader
        response = as_user(user).post(f"applications/{app.pk}/assessment", body)
        assert response.status_code == 403, user
    for user in (rut, nils):  # a reviewer, another plan's call manager: not even visible
        response = as_user(user).post(f"applications/{app.pk}/assessment", body)
        assert response.status_code == 404, user
    approved = approve(app, stina, on=D[4])
    response = as_user(rut).post(
        f"applications/{app.pk}/prioritisation",
        {"prioritised": True, "decided_on": str(D[3]), "reference": "§1"},
    )
    assert response.status_code == 403  # reviewers score; they do not record the decision
    app = approved
    log_in(client, carin)
    response = page_post(
        client,
        "application_prioritisation",
        app.pk,
        "prioritisation",
        prioritised="1",
        decided_on=D[3].isoformat(),
        reference="§1",
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.APPROVED
    with pytest.raises(CallsError):  # the verb itself refuses, whichever door
        services.prioritise_application(
            app, by=carin, prioritised=True, decided_on=D[3], reference="§1"
        )
    for user in (bob, alice, stina):
        assert services.can_record_decision(user, app), user


# R9 and every matching rule, in the create verb ------------------------------------------------


def test_r9_create_verb_refuses_every_call_that_matching_hides(
    client, as_user, sjuharad, bob, stina, nils
):
    """The issue's example (owner in Västsverige, area D call in Övre Norrland) and the rest of
    the class: every call the idea's matching leaves out is refused by the create verb, through
    the API and the page, with the rule that hides it."""
    from samsyn.calls.matching import matching_calls

    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    make_call(stina)  # shown: Västsverige, area A
    make_call(
        nils,
        title="Glesa geografin – Övre Norrland",
        programme_area=area("D"),
        thematic_areas=[],
        regional_plan=plan("SE33"),
    )
    make_call(
        nils,
        title="Arbetsförmedlingens utlysning",
        programme_area=area("B"),
        decision_level="national",
        regional_plan=None,
        thematic_areas=[],
    )
    make_call(nils, title="Stockholms utlysning", regional_plan=plan("SE11"))
    closed = make_call(stina, title="Stängd utlysning")
    Call.objects.filter(pk=closed.pk).update(
        opens_on=TODAY - dt.timedelta(days=90), closes_on=TODAY - dt.timedelta(days=1)
    )
    make_call(
        nils,
        title="CARE",
        period=area("CARE", "2014-2020").period,
        programme_area=area("CARE", "2014-2020"),
        decision_level="national",
        regional_plan=None,
        thematic_areas=themes("etablering"),
        rolling=True,
        closes_on=None,
    )
    shown = {c.pk for c, _ in matching_calls(idea)}
    hidden = list(Call.objects.exclude(pk__in=shown))
    assert {c.title for c in hidden} == {
        "Glesa geografin – Övre Norrland",
        "Arbetsförmedlingens utlysning",
        "Stockholms utlysning",
        "Stängd utlysning",
        "CARE",
    }
    expected = {
        "Glesa geografin – Övre Norrland": {"R9", "A7"},
        "Arbetsförmedlingens utlysning": {"R9"},
        "Stockholms utlysning": {"A7"},
        "Stängd utlysning": {"A3"},
        "CARE": {"A2"},
    }
    log_in(client, bob)
    for call in hidden:
        response = as_user(bob).post("applications", {"idea_id": idea.pk, "call_id": call.pk})
        assert rules_of(response) == expected[call.title], call.title
        response = client.post(reverse("application_create", args=[idea.pk, call.pk]))
        assert response.url == reverse("idea_matching", args=[idea.pk])
        said = [m.message for m in get_messages(response.wsgi_request)]
        assert said and all("(" in m for m in said), call.title
    assert not Application.objects.exists()
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.OWNER_AGREED
    for pk in shown:
        assert (
            as_user(bob).post("applications", {"idea_id": idea.pk, "call_id": pk}).status_code
            == 201
        )


def test_drafting_takes_the_basis_date_of_the_decision_to_draft(
    as_user, sjuharad, bob, regional_call
):
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    pipeline.update_idea(idea, by=bob, expected_version=None, goals="Fler i arbete.")
    response = as_user(bob).post(
        "applications",
        {"idea_id": idea.pk, "call_id": regional_call.pk, "basis_date": str(D[9])},
    )
    assert response.status_code == 201, response.content
    drafted = Idea.objects.get(pk=idea.pk).transitions.get(to_step=IdeaStep.APPLICATION_DRAFTED)
    assert drafted.basis_date == D[9]
    assert response.json()["events"][0]["decided_on"] == str(D[9])
    # Without one it is today, as before.
    other = agreed_idea(sjuharad, kommun("1490"), [region("14")], title="Utan datum")
    as_user(bob).post("applications", {"idea_id": other.pk, "call_id": regional_call.pk})
    assert other.transitions.get(to_step=IdeaStep.APPLICATION_DRAFTED).basis_date == TODAY
