"""In the browser: a refused step says so first and survives a reload; one party's own edit
keeps what the user did not change; removing a party asks first.

Every page is checked with axe and must ask nothing of another host (conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from samsyn.pipeline import services
from samsyn.pipeline.models import IdeaParty
from samsyn.pipeline.steps import IdeaStep
from tests.factories import IdeaFactory, NeedFactory, kommun, region

GIVEN = dt.date.today() - dt.timedelta(days=30)


def field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def idea_with_parties(forbund, by):
    idea = IdeaFactory(
        need=NeedFactory(forbund=forbund), title="Vägen till arbete", owner=kommun("1490")
    )
    for org, who in ((kommun("1490"), "Anna Andersson"), (region("14"), "Bertil Berg")):
        idea.refresh_from_db()
        services.set_idea_party(
            idea,
            org,
            by=by,
            expected_version=idea.version,
            representative=who,
            performs_rehabilitation=org == kommun("1490"),
            mandate=org == kommun("1490"),
            mandate_given_on=GIVEN if org == kommun("1490") else None,
            decision_reference="KS 2026/14 § 7" if org == kommun("1490") else None,
            decision_date=GIVEN if org == kommun("1490") else None,
        )
    idea.refresh_from_db()
    return idea


def test_refused_step_error_summary_focus_and_reload(page, log_in, check_a11y, sjuharad, alice):
    idea = IdeaFactory(need=NeedFactory(forbund=sjuharad), title="Vägen till arbete")
    services.move_idea(idea, IdeaStep.IDEA_DESIGNED, by=alice, expected_version=idea.version)
    log_in("alice")
    page.goto(f"/projektideer/{idea.pk}/")
    check_a11y()
    field(page, "Nytt steg").select_option(label=str(IdeaStep.OWNER_AGREED.label))
    field(page, "Anteckning").fill("Parterna var överens på mötet")
    page.get_by_role("button", name="Spara steget").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Steget sparades inte")
    expect(summary).to_contain_text("(R6)")
    expect(field(page, "Anteckning")).to_have_value("Parterna var överens på mötet")
    # The address is the idea's page, not the form's: a reload opens the page.
    expect(page).to_have_url(re.compile(rf"/projektideer/{idea.pk}/$"))
    check_a11y()
    response = page.reload()
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Projektidé: Vägen till arbete")
    check_a11y()


def test_party_edit_of_one_field_keeps_the_others(page, log_in, check_a11y, sjuharad, alice):
    idea = idea_with_parties(sjuharad, alice)
    before = IdeaParty.objects.get(idea=idea, organisation=kommun("1490"))
    log_in("alice")
    page.goto(f"/projektideer/{idea.pk}/")
    check_a11y()
    page.get_by_role("link", name="Ändra Borås stad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra Borås stad som part")
    check_a11y()
    # Prefilled with what is recorded.
    expect(field(page, "Företrädare")).to_have_value("Anna Andersson")
    expect(page.get_by_label("Företrädaren har mandat")).to_be_checked()
    expect(field(page, "Datum då mandatet gavs")).to_have_value(GIVEN.isoformat())
    expect(field(page, "Beslutets diarienummer eller paragraf")).to_have_value("KS 2026/14 § 7")

    field(page, "Företrädare").fill("Cecilia Ceder, arbetsmarknadschef")
    page.get_by_role("button", name="Spara parten").click()
    expect(page.get_by_role("status")).to_contain_text("Borås stad är sparad som part.")
    check_a11y()
    after = IdeaParty.objects.get(pk=before.pk)
    assert after.representative == "Cecilia Ceder, arbetsmarknadschef"
    for name in (
        "is_cofinancier",
        "performs_rehabilitation",
        "mandate_confirmed_at",
        "mandate_given_on",
        "decision_date",
        "decision_reference",
    ):
        assert getattr(after, name) == getattr(before, name), name


def test_removing_a_party_asks_first(page, log_in, check_a11y, sjuharad, alice):
    idea = idea_with_parties(sjuharad, alice)
    log_in("alice")
    page.goto(f"/projektideer/{idea.pk}/")
    check_a11y()
    page.get_by_role("button", name="Ta bort Västra Götalandsregionen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ta bort Västra Götalandsregionen som part i Vägen till arbete?"
    )
    expect(page.get_by_text("Är du säker? Det här går inte att ångra.")).to_be_visible()
    check_a11y()
    assert IdeaParty.objects.filter(idea=idea, organisation=region("14")).exists()

    page.get_by_role("link", name="Avbryt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projektidé: Vägen till arbete")
    check_a11y()
    assert IdeaParty.objects.filter(idea=idea, organisation=region("14")).exists()

    page.get_by_role("button", name="Ta bort Västra Götalandsregionen").click()
    expect(page.get_by_role("button", name="Ja, ta bort parten")).to_be_visible()
    check_a11y()
    page.get_by_role("button", name="Ja, ta bort parten").click()
    expect(page.get_by_role("status")).to_contain_text("Västra Götalandsregionen är borttagen")
    check_a11y()
    assert not IdeaParty.objects.filter(idea=idea, organisation=region("14")).exists()
