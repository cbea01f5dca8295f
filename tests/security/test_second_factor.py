"""Second factor (TOTP) for everyone who can see participant data."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samsyn.accounts.second_factor import needs_second_factor
from samsyn.followup import services
from samsyn.parties.services import issue_api_token
from tests.auth import log_in
from tests.factories import UserFactory
from tests.followup.scene import participant_data, running_project

pytestmark = pytest.mark.django_db
PASSWORD = "korrekt-häst-batteri-9"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def project(sjuharad, alice, bob):
    """Borås stad's running project with bob as staff and one participant."""
    idea = running_project(sjuharad, alice, bob)
    services.register_participant(idea, by=bob, personnummer="19811218-9876", **participant_data())
    return idea


def participants_url(idea) -> str:
    return f"/projektideer/{idea.pk}/deltagare/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"


def password_login(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_who_needs_a_second_factor(project, alice, bob, erik):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    django_staff = UserFactory(username="stina", is_staff=True)
    assert needs_second_factor(bob)  # project staff see participants
    assert needs_second_factor(admin) and needs_second_factor(django_staff)
    assert not needs_second_factor(alice)  # kansli, but not staff of any project
    assert not needs_second_factor(erik)
    bob.is_active = False
    assert not needs_second_factor(bob)
    from django.contrib.auth.models import AnonymousUser

    assert not needs_second_factor(AnonymousUser())


def test_a_user_without_second_factor_logs_in_as_before(client, alice):
    response = password_login(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_staff_without_device_is_sent_to_setup_and_cannot_see_participants(client, project):
    response = password_login(client, "bob")
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("second_factor_setup"))
    response = client.get(participants_url(project))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_setup") + "?next=")
    assert "D-0001" not in response.content.decode()
    assert client.get(f"/deltagare/{project.participants.get().pk}/").status_code == 302
    # htmx requests are told to load the whole setup page instead.
    response = client.get(participants_url(project), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("second_factor_setup"))
    # Logging out and the health check stay open.
    assert client.get(reverse("health")).status_code == 200


def test_setup_shows_secret_and_qr_and_confirms_with_the_right_code(client, project, bob):
    password_login(client, "bob")
    page = client.get(reverse("second_factor_setup"), {"next": participants_url(project)})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Aktivera tvåstegsverifiering</h1>" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert '<label for="id_code">' in html
    device = TOTPDevice.objects.get(user=bob, confirmed=False)
    secret = page.context["secret"]
    from base64 import b32decode

    plain = secret.replace(" ", "")
    assert b32decode(plain + "=" * (-len(plain) % 8)) == device.bin_key
    assert secret in html
    qr = client.get(reverse("second_factor_qr"))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    assert f'src="{reverse("second_factor_qr")}"' in html

    wrong = client.post(
        reverse("second_factor_setup"),
        {"code": wrong_code_for(device), "next": participants_url(project)},
    )
    assert wrong.status_code == 200
    assert "Koden stämmer inte" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1
    device.throttle_reset()  # the wait after a failure is tested on its own below

    response = client.post(
        reverse("second_factor_setup"),
        {"code": code_for(device), "next": participants_url(project)},
    )
    assert response.status_code == 302 and response["Location"] == participants_url(project)
    device.refresh_from_db()
    assert device.confirmed
    assert "D-0001" in client.get(participants_url(project)).content.decode()


def test_a_password_alone_cannot_replace_a_confirmed_device(client, project, bob):
    TOTPDevice.objects.create(user=bob, name="telefon", confirmed=True)
    password_login(client, "bob")
    response = client.get(reverse("second_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_verify"))
    assert client.get(reverse("second_factor_qr")).status_code == 404
    assert TOTPDevice.objects.filter(user=bob).count() == 1


def test_verify_page_asks_for_the_code_at_each_login(client, project, bob):
    device = TOTPDevice.objects.create(user=bob, name="telefon", confirmed=True)
    password_login(client, "bob")
    response = client.get(participants_url(project))
    assert response["Location"].startswith(reverse("second_factor_verify") + "?next=")
    page = client.get(response["Location"])
    assert "<h1>Tvåstegsverifiering</h1>" in page.content.decode()

    wrong = client.post(reverse("second_factor_verify"), {"code": wrong_code_for(device)})
    assert "Koden stämmer inte" in wrong.content.decode()
    assert client.get(participants_url(project)).status_code == 302
    not_digits = client.post(reverse("second_factor_verify"), {"code": "abcdef"})
    assert "Koden består bara av siffror" in not_digits.content.decode()
    device.throttle_reset()

    session_before = client.session.session_key
    response = client.post(
        reverse("second_factor_verify"),
        {"code": code_for(device), "next": participants_url(project)},
    )
    assert response.status_code == 302 and response["Location"] == participants_url(project)
    assert client.session.session_key != session_before  # new key at the step up
    assert "D-0001" in client.get(participants_url(project)).content.decode()
    # The same code cannot be used again (e.g. by someone who saw it over the shoulder).
    other = client.__class__()
    password_login(other, "bob")
    again = other.post(reverse("second_factor_verify"), {"code": code_for(device)})
    assert "Koden stämmer inte" in again.content.decode()


def test_wrong_codes_throttle_even_the_right_code(client, project, bob, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 600  # the wait after one failure outlasts the test
    device = TOTPDevice.objects.create(user=bob, name="telefon", confirmed=True)
    password_login(client, "bob")
    client.post(reverse("second_factor_verify"), {"code": wrong_code_for(device)})
    response = client.post(reverse("second_factor_verify"), {"code": code_for(device)})
    assert "För många felaktiga koder" in response.content.decode()
    assert client.get(participants_url(project)).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_the_api_takes_tokens_not_half_logged_in_sessions(client, project, bob):
    """A bearer token is its own credential; the password-only session gets nothing."""
    password_login(client, "bob")
    url = f"/api/v1/followup/ideas/{project.pk}/participants"
    assert client.get(url).status_code == 401
    token = issue_api_token(bob)
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()


def test_log_in_helper_passes_the_second_factor(client, project, bob):
    log_in(client, bob)
    assert "D-0001" in client.get(participants_url(project)).content.decode()
