"""Who may see and change meetings, networks and their records.

Permissions follow the förbund or the network a record belongs to. A record of a förbund or
network the user does not belong to is a 404, never a 403.
"""

from __future__ import annotations

import enum

from django.http import Http404

from samsyn.meetings.models import (
    AgendaItem,
    Event,
    GovernmentAssignment,
    Meeting,
    Network,
    NewsItem,
)
from samsyn.parties.access import Decision, Permission, can
from samsyn.parties.models import Forbund, User


class Action(enum.Enum):
    VIEW = "view"
    # Plan meetings, write and approve minutes, follow assignments.
    PLAN = "plan"
    # Share news items and events (networks) or record pipeline steps (förbund).
    SHARE = "share"


FORBUND_PERMISSION = {
    Action.VIEW: Permission.VIEW,
    Action.PLAN: Permission.MANAGE_FORBUND,
    Action.SHARE: Permission.EDIT_PIPELINE,
}
FORBUND_REFUSALS = {
    Action.PLAN: "Bara förbundets kansli planerar möten, skriver och justerar protokoll.",
}


def can_network(user: User, network: Network, action: Action) -> Decision:
    if not user.is_authenticated:
        return Decision(False, "Du är inte inloggad.")
    if not user.is_active:
        return Decision(False, "Ditt konto är inaktiverat.")
    if user.is_superuser:
        return Decision(True)
    if network.coordinators.filter(pk=user.pk).exists():
        return Decision(True)
    is_member = user.organisation_id and network.members.filter(pk=user.organisation_id).exists()
    if not is_member:
        return Decision(False, "Din organisation är inte medlem i nätverket.")
    if action is Action.PLAN:
        return Decision(False, "Bara nätverkets samordnare planerar möten och skriver protokoll.")
    return Decision(True)


def can_owner(user: User, owner: Forbund | Network, action: Action) -> Decision:
    if isinstance(owner, Network):
        return can_network(user, owner, action)
    decision = can(user, owner, FORBUND_PERMISSION[action])
    if not decision and decision.reason != "Du har ingen roll i förbundet.":
        return Decision(False, FORBUND_REFUSALS.get(action, decision.reason))
    return decision


def _get(queryset, pk: int, message: str):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(message)
    return obj


def visible_meetings(user: User):
    return Meeting.objects.visible_to(user).select_related(
        "forbund__organisation", "network", "approved_by", "group"
    )


def access_meeting(user: User, pk: int) -> Meeting:
    return _get(visible_meetings(user), pk, "Mötet finns inte.")


def access_agenda_item(user: User, pk: int) -> AgendaItem:
    return _get(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(user)).select_related(
            "meeting__forbund__organisation", "meeting__network", "need", "idea", "measure"
        ),
        pk,
        "Punkten finns inte.",
    )


def access_network(user: User, pk: int) -> Network:
    return _get(Network.objects.visible_to(user), pk, "Nätverket finns inte.")


def visible_news(user: User):
    return NewsItem.objects.filter(network__in=Network.objects.visible_to(user)).select_related(
        "network"
    )


def visible_events(user: User):
    return Event.objects.filter(network__in=Network.objects.visible_to(user)).select_related(
        "network"
    )


def visible_assignments(user: User):
    return GovernmentAssignment.objects.visible_to(user).select_related(
        "forbund__organisation", "network"
    )


def access_assignment(user: User, pk: int) -> GovernmentAssignment:
    return _get(visible_assignments(user), pk, "Regeringsuppdraget finns inte.")


def owners_for(user: User, action: Action) -> list[Forbund | Network]:
    """The förbund and networks in which the user may do `action` (for choosing an owner)."""
    owners: list[Forbund | Network] = []
    for forbund in Forbund.objects.visible_to(user).select_related("organisation"):
        if can_owner(user, forbund, action):
            owners.append(forbund)
    for network in Network.objects.visible_to(user):
        if can_owner(user, network, action):
            owners.append(network)
    return owners
