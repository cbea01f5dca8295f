"""Förbund: who belongs, who may see and do what, and the API keys people act with."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.http import Http404

from samsyn.parties.access import Decision, Permission, access_forbund, can
from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.models import ApiToken, Forbund, Organisation
from samsyn.parties.services import (
    ForbundError,
    create_forbund,
    issue_api_token,
    set_forbund_members,
    user_for_token,
)
from tests.factories import UserFactory, af, fk, kommun, person, region

pytestmark = pytest.mark.django_db


def member_names(forbund: Forbund) -> set[str]:
    return set(forbund.members.values_list("name", flat=True))


@pytest.fixture
def sara(db):
    """A superuser who runs the installation."""
    return UserFactory(username="sara", is_superuser=True, is_staff=True)


# Creating a förbund and changing its members ---------------------------------------------------


def test_create_forbund_makes_af_and_fk_members(db):
    forbund = create_forbund("  Samordningsförbundet Gotland ", [kommun("0980"), region("09")])
    assert forbund.name == "Samordningsförbundet Gotland"
    assert forbund.organisation.kind == OrganisationKind.FORBUND
    # Gotland is a member twice, as kommun and as region, both called Region Gotland.
    assert member_names(forbund) == {
        "Region Gotland",
        "Arbetsförmedlingen",
        "Försäkringskassan",
    }
    assert set(forbund.members.values_list("kind", flat=True)) == {"kommun", "region", "af", "fk"}
    # Naming AF or FK explicitly does not make them members twice.
    other = create_forbund("Förbundet med FK", [kommun("1490"), region("14"), fk(), af()])
    assert other.members.count() == 4


def test_create_forbund_refused_without_kommun_or_region(db):
    with pytest.raises(ForbundError) as refusal:
        create_forbund("Bara regionen", [region("14")])
    assert str(refusal.value) == "Ett samordningsförbund måste ha minst en kommun som medlem."
    with pytest.raises(ForbundError) as refusal:
        create_forbund("Bara kommunen", [kommun("1490"), af(), fk()])
    assert str(refusal.value) == "Ett samordningsförbund måste ha minst en region som medlem."
    with pytest.raises(ForbundError) as refusal:
        create_forbund("Ingen alls", [])
    assert "minst en kommun" in str(refusal.value) and "minst en region" in str(refusal.value)
    assert not Organisation.objects.filter(kind=OrganisationKind.FORBUND).exists()
    assert not Forbund.objects.exists()


def test_create_forbund_refuses_other_actors_as_members_and_an_empty_name(db):
    skola = Organisation.objects.create(name="Folkhögskolan", kind=OrganisationKind.OTHER)
    with pytest.raises(ForbundError) as refusal:
        create_forbund("Med skola", [kommun("1490"), region("14"), skola])
    assert "Bara kommuner och regioner" in str(refusal.value)
    assert "Folkhögskolan." in str(refusal.value)
    with pytest.raises(ForbundError, match="Ange förbundets namn."):
        create_forbund("   ", [kommun("1490"), region("14")])
    assert not Forbund.objects.exists()


def test_create_forbund_refuses_a_duplicate_name(sjuharad):
    with pytest.raises(ForbundError) as refusal:
        create_forbund(" sjuhärads SAMORDNINGSFÖRBUND", [kommun("1415"), region("14")])
    assert str(refusal.value) == (
        "Det finns redan ett förbund som heter sjuhärads SAMORDNINGSFÖRBUND."
    )
    assert Forbund.objects.count() == 1


def test_set_forbund_members_keeps_af_and_fk(sjuharad):
    set_forbund_members(sjuharad, [kommun("1490"), kommun("1466"), region("14")])
    assert member_names(sjuharad) == {
        "Borås stad",
        "Herrljunga kommun",
        "Västra Götalandsregionen",
        "Arbetsförmedlingen",
        "Försäkringskassan",
    }
    # Even a list that names AF and FK: they stay, once each.
    set_forbund_members(sjuharad, [kommun("1490"), region("14"), af()])
    assert sjuharad.members.count() == 4
    assert {af().pk, fk().pk} <= set(sjuharad.members.values_list("pk", flat=True))


def test_set_forbund_members_refused_without_a_region_changes_nothing(sjuharad):
    before = member_names(sjuharad)
    with pytest.raises(ForbundError, match="minst en region"):
        set_forbund_members(sjuharad, [kommun("1490"), af(), fk()])
    assert member_names(sjuharad) == before


# Access -------------------------------------------------------------------------------------


def test_forbund_visible_only_to_people_with_a_role(sjuharad, alv_och_kust, alice, erik, mallory):
    assert list(Forbund.objects.visible_to(alice)) == [sjuharad]
    assert list(Forbund.objects.visible_to(erik)) == [sjuharad]
    assert list(Forbund.objects.visible_to(mallory)) == [alv_och_kust]
    nobody = UserFactory(username="nils")
    assert not Forbund.objects.visible_to(nobody).exists()
    assert not Forbund.objects.visible_to(AnonymousUser()).exists()


def test_superuser_sees_all_and_inactive_users_see_nothing(sjuharad, alv_och_kust, alice, sara):
    assert set(Forbund.objects.visible_to(sara)) == {sjuharad, alv_och_kust}
    assert access_forbund(sara, alv_och_kust.pk) == alv_och_kust

    for user in (alice, sara):
        user.is_active = False
        user.save()
        assert not Forbund.objects.visible_to(user).exists()
        with pytest.raises(Http404):
            access_forbund(user, sjuharad.pk)
        refusal = can(user, sjuharad, Permission.VIEW)
        assert not refusal
        assert refusal.reason


def test_access_forbund_is_404_without_a_role(sjuharad, alv_och_kust, alice, mallory):
    assert access_forbund(alice, sjuharad.pk) == sjuharad
    with pytest.raises(Http404, match="Förbundet finns inte"):
        access_forbund(alice, alv_och_kust.pk)
    with pytest.raises(Http404):
        access_forbund(mallory, sjuharad.pk)
    with pytest.raises(Http404):
        access_forbund(alice, 987654)


KANSLI_ONLY = "Bara förbundets kansli kan ändra förbundet och dess parter."
READER_REFUSED = (
    "Din roll i förbundet är läsare; bara kansliet och beredningsgruppens ledamöter "
    "kan ändra i processen."
)


@pytest.mark.parametrize(
    ("who", "permission", "allowed", "reason"),
    [
        ("alice", Permission.VIEW, True, ""),
        ("alice", Permission.EDIT_PIPELINE, True, ""),
        ("alice", Permission.MANAGE_FORBUND, True, ""),
        ("bob", Permission.VIEW, True, ""),
        ("bob", Permission.EDIT_PIPELINE, True, ""),
        ("bob", Permission.MANAGE_FORBUND, False, KANSLI_ONLY),
        ("erik", Permission.VIEW, True, ""),
        ("erik", Permission.EDIT_PIPELINE, False, READER_REFUSED),
        ("erik", Permission.MANAGE_FORBUND, False, KANSLI_ONLY),
        ("mallory", Permission.VIEW, False, "Du har ingen roll i förbundet."),
        ("mallory", Permission.EDIT_PIPELINE, False, "Du har ingen roll i förbundet."),
        ("mallory", Permission.MANAGE_FORBUND, False, "Du har ingen roll i förbundet."),
    ],
)
def test_can_per_role_gives_a_swedish_reason(request, sjuharad, who, permission, allowed, reason):
    user = request.getfixturevalue(who)
    decision = can(user, sjuharad, permission)
    assert decision == Decision(allowed, reason)
    assert bool(decision) is allowed


def test_can_for_anonymous_and_superuser(sjuharad, sara):
    assert can(AnonymousUser(), sjuharad, Permission.VIEW) == Decision(
        False, "Du är inte inloggad."
    )
    for permission in Permission:
        assert can(sara, sjuharad, permission)


def test_a_role_in_one_forbund_gives_nothing_in_another(sjuharad, alv_och_kust, alice):
    assert can(alice, sjuharad, Permission.MANAGE_FORBUND)
    assert not can(alice, alv_och_kust, Permission.VIEW)
    person("alice", alv_och_kust, Role.READER)
    assert can(alice, alv_och_kust, Permission.VIEW)
    assert not can(alice, alv_och_kust, Permission.EDIT_PIPELINE)


# API keys -----------------------------------------------------------------------------------


def test_api_token_command_prints_a_token_and_only_its_digest_is_stored(alice, bob):
    out = StringIO()
    call_command("api_token", "alice", stdout=out)
    token = out.getvalue().strip()
    assert len(token) >= 40
    assert user_for_token(token) == alice

    stored = ApiToken.objects.get(user=alice)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.digest
    assert not ApiToken.objects.filter(digest=token).exists()

    assert user_for_token(token + "x") is None
    assert user_for_token("") is None

    # A new key replaces the old one.
    call_command("api_token", "alice", stdout=(out := StringIO()))
    new_token = out.getvalue().strip()
    assert new_token != token
    assert user_for_token(new_token) == alice
    assert user_for_token(token) is None
    assert ApiToken.objects.filter(user=alice).count() == 1

    # Each person has their own key.
    assert user_for_token(issue_api_token(bob)) == bob


def test_api_token_of_an_inactive_user_resolves_to_nobody(alice):
    token = issue_api_token(alice)
    alice.is_active = False
    alice.save()
    assert user_for_token(token) is None


def test_api_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="Ingen användare heter okänd"):
        call_command("api_token", "okänd", stdout=StringIO())
    assert not ApiToken.objects.exists()
