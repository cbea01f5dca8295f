"""Nothing irreversible on one click: every POST that erases, removes, approves or sends asks
first, on an "Är du säker?" page that says what will happen.

The routes are taken from the URL conf, by what their names say they do, so a new
`…_remove` view cannot forget the question; each is then posted once, as a single click
would, and nothing in the database may change until the question is answered.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core import serializers
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samsyn.calls import services as calls
from samsyn.calls.models import Principle
from samsyn.followup import services as followup
from samsyn.http import CONFIRMED
from samsyn.meetings import services as meetings
from samsyn.meetings.models import Meeting
from samsyn.parties import services as parties
from tests.auth import log_in
from tests.calls.conftest import make_call, stina  # noqa: F401 (fixture)
from tests.factories import IdeaFactory, NeedFactory, add_party, kommun, region
from tests.followup.scene import participant_data, running_project
from tests.meetings.conftest import _quiet_tasks, beredning, network  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

IRREVERSIBLE = re.compile(r"(remove|erase|approve|send|delete|revoke|member)")


def routes(resolver=None, prefix: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api") or "api" in str(entry.pattern):
                continue
            yield from routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry


def irreversible_routes() -> list[URLPattern]:
    return [r for r in routes() if IRREVERSIBLE.search(r.name) and r.name != "calendar_feed"]


def test_irreversible_posts_all_ask_for_confirmation():
    found = irreversible_routes()
    assert len(found) >= 8
    unasked = [r.name for r in found if not getattr(r.callback, "confirms", False)]
    assert unasked == []


def snapshot() -> str:
    """Every row of Samsyn's own tables (history included), as JSON."""
    models = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("samsyn.") and m._meta.app_label != "sessions"
    ]
    rows = []
    for model in models:
        rows.append(serializers.serialize("json", model._default_manager.order_by("pk")))
    return "\n".join(rows)


@pytest.fixture
def clicks(sjuharad, alice, bob, erik, stina, beredning, network):  # noqa: F811
    """route name → (user, url, the form's fields as the page sends them)."""
    idea = running_project(sjuharad, alice, bob)
    early = IdeaFactory(need=NeedFactory(forbund=sjuharad))
    add_party(early, region("14"))
    participant = followup.register_participant(
        idea, by=bob, personnummer="19811218-9876", **participant_data()
    )
    call = make_call(stina)
    principle = Principle.objects.filter(call=call).first()
    plan = call.regional_plan
    group = parties.create_group(sjuharad, "Södra gruppen", by=alice)
    member = parties.add_group_member(group, bob, kommun("1490"), by=alice)
    spare = parties.create_group(sjuharad, "Tillfälliga gruppen", by=alice)
    calls.set_plan_principle(plan, "V1", by=stina, name="Förankring", weight=1)
    item = meetings.add_agenda_item(beredning, by=alice, title="Aktuellt")
    meetings.add_agenda_item(beredning, by=alice, title="Övrigt")
    attendee = beredning.attendees.first()
    beredning.refresh_from_db()
    return {
        "idea_party_remove": (
            alice,
            reverse("idea_party_remove", args=[early.pk, region("14").pk]),
            {"version": early.version},
        ),
        "role_remove": (alice, reverse("role_remove", args=[sjuharad.pk, erik.pk]), {}),
        "forbund_member_remove": (
            alice,
            reverse("forbund_member_remove", args=[sjuharad.pk, kommun("1443").pk]),
            {},
        ),
        "call_principle_remove": (
            stina,
            reverse("call_principle_remove", args=[call.pk, principle.code]),
            {},
        ),
        "plan_principle_remove": (
            stina,
            reverse("plan_principle_remove", args=[plan.nuts2_code, "V1"]),
            {},
        ),
        "group_remove": (alice, reverse("group_remove", args=[sjuharad.pk, spare.pk]), {}),
        "group_member_remove": (
            alice,
            reverse("group_member_remove", args=[sjuharad.pk, member.pk]),
            {},
        ),
        "participant_erase": (bob, reverse("participant_erase", args=[participant.pk]), {}),
        "agenda_item_remove": (alice, reverse("agenda_item_remove", args=[item.pk]), {}),
        "attendee_remove": (
            alice,
            reverse("attendee_remove", args=[beredning.pk, attendee.pk]),
            {},
        ),
        "meeting_approve": (
            alice,
            reverse("meeting_approve", args=[beredning.pk]),
            lambda: {
                "justera-adjusters": "Bob Borås",
                "justera-version": Meeting.objects.get(pk=beredning.pk).version,
            },
        ),
        "agenda_send": (alice, reverse("agenda_send", args=[beredning.pk]), {}),
        "network_member": (
            alice,
            reverse("network_member", args=[network.pk]),
            {"organisation": kommun("1490").pk, "action": "ta-bort"},
        ),
    }


def test_irreversible_post_without_confirmation_changes_nothing(client, clicks):
    assert set(clicks) == {r.name for r in irreversible_routes()}
    # Removing the attendee leaves no one to send to, and approving freezes the meeting.
    last = ["attendee_remove", "meeting_approve"]
    for name, (user, url, data) in sorted(
        clicks.items(), key=lambda c: last.index(c[0]) if c[0] in last else -1
    ):
        data = data() if callable(data) else data
        log_in(client, user)
        before = snapshot()
        response = client.post(url, data)
        assert response.status_code == 200, name
        assert [t.name for t in response.templates][0] == "confirm.html", name
        page = response.content.decode()
        assert "Är du säker?" in page and "Avbryt" in page, name
        assert snapshot() == before, f"{name}: one click changed the database"
        # The confirmation page sends the same fields again, with the answer.
        answered = {**data, CONFIRMED: "ja"}
        response = client.post(url, answered)
        assert response.status_code == 302, name
        refused = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert refused == [], (name, refused)
        assert snapshot() != before, f"{name}: the answered question did nothing"


def test_adding_a_network_member_needs_no_confirmation(client, alice, network):  # noqa: F811
    log_in(client, alice)
    response = client.post(
        reverse("network_member", args=[network.pk]), {"organisation": region("14").pk}
    )
    assert response.status_code == 302
    assert network.members.filter(pk=region("14").pk).exists()
