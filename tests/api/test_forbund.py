"""Förbund: each user sees those they have a role in; only administrators create new ones."""

from samsyn.parties.models import Forbund
from tests.factories import af, fk, kommun, person, region


def test_list_shows_only_own_forbund_with_role(
    as_user, alice, erik, mallory, sjuharad, alv_och_kust
):
    body = as_user(alice).get("forbund").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == sjuharad.pk
    assert item["name"] == "Sjuhärads samordningsförbund"
    assert (item["role"], item["role_label"]) == ("kansli", "Kansli")

    assert as_user(erik).get("forbund").json()["items"][0]["role"] == "reader"
    assert [f["id"] for f in as_user(mallory).get("forbund").json()["items"]] == [alv_och_kust.pk]


def test_superuser_sees_all(as_user, sjuharad, alv_och_kust):
    root = person("root", None, None)
    root.is_superuser = True
    root.save()
    body = as_user(root).get("forbund").json()
    assert {f["id"] for f in body["items"]} == {sjuharad.pk, alv_och_kust.pk}
    assert all(f["role"] is None for f in body["items"])


def test_detail_lists_members(as_user, bob, sjuharad):
    body = as_user(bob).get(f"forbund/{sjuharad.pk}").json()
    assert {m["id"] for m in body["members"]} == {
        kommun("1490").pk,
        kommun("1443").pk,
        region("14").pk,
        af().pk,
        fk().pk,
    }
    assert body["role"] == "beredning"


def test_other_forbund_is_404(as_user, mallory, sjuharad):
    response = as_user(mallory).get(f"forbund/{sjuharad.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Förbundet finns inte."


def _new_forbund(*codes: str, region_code: str = "13") -> dict:
    return {
        "name": "Samordningsförbundet Halland",
        "member_ids": [*(kommun(c).pk for c in codes), region(region_code).pk],
    }


def test_superuser_creates_forbund(as_user, db):
    root = person("root", None, None)
    root.is_superuser = True
    root.save()
    response = as_user(root).post("forbund", _new_forbund("1380", "1382"))
    assert response.status_code == 201, response.content
    forbund = Forbund.objects.get(pk=response.json()["id"])
    assert set(forbund.members.all()) == {
        kommun("1380"),
        kommun("1382"),
        region("13"),
        af(),
        fk(),
    }


def test_kansli_cannot_create_forbund(as_user, alice):
    response = as_user(alice).post("forbund", _new_forbund("1380"))
    assert response.status_code == 403
    assert "administratör" in response.json()["detail"]
    assert not Forbund.objects.filter(organisation__name="Samordningsförbundet Halland").exists()


def test_forbund_error_is_422(as_user, db):
    root = person("root", None, None)
    root.is_superuser = True
    root.save()
    response = as_user(root).post(
        "forbund", {"name": "Utan region", "member_ids": [kommun("1380").pk]}
    )
    assert response.status_code == 422
    [problem] = response.json()["violations"]
    assert problem["rule"] == ""
    assert "minst en region" in problem["message"]


def test_unknown_member_is_422(as_user, db):
    root = person("root", None, None)
    root.is_superuser = True
    root.save()
    response = as_user(root).post("forbund", {"name": "X", "member_ids": [999999]})
    assert response.status_code == 422
    assert response.json()["violations"][0]["field"] == "member_ids"
