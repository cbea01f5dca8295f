"""The personnummer key comes from the environment; production refuses to start without it."""

import os
import subprocess
import sys

from django.conf import settings

from samsyn.followup import crypto


def _start(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAMSYN_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "samsyn.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_the_key():
    result = _start(SAMSYN_REQUIRE_SECRET="true", SAMSYN_SECRET_KEY="x" * 50)
    assert "SAMSYN_PERSONAL_DATA_KEY must be set in production" in result.stderr


def test_a_malformed_key_is_refused_at_start():
    result = _start(SAMSYN_PERSONAL_DATA_KEY="not-a-key")
    assert "must be a Fernet key" in result.stderr


def test_the_hash_depends_on_the_key():
    first = crypto.keyed_hash("198112189876")
    from django.test import override_settings

    with override_settings(SAMSYN_PERSONAL_DATA_KEY="Wl5Nh7p1H6a3nUgnyP4x0Pq7-1rZQ8oVv7mkq2nWf0I="):
        assert crypto.keyed_hash("198112189876") != first
    assert settings.SAMSYN_PERSONAL_DATA_KEY
