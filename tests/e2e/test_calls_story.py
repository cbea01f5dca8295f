"""The ESF+ path in a real browser: the region's principles, a call, matching, application,
ESF-rådet's assessment, scores, ranking.

Every page visited is checked with axe (WCAG 2.1 A/AA) and every request must go to the test
server (tests/e2e/conftest.py). Locators go by role and label.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from samsyn.calls.choices import CallsRoleKind
from samsyn.calls.models import Application, Call, JavDeclaration, Score
from samsyn.pipeline.models import Idea
from samsyn.pipeline.steps import IdeaStep
from tests.calls.conftest import agreed_idea, calls_person, plan_principles
from tests.factories import Role, kommun, person, region


def field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state("load")


def test_from_call_to_prioritisation_paper(page, log_in, visit, check_a11y, sjuharad):
    today = dt.date.today()
    person("bob", sjuharad, Role.BEREDNING, kommun("1490"))
    calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23", region("14"))
    calls_person("rut", CallsRoleKind.REVIEWER, "SE23", region("14"))
    calls_person("ture", CallsRoleKind.REVIEWER, "SE23", kommun("1490"))
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])

    # The EU strategist completes her action plan's principles (none are known for
    # Västsverige), then puts a regional call in the plan: it starts from them.
    plan_principles("SE23", count=4)
    log_in("stina")
    visit("/handlingsplaner/SE23/principer/")
    check_a11y()
    field(page, "Kod").fill("P5")
    field(page, "Princip").fill("Testprincip 5 för SE23")
    field(page, "Vikt").fill("1")
    page.get_by_role("button", name="Spara principen").click()
    expect(page.get_by_role("status")).to_contain_text("Principen P5 är sparad.")
    check_a11y()
    page.get_by_role("link", name="Utlysningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utlysningsplan: ESF+-utlysningar")
    check_a11y()
    page.get_by_role("link", name="Lägg upp en utlysning").click()
    check_a11y()
    field(page, "Namn").fill("Vägar tillbaka till arbete")
    field(page, "Beskrivning").fill("Rehabilitering och arbetsträning för sjukskrivna.")
    field(page, "Period").select_option(label="ESF+ 2021–2027")
    field(page, "Programområde").select_option(
        label="A Öka möjligheten till ett inkluderande och hållbart arbetsliv för alla"
    )
    page.get_by_label("Återinträde på arbetsmarknaden").check()
    field(page, "Beslutsnivå").select_option(label="Regionalt")
    field(page, "Regional handlingsplan").select_option(label="Västsverige")
    field(page, "Budget (kr, ESF+-medel)").fill("1000000")
    field(page, "Lägsta ålder för deltagare").fill("16")
    field(page, "Öppnar").fill((today - dt.timedelta(days=1)).isoformat())
    field(page, "Stänger").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Utlysning: Vägar tillbaka till arbete"
    )
    check_a11y()
    call = Call.objects.get()
    assert call.principles.count() == 5
    log_out(page)

    # The owner's representative finds the call for the idea and drafts the application.
    log_in("bob")
    visit(f"/projektideer/{idea.pk}/")
    page.get_by_role("link", name="Passande utlysningar för idén").click()
    expect(page.get_by_text("Återinträde på arbetsmarknaden (”sjukskriv”)")).to_be_visible()
    check_a11y()
    page.get_by_role("button", name="Påbörja ansökan till Vägar tillbaka till arbete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ansökan: {idea.title}")
    check_a11y()
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.APPLICATION_DRAFTED

    page.get_by_text("Period, ESF+-stöd och projektorganisation").click()
    form = page.locator("form[action$='/andra/']")
    field(form, "Projektet startar").fill("2027-01-01")
    field(form, "Projektet slutar").fill("2027-12-31")
    field(form, "ESF+-stöd som söks (kr)").fill("400000")
    field(form, "Projektledare").fill("Pia Projektledare")
    field(form, "Ekonom/controller").fill("Erik Ekonom")
    field(form, "Administratör").fill("Ada Administratör")
    form.get_by_role("button", name="Spara ansökan").click()
    expect(page.get_by_role("status")).to_contain_text("Ansökan är sparad.")
    check_a11y()

    # R8: a year after the project period is refused, and the refusal names the rule.
    page.get_by_text("Budgetpost", exact=True).click()
    form = page.locator("form[action$='/budget/']")
    field(form, "År").fill("2029")
    field(form, "Kostnadsslag").select_option(label="Personal")
    field(form, "Belopp (kr)").fill("5000")
    form.get_by_role("button", name="Spara budgetposten").click()
    expect(page.get_by_role("alert")).to_contain_text("(R8)")
    check_a11y()
    form = page.locator("form[action$='/budget/']")
    field(form, "År").fill("2027")
    field(form, "Belopp (kr)").fill("1000000")
    form.get_by_role("button", name="Spara budgetposten").click()
    expect(page.get_by_role("status")).to_contain_text("Budgetposten är sparad.")
    check_a11y()

    for party in ("Borås stad", "Västra Götalandsregionen"):
        page.get_by_text("Medfinansiering", exact=True).click()
        form = page.locator("form[action$='/medfinansiering/']")
        field(form, "Medfinansiär").select_option(label=party)
        field(form, "Belopp (kr)").fill("300000")
        form.get_by_role("button", name="Spara medfinansieringen").click()
        expect(page.get_by_role("status")).to_contain_text("Medfinansieringen är sparad.")
        check_a11y()

    expect(page.get_by_text("Det här hindrar att ansökan skickas")).to_have_count(0)
    page.get_by_role("button", name="Skicka in ansökan").click()
    expect(page.get_by_role("status")).to_contain_text("inskickad till Svenska ESF-rådet")
    check_a11y()
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.SUBMITTED

    # ESF-rådet approves it for prioritisation; the owner's representative records that.
    form = page.locator("form[action$='/bedomning-esf/']")
    field(form, "ESF-rådets bedömning").select_option(label="Godkänd för prioritering")
    field(form, "Diarienummer").fill("Dnr 2026-1")
    form.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_role("status")).to_contain_text("ESF-rådets bedömning är registrerad.")
    check_a11y()
    assert Idea.objects.get(pk=idea.pk).step == IdeaStep.SUBMITTED
    app = Application.objects.get()
    log_out(page)

    # Ture works at Borås, the owner: he declares jäv and gets no score form.
    log_in("ture")
    visit(f"/ansokningar/{app.pk}/")
    field(page, "Är du jävig för den här ansökan?").select_option(label="Ja, jag är jävig")
    field(
        page, "Omständigheter (till exempel anställning hos projektägaren eller en medfinansiär)"
    ).fill("Anställd i Borås stad.")
    page.get_by_role("button", name="Spara jävsdeklarationen").click()
    expect(page.get_by_role("status")).to_contain_text("jävsdeklaration är sparad")
    expect(page.get_by_role("button", name="Spara bedömningen")).to_have_count(0)
    check_a11y()
    log_out(page)

    # Rut is not disqualified: she scores every principle with a motivation.
    log_in("rut")
    visit(f"/ansokningar/{app.pk}/")
    field(page, "Är du jävig för den här ansökan?").select_option(label="Nej, jag är inte jävig")
    page.get_by_role("button", name="Spara jävsdeklarationen").click()
    check_a11y()
    for i, principle in enumerate(call.principles.all()):
        page.get_by_label(f"{principle.code} {principle.name} – poäng").select_option(str(i % 5))
        page.get_by_label(f"{principle.code} – motivering").fill(f"Motivering {principle.code}.")
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_role("status")).to_contain_text("Din bedömning är sparad.")
    check_a11y()
    assert Score.objects.filter(reviewer__username="rut").count() == 5
    assert JavDeclaration.objects.get(reviewer__username="ture").disqualified

    page.get_by_role("link", name="Prioriteringsunderlag för utlysningen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prioriteringsunderlag")
    expect(page.get_by_text("Anställd i Borås stad.")).to_be_visible()
    expect(page.get_by_text("Motivering P4.")).to_be_visible()
    expect(page.get_by_role("cell", name="2,00")).to_be_visible()  # (0+1+2+3+4)/5
    expect(page.get_by_role("cell", name="Inom budget")).to_be_visible()
    check_a11y()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    assert download.value.suggested_filename == f"prioritering-{call.pk}.pdf"
