"""Project staff add an authenticator app at their first login, in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import give_totp_code
from tests.followup.scene import participant_data, running_project


def test_staff_set_up_their_app_before_they_see_participants(
    page, visit, check_a11y, sjuharad, alice, bob
):
    from samsyn.followup import services

    idea = running_project(sjuharad, alice, bob)
    services.register_participant(idea, by=bob, personnummer="19811218-9876", **participant_data())
    participants = f"/projektideer/{idea.pk}/deltagare/"

    visit(participants)  # not logged in: to the login page first
    page.get_by_label("Användarnamn").fill("bob")
    page.get_by_label("Lösenord").fill("korrekt-häst-batteri-9")
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera tvåstegsverifiering")
    check_a11y()
    qr = page.get_by_role("img", name="QR-kod med den hemliga nyckeln för din app")
    expect(qr).to_be_visible()
    # Drawn by Samsyn and allowed by its CSP: the image really loaded.
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")

    page.get_by_label("Sexsiffrig kod från din app").fill("000000")
    page.get_by_role("button", name="Aktivera").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden stämmer inte")
    check_a11y()

    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=bob).update(throttling_failure_count=0)
    give_totp_code(page, "bob")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deltagare")
    expect(page.get_by_text("D-0001")).to_be_visible()
    check_a11y()
