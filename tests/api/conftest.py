"""An API client per person: each gets a real token through issue_api_token."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from samsyn.parties.services import issue_api_token
from samsyn.pipeline import services
from tests.factories import kommun

API = "/api/v1"


class ApiClient:
    """JSON in, JSON out, with `Authorization: Bearer <token>` on every request."""

    def __init__(self, token: str | None):
        # CSRF checks on: a bearer-token client must not need a CSRF token.
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    @staticmethod
    def url(path: str, params: dict | None = None) -> str:
        url = path if path.startswith("/") else f"{API}/{path}"
        return f"{url}?{urlencode(params, doseq=True)}" if params else url

    def get(self, path: str, **params):
        return self.client.get(self.url(path), data=params, headers=self.headers)

    def _send(self, method: str, path: str, body: dict, params: dict):
        return getattr(self.client, method)(
            self.url(path, params),
            data=json.dumps(body, default=str),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path: str, body: dict, **params):
        return self._send("post", path, body, params)

    def patch(self, path: str, body: dict, **params):
        return self._send("patch", path, body, params)

    def put(self, path: str, body: dict, **params):
        return self._send("put", path, body, params)

    def delete(self, path: str, **params):
        return self.client.delete(self.url(path, params), headers=self.headers)


@pytest.fixture
def as_user():
    def make(user) -> ApiClient:
        return ApiClient(issue_api_token(user))

    return make


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient(None)


@pytest.fixture
def need(sjuharad, alice):
    return services.record_need(
        sjuharad,
        by=alice,
        title="Unga vuxna med aktivitetsersättning",
        target_group="Unga vuxna 18–29 år med aktivitetsersättning",
        identified_on=dt.date(2026, 3, 12),
    )


@pytest.fixture
def idea(need, bob):
    """An idea owned by Borås stad (bob's organisation), at step need_identified."""
    return services.create_idea(
        need, by=bob, title="Vägen vidare", purpose="Fler närmar sig arbete.", owner=kommun("1490")
    )


@pytest.fixture
def measure(need, alice):
    return services.create_measure(
        need, by=alice, title="Samordnad rehabilitering", parties=[kommun("1490")]
    )


def violations(response) -> list[dict]:
    assert response.status_code in (409, 422), response.content
    return response.json()["violations"]


def rules_of(response) -> set[str]:
    return {v["rule"] for v in violations(response)}
