"""Every form of a versioned record refuses a post without its version: discovered, not listed.

Two nets. The forms themselves: every form class of every app whose record has a version
derives from the one base that requires it. And the pages: every page of a scene with one
record of each kind is opened by the people who may edit it; every form on it that carries a
version is posted the way a browser would, minus the version, and nothing may change.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.test import Client

from samsyn.http import CONFIRMED
from samsyn.pipeline.forms import MISSING_VERSION, VersionedActionForm, VersionedForm
from tests.api import openapi
from tests.auth import log_in
from tests.concurrency.forms import _Forms
from tests.security.test_access_matrix import discover_routes

pytestmark = pytest.mark.django_db

SAMSYN_APPS = ("parties", "pipeline", "calls", "meetings", "followup", "accounts")
# Which records a page's pk takes, by the first segment of its address. Participants have
# their own test (test_stale_edits.py) and a scene of their own.
PK_KINDS = {
    "behov": ("need_id",),
    "projektideer": ("idea_id",),
    "insatser": ("measure_id",),
    "utlysningar": ("call_id",),
    "ansokningar": ("application_id",),
    "moten": ("meeting_id", "item_id"),
    "natverk": ("network_id",),
    "regeringsuppdrag": ("assignment_id",),
}


def _versioned(model) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def _form_classes():
    for label in SAMSYN_APPS:
        try:
            module = importlib.import_module(f"samsyn.{label}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_form_of_a_versioned_record_derives_from_the_base_that_requires_the_version():
    checked = []
    for cls in _form_classes():
        model = getattr(getattr(cls, "_meta", None), "model", None)
        if model is not None and _versioned(model):
            assert issubclass(cls, VersionedForm), f"{cls.__name__} edits a {model.__name__}"
            checked.append(cls.__name__)
        elif "version" in cls.base_fields and not issubclass(cls, VersionedForm):
            field = cls.base_fields["version"]
            assert issubclass(cls, VersionedActionForm) or field.required, cls.__name__
            checked.append(cls.__name__)
    # Versioned records exist in every app that edits them; a rename must not empty the net.
    assert len(checked) >= 15, checked
    assert all(
        _versioned(apps.get_model(label))
        for label in ("pipeline.Need", "calls.Application", "meetings.Meeting")
    )


def _versions() -> dict[str, list[tuple[int, int]]]:
    """(pk, version) of every row of every versioned model."""
    found = {}
    for label in SAMSYN_APPS:
        for model in apps.get_app_config(label).get_models():
            if _versioned(model):
                found[model._meta.label] = list(
                    model.objects.order_by("pk").values_list("pk", "version")
                )
    return found


def _rows() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in SAMSYN_APPS
        for model in apps.get_app_config(label).get_models()
    }


def _pages(scene: openapi.Scene) -> list[str]:
    pages = []
    for route in discover_routes():
        if [name for name, _ in route.converters] != ["pk"]:
            continue
        for key in PK_KINDS.get(route.route.split("/", 1)[0], ()):
            pages.append(route.url({"pk": scene.ids[key]}))
    return pages


@pytest.fixture
def scene(sjuharad, alice, bob, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return openapi.build(sjuharad, alice, bob)


def test_every_form_that_carries_a_version_saves_nothing_without_it(scene):
    found: dict[str, tuple[Client, str, dict]] = {}
    for person in (scene.alice, scene.bob, scene.stina):
        client = log_in(Client(), person)
        for page in _pages(scene):
            response = client.get(page)
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for action, fields in parser.forms:
                # A form for a new record carries an empty version; one for an existing its number.
                if any(n.split("-")[-1] == "version" and v != [""] for n, v in fields.items()):
                    found.setdefault(action or page, (client, page, fields))
    # The forms of the finding are among those found (application budget and co-financing,
    # the meeting's minutes, steps and approval, the edit forms).
    actions = " ".join(found)
    for expected in ("budget", "medfinansiering", "protokoll", "justera", "andra"):
        assert expected in actions, f"no {expected} form found among {sorted(found)}"
    assert len(found) >= 12, sorted(found)

    for action, (client, _page, fields) in found.items():
        without = {k: v for k, v in fields.items() if k.split("-")[-1] != "version"}
        without[CONFIRMED] = "ja"  # past any "Är du säker?" page: the version check is the test
        versions, rows = _versions(), _rows()
        response = client.post(action, without, follow=True)
        assert response.status_code < 500, action
        assert _versions() == versions, f"{action} saved without its version"
        assert _rows() == rows, f"{action} created or removed a row without its version"
        assert str(MISSING_VERSION) in response.content.decode(), (
            f"{action} does not say why nothing was saved"
        )
