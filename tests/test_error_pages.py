"""404, 403 and 500 are Samsyn's own Swedish pages, also in `make run`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.auth import log_in

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_error_pages_404_and_403_are_samsyns_own_in_swedish(client, alice, sjuharad, mallory):
    log_in(client, mallory)
    missing = client.get("/finns-inte/")
    assert missing.status_code == 404
    assert "Sidan finns inte" in missing.content.decode()
    forbidden = client.get("/forbund/ny/")  # only an administrator sets up a förbund
    assert forbidden.status_code == 403
    assert "Du har inte behörighet till det här" in forbidden.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.error_urls", DEBUG=False)
def test_error_pages_500_is_samsyns_own_in_swedish():
    response = Client(raise_request_exception=False).get("/trasig/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel hos Samsyn" in html and 'lang="sv"' in html
    assert "Traceback" not in html and "a bug" not in html


def test_error_pages_make_run_uses_no_debug_and_takes_its_port():
    env = {**os.environ, "SAMSYN_LOCAL": "true"}
    env.pop("SAMSYN_DEBUG", None)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='samsyn.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.WHITENOISE_USE_FINDERS, s.SESSION_COOKIE_SECURE)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True", "False"]
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "SAMSYN_DEBUG" not in dry
    assert "runserver 127.0.0.1:8123" in dry
    assert "SAMSYN_BASE_URL=http://127.0.0.1:8123" in dry  # the .ics links use it
