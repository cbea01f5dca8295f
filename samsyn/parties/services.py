"""Verbs on organisations and förbund."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction

from samsyn.parties.access import forget_roles
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.history import acting_as
from samsyn.parties.models import ApiToken, Forbund, Organisation, User


class ForbundError(Exception):
    """A förbund could not be created or changed; the message is Swedish and shown to the user."""


def state_party(kind: OrganisationKind) -> Organisation:
    return Organisation.objects.get(kind=kind, code="")


def validate_forbund_members(members: Iterable[Organisation]) -> list[str]:
    kinds = {m.kind for m in members}
    errors = []
    if OrganisationKind.KOMMUN not in kinds:
        errors.append("Ett samordningsförbund måste ha minst en kommun som medlem.")
    if OrganisationKind.REGION not in kinds:
        errors.append("Ett samordningsförbund måste ha minst en region som medlem.")
    other = sorted(
        m.name
        for m in members
        if m.kind
        not in (
            OrganisationKind.KOMMUN,
            OrganisationKind.REGION,
            OrganisationKind.AF,
            OrganisationKind.FK,
        )
    )
    if other:
        errors.append(
            "Bara kommuner och regioner (utöver Arbetsförmedlingen och Försäkringskassan) kan "
            "vara medlemmar i ett samordningsförbund: " + ", ".join(other) + "."
        )
    return errors


@transaction.atomic
def create_forbund(name: str, members: Iterable[Organisation]) -> Forbund:
    """Create a förbund; Arbetsförmedlingen and Försäkringskassan are always members."""
    members = list(members)
    name = name.strip()
    if not name:
        raise ForbundError("Ange förbundets namn.")
    errors = validate_forbund_members(members)
    if errors:
        raise ForbundError(" ".join(errors))
    # Compared in Python: SQLite's case-insensitive match folds only ASCII, not Å, Ä, Ö.
    existing = Organisation.objects.filter(kind=OrganisationKind.FORBUND).values_list(
        "name", flat=True
    )
    if any(other.casefold() == name.casefold() for other in existing):
        raise ForbundError(f"Det finns redan ett förbund som heter {name}.")
    organisation = Organisation.objects.create(name=name, kind=OrganisationKind.FORBUND)
    forbund = Forbund.objects.create(organisation=organisation)
    forbund.members.set(
        [*members, state_party(OrganisationKind.AF), state_party(OrganisationKind.FK)]
    )
    return forbund


@transaction.atomic
def set_forbund_members(forbund: Forbund, members: Iterable[Organisation]) -> None:
    members = [m for m in members if m.kind not in (OrganisationKind.AF, OrganisationKind.FK)]
    errors = validate_forbund_members(members)
    if errors:
        raise ForbundError(" ".join(errors))
    forbund.members.set(
        [*members, state_party(OrganisationKind.AF), state_party(OrganisationKind.FK)]
    )


def add_forbund_member(forbund: Forbund, organisation: Organisation) -> None:
    """One kommun or region joins; the others stay as they are."""
    set_forbund_members(forbund, [*forbund.members.all(), organisation])


def remove_forbund_member(forbund: Forbund, organisation: Organisation) -> None:
    """One kommun or region leaves; the förbund keeps at least one of each."""
    if organisation.kind in (OrganisationKind.AF, OrganisationKind.FK):
        raise ForbundError(f"{organisation} är alltid medlem i ett samordningsförbund.")
    set_forbund_members(forbund, forbund.members.exclude(pk=organisation.pk))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User) -> str:
    """Create (or replace) the user's API token and return it; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.update_or_create(user=user, defaults={"digest": token_digest(token)})
    return token


def user_for_token(token: str) -> User | None:
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), user__is_active=True)
        .first()
    )
    return found.user if found else None


@transaction.atomic
def set_role(forbund: Forbund, user: User, role: str, *, by: User | None = None) -> None:
    from samsyn.parties.choices import Role
    from samsyn.parties.models import ForbundRole

    if role not in Role.values:
        raise ForbundError("Välj en roll: kansli, ledamot i beredningsgrupp eller läsare.")
    if not user.is_active:
        raise ForbundError("Det finns ingen aktiv användare med det användarnamnet.")
    with acting_as(by):
        ForbundRole.objects.update_or_create(user=user, forbund=forbund, defaults={"role": role})
    forget_roles(user)


@transaction.atomic
def remove_role(forbund: Forbund, user: User, *, by: User | None = None) -> None:
    from samsyn.parties.choices import Role
    from samsyn.parties.models import ForbundRole

    roles = ForbundRole.objects.select_for_update().filter(forbund=forbund)
    if not roles.filter(user=user).exists():
        raise ForbundError(f"{user} har ingen roll i förbundet.")
    last_kansli = not roles.filter(role=Role.KANSLI).exclude(user=user).exists()
    if last_kansli and roles.filter(user=user, role=Role.KANSLI).exists():
        raise ForbundError("Förbundet måste ha minst en person i kansliet.")
    with acting_as(by):  # the queryset delete writes the history rows, one per role
        roles.filter(user=user).delete()
    forget_roles(user)


# Beredningsgrupper ---------------------------------------------------------------------------


@transaction.atomic
def create_group(forbund: Forbund, name: str, *, by: User | None = None):
    from samsyn.parties.models import PreparatoryGroup

    name = name.strip()
    if not name:
        raise ForbundError("Ange beredningsgruppens namn.")
    if PreparatoryGroup.objects.filter(forbund=forbund, name__iexact=name).exists():
        raise ForbundError(f"Förbundet har redan en beredningsgrupp som heter {name}.")
    with acting_as(by):
        return PreparatoryGroup.objects.create(forbund=forbund, name=name)


@transaction.atomic
def remove_group(group, *, by: User | None = None) -> None:
    """A group in which needs were identified, or that held meetings, stays: the follow-up
    counts ideas per group."""
    if group.needs.exists() or group.meetings.exists():
        raise ForbundError(
            f"{group} har behov eller möten kopplade till sig och kan inte tas bort; "
            "flytta dem till en annan grupp först."
        )
    with acting_as(by):
        group.members.all().delete()
        group.delete()


@transaction.atomic
def add_group_member(group, user: User, organisation: Organisation, *, by: User | None = None):
    """A named representative of one of the förbund's parties."""
    from samsyn.parties.models import PreparatoryGroupMember

    if not group.forbund.members.filter(pk=organisation.pk).exists():
        raise ForbundError(f"{organisation} är inte medlem i förbundet.")
    if user.organisation_id != organisation.pk:
        raise ForbundError(
            f"Det finns ingen aktiv användare med det användarnamnet hos {organisation}."
        )
    if group.members.filter(user=user).exists():
        raise ForbundError(f"{user} är redan ledamot i {group}.")
    with acting_as(by):
        return PreparatoryGroupMember.objects.create(
            group=group, user=user, organisation=organisation
        )


@transaction.atomic
def remove_group_member(member, *, by: User | None = None) -> None:
    with acting_as(by):
        member.delete()
