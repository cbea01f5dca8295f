"""Access is re-checked where the data leaves: every task that sends mail decides its
recipients when it runs, from who may see the record then, not when it was queued.

For every mail task (found in the code, so a new one without a scenario fails here): queue
it, take away one recipient's access (role removed, or account deactivated), run it; that
person gets nothing and the one who still has access gets the mail.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.base import Task

import samsyn
from samsyn.meetings import services
from samsyn.parties.models import ForbundRole, User
from tests.factories import kommun
from tests.meetings.conftest import at


def _all_tasks() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(samsyn.__path__, "samsyn."):
        if info.name.rsplit(".", 1)[-1] != "tasks":
            continue
        module = importlib.import_module(info.name)
        found |= {v.name for v in vars(module).values() if isinstance(v, Task)}
    return found


@dataclass
class Setup:
    kept: User  # still has access when the task runs
    losing: User  # loses it between queueing and sending
    lose_role: Callable[[], None]


def _forbund_meeting(sjuharad, alice, bob, carin, days: int = 7):
    meeting = services.plan_meeting(
        by=alice, forbund=sjuharad, title="Beredningsgruppens möte", starts_at=at(days)
    )
    services.add_attendee(meeting, by=alice, organisation=kommun("1490"), name="Bob", user=bob)
    services.add_attendee(meeting, by=alice, organisation=kommun("1490"), name="Carin", user=carin)
    services.add_agenda_item(meeting, by=alice, title="Nya behov")
    meeting.refresh_from_db()
    return meeting


def queue_agenda(fixtures, capture) -> Setup:
    alice, bob, carin = fixtures["alice"], fixtures["bob"], fixtures["carin"]
    meeting = _forbund_meeting(fixtures["sjuharad"], alice, bob, carin)
    with capture(execute=True):
        services.send_agenda(meeting, by=alice)
    return Setup(carin, bob, lambda: ForbundRole.objects.filter(user=bob).delete())


def queue_minutes(fixtures, capture) -> Setup:
    alice, bob, carin = fixtures["alice"], fixtures["bob"], fixtures["carin"]
    # Minutes are approved after the meeting has been held.
    meeting = _forbund_meeting(fixtures["sjuharad"], alice, bob, carin, days=-7)
    with capture(execute=True):
        services.approve_minutes(meeting, by=alice, adjusters="Carin")
    return Setup(carin, bob, lambda: ForbundRole.objects.filter(user=bob).delete())


def queue_network_minutes(fixtures, capture) -> Setup:
    alice, bob, dora = fixtures["alice"], fixtures["bob"], fixtures["dora"]
    network = fixtures["network"]
    meeting = services.plan_meeting(
        by=alice, network=network, title="Nätverksträff", starts_at=at(-3)
    )
    services.add_attendee(meeting, by=alice, organisation=kommun("1490"), name="Bob", user=bob)
    services.add_attendee(meeting, by=alice, organisation=kommun("1490"), name="Dora", user=dora)
    services.add_agenda_item(meeting, by=alice, title="Omvärldsbevakning")
    meeting.refresh_from_db()
    with capture(execute=True):
        services.approve_minutes(meeting, by=alice, adjusters="Dora")
    # Borås leaves the network: bob's way in was his organisation's membership.
    return Setup(dora, bob, lambda: network.members.remove(kommun("1490")))


def queue_digest(fixtures, capture) -> Setup:
    from samsyn.meetings import tasks

    alice, bob, dora = fixtures["alice"], fixtures["bob"], fixtures["dora"]
    network = fixtures["network"]
    services.share_news(
        network,
        by=alice,
        title="Komvux för skyddsbehövande",
        source="Länsstyrelsen",
        published_on=timezone.localdate(),
    )
    services.subscribe(network, user=bob)
    services.subscribe(network, user=dora)
    tasks.send_weekly_digest.enqueue(network.pk)
    return Setup(dora, bob, lambda: network.members.remove(kommun("1490")))


SCENARIOS = {
    "send_agenda": [queue_agenda],
    "send_minutes": [queue_minutes, queue_network_minutes],
    "send_weekly_digest": [queue_digest],
}


def test_mail_access_every_mail_task_has_a_scenario():
    assert _all_tasks() == set(SCENARIOS)


@pytest.mark.parametrize("lose", ["role_removed", "deactivated"])
@pytest.mark.parametrize(
    "queue", [q for qs in SCENARIOS.values() for q in qs], ids=lambda q: q.__name__
)
def test_mail_access_is_rechecked_when_the_task_runs(
    queue, lose, sjuharad, alice, bob, carin, dora, network, django_capture_on_commit_callbacks
):
    fixtures = {
        "sjuharad": sjuharad,
        "alice": alice,
        "bob": bob,
        "carin": carin,
        "dora": dora,
        "network": network,
    }
    default_task_backend.clear()
    setup = queue(fixtures, django_capture_on_commit_callbacks)
    queued = list(default_task_backend.results)
    assert queued and mail.outbox == []  # queued, not sent
    if lose == "role_removed":
        setup.lose_role()
    else:
        User.objects.filter(pk=setup.losing.pk).update(is_active=False)
    for result in queued:
        result.task.call(*result.args, **result.kwargs)
    recipients = {to for message in mail.outbox for to in message.to}
    assert setup.losing.email not in recipients
    assert setup.kept.email in recipients
    # Nothing of the record leaves in any other way (e.g. to the list of the kept one).
    assert all(message.to == [setup.kept.email] for message in mail.outbox)


def test_mail_access_digest_shows_each_recipient_only_what_they_may_see(
    network, alice, bob, dora, settings
):
    """The digest is rendered per recipient, from that recipient's own access."""
    from samsyn.meetings import tasks

    services.share_news(
        network,
        by=alice,
        title="Komvux för skyddsbehövande",
        source="Länsstyrelsen",
        published_on=timezone.localdate(),
    )
    context = tasks.digest_context(network, timezone.localdate(), dora)
    assert [n.title for n in context["news"]] == ["Komvux för skyddsbehövande"]
    network.members.remove(kommun("1490"))
    context = tasks.digest_context(network, timezone.localdate(), bob)
    assert not context["news"].exists()
