"""Responses that carry personal data send `Cache-Control: no-store`.

Generated, not listed: every route of the URL conf and every GET operation of the OpenAPI
schema is requested (pages by GET and by POST, each in a rolled-back transaction) by someone
who sees the most (the förbund's kansli who is also the project's staff), with ids filled
from a scene that holds a participant. Any response in which the participant's code or
personnummer appears must say no-store; the header is set in one place
(`samsyn.privacy.NoStoreMiddleware`, for views marked `@personal_data`).
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from samsyn.followup import services as followup
from samsyn.followup.personnummer import normalise
from samsyn.parties.choices import Role
from samsyn.parties.services import issue_api_token
from tests.auth import log_in
from tests.factories import person
from tests.followup.scene import participant_data, running_project
from tests.security.matrix import body_text
from tests.security.test_access_matrix import rolled_back

pytestmark = pytest.mark.django_db(transaction=False)
PNR = "19811218-9876"
SKIPPED = ("admin/", "static/", "media/", "api/")
STRING_VALUES = {"fmt": ("csv", "xlsx"), "kind": ("ideas", "measures", "needs")}


def page_routes() -> list[tuple[str, str]]:
    found = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(SKIPPED):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and p.name != "logout":  # the crawl stays signed in
                found.append((p.name, route))

    walk(get_resolver().url_patterns, "")
    return found


def fillings(route: str, pattern: str, ints: list[int]) -> list[str]:
    """Every way to fill the route's parameters from the scene's ids and known strings."""
    params = re.findall(pattern, route)
    choices = []
    for converter, name in params:
        if name in STRING_VALUES:
            choices.append(STRING_VALUES[name])
        elif converter == "int" or (converter == "" and name.endswith(("id", "pk"))):
            choices.append(ints)  # an API path's ids carry no converter
        else:
            return []
    urls = []
    for values in itertools.product(*choices):
        parts = re.split(pattern, route)[:: len(params[0]) + 1] if params else [route]
        urls.append(
            "".join(p + str(v) for p, v in zip(parts[:-1], values, strict=True)) + parts[-1]
        )
    return urls


@pytest.fixture
def scene(sjuharad, alice, bob):
    project = running_project(sjuharad, alice, bob)
    participant = followup.register_participant(
        project, by=bob, personnummer=PNR, **participant_data()
    )
    reader = person("sven", sjuharad, Role.KANSLI, sjuharad.organisation)
    followup.add_staff(project, reader, by=alice)
    ints = sorted({participant.pk, project.pk, project.need_id, sjuharad.pk})
    markers = (participant.code, PNR, normalise(PNR))
    return reader, ints, markers


def _carries(response, markers) -> bool:
    if response.status_code >= 300:
        return False
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = body_text(content)
    return any(m in text for m in markers)


def test_no_store_on_every_page_and_api_response_that_carries_personal_data(scene):
    reader, ints, markers = scene
    client = log_in(Client(), reader)
    offenders, carriers = [], set()
    for name, route in page_routes():
        for url in fillings("/" + route, r"<(?:(\w+):)?(\w+)>", ints):
            for method in ("get", "post"):
                response = rolled_back(getattr(client, method), url)
                if "_auth_user_id" not in client.session:  # a page that signs out (SSO)
                    client = log_in(Client(), reader)
                if _carries(response, markers):
                    carriers.add(name)
                    if response.get("Cache-Control") != "no-store":
                        offenders.append(f"{method.upper()} {url}")

    api = Client(headers={"Authorization": f"Bearer {issue_api_token(reader)}"})
    schema = api.get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        if "get" not in methods:
            continue
        for url in fillings(path, r"\{(?:(\w+):)?(\w+)\}", ints):
            response = api.get(url)
            if _carries(response, markers):
                carriers.add(path)
                if response.get("Cache-Control") != "no-store":
                    offenders.append(f"GET {url}")
    assert offenders == []
    # The crawl reached what it is about: participant pages, their exports, the personnummer
    # and the register extract, and the API's participants.
    assert {
        "participant",
        "participant_reveal",
        "participant_export",
        "idea_participants",
        "idea_participants_export",
        "/api/v1/followup/{kind}/{pk}/participants",
    } <= carriers


def test_no_store_also_when_a_personal_data_view_refuses(client, scene, erik):
    """The header follows the view, not the outcome: a 404 of a participant page too."""
    log_in(client, erik)
    response = client.get("/deltagare/1/")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"
    # A page without personal data is left to the default.
    assert client.get("/").get("Cache-Control") != "no-store"
