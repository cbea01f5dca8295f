"""Bearer tokens, 401s, and the published schema."""

from io import StringIO

import pytest
from django.core.management import call_command

from samsyn.parties.models import ApiToken
from samsyn.parties.services import issue_api_token, token_digest
from tests.api.conftest import ApiClient


@pytest.mark.parametrize(
    "path", ["organisations", "forbund", "needs", "ideas", "measures", "ideas/1/transitions"]
)
def test_no_token_is_401(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "API-nyckel" in response.json()["detail"]


def test_writes_without_token_are_401_and_change_nothing(anonymous, need):
    response = anonymous.patch(f"needs/{need.pk}", {"title": "Kapad"})
    assert response.status_code == 401
    need.refresh_from_db()
    assert need.title != "Kapad"


def test_wrong_token_is_401(alice):
    issue_api_token(alice)
    assert ApiClient("inte-en-nyckel").get("forbund").status_code == 401


def test_other_scheme_is_401(alice):
    client = ApiClient(None)
    client.headers = {"Authorization": f"Token {issue_api_token(alice)}"}
    assert client.get("forbund").status_code == 401


def test_token_from_issue_api_token_works(alice, sjuharad):
    client = ApiClient(issue_api_token(alice))
    response = client.get("forbund")
    assert response.status_code == 200
    assert [f["id"] for f in response.json()["items"]] == [sjuharad.pk]


def test_only_the_digest_is_stored(alice):
    token = issue_api_token(alice)
    stored = ApiToken.objects.get(user=alice)
    assert stored.digest == token_digest(token)
    assert token not in stored.digest


def test_a_new_token_replaces_the_old(alice):
    old = issue_api_token(alice)
    new = issue_api_token(alice)
    assert ApiClient(old).get("forbund").status_code == 401
    assert ApiClient(new).get("forbund").status_code == 200


def test_token_from_management_command_works(alice):
    out = StringIO()
    call_command("api_token", "alice", stdout=out)
    assert ApiClient(out.getvalue().strip()).get("forbund").status_code == 200


def test_inactive_user_is_401(alice):
    token = issue_api_token(alice)
    alice.is_active = False
    alice.save()
    assert ApiClient(token).get("forbund").status_code == 401


def test_post_with_token_needs_no_csrf_token(as_user, bob, sjuharad):
    # ApiClient enforces CSRF checks, like a browser-less client facing the real middleware.
    response = as_user(bob).post(
        "needs",
        {
            "forbund_id": sjuharad.pk,
            "title": "Nyanlända kvinnor",
            "target_group": "Nyanlända kvinnor långt från arbetsmarknaden",
            "identified_on": "2026-04-01",
        },
    )
    assert response.status_code == 201, response.content


def test_openapi_schema_loads_and_lists_transitions(anonymous):
    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Samsyn API"
    paths = schema["paths"]
    assert set(paths["/api/v1/ideas/{idea_id}/transitions"]) == {"get", "post"}
    assert set(paths["/api/v1/measures/{measure_id}/transitions"]) == {"get", "post"}
    assert set(paths["/api/v1/ideas/{idea_id}/parties/{organisation_id}"]) == {"patch", "delete"}
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_no_docs_page_that_would_load_a_cdn(anonymous):
    assert anonymous.get("/api/v1/docs").status_code == 404


def test_malformed_json_is_400_in_swedish(as_user, bob):
    client = as_user(bob)
    response = client.client.post(
        "/api/v1/needs", data="{inte json", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert "giltig JSON" in response.json()["detail"]


def test_history_records_the_api_user(as_user, bob, idea):
    """Model history (simple_history) names the token's user, also for deletions."""
    from samsyn.pipeline.models import IdeaParty
    from tests.factories import add_party, fk

    add_party(idea, fk())
    response = as_user(bob).delete(f"ideas/{idea.pk}/parties/{fk().pk}")
    assert response.status_code == 200
    deleted = IdeaParty.history.filter(history_type="-").get()
    assert deleted.history_user == bob
    assert idea.history.first().history_user == bob
