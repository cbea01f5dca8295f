"""Production defaults that cost little: persistent connections, a shared cache, Argon2id."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.urls import reverse
from django.utils.module_loading import import_string

from samsyn import settings as production_settings
from tests.factories import UserFactory

PASSWORD = "korrekt-häst-batteri-9"
OWASP_ARGON2ID = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def _settings_with(**env) -> dict:
    """The settings a fresh process builds from this environment (nothing else of ours)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SAMSYN_", "DATABASE_"))}
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'db': s.DATABASES['default'], 'caches': s.CACHES, "
        "'session': s.SESSION_ENGINE, 'hashers': s.PASSWORD_HASHERS}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "samsyn.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(result.stdout)


def test_production_defaults_persistent_connections_with_health_checks():
    sqlite = _settings_with()["db"]
    assert sqlite["CONN_MAX_AGE"] == 60 and sqlite["CONN_HEALTH_CHECKS"] is True
    postgres = _settings_with(DATABASE_URL="postgres://samsyn@db/samsyn")["db"]
    assert postgres["CONN_MAX_AGE"] == 60 and postgres["CONN_HEALTH_CHECKS"] is True
    # Web requests never start parallel workers unless the operator asks for them, and the
    # planner prices random reads as on SSD.
    assert postgres["OPTIONS"]["options"] == (
        "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
    tuned = _settings_with(
        DATABASE_URL="postgres://samsyn@db/samsyn",
        SAMSYN_DB_CONN_MAX_AGE="0",
        SAMSYN_DB_PARALLEL_WORKERS="2",
        SAMSYN_DB_RANDOM_PAGE_COST="4",
    )["db"]
    assert tuned["CONN_MAX_AGE"] == 0
    assert tuned["OPTIONS"]["options"] == (
        "-c max_parallel_workers_per_gather=2 -c random_page_cost=4.0"
    )


def test_production_defaults_cache_is_shared_only_when_configured_and_sessions_stay_revocable():
    embedded = _settings_with()
    assert embedded["caches"]["default"]["BACKEND"].endswith("LocMemCache")
    assert embedded["session"] == "django.contrib.sessions.backends.db"
    shared = _settings_with(SAMSYN_CACHE_URL="redis://127.0.0.1:6379/3")
    assert shared["caches"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["caches"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    # Never signed cookies: a session lives in the database, so it can be ended server-side.
    assert shared["session"] == "django.contrib.sessions.backends.cached_db"


def test_production_defaults_argon2id_at_owasp_parameters(settings):
    # The suite's fast hasher (tests/conftest.py) is swapped out for what production runs.
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    assert _settings_with()["hashers"] == production_settings.PASSWORD_HASHERS
    assert make_password(PASSWORD).startswith(OWASP_ARGON2ID)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "old_hasher",
    [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        # Django's own Argon2 defaults (100 MiB, 8 lanes): same algorithm, other parameters.
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ],
)
def test_production_defaults_existing_hashes_upgrade_to_argon2id_at_next_login(
    client, settings, old_hasher
):
    settings.PASSWORD_HASHERS = [*production_settings.PASSWORD_HASHERS, old_hasher]
    user = UserFactory(username="alice")
    old = import_string(old_hasher)()
    user.password = old.encode(PASSWORD, old.salt())
    user.save(update_fields=["password"])
    assert not user.password.startswith(OWASP_ARGON2ID)

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(OWASP_ARGON2ID)
    assert get_hasher("argon2").verify(PASSWORD, user.password)
