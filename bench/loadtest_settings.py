"""Samsyn's own settings, plus the floor URL of the load test (bench/loadtest_urls.py)."""

from samsyn.settings import *  # noqa: F403

ROOT_URLCONF = "loadtest_urls"
