"""Follow-up figures kept in the shared cache, keyed by förbund and period.

Every förbund has a data version (a random token in the cache). A report's key holds the
versions of the förbund it covers, plus one version for data that belongs to no single förbund
(organisations, memberships, a restore). Every write in a förbund replaces its token
(samsyn/followup/signals.py), so the next report misses the cache and is computed afresh; old
entries simply expire. A version that is missing from the cache (evicted, or a fresh Redis)
gets a new token, so an entry computed under an old token can never be served.

Only over a shared cache (SAMSYN_CACHE_URL): a local-memory cache is one per process, and a
write in one gunicorn worker would not reach the others (SAMSYN_REPORT_CACHE).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

TIMEOUT_SECONDS = 3600
LOCK_SECONDS = 60  # a computation that takes longer than this lets the next one start
WAIT_SECONDS = 10  # how long a reader waits for another request's computation
POLL_SECONDS = 0.05
EVERYWHERE = "all"
# Bumped with every write, whichever förbund: one version for what shows every förbund's data.
ANY_WRITE = "any"


# How many bumps this thread's request has made: a page computed while it wrote is not kept
# (samsyn/page_cache.py).
_bumps: ContextVar[int] = ContextVar("samsyn_data_version_bumps", default=0)


def writes_so_far() -> int:
    return _bumps.get()


def enabled() -> bool:
    return settings.SAMSYN_REPORT_CACHE


def _version_key(scope: int | str) -> str:
    return f"followup:version:{scope}"


def versions(forbund_ids: Iterable[int | str]) -> list[str]:
    """The data versions of EVERYWHERE and of these förbund (or ANY_WRITE)."""
    keys = [_version_key(EVERYWHERE), *(_version_key(pk) for pk in forbund_ids)]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return [found.get(k, "") for k in keys]


def _bump_now(forbund_ids: Iterable[int | str]) -> None:
    cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in forbund_ids}, timeout=None)


def bump(forbund_ids: Iterable[int | str]) -> None:
    """A write in these förbund (EVERYWHERE: in all): their cached reports are stale.

    Now, so the writer's own next request sees it; and again after the commit, so a report that
    another request computed from the data before the commit is not kept.
    """
    if not enabled():
        return
    ids = [*forbund_ids, ANY_WRITE]
    _bumps.set(_bumps.get() + 1)
    _bump_now(ids)
    transaction.on_commit(lambda: _bump_now(ids))


def cached(name: str, forbund_ids: Iterable[int], parts: object, compute: Callable[[], T]) -> T:
    """compute(), or its result from the cache for the same förbund, parts and data versions."""
    if not enabled():
        return compute()
    ids = sorted(set(forbund_ids))
    raw = json.dumps([name, ids, parts, versions(ids)], default=str, sort_keys=True)
    key = f"followup:report:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    value = cache.get(key)
    if value is not None:
        return value
    # One computation per key at a time, on every node: when a write (or a fresh cache) makes
    # fifty readers miss at once, one computes and the others wait for its answer instead of
    # each running the same national-scale queries (the load test's first seconds).
    lock = f"{key}:computing"
    if not cache.add(lock, "1", timeout=LOCK_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            value = cache.get(key)
            if value is not None:
                return value
        # The computing request died or is slow: answer anyway, never fail the page.
        return compute()
    try:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    finally:
        cache.delete(lock)
    return value
