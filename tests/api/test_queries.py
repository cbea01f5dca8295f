"""List endpoints stay at a fixed number of queries however many rows they show."""

import pytest

from samsyn.pipeline import services
from samsyn.pipeline.steps import IdeaStep
from tests.factories import IdeaFactory, NeedFactory, add_party, af, fk, kommun

ROWS = 12


@pytest.fixture
def busy(sjuharad, alice):
    needs = [NeedFactory(forbund=sjuharad, created_by=alice) for _ in range(ROWS)]
    for need in needs:
        idea = IdeaFactory(need=need, owner=kommun("1490"), step=IdeaStep.IDEA_DESIGNED)
        for org in (kommun("1490"), af(), fk()):
            add_party(idea, org)
        services.move_idea(idea, "owner_agreed", by=alice)
        measure = services.create_measure(need, by=alice, title="Insats", parties=[af(), fk()])
        services.move_measure(measure, "measure_designed", by=alice)
    return needs


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # token, count, page (+ one prefetch per related list)
        ("needs", 3),
        ("ideas", 4),
        ("measures", 4),
        ("forbund", 3),
        ("organisations", 3),
    ],
)
def test_list_query_counts(as_user, alice, busy, django_assert_max_num_queries, path, queries):
    client = as_user(alice)
    with django_assert_max_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) >= (ROWS if path in ("needs", "ideas", "measures") else 1)


def test_transition_history_query_count(as_user, alice, busy, django_assert_max_num_queries):
    idea_id = busy[0].ideas.get().pk
    client = as_user(alice)
    with django_assert_max_num_queries(3):
        response = client.get(f"ideas/{idea_id}/transitions")
    assert len(response.json()) == 1


def test_filtered_list_query_count(as_user, alice, busy, django_assert_max_num_queries):
    client = as_user(alice)
    with django_assert_max_num_queries(4):
        response = client.get("ideas", step=["owner_agreed", "granted"], owner_kind="kommun")
    assert response.json()["count"] == ROWS
