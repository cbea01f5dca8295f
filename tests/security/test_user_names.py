"""Names: no form or API call that takes a user name or a user id tells whether, or whom, it
names outside the caller's förbund.

Every such input is found in the code (page forms and filters with a user-name field or a
choice of users; API input schemas with a user property): each needs a probe below, which
sends once a name (or id) nobody has and once that of a user of another förbund, and the two
answers must be the same, with the other user's name nowhere in them.

The example that started it: the project-staff form said "no such user" for an unknown name
and gave the full name of a user of another förbund.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re

import django_filters
import pytest
from django import forms
from django.urls import reverse

import samsyn
from samsyn.meetings import services as meetings
from samsyn.parties.models import PreparatoryGroup, User
from samsyn.parties.services import issue_api_token
from tests.api.conftest import ApiClient
from tests.auth import log_in
from tests.factories import kommun
from tests.followup.scene import running_project
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db

# Inputs that may tell, and why.
EXEMPT = {
    # Giving a role is how the kansli brings a person into the förbund, so the name must be
    # found anywhere in Samsyn; the grant is a change of state, kept in the change log.
    "samsyn.parties.forms.RoleForm",
}


def _names_a_user(field) -> bool:
    queryset = getattr(field, "queryset", None)
    return getattr(queryset, "model", None) is User


def discovered_inputs() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(samsyn.__path__, "samsyn."):
        if info.name.rsplit(".", 1)[-1] not in ("forms", "filters"):
            continue
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            if issubclass(cls, forms.BaseForm):
                fields = cls.base_fields
            elif issubclass(cls, django_filters.FilterSet):
                querysets = [f.extra.get("queryset") for f in cls.base_filters.values()]
                if any(getattr(q, "model", None) is User for q in querysets):
                    found.add(f"{module.__name__}.{name}")
                continue
            else:
                continue
            if "username" in fields or any(_names_a_user(f) for f in fields.values()):
                found.add(f"{module.__name__}.{name}")
    from samsyn.api.urls import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    for name, schema in schemas.items():
        if not name.endswith("In"):
            continue
        if any(p in ("user", "user_id", "username") for p in schema.get("properties", {})):
            found.add(f"api:{name}")
    found.add("login")  # Django's own login form
    return found


@pytest.fixture
def scene(sjuharad, alv_och_kust, alice, bob, mallory):
    User.objects.filter(pk=mallory.pk).update(first_name="Mallory", last_name="Mörkläggare")
    mallory.refresh_from_db()
    project = running_project(sjuharad, alice, bob)
    meeting = meetings.plan_meeting(
        by=alice, forbund=sjuharad, title="Beredningsgruppens möte", starts_at=at(5)
    )
    nobody_id = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    return {
        "forbund": sjuharad,
        "project": project,
        "meeting": meeting,
        "kansli": alice,
        "other": mallory,
        "nobody": ("ingen-sadan-person", nobody_id),
    }


def _normalised(text: str, typed: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    if isinstance(typed, int):  # an id: only where the input is echoed, not in other ids
        return re.sub(rf'(value="|user=|"user_id": ){typed}\b', r"\1<typed>", text)
    return text.replace(typed, "<typed>")


def probe_staff_form(client, s, name, user_id):
    log_in(client, s["kansli"])
    url = reverse("idea_staff", args=[s["project"].pk])
    return client.post(url, {"username": name}), name


def probe_attendee_form(client, s, name, user_id):
    log_in(client, s["kansli"])
    url = reverse("attendee_add", args=[s["meeting"].pk])
    data = {
        "deltagare-organisation": kommun("1490").pk,
        "deltagare-name": "Gäst",
        "deltagare-user": user_id,
    }
    return client.post(url, data), user_id


def probe_change_log_filter(client, s, name, user_id):
    log_in(client, s["kansli"])
    page = client.get(f"/forbund/{s['forbund'].pk}/historik/", {"user": user_id})
    return page, user_id


def probe_attendee_api(client, s, name, user_id):
    api = ApiClient(issue_api_token(s["kansli"]))
    body = {"organisation_id": kommun("1490").pk, "name": "Gäst", "user_id": user_id}
    return api.post(f"meetings/{s['meeting'].pk}/attendees", body), user_id


def probe_change_log_api(client, s, name, user_id):
    api = ApiClient(issue_api_token(s["kansli"]))
    return api.get(f"forbund/{s['forbund'].pk}/history", user=user_id), user_id


def probe_group_member_form(client, s, name, user_id):
    log_in(client, s["kansli"])
    group = PreparatoryGroup.objects.get_or_create(forbund=s["forbund"], name="Gruppen")[0]
    data = {
        "action": "group_member",
        "group": group.pk,
        "username": name,
        "organisation": kommun("1490").pk,
    }
    return client.post(reverse("forbund_manage", args=[s["forbund"].pk]), data), name


def probe_login(client, s, name, user_id):
    return client.post(reverse("login"), {"username": name, "password": "fel-lösenord"}), name


PROBES = {
    "samsyn.followup.forms.StaffForm": [probe_staff_form],
    "samsyn.meetings.forms.AttendeeForm": [probe_attendee_form],
    "samsyn.parties.forms.GroupMemberForm": [probe_group_member_form],
    "samsyn.audit.filters.ChangeFilter": [probe_change_log_filter, probe_change_log_api],
    "api:AttendeeIn": [probe_attendee_api],
    "login": [probe_login],
}


def test_user_names_every_input_that_takes_a_user_has_a_probe():
    assert discovered_inputs() == set(PROBES) | EXEMPT


@pytest.mark.parametrize(
    "probe", [p for ps in PROBES.values() for p in ps], ids=lambda p: p.__name__
)
def test_user_names_unknown_and_other_forbund_get_the_same_answer(client, scene, probe):
    nobody_name, nobody_id = scene["nobody"]
    other = scene["other"]
    unknown, typed_unknown = probe(client, scene, nobody_name, nobody_id)
    client.logout()
    foreign, typed_foreign = probe(client, scene, other.username, other.pk)
    assert unknown.status_code == foreign.status_code
    assert unknown.status_code < 500
    a = _normalised(unknown.content.decode(), typed_unknown)
    b = _normalised(foreign.content.decode(), typed_foreign)
    if unknown["Content-Type"].startswith("application/json"):
        a, b = json.loads(a), json.loads(b)
    assert a == b
    for revealing in ("Mallory", "Mörkläggare", other.get_full_name()):
        assert revealing not in foreign.content.decode()
    # Nothing changed for the other förbund's user either.
    assert not other.project_staff.exists() and not other.meeting_attendances.exists()
