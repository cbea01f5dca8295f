"""Samsyn's own settings, plus the floor URL (bench/loadtest_urls.py) and the per-request budget
header (bench/budget.py), outermost so that it counts every middleware."""

from samsyn.settings import *  # noqa: F403
from samsyn.settings import MIDDLEWARE

ROOT_URLCONF = "loadtest_urls"
MIDDLEWARE = ["budget.budget", *MIDDLEWARE]
