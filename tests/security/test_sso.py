"""SSO through a real OpenID provider (django-oidc-provider, own process, own SQLite file).

The browser's side is played by Django's test client (Samsyn) and `requests` (the provider),
following each redirect by hand; Samsyn itself calls the provider's token, userinfo and JWKS
endpoints over HTTP, as in production.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from samsyn.accounts.second_factor import SSO_SESSION_KEY
from tests.followup.scene import participant_data, running_project

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "samsyn-test"
CLIENT_SECRET = "hemligt-for-test-bara"
CALLBACK = "http://testserver/oidc/callback/"
PROVIDER_PASSWORD = "leverantorens-losenord-1"
TIMEOUT = 15


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    """The provider's base URL; it knows bob (by his e-mail, other case) and a stranger."""
    config = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": CALLBACK,
        "users": [
            {"username": "bob.b", "email": "BOB@example.org", "password": PROVIDER_PASSWORD},
            {"username": "okand", "email": "okand@example.org", "password": PROVIDER_PASSWORD},
        ],
    }
    folder = tmp_path_factory.mktemp("oidc-provider")
    db, log = folder / "provider.sqlite3", folder / "provider.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["OIDC_PROVIDER_DB"] = str(db)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),  # a file, so a chatty provider never blocks on a full pipe
        text=True,
    )
    process.stdin.write(json.dumps(config))
    process.stdin.close()
    line = process.stdout.readline()  # ends at EOF too, if the provider fails to start
    if not line.startswith("PORT "):
        process.kill()
        pytest.fail(f"OpenID-leverantören startade inte:\n{log.read_text()}")
    yield f"http://127.0.0.1:{int(line.split()[1])}/openid"
    process.terminate()
    process.wait(timeout=TIMEOUT)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sso(settings, provider):
    settings.SAMSYN_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "samsyn.accounts.oidc.SamsynOIDCBackend",
    ]
    return settings


class _Form(HTMLParser):
    """The inputs of the provider's forms (login, consent)."""

    def __init__(self, html: str):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") in ("hidden", None):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def sign_in_at_provider(authorize_url: str, username: str) -> str:
    """Log in at the provider and consent; returns where it sends the browser back to."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302  # not logged in there yet: to the provider's login
    login_url = requests.compat.urljoin(authorize_url, response.headers["Location"])
    form = _Form(browser.get(login_url, timeout=TIMEOUT).text).fields
    response = browser.post(
        login_url,
        data=form | {"username": username, "password": PROVIDER_PASSWORD},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302, "the provider refused the login"
    consent = browser.get(
        requests.compat.urljoin(login_url, response.headers["Location"]), timeout=TIMEOUT
    )
    assert "Request for Permission" in consent.text
    response = browser.post(
        consent.url,
        data=_Form(consent.text).fields | {"allow": "Authorize"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302
    return response.headers["Location"]


def sso_login(client, username: str, next_path: str = "/"):
    start = client.get(reverse("oidc_authentication_init"), {"next": next_path})
    assert start.status_code == 302
    back = sign_in_at_provider(start["Location"], username)
    assert back.startswith(CALLBACK) and "code=" in back
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")


def test_sso_logs_the_matching_user_in_and_counts_as_second_factor(
    client, sso, sjuharad, alice, bob
):
    idea = running_project(sjuharad, alice, bob)
    from samsyn.followup import services

    services.register_participant(idea, by=bob, personnummer="19811218-9876", **participant_data())
    participants = f"/projektideer/{idea.pk}/deltagare/"
    response = sso_login(client, "bob.b", next_path=participants)
    assert response.status_code == 302 and response["Location"] == participants
    assert client.session["_auth_user_id"] == str(bob.pk)
    assert client.session[SSO_SESSION_KEY] == bob.pk
    # bob is project staff: the e-legitimation stood in for the TOTP code.
    assert "D-0001" in client.get(participants).content.decode()


def test_sso_that_does_not_count_still_asks_staff_for_their_code(client, sso, sjuharad, alice, bob):
    sso.SAMSYN_OIDC_COUNTS_AS_SECOND_FACTOR = False
    idea = running_project(sjuharad, alice, bob)
    sso_login(client, "bob.b")
    assert client.session["_auth_user_id"] == str(bob.pk)
    response = client.get(f"/projektideer/{idea.pk}/deltagare/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_setup"))


def test_an_unknown_person_is_refused_in_swedish_and_no_account_is_made(client, sso, bob):
    from samsyn.parties.models import User

    users = User.objects.count()
    response = sso_login(client, "okand")
    assert response.status_code == 302 and response["Location"] == reverse("oidc_refused")
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "Inloggningen nekades" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users


def test_login_page_offers_sso_only_when_configured(client, settings):
    settings.SAMSYN_OIDC_ENABLED = False
    page = client.get(reverse("login")).content.decode()
    assert "organisationens inloggning" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    settings.SAMSYN_OIDC_ENABLED = True
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "http://127.0.0.1:9/authorize"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med e-legitimation eller organisationens inloggning" in page
    assert client.get(reverse("oidc_authentication_init"))["Location"].startswith(
        "http://127.0.0.1:9/authorize?"
    )


def test_sso_settings_come_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from samsyn.accounts.oidc_config import oidc_settings

    assert oidc_settings()["SAMSYN_OIDC_ENABLED"] is False  # off unless configured
    monkeypatch.setenv("SAMSYN_OIDC_CLIENT_ID", "samsyn")
    with pytest.raises(ImproperlyConfigured, match="SAMSYN_OIDC_CLIENT_SECRET"):
        oidc_settings()
    monkeypatch.setenv("SAMSYN_OIDC_CLIENT_SECRET", "hemligt")
    monkeypatch.setenv("SAMSYN_OIDC_ISSUER", "https://idp.exempel.se/openid/")
    monkeypatch.setenv("SAMSYN_OIDC_TOKEN_ENDPOINT", "https://idp.exempel.se/annan/token")
    values = oidc_settings()
    assert values["SAMSYN_OIDC_ENABLED"] and values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert values["OIDC_OP_AUTHORIZATION_ENDPOINT"] == "https://idp.exempel.se/openid/authorize"
    assert values["OIDC_OP_TOKEN_ENDPOINT"] == "https://idp.exempel.se/annan/token"
    assert values["OIDC_CREATE_USER"] is False and values["SAMSYN_OIDC_COUNTS_AS_SECOND_FACTOR"]
    monkeypatch.setenv("SAMSYN_OIDC_USER_FIELD", "is_superuser")
    with pytest.raises(ImproperlyConfigured, match="SAMSYN_OIDC_USER_FIELD"):
        oidc_settings()
