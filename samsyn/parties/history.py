"""Who made a change, for the model history, when a verb runs outside a web request.

The history middleware names the user of a web request. A verb called from a task, a
management command or a test has no request, and `objects.create`, `get_or_create` and
queryset deletes give no instance to set `_history_user` on; `acting_as(by)` fills the gap.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

_acting: ContextVar[Any] = ContextVar("samsyn_acting_user", default=None)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


@receiver(pre_create_historical_record)
def _fill_history_user(sender, history_instance, **kwargs) -> None:
    user = _acting.get()
    if history_instance.history_user_id is None and user is not None:
        history_instance.history_user = user
