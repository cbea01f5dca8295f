"""Fixtures for the fuzz tests: a running project with staff."""

import pytest

from tests.followup.scene import running_project


@pytest.fixture
def running_idea(sjuharad, alice, bob):
    """Borås stad's running project; bob is its staff (added by alice, the kansli)."""
    return running_project(sjuharad, alice, bob)
