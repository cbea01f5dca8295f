"""Two saves from the same version, at the same moment, in two real PostgreSQL transactions.

Each thread has its own database connection. Both read version n (as two people opening the
form), meet at a barrier, then save. The one that locks the row first keeps its transaction
open until PostgreSQL shows the other one waiting for that lock, so the two really overlap.
Exactly one save may win; the other must get the domain's stale-edit error, never a silent
overwrite.

All records race in one test: each transactional test empties and refills the whole database,
which costs seconds on PostgreSQL, while a race itself takes a fraction of one.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction

from samsyn.calls import services as calls
from samsyn.followup import services as followup
from samsyn.parties.models import User
from samsyn.pipeline import services as pipeline
from tests.concurrency import scene

ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRESQL, reason="radlås och samtidiga transaktioner: PostgreSQL"),
    # Real commits from other connections; the migrated reference data comes back afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Long enough for a loaded CI machine; only reached when the test is about to fail.
PATIENCE = 20.0


@dataclass(frozen=True)
class Race:
    build: Callable[[Any], Any]  # cast -> record
    save: Callable[..., Any]  # save(record, by=, expected_version=, **changes)
    racers: tuple[str, str]
    changes: tuple[dict[str, Any], dict[str, Any]]  # what each racer saves
    stale: type[Exception]


RACES = [
    (
        Race(
            lambda c: scene.need(c.forbund, c.alice),
            pipeline.update_need,
            ("alice", "bob"),
            ({"title": "Alices rubrik"}, {"title": "Bobs rubrik"}),
            pipeline.StaleEdit,
        ),
        "behov",
    ),
    (
        Race(
            lambda c: scene.idea(c.forbund, c.bob),
            pipeline.update_idea,
            ("bob", "carin"),
            ({"goals": "Bobs mål"}, {"goals": "Carins mål"}),
            pipeline.StaleEdit,
        ),
        "projektidé",
    ),
    (
        Race(
            lambda c: scene.application(c.forbund, c.bob),
            calls.update_application,
            ("bob", "alice"),
            ({"project_manager": "Pia Persson"}, {"project_manager": "Kim Karlsson"}),
            pipeline.StaleEdit,
        ),
        "ansökan",
    ),
    (
        Race(
            lambda c: scene.participant(c.forbund, c.alice, c.bob, c.carin),
            followup.update_participant,
            ("bob", "carin"),
            ({"ended_on": dt.date(2025, 11, 1)}, {"ended_on": dt.date(2025, 10, 15)}),
            followup.StaleParticipant,
        ),
        "deltagare",
    ),
]


@dataclass
class Cast:
    forbund: Any
    alice: User
    bob: User
    carin: User


def _someone_waits_for_my_lock(give_up: threading.Event) -> bool:
    """True once another backend is blocked by a lock this transaction holds."""
    deadline = time.monotonic() + PATIENCE
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and not give_up.is_set():
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks "
                "WHERE NOT granted AND pg_backend_pid() = ANY (pg_blocking_pids(pid)))"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)
    return False


def _race(
    race: Race, record: Any, *, versioned: bool = True
) -> tuple[dict[str, Any], dict[str, bool]]:
    """Both racers read the record, meet at a barrier and save.

    Returns what each got ("saved" or the exception) and, for each racer that held the lock,
    whether the other was seen waiting for it.
    """
    model = type(record)
    both_have_read = threading.Barrier(2, timeout=PATIENCE)
    one_is_done = threading.Event()  # the other has nothing left to wait for
    outcome: dict[str, Any] = {}
    other_waited: dict[str, bool] = {}

    def save(racer: str, changes: dict[str, Any]) -> None:
        try:
            user = User.objects.get(username=racer)
            mine = model.objects.get(pk=record.pk)  # opens the form: version n
            both_have_read.wait()
            with transaction.atomic():
                version = mine.version if versioned else None
                race.save(mine, by=user, expected_version=version, **changes)
                # Hold the row (and the uncommitted change) until the other save waits for it.
                other_waited[racer] = _someone_waits_for_my_lock(one_is_done)
            outcome[racer] = "saved"
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            outcome[racer] = exc
        finally:
            one_is_done.set()
            connection.close()

    threads = [
        threading.Thread(target=save, args=(racer, changes))
        for racer, changes in zip(race.racers, race.changes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE * 2)
    assert not any(t.is_alive() for t in threads)
    return outcome, other_waited


def _stored(record: Any, changes: dict[str, Any]) -> dict[str, Any]:
    record.refresh_from_db()
    return {field: getattr(record, field) for field in changes}


def test_two_saves_at_the_same_moment_one_wins_the_other_is_stale(sjuharad, alice, bob, carin):
    cast = Cast(sjuharad, alice, bob, carin)
    for race, name in RACES:
        record = race.build(cast)
        version = record.version

        outcome, other_waited = _race(race, record)

        winners = [r for r in race.racers if outcome.get(r) == "saved"]
        assert len(winners) == 1, (name, outcome)
        [winner] = winners
        [loser] = [r for r in race.racers if r != winner]
        assert other_waited == {winner: True}, f"{name}: the two saves never overlapped"
        assert isinstance(outcome[loser], race.stale), (name, outcome)
        assert "Någon annan har ändrat" in str(outcome[loser])
        changes = race.changes[race.racers.index(winner)]
        assert _stored(record, changes) == changes, name
        assert record.version == version + 1, name

    # Without a version (an API PATCH that leaves "version" out) each save changes only the
    # fields it names, on the row as it is under the lock: two at once on different fields
    # both stay.
    blind = Race(
        lambda c: scene.need(c.forbund, c.alice),
        pipeline.update_need,
        ("alice", "bob"),
        ({"title": "Alices rubrik"}, {"description": "Bobs beskrivning"}),
        pipeline.StaleEdit,
    )
    record = blind.build(cast)
    version = record.version

    outcome, other_waited = _race(blind, record, versioned=False)

    assert outcome == {"alice": "saved", "bob": "saved"}
    assert sorted(other_waited.values()) == [False, True], "the two saves never overlapped"
    assert _stored(record, blind.changes[0] | blind.changes[1]) == {
        "title": "Alices rubrik",
        "description": "Bobs beskrivning",
    }
    assert record.version == version + 2
