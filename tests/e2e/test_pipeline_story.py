"""The pipeline in a real browser: a need, an idea, a step, a rule that says no.

Every page visited is checked with axe (WCAG 2.1 A/AA) and every request must go to
the test server; see conftest.py. Locators go by role and label, so they also prove
that the controls are named.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samsyn.pipeline.models import Idea, IdeaParty, Need
from samsyn.pipeline.steps import IdeaStep
from tests.factories import IdeaFactory, NeedFactory, kommun


@pytest.fixture
def scene(sjuharad, alice, bob):
    return sjuharad


def field(page, label: str):
    """The control whose label is exactly `label` (Django adds a colon to its labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def is_board_update(response, track: str) -> bool:
    request = response.request
    return request.headers.get("hx-request") == "true" and f"track={track}" in request.url


def step_shown(page):
    return page.locator("main p .step").first


def test_a_need_becomes_an_idea_whose_parties_agree_on_an_owner(
    page, log_in, check_a11y, scene, alice
):
    log_in("alice")

    # Home: the user's förbund.
    page.get_by_role("link", name="Sjuhärads samordningsförbund").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sjuhärads samordningsförbund")
    check_a11y()

    # Record a need.
    page.get_by_role("link", name="Registrera behov").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera behov")
    check_a11y()
    field(page, "Rubrik").fill("Unga vuxna långt från arbetsmarknaden")
    field(page, "Målgrupp").fill("Unga vuxna 18–29 år med aktivitetsersättning")
    field(page, "Beskrivning av behovet").fill("Kartlagt i beredningsgruppen i mars.")
    field(page, "Identifierat den").fill("2026-03-12")
    expect(field(page, "Finsams målgrupp")).to_be_checked()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Behov: Unga vuxna långt från arbetsmarknaden"
    )
    expect(page.get_by_role("status")).to_contain_text("Behovet är registrerat.")
    check_a11y()
    need = Need.objects.get()
    assert need.forbund == scene
    assert need.created_by == alice

    # Create an ESF+ idea for it, with Borås as the proposed owner.
    page.get_by_role("link", name="Registrera en ESF+-projektidé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en ESF+-projektidé")
    check_a11y()
    field(page, "Namn").fill("Vägen till arbete")
    field(page, "Föreslagen projektägare").select_option(label="Borås stad")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projektidé: Vägen till arbete")
    check_a11y()
    idea = Idea.objects.get()
    assert idea.owner == kommun("1490")
    expect(step_shown(page)).to_have_text(str(IdeaStep.NEED_IDENTIFIED.label))

    # The form offers only the steps that may follow: take the next one.
    expect(field(page, "Nytt steg").locator("option")).to_have_text(
        [str(s.label) for s in (IdeaStep.IDEA_DESIGNED, IdeaStep.LEFT_ROUTINE, IdeaStep.STOPPED)]
    )
    field(page, "Nytt steg").select_option(label=str(IdeaStep.IDEA_DESIGNED.label))
    page.get_by_role("button", name="Spara steget").click()
    expect(step_shown(page)).to_have_text(str(IdeaStep.IDEA_DESIGNED.label))
    expect(page.get_by_role("status")).to_contain_text(str(IdeaStep.IDEA_DESIGNED.label))
    check_a11y()

    # Agreeing on the owner before any party's mandate is recorded: R6 says no.
    field(page, "Nytt steg").select_option(label=str(IdeaStep.OWNER_AGREED.label))
    page.get_by_role("button", name="Spara steget").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("(R6)")
    check_a11y()
    expect(step_shown(page)).to_have_text(str(IdeaStep.IDEA_DESIGNED.label))
    idea.refresh_from_db()
    assert idea.step == IdeaStep.IDEA_DESIGNED

    # Record the two parties, each representative with a mandate: the owner is a party
    # already (changed through its row), the region is added.
    for party, representative in [
        ("Borås stad", "Anna Andersson, arbetsmarknadschef"),
        ("Västra Götalandsregionen", "Bertil Berg, verksamhetschef"),
    ]:
        if party == "Borås stad":
            page.get_by_role("link", name=f"Ändra {party}").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(f"Ändra {party} som part")
            check_a11y()
        else:
            page.get_by_text("Lägg till en part").click()
            field(page, "Part").select_option(label=party)
        field(page, "Företrädare").fill(representative)
        expect(field(page, "Medfinansiär")).to_be_checked()
        page.get_by_label("Företrädaren har mandat").check()
        field(page, "Datum då mandatet gavs").fill("2026-03-12")
        page.get_by_role("button", name="Spara parten").click()
        expect(page.get_by_role("status")).to_contain_text(f"{party} är sparad som part.")
        expect(page.get_by_role("rowheader", name=re.compile(party))).to_be_visible()
        check_a11y()
    assert IdeaParty.objects.filter(idea=idea, mandate_confirmed_at__isnull=False).count() == 2

    # Now the parties may agree on Borås as owner.
    field(page, "Nytt steg").select_option(label=str(IdeaStep.OWNER_AGREED.label))
    page.get_by_role("button", name="Spara steget").click()
    expect(page.get_by_role("status")).to_contain_text(str(IdeaStep.OWNER_AGREED.label))
    expect(step_shown(page)).to_have_text(str(IdeaStep.OWNER_AGREED.label))
    check_a11y()
    idea.refresh_from_db()
    assert idea.step == IdeaStep.OWNER_AGREED


def test_keyboard_reaches_the_skip_link_and_the_board_filter_updates_in_place(
    page, log_in, visit, check_a11y, scene
):
    need = NeedFactory(forbund=scene)
    IdeaFactory(need=need, title="Idé på tavlan")
    log_in("bob")
    visit(f"/forbund/{scene.pk}/")

    # From the top of the page, the first Tab lands on the skip link, which moves focus to main.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # shown when focused, for sighted keyboard users
    page.keyboard.press("Enter")
    expect(page.locator("main#innehall")).to_be_focused()

    # The track filter (htmx, served from our own /static/) swaps the board without reloading.
    expect(page.get_by_role("heading", name="Spår F: Finsam-insatser")).to_be_visible()
    page.evaluate("window.samePage = true")
    with page.expect_response(lambda r: is_board_update(r, "E")) as board:
        field(page, "Spår").select_option("E")
    assert board.value.ok
    expect(page.get_by_role("heading", name="Spår F: Finsam-insatser")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"track=E"))
    expect(page.get_by_role("heading", name="Spår E: ESF+-projektidéer")).to_be_visible()
    expect(page.get_by_role("link", name="Idé på tavlan")).to_be_visible()
    assert page.evaluate("window.samePage") is True, "the filter reloaded the whole page"
    check_a11y()

    with page.expect_response(lambda r: is_board_update(r, "F")):
        field(page, "Spår").select_option("F")
    expect(page.get_by_role("heading", name="Spår E: ESF+-projektidéer")).to_have_count(0)
    expect(page.get_by_role("heading", name="Spår F: Finsam-insatser")).to_be_visible()
    check_a11y()


def test_another_forbunds_user_gets_the_not_found_page(
    page, log_in, visit, scene, alv_och_kust, mallory
):
    idea = IdeaFactory(need=NeedFactory(forbund=scene), title="Sjuhärads idé")
    log_in("mallory")
    response = visit(f"/projektideer/{idea.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(page.get_by_text("Sjuhärads idé")).to_have_count(0)
