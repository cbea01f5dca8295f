"""Needs: list and filter, record, edit with optimistic concurrency."""

import datetime as dt

from samsyn.pipeline.models import Need
from tests.api.conftest import violations
from tests.factories import IdeaFactory, NeedFactory


def _body(forbund, **extra) -> dict:
    return {
        "forbund_id": forbund.pk,
        "title": "Långtidssjukskrivna med psykisk ohälsa",
        "target_group": "Sjukskrivna mer än ett år",
        "identified_on": "2026-02-10",
        **extra,
    }


def test_bob_records_a_need(as_user, bob, sjuharad):
    response = as_user(bob).post("needs", _body(sjuharad, description="Från mötet i februari."))
    assert response.status_code == 201, response.content
    body = response.json()
    need = Need.objects.get(pk=body["id"])
    assert need.forbund == sjuharad
    assert need.created_by == bob
    assert body["version"] == 1
    assert body["created_by"] == {"id": bob.pk, "username": "bob", "full_name": "Bob"}
    assert (body["idea_count"], body["measure_count"]) == (0, 0)
    assert need.history.first().history_user == bob


def test_missing_fields_are_422_in_swedish(as_user, bob, sjuharad):
    response = as_user(bob).post("needs", {"forbund_id": sjuharad.pk, "title": "X"})
    problems = violations(response)
    assert {p["field"] for p in problems} == {"target_group", "identified_on"}
    assert all("Fyll i fältet" in p["message"] for p in problems)


def test_full_clean_errors_are_422_in_swedish(as_user, bob, sjuharad):
    response = as_user(bob).post("needs", _body(sjuharad, title=""))
    [problem] = violations(response)
    assert problem == {
        "rule": "",
        "code": "blank",
        "field": "title",
        "message": "title: Detta fält får inte vara tomt.",
    }
    assert not Need.objects.exists()


def test_unknown_field_is_422(as_user, bob, sjuharad):
    response = as_user(bob).post("needs", _body(sjuharad, titel="stavfel"))
    assert violations(response)[0]["field"] == "titel"


def test_reader_cannot_record(as_user, erik, sjuharad):
    response = as_user(erik).post("needs", _body(sjuharad))
    assert response.status_code == 403
    assert "läsare" in response.json()["detail"]
    assert not Need.objects.exists()


def test_list_and_filters(as_user, erik, sjuharad, alv_och_kust):
    old = NeedFactory(forbund=sjuharad, identified_on=dt.date(2025, 1, 1), title="Äldre behov")
    new = NeedFactory(forbund=sjuharad, identified_on=dt.date(2026, 1, 1), title="Nytt behov")
    outside = NeedFactory(forbund=sjuharad, is_finsam_target_group=False, title="Utanför")
    NeedFactory(forbund=alv_och_kust)
    IdeaFactory(need=new)
    IdeaFactory(need=new)
    client = as_user(erik)

    body = client.get("needs").json()
    assert [n["id"] for n in body["items"]] == [outside.pk, new.pk, old.pk]
    assert body["items"][1]["idea_count"] == 2

    def ids(**params):
        response = client.get("needs", **params)
        assert response.status_code == 200, response.content
        return [n["id"] for n in response.json()["items"]]

    assert ids(identified_from="2025-06-01") == [outside.pk, new.pk]
    assert ids(identified_to="2025-06-01") == [old.pk]
    assert ids(q="ldre behov") == [old.pk]
    assert ids(is_finsam_target_group="false") == [outside.pk]
    assert ids(forbund=sjuharad.pk) == [outside.pk, new.pk, old.pk]


def test_invalid_filter_is_422_in_swedish(as_user, erik):
    response = as_user(erik).get("needs", identified_from="igår")
    [problem] = violations(response)
    assert problem["field"] == "identified_from"
    assert "datum" in problem["message"].lower()


def test_patch_with_version(as_user, bob, need):
    response = as_user(bob).patch(
        f"needs/{need.pk}", {"title": "Unga vuxna (uppdaterat)", "version": need.version}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == need.version + 1
    need.refresh_from_db()
    assert need.title == "Unga vuxna (uppdaterat)"


def test_patch_only_touches_given_fields(as_user, bob, need):
    as_user(bob).patch(f"needs/{need.pk}", {"description": "Ny beskrivning"})
    need.refresh_from_db()
    assert need.description == "Ny beskrivning"
    assert need.title == "Unga vuxna med aktivitetsersättning"


def test_stale_version_is_409(as_user, alice, bob, need):
    seen = need.version
    assert as_user(alice).patch(f"needs/{need.pk}", {"title": "Alice ändrade"}).status_code == 200
    response = as_user(bob).patch(f"needs/{need.pk}", {"title": "Bob ändrade", "version": seen})
    assert response.status_code == 409
    [problem] = response.json()["violations"]
    assert "Någon annan har ändrat" in problem["message"]
    need.refresh_from_db()
    assert need.title == "Alice ändrade"


def test_edit_that_breaks_an_idea_is_422(as_user, bob, need, idea):
    """A need leaving Finsam's target group breaks R5 for an idea past E3."""
    from samsyn.pipeline.steps import IdeaStep
    from tests.factories import add_party, kommun

    idea.parties.update(mandate_confirmed_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    add_party(idea, kommun("1443"))
    idea.step = IdeaStep.OWNER_AGREED
    idea.save()
    response = as_user(bob).patch(f"needs/{need.pk}", {"is_finsam_target_group": False})
    assert "R5" in {p["rule"] for p in violations(response)}
    need.refresh_from_db()
    assert need.is_finsam_target_group is True


def test_reader_cannot_patch(as_user, erik, need):
    response = as_user(erik).patch(f"needs/{need.pk}", {"title": "Läsaren"})
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.title != "Läsaren"
