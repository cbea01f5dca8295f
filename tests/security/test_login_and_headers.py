"""Login throttling, session expiry and the security headers on real responses."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "korrekt-häst-batteri-9"


def test_login_with_the_right_password_reaches_the_start_page(client):
    UserFactory(username="alice")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_says_so_in_swedish(client):
    UserFactory(username="alice")
    response = client.post(reverse("login"), {"username": "alice", "password": "fel"})
    assert response.status_code == 200
    assert "Användarnamnet eller lösenordet stämmer inte" in response.content.decode()


def test_repeated_failures_lock_the_login_out_with_a_swedish_message(client):
    UserFactory(username="alice")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "alice", "password": "fel"})
    response = client.post(reverse("login"), {"username": "alice", "password": "fel"})
    assert response.status_code == 429
    assert "tillfälligt spärrad" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_throttling_per_address_stops_password_spraying(client, settings):
    """Many user names, one wrong password each, from one address: the address is locked,
    even for a name that has not failed before, and even for the right password."""
    UserFactory(username="alice")
    for n in range(settings.SAMSYN_LOGIN_IP_LIMIT - 1):
        response = client.post(reverse("login"), {"username": f"person{n}", "password": "Vår2026"})
        assert response.status_code == 200  # below the address's limit: just a wrong password
    response = client.post(reverse("login"), {"username": "sista", "password": "Vår2026"})
    assert response.status_code == 429 and "tillfälligt spärrad" in response.content.decode()
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # Another address is not locked by it.
    other = client.__class__(REMOTE_ADDR="192.0.2.7")
    response = other.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_login_throttling_per_user_name_from_any_address(client, settings):
    """Guessing one person's password from many addresses locks that user name."""
    UserFactory(username="alice")
    for n in range(settings.AXES_FAILURE_LIMIT):
        guesser = client.__class__(REMOTE_ADDR=f"198.51.100.{n + 1}")
        guesser.post(reverse("login"), {"username": "alice", "password": "fel"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_login_throttling_a_valid_login_does_not_reset_an_addresss_spraying(client, settings):
    UserFactory(username="mallory")
    for n in range(settings.SAMSYN_LOGIN_IP_LIMIT - 1):
        client.post(reverse("login"), {"username": f"person{n}", "password": "Vår2026"})
    # The sprayer's own valid account logs in, out, and sprays on: still locked at the limit.
    assert (
        client.post(reverse("login"), {"username": "mallory", "password": PASSWORD}).status_code
        == 302
    )
    client.logout()
    response = client.post(reverse("login"), {"username": "sista", "password": "Vår2026"})
    assert response.status_code == 429


def test_session_expires_and_ends_with_the_browser(client):
    UserFactory(username="alice")
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_security_headers_on_a_real_page(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_load_scripts_and_styles_only_from_samsyn(client):
    page = client.get(reverse("login")).content.decode()
    assert 'src="/static/samsyn/htmx.min.js"' in page
    assert 'href="/static/samsyn/samsyn.css"' in page
    assert "http://" not in page and "https://" not in page
    assert "<script>" not in page  # no inline script (the CSP would block it)


def readme_production_env() -> dict[str, str]:
    """The variables of the README's Drift section, exactly as written there (every `export`
    line of its first sh block); a `…` is a secret the operator fills in, so a fresh one is
    filled in here."""
    import re
    import secrets
    import shlex

    from cryptography.fernet import Fernet

    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Drift\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    env = {}
    for line in block.splitlines():
        if not line.startswith("export "):
            continue
        for word in shlex.split(line, comments=True)[1:]:
            key, _, value = word.partition("=")
            if "…" in value:
                if key == "SAMSYN_PERSONAL_DATA_KEY":
                    value = Fernet.generate_key().decode()
                elif key == "SAMSYN_SECRET_KEY":
                    value = secrets.token_urlsafe(50)
                else:
                    value = value.replace("…", secrets.token_hex(8))
            env[key] = value
    return env


def _only(variables: dict[str, str]) -> dict[str, str]:
    """This process's environment without any Samsyn setting, plus exactly `variables`."""
    import os

    keep = {
        k: v for k, v in os.environ.items() if not k.startswith("SAMSYN_") and k != "DATABASE_URL"
    }
    return {**keep, **variables}


def test_readme_production_section_names_the_variables_of_a_production_deployment():
    env = readme_production_env()
    for variable in ("SAMSYN_SECRET_KEY", "SAMSYN_PERSONAL_DATA_KEY", "SAMSYN_SSL_REDIRECT"):
        assert variable in env


def test_check_deploy_is_clean_with_production_settings():
    """`check --deploy` with exactly the README's Drift variables: no warning at all."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_only(readme_production_env()),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("variable", ["SAMSYN_SECRET_KEY", "SAMSYN_PERSONAL_DATA_KEY"])
def test_production_refuses_to_start_without_its_keys(variable):
    import subprocess
    import sys

    env = _only({**readme_production_env(), variable: ""})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert f"{variable} must be set" in result.stderr


def test_hsts_and_secure_cookies_on_a_real_response(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    UserFactory(username="alice")
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, secure=True
    )
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True and session_cookie["httponly"] is True


def test_password_rules_refuse_short_common_and_numeric_passwords_in_swedish():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("sv"):
        for weak in ("kort", "password1234", "123456789012"):
            with pytest.raises(ValidationError) as refused:
                validate_password(weak)
            assert "lösenord" in " ".join(refused.value.messages).lower()
    validate_password("korrekt-häst-batteri-9")  # a long passphrase passes


def test_ssl_redirect_sends_plain_http_to_https_but_not_the_health_probe(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/halsa/").status_code == 200
