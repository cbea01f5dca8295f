"""The kansli manages the förbund's member parties and people's roles; nobody else can."""

import pytest
from django.urls import reverse

from samsyn.http import CONFIRMED as CONFIRMED_FIELD
from samsyn.parties.choices import Role
from samsyn.parties.models import ForbundRole
from tests.auth import log_in
from tests.factories import kommun, region

CONFIRMED = {CONFIRMED_FIELD: "ja"}  # the "Är du säker?" page was answered

pytestmark = pytest.mark.django_db


def test_forbund_members_added_and_removed_one_at_a_time(client, alice, sjuharad):
    """No multi-select where one plain click drops every member: one add, one remove."""
    log_in(client, alice)
    url = reverse("forbund_manage", args=[sjuharad.pk])
    page = client.get(url)
    assert "multiple" not in page.content.decode()
    offered = set(page.context["member_form"].fields["organisation"].queryset)
    assert kommun("1466") in offered and kommun("1490") not in offered  # members are not offered
    response = client.post(url, {"action": "add_member", "organisation": kommun("1466").pk})
    assert response.status_code == 302
    assert sorted(sjuharad.members.values_list("kind", flat=True)) == [
        "af",
        "fk",
        "kommun",
        "kommun",
        "kommun",
        "region",
    ]
    remove = reverse("forbund_member_remove", args=[sjuharad.pk, kommun("1443").pk])
    assert client.post(remove).templates[0].name == "confirm.html"  # asks first
    assert sjuharad.members.filter(code="1443").exists()
    assert client.post(remove, CONFIRMED).status_code == 302
    assert not sjuharad.members.filter(code="1443").exists()
    assert sjuharad.members.filter(code__in=["1490", "1466"]).count() == 2


def test_removing_the_last_region_is_refused_and_nothing_changes(client, alice, sjuharad):
    log_in(client, alice)
    before = set(sjuharad.members.values_list("pk", flat=True))
    remove = reverse("forbund_member_remove", args=[sjuharad.pk, region("14").pk])
    response = client.post(remove, CONFIRMED, follow=True)
    assert "minst en region" in response.content.decode()
    assert set(sjuharad.members.values_list("pk", flat=True)) == before


def test_kansli_gives_and_removes_a_role(client, alice, erik, sjuharad):
    log_in(client, alice)
    client.post(
        reverse("forbund_manage", args=[sjuharad.pk]),
        {"action": "role", "username": "erik", "role": Role.BEREDNING},
    )
    assert ForbundRole.objects.get(user=erik, forbund=sjuharad).role == Role.BEREDNING
    client.post(reverse("role_remove", args=[sjuharad.pk, erik.pk]), CONFIRMED)
    assert not ForbundRole.objects.filter(user=erik, forbund=sjuharad).exists()


def test_the_last_kansli_cannot_be_removed(client, alice, sjuharad):
    log_in(client, alice)
    response = client.post(
        reverse("role_remove", args=[sjuharad.pk, alice.pk]), CONFIRMED, follow=True
    )
    assert "minst en person i kansliet" in response.content.decode()
    assert ForbundRole.objects.filter(user=alice, forbund=sjuharad).exists()


def test_beredning_member_cannot_manage_and_other_forbund_gets_404(client, bob, mallory, sjuharad):
    log_in(client, bob)
    assert client.get(reverse("forbund_manage", args=[sjuharad.pk])).status_code == 403
    log_in(client, mallory)
    assert client.get(reverse("forbund_manage", args=[sjuharad.pk])).status_code == 404


def test_forbund_members_chosen_with_checkboxes_when_a_forbund_is_created(client, db):
    from samsyn.parties.models import Forbund
    from tests.factories import person

    admin = person("admin", None, None)
    admin.is_superuser = True
    admin.save()
    log_in(client, admin)
    page = client.get(reverse("forbund_create")).content.decode()
    assert "multiple" not in page  # no Ctrl-click list where one click drops every choice
    assert page.count('type="checkbox" name="kommuner"') == 290
    assert 'data-searchable="ja"' in page  # samsyn.js adds a search field
    response = client.post(
        reverse("forbund_create"),
        {
            "name": "Samordningsförbundet Test",
            "kommuner": [kommun("1490").pk],
            "regioner": [region("14").pk],
        },
    )
    assert response.status_code == 302
    forbund = Forbund.objects.get(organisation__name="Samordningsförbundet Test")
    assert forbund.members.count() == 4
