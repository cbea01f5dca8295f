"""Access: another förbund's objects are 404 (never 403); a reader's writes are 403."""

import pytest

from samsyn.parties.access import REFUSAL_MESSAGES, Permission
from samsyn.pipeline import services
from samsyn.pipeline.models import Idea, IdeaParty, IdeaTransition, Measure, MeasureTransition, Need
from tests.factories import NeedFactory, fk, kommun, person


@pytest.fixture
def scene(alice, bob, need, idea, measure):
    """Sjuhärad's need, idea (with a party and a transition) and measure (with a transition)."""
    services.set_idea_party(idea, fk(), by=alice, expected_version=None, mandate=True)
    services.move_idea(idea, "idea_designed", by=bob)
    services.move_measure(measure, "measure_designed", by=alice)
    idea.refresh_from_db()
    measure.refresh_from_db()
    return need, idea, measure


def state() -> tuple:
    """Everything a write could change."""
    return (
        list(Need.objects.values_list("pk", "version", "title")),
        list(Idea.objects.values_list("pk", "version", "step", "title", "owner")),
        list(Measure.objects.values_list("pk", "version", "step", "title")),
        list(IdeaParty.objects.values_list("idea", "organisation", "mandate_confirmed_at")),
        IdeaTransition.objects.count(),
        MeasureTransition.objects.count(),
    )


def reads(need, idea, measure) -> list[str]:
    return [
        f"needs/{need.pk}",
        f"ideas/{idea.pk}",
        f"ideas/{idea.pk}/transitions",
        f"measures/{measure.pk}",
        f"measures/{measure.pk}/transitions",
        f"forbund/{need.forbund_id}",
    ]


def writes(need, idea, measure) -> list[tuple]:
    boras = kommun("1490").pk
    return [
        ("patch", f"needs/{need.pk}", {"title": "Ändrat"}),
        ("patch", f"ideas/{idea.pk}", {"title": "Ändrat"}),
        ("patch", f"ideas/{idea.pk}/parties/{fk().pk}", {"mandate": False}),
        ("patch", f"ideas/{idea.pk}/parties/{boras}", {"representative": "Ändrat"}),
        ("delete", f"ideas/{idea.pk}/parties/{fk().pk}", None),
        ("post", f"ideas/{idea.pk}/transitions", {"to": "stopped", "stop_reason": "no_owner"}),
        ("patch", f"measures/{measure.pk}", {"title": "Ändrat"}),
        (
            "post",
            f"measures/{measure.pk}/transitions",
            {"to": "stopped", "stop_reason": "other", "note": "x"},
        ),
        ("post", "ideas", {"need_id": need.pk, "title": "Ny"}),
        ("post", "measures", {"need_id": need.pk, "title": "Ny"}),
        (
            "post",
            "needs",
            {
                "forbund_id": need.forbund_id,
                "title": "Ny",
                "target_group": "Någon",
                "identified_on": "2026-01-01",
            },
        ),
    ]


def call(client, method: str, path: str, body):
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    return getattr(client, method)(path, body)


def test_mallory_gets_404_for_every_sjuharad_object(as_user, mallory, scene):
    client = as_user(mallory)
    for path in reads(*scene):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"].endswith("finns inte.")
    before = state()
    for method, path, body in writes(*scene):
        response = call(client, method, path, body)
        assert response.status_code == 404, (method, path, response.content)
    assert state() == before


def test_mallory_sees_nothing_of_sjuharad_in_lists(as_user, mallory, scene, alv_och_kust):
    need, idea, measure = scene
    own = NeedFactory(forbund=alv_och_kust)
    client = as_user(mallory)
    assert [n["id"] for n in client.get("needs").json()["items"]] == [own.pk]
    for resource in ("ideas", "measures"):
        assert client.get(resource).json() == {"items": [], "count": 0}
    # Not even when asking for Sjuhärad by id.
    assert client.get("needs", forbund=need.forbund_id).json()["count"] == 0
    assert client.get("ideas", forbund=need.forbund_id, need=need.pk).json()["count"] == 0
    assert client.get("measures", need=need.pk).json()["count"] == 0
    assert [f["id"] for f in client.get("forbund").json()["items"]] == [alv_och_kust.pk]


def test_user_without_any_role_sees_nothing(as_user, scene):
    nobody = person("nobody", None, None, kommun("1490"))
    client = as_user(nobody)
    for resource in ("forbund", "needs", "ideas", "measures"):
        assert client.get(resource).json()["count"] == 0
    for path in reads(*scene):
        assert client.get(path).status_code == 404


def test_erik_reads_but_gets_403_on_every_write(as_user, erik, scene):
    client = as_user(erik)
    for path in reads(*scene):
        assert client.get(path).status_code == 200, path
    before = state()
    for method, path, body in writes(*scene):
        response = call(client, method, path, body)
        assert response.status_code == 403, (method, path, response.content)
        assert response.json() == {"detail": REFUSAL_MESSAGES[Permission.EDIT_PIPELINE]}
    assert state() == before


@pytest.mark.parametrize("username", ["alice", "bob", "carin", "dora"])
def test_kansli_and_beredning_may_write(request, as_user, username, scene):
    user = request.getfixturevalue(username)
    need, idea, measure = scene
    response = as_user(user).patch(f"ideas/{idea.pk}", {"goals": f"Mål av {username}"})
    assert response.status_code == 200, response.content
