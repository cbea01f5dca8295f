"""GET /api/v1/forbund/{id}/history: the same change log as the page, as JSON."""

import datetime as dt

from samsyn.parties.services import issue_api_token
from samsyn.pipeline import services as pipeline
from tests.api.conftest import ApiClient


def test_the_kansli_reads_the_change_log_through_the_api(sjuharad, alice, bob, mallory):
    need = pipeline.record_need(
        sjuharad, by=bob, title="Unga", target_group="Unga", identified_on=dt.date(2026, 1, 1)
    )
    pipeline.update_need(need, by=alice, expected_version=None, title="Unga vuxna")
    path = f"forbund/{sjuharad.pk}/history"
    body = ApiClient(issue_api_token(alice)).get(path, kind="need").json()
    assert body["count"] == 2
    newest = body["items"][0]
    assert (newest["user"], newest["action"], newest["record"]) == ("Alice", "ändrad", "Unga vuxna")
    assert newest["changes"] == [{"field": "rubrik", "old": "Unga", "new": "Unga vuxna"}]
    assert ApiClient(issue_api_token(bob)).get(path).status_code == 403
    assert ApiClient(issue_api_token(mallory)).get(path).status_code == 404
    assert ApiClient(issue_api_token(alice)).get(path, date_from="igår").status_code == 422
