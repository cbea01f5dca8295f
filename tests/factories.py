"""Factories: a förbund with its parties in one line, named people in their roles."""

from __future__ import annotations

import datetime as dt

import factory

from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.models import Forbund, ForbundRole, Organisation, User
from samsyn.parties.services import create_forbund
from samsyn.pipeline.models import Idea, IdeaParty, Need
from samsyn.pipeline.steps import IdeaStep


def kommun(code: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.KOMMUN, code=code)


def region(code: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.REGION, code=code)


def af() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.AF)


def fk() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.FK)


def make_forbund(
    name: str = "Sjuhärads samordningsförbund",
    kommun_codes: tuple[str, ...] = ("1490", "1443"),
    region_code: str = "14",
) -> Forbund:
    """A förbund with its kommuner and region; AF and FK join by themselves."""
    return create_forbund(name, [*(kommun(c) for c in kommun_codes), region(region_code)])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("korrekt-häst-batteri-9")


def person(username: str, forbund: Forbund | None, role: str | None, organisation=None) -> User:
    user = UserFactory(username=username, organisation=organisation)
    if forbund is not None and role is not None:
        ForbundRole.objects.create(user=user, forbund=forbund, role=role)
    return user


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"Behov {n}")
    target_group = "Unga vuxna 18–29 år med aktivitetsersättning"
    description = "Behovet kartlades i beredningsgruppen."
    is_finsam_target_group = True
    identified_on = dt.date(2026, 3, 12)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    need = factory.SubFactory(NeedFactory)
    title = factory.Sequence(lambda n: f"Projektidé {n}")
    target_group = factory.LazyAttribute(lambda i: i.need.target_group)
    purpose = "Fler i målgruppen närmar sig arbete."
    step = IdeaStep.NEED_IDENTIFIED


def add_party(
    idea: Idea,
    organisation: Organisation,
    *,
    mandate: bool = True,
    decision: bool = False,
    cofinancier: bool = True,
    rehabilitation: bool = False,
) -> IdeaParty:
    """Record a party directly (for building a scene; real changes go through the verbs)."""
    from django.utils import timezone

    return IdeaParty.objects.create(
        idea=idea,
        organisation=organisation,
        is_cofinancier=cofinancier,
        performs_rehabilitation=rehabilitation,
        mandate_confirmed_at=timezone.now() if mandate else None,
        decision_date=dt.date(2026, 5, 1) if decision else None,
    )


__all__ = [
    "IdeaFactory",
    "NeedFactory",
    "Role",
    "UserFactory",
    "add_party",
    "af",
    "fk",
    "kommun",
    "make_forbund",
    "person",
    "region",
]
