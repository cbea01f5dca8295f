"""Who may do what in a förbund. Every page and API endpoint asks here."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import Http404

from samsyn.parties.choices import Role
from samsyn.parties.models import Forbund, ForbundRole, User


class Permission(enum.Enum):
    VIEW = "view"
    EDIT_PIPELINE = "edit_pipeline"
    MANAGE_FORBUND = "manage_forbund"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.KANSLI: frozenset(Permission),
    Role.BEREDNING: frozenset({Permission.VIEW, Permission.EDIT_PIPELINE}),
    Role.READER: frozenset({Permission.VIEW}),
}

REFUSAL_MESSAGES = {
    Permission.VIEW: "Du har ingen roll i förbundet.",
    Permission.EDIT_PIPELINE: (
        "Din roll i förbundet är läsare; bara kansliet och beredningsgruppens ledamöter "
        "kan ändra i processen."
    ),
    Permission.MANAGE_FORBUND: "Bara förbundets kansli kan ändra förbundet och dess parter.",
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


# The roles of the users of the request being served: user id → {förbund id → role}. Set by
# samsyn.parties.middleware.permission_memo for the length of one request; None outside one
# (tests, tasks, the shell), where every answer is read from the database.
_request_roles: ContextVar[dict[int, dict[int, str]] | None] = ContextVar(
    "samsyn_request_roles", default=None
)


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """Permission answers are memoised inside: a page asks can() often, the roles once."""
    token = _request_roles.set({})
    try:
        yield
    finally:
        _request_roles.reset(token)


def forget_roles(user: User) -> None:
    """A role changed in this request: read the user's roles afresh."""
    memo = _request_roles.get()
    if memo is not None:
        memo.pop(user.pk, None)


def role_in(user: User, forbund: Forbund) -> str | None:
    memo = _request_roles.get()
    if memo is None:
        role = ForbundRole.objects.filter(user=user, forbund=forbund).values_list("role", flat=True)
        return next(iter(role), None)
    roles = memo.get(user.pk)
    if roles is None:
        roles = dict(ForbundRole.objects.filter(user=user).values_list("forbund_id", "role"))
        memo[user.pk] = roles
    return roles.get(forbund.pk)


def can(user: User, forbund: Forbund, permission: Permission) -> Decision:
    if not user.is_authenticated:
        return Decision(False, "Du är inte inloggad.")
    if not user.is_active:
        return Decision(False, "Ditt konto är inaktiverat.")
    if user.is_superuser:
        return Decision(True)
    role = role_in(user, forbund)
    if role is None:
        return Decision(False, REFUSAL_MESSAGES[Permission.VIEW])
    if permission in ROLE_PERMISSIONS[role]:
        return Decision(True)
    return Decision(False, REFUSAL_MESSAGES[permission])


def access_forbund(user: User, pk: int) -> Forbund:
    """The förbund if the user may see it; otherwise 404, so its existence is not revealed."""
    try:
        return Forbund.objects.visible_to(user).select_related("organisation").get(pk=pk)
    except Forbund.DoesNotExist as exc:
        raise Http404("Förbundet finns inte.") from exc
