"""The whole demo, app by app, lowest layer first (parties and pipeline, then calls,
meetings and follow-up). It lives at project level because it spans every app."""

from django.db import transaction

from samsyn.calls.demo import CALLS_LOGINS, load_calls_demo
from samsyn.followup.demo import load_followup_demo
from samsyn.meetings.demo import load_meetings_demo
from samsyn.pipeline.demo import DEMO_PASSWORD, demo_exists, demo_logins, load_demo

__all__ = ["DEMO_PASSWORD", "all_demo_logins", "demo_exists", "load_everything"]


@transaction.atomic
def load_everything() -> None:
    load_demo()
    load_calls_demo()
    load_meetings_demo()
    load_followup_demo()


def all_demo_logins() -> list[tuple[str, str]]:
    return [*demo_logins(), *CALLS_LOGINS]
