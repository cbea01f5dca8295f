"""Organisations: public reference data, filtered with the pages' OrganisationFilter."""

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Organisation
from tests.factories import kommun


def test_filter_by_kind(as_user, erik):
    response = as_user(erik).get("organisations", kind="region", page_size=100)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 21
    assert {o["kind"] for o in body["items"]} == {"region"}
    assert body["items"][0]["kind_label"] == "Region"


def test_each_kind_filters(as_user, erik, sjuharad):
    client = as_user(erik)
    for kind in OrganisationKind.values:
        body = client.get("organisations", kind=kind, page_size=500).json()
        assert body["count"] == Organisation.objects.filter(kind=kind).count()
        assert {o["kind"] for o in body["items"]} <= {kind}


def test_search_by_name_and_ordering(as_user, erik):
    body = as_user(erik).get("organisations", kind="kommun", q="borås").json()
    assert [o["name"] for o in body["items"]] == ["Borås stad"]
    assert body["items"][0]["code"] == "1490"


def test_list_is_paginated_and_ordered(as_user, erik):
    client = as_user(erik)
    first = client.get("organisations", page_size=10).json()
    second = client.get("organisations", page_size=10, page=2).json()
    assert first["count"] == Organisation.objects.count()
    assert len(first["items"]) == 10
    names = [o["name"] for o in first["items"] + second["items"]]
    assert names == sorted(names)
    assert not {o["id"] for o in first["items"]} & {o["id"] for o in second["items"]}


def test_invalid_kind_is_422_in_swedish(as_user, erik):
    response = as_user(erik).get("organisations", kind="planet")
    assert response.status_code == 422
    [problem] = response.json()["violations"]
    assert problem["field"] == "kind"
    assert "giltigt" in problem["message"]


def test_invalid_page_is_422(as_user, erik):
    response = as_user(erik).get("organisations", page=0)
    assert response.status_code == 422
    assert "minst 1" in response.json()["violations"][0]["message"]


def test_detail(as_user, erik):
    boras = kommun("1490")
    body = as_user(erik).get(f"organisations/{boras.pk}").json()
    assert body == {
        "id": boras.pk,
        "name": "Borås stad",
        "kind": "kommun",
        "kind_label": "Kommun",
        "code": "1490",
        "lan_code": "14",
        "nuts2_code": boras.nuts2_code,
        "nuts2_name": boras.nuts2_name,
    }


def test_unknown_organisation_is_404(as_user, erik):
    response = as_user(erik).get("organisations/999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "Organisationen finns inte."
