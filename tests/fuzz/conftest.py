"""Fixtures for the fuzz tests: fast password hashing, and a running project with staff."""

import pytest

from tests.followup.scene import running_project


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast's passwords are hashed on every test; MD5 keeps the fuzz budget for fuzzing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def running_idea(sjuharad, alice, bob):
    """Borås stad's running project; bob is its staff (added by alice, the kansli)."""
    return running_project(sjuharad, alice, bob)
