"""A beredningsgrupp meeting in a real browser: plan, write minutes, record a need, approve,
download the PDF. Every page is checked with axe and must ask nothing of another host.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from samsyn.meetings import services
from samsyn.meetings.models import AgendaItem, Meeting
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import Need
from tests.factories import af, kommun


def field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def test_plan_a_meeting_write_minutes_record_a_need_and_approve(
    page, log_in, check_a11y, sjuharad, alice, bob
):
    log_in("alice")

    page.get_by_role("link", name="Möten", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Möten")
    check_a11y()

    # Plan the meeting.
    page.get_by_role("link", name="Planera ett möte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planera ett möte")
    check_a11y()
    field(page, "Förbund eller nätverk").select_option(
        label="Förbund: Sjuhärads samordningsförbund"
    )
    field(page, "Typ av möte").select_option(label="Beredningsgruppens möte")
    field(page, "Rubrik").fill("Beredningsgruppen i december")
    # Held yesterday: its minutes are written, a need is identified and they are approved after.
    held = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    field(page, "Börjar").fill(f"{held}T09:00")
    field(page, "Slutar").fill(f"{held}T11:30")
    field(page, "Plats").fill("Kansliet i Borås")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beredningsgruppen i december")
    expect(page.get_by_role("status")).to_contain_text("Mötet är planerat.")
    check_a11y()
    meeting = Meeting.objects.get()

    # An attendee and an agenda item.
    page.get_by_text("Lägg till deltagare", exact=True).click()
    field(page, "Part").select_option(label="Borås stad")
    field(page, "Namn").fill("Bob Borås")
    page.get_by_role("button", name="Lägg till deltagaren").click()
    expect(page.get_by_role("status")).to_contain_text("Deltagaren är tillagd.")
    check_a11y()
    new_item = page.locator(
        "section", has=page.get_by_role("heading", name="Ny punkt på dagordningen")
    )
    field(new_item, "Rubrik").fill("Aktuellt hos parterna")
    new_item.get_by_role("button", name="Lägg till punkten").click()
    expect(page.get_by_role("heading", name="§ 1 Aktuellt hos parterna")).to_be_visible()
    check_a11y()
    item = AgendaItem.objects.get()

    # Minutes for the item.
    article = page.locator(f"#punkt-{item.pk}")
    field(article, "Protokollsanteckning").fill(
        "Försäkringskassan ser fler långtidssjukskrivna med psykisk ohälsa."
    )
    article.get_by_role("button", name="Spara protokollet för § 1").click()
    expect(page.get_by_role("status")).to_contain_text("Protokollet för § 1 är sparat.")
    check_a11y()

    # A need identified under the item.
    article = page.locator(f"#punkt-{item.pk}")
    article.get_by_text("Registrera beslut under § 1").click()
    field(article, "Behovets rubrik").fill("Långtidssjukskrivna med psykisk ohälsa")
    field(article, "Målgrupp").fill("Sjukskrivna 25–64 år")
    article.get_by_role("button", name="Registrera behovet").click()
    expect(page.get_by_role("status")).to_contain_text("är registrerat från § 1")
    check_a11y()
    need = Need.objects.get()
    assert need.forbund == sjuharad and need.meeting_decisions.get().agenda_item == item

    # The need shows the meeting, and back.
    page.locator(f"#punkt-{item.pk}").get_by_role(
        "link", name="Långtidssjukskrivna med psykisk ohälsa"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Behov: Långtidssjukskrivna med psykisk ohälsa"
    )
    check_a11y()
    page.get_by_role("link", name=re.compile("Beredningsgruppen i december")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beredningsgruppen i december")
    check_a11y()

    # Approve the minutes: afterwards nothing can be written.
    field(page, "Justerare").fill("Bob Borås")
    page.get_by_role("button", name="Justera protokollet").click()
    # Nothing irreversible on one click: a page says what will happen first.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Justera protokollet från Beredningsgruppen i december?"
    )
    check_a11y()
    assert not Meeting.objects.get(pk=meeting.pk).is_approved
    page.get_by_role("button", name="Ja, justera protokollet").click()
    expect(page.get_by_role("status")).to_contain_text("Protokollet är justerat")
    check_a11y()
    expect(page.get_by_text("Protokollet är justerat och kan inte längre ändras.")).to_be_visible()
    expect(page.get_by_label(re.compile("Protokollsanteckning"))).to_have_count(0)
    assert Meeting.objects.get(pk=meeting.pk).is_approved

    # Download the PDF.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner protokollet (PDF)").click()
    with open(download.value.path(), "rb") as f:
        assert f.read(4) == b"%PDF"


def test_r1_refusal_network_intelligence_and_calendar_pages_pass_axe(
    page, log_in, visit, check_a11y, sjuharad, alice, bob
):
    need = pipeline.record_need(
        sjuharad, by=alice, title="Unga vuxna", target_group="Unga", identified_on=dt.date.today()
    )
    idea = pipeline.create_idea(need, by=alice, title="Vägen vidare", owner=kommun("1490"))
    board = services.plan_meeting(
        by=alice,
        forbund=sjuharad,
        kind="styrelse",
        title="Styrelsemöte",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    network = services.create_network(
        "Integrationsnätverket Sjuhärad",
        by=alice,
        members=[kommun("1490"), af()],
        coordinators=[alice],
    )
    services.share_news(
        network,
        by=alice,
        title="Kommuntal",
        source="Migrationsverket",
        published_on=dt.date.today(),
    )
    services.share_event(
        network,
        by=alice,
        title="Erfarenhetsutbyte",
        starts_at=timezone.now() + dt.timedelta(days=9),
    )
    assignment = services.track_assignment(
        by=alice,
        network=network,
        title="Stöd till socialtjänsten",
        assigned_agency="Socialstyrelsen",
        budget_cap=500000,
        reporting_deadline=dt.date.today() + dt.timedelta(days=12),
    )
    log_in("alice")

    # R1: the board meeting's agenda refuses the ESF+ idea, and says why.
    visit(f"/moten/{board.pk}/")
    new_item = page.locator(
        "section", has=page.get_by_role("heading", name="Ny punkt på dagordningen")
    )
    field(new_item, "Rubrik").fill("ESF+-idén")
    field(new_item, "Projektidé").select_option(label=str(idea))
    new_item.get_by_role("button", name="Lägg till punkten").click()
    expect(page.get_by_role("alert")).to_contain_text("(R1)")
    check_a11y()

    for path in (
        f"/natverk/{network.pk}/",
        "/natverk/",
        "/omvarld/",
        "/regeringsuppdrag/",
        f"/regeringsuppdrag/{assignment.pk}/",
        "/regeringsuppdrag/nytt/",
        "/kalender/",
    ):
        visit(path)
    expect(page.get_by_role("cell", name="Redovisning: Stöd till socialtjänsten")).to_be_visible()
    page.get_by_role("button", name="Skapa kalenderadress").click()
    expect(page.get_by_label("Din kalenderadress (visas bara nu):")).to_have_value(
        re.compile(r"/kalender/.+\.ics$")
    )
    check_a11y()
