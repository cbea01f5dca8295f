"""No lost update through the pages or the API: two people edit the same record from the same
version; the first save is kept, the second is refused with the Swedish stale-edit message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samsyn.parties.services import issue_api_token
from samsyn.pipeline.models import IdeaParty
from tests.api.conftest import ApiClient
from tests.auth import log_in
from tests.concurrency import scene
from tests.concurrency.forms import form_data
from tests.factories import kommun

pytestmark = pytest.mark.django_db

STALE = "Någon annan har ändrat"


@dataclass
class Cast:
    forbund: Any
    alice: Any
    bob: Any
    carin: Any


@pytest.fixture
def cast(sjuharad, alice, bob, carin) -> Cast:
    return Cast(sjuharad, alice, bob, carin)


@dataclass(frozen=True)
class PageEdit:
    build: Callable[[Cast], Any]
    page: str  # the page that holds the form (URL name)
    action: str  # where the form posts to (URL name)
    editors: tuple[str, str]
    field: str
    values: tuple[str, str]


PAGE_EDITS = [
    pytest.param(
        PageEdit(
            lambda c: scene.need(c.forbund, c.alice),
            "need_edit",
            "need_edit",
            ("alice", "bob"),
            "title",
            ("Alices rubrik", "Bobs rubrik"),
        ),
        id="behov",
    ),
    pytest.param(
        PageEdit(
            lambda c: scene.idea(c.forbund, c.bob),
            "idea_edit",
            "idea_edit",
            ("bob", "carin"),
            "title",
            ("Bobs namn", "Carins namn"),
        ),
        id="projektidé",
    ),
    pytest.param(
        PageEdit(
            lambda c: scene.measure(c.forbund, c.alice),
            "measure_edit",
            "measure_edit",
            ("alice", "bob"),
            "goals",
            ("Tio deltagare", "Tjugo deltagare"),
        ),
        id="insats",
    ),
    pytest.param(
        PageEdit(
            lambda c: scene.application(c.forbund, c.bob),
            "application",
            "application_edit",
            ("bob", "alice"),
            "project_manager",
            ("Pia Persson", "Kim Karlsson"),
        ),
        id="ansökan",
    ),
    pytest.param(
        PageEdit(
            lambda c: scene.participant(c.forbund, c.alice, c.bob, c.carin),
            "participant_edit",
            "participant_edit",
            ("bob", "carin"),
            "ended_on",
            ("2025-11-01", "2025-10-15"),
        ),
        id="deltagare",
    ),
]


@pytest.mark.parametrize("edit", PAGE_EDITS)
def test_two_people_save_the_same_form_the_first_is_kept(cast, edit: PageEdit):
    record = edit.build(cast)
    version = record.version
    page, action = (reverse(name, args=[record.pk]) for name in (edit.page, edit.action))
    first, second = (log_in(Client(), getattr(cast, name)) for name in edit.editors)
    # Both open the form before either saves: both carry the same hidden version.
    forms = [form_data(c.get(page).content.decode(), action, page) for c in (first, second)]
    assert forms[0]["version"] == forms[1]["version"] == [str(version)]

    saved = first.post(action, {**forms[0], edit.field: edit.values[0]})
    assert saved.status_code == 302, saved.content.decode()
    refused = second.post(action, {**forms[1], edit.field: edit.values[1]})

    assert refused.status_code in (200, 409)
    html = refused.content.decode()
    assert STALE in html and "Dina ändringar har inte sparats" in html
    # What the second person typed is still in the form, so nothing typed is lost either.
    assert edit.values[1] in html
    record.refresh_from_db()
    assert str(getattr(record, edit.field)) == edit.values[0]
    assert record.version == version + 1


@dataclass(frozen=True)
class ApiEdit:
    build: Callable[[Cast], Any]
    read: str  # the resource, e.g. "ideas/{pk}"; its body carries "version"
    method: str
    write: str
    editors: tuple[str, str]
    field: str
    values: tuple[str, str]
    stored: Callable[[Any], str] | None = None  # the saved value, when not record.<field>


def _boras_party(idea) -> str:
    return IdeaParty.objects.get(idea=idea, organisation=kommun("1490")).representative


API_EDITS = [
    pytest.param(
        ApiEdit(
            lambda c: scene.need(c.forbund, c.alice),
            "needs/{pk}",
            "patch",
            "needs/{pk}",
            ("alice", "bob"),
            "title",
            ("Alices rubrik", "Bobs rubrik"),
        ),
        id="behov-PATCH",
    ),
    pytest.param(
        ApiEdit(
            lambda c: scene.idea(c.forbund, c.bob),
            "ideas/{pk}",
            "patch",
            "ideas/{pk}",
            ("bob", "carin"),
            "goals",
            ("Bobs mål", "Carins mål"),
        ),
        id="projektidé-PATCH",
    ),
    pytest.param(
        ApiEdit(
            lambda c: scene.idea(c.forbund, c.bob),
            "ideas/{pk}",
            "patch",
            "ideas/{pk}/parties/" + "{boras}",
            ("bob", "carin"),
            "representative",
            ("Anna Andersson", "Berit Berg"),
            stored=_boras_party,
        ),
        id="part-i-projektidé-PATCH",
    ),
    pytest.param(
        ApiEdit(
            lambda c: scene.measure(c.forbund, c.alice),
            "measures/{pk}",
            "patch",
            "measures/{pk}",
            ("alice", "bob"),
            "goals",
            ("Tio deltagare", "Tjugo deltagare"),
        ),
        id="insats-PATCH",
    ),
    pytest.param(
        ApiEdit(
            lambda c: scene.application(c.forbund, c.bob),
            "applications/{pk}",
            "patch",
            "applications/{pk}",
            ("bob", "alice"),
            "project_manager",
            ("Pia Persson", "Kim Karlsson"),
        ),
        id="ansökan-PATCH",
    ),
]


@pytest.mark.parametrize("edit", API_EDITS)
def test_two_clients_send_the_same_version_the_second_gets_409(cast, edit: ApiEdit):
    record = edit.build(cast)
    read, write = (
        path.format(pk=record.pk, boras=kommun("1490").pk) for path in (edit.read, edit.write)
    )
    first, second = (ApiClient(issue_api_token(getattr(cast, n))) for n in edit.editors)
    versions = [c.get(read).json()["version"] for c in (first, second)]
    assert versions[0] == versions[1] == record.version

    saved = getattr(first, edit.method)(write, {edit.field: edit.values[0], "version": versions[0]})
    assert saved.status_code == 200, saved.content
    refused = getattr(second, edit.method)(
        write, {edit.field: edit.values[1], "version": versions[1]}
    )

    assert refused.status_code == 409, refused.content
    [violation] = refused.json()["violations"]
    assert violation["message"].startswith(STALE)
    record.refresh_from_db()
    stored = edit.stored(record) if edit.stored else getattr(record, edit.field)
    assert stored == edit.values[0]
    assert first.get(read).json()["version"] == record.version == versions[0] + 1


@pytest.mark.parametrize("edit", PAGE_EDITS)
def test_a_form_posted_without_its_version_saves_nothing(cast, edit: PageEdit):
    """Without the version the save could not be checked, so it is refused, not let through."""
    record = edit.build(cast)
    version, before = record.version, str(getattr(record, edit.field))
    page, action = (reverse(name, args=[record.pk]) for name in (edit.page, edit.action))
    client = log_in(Client(), getattr(cast, edit.editors[0]))
    form = form_data(client.get(page).content.decode(), action, page)
    del form["version"]

    response = client.post(action, {**form, edit.field: edit.values[0]})

    assert response.status_code == 200
    assert "saknar uppgift om vilken version du utgick från" in response.content.decode()
    record.refresh_from_db()
    assert (record.version, str(getattr(record, edit.field))) == (version, before)
