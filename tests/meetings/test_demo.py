"""The meetings demo on top of the Sjuhärad demo, as `make run` will load it."""

from django.urls import reverse

from samsyn.meetings.demo import NETWORK, load_meetings_demo
from samsyn.meetings.models import GovernmentAssignment, Meeting, Network
from samsyn.parties.models import User
from samsyn.pipeline.demo import load_demo
from samsyn.pipeline.models import MeasureTransition, Need
from tests.auth import log_in


def test_meetings_demo_loads_on_the_sjuharad_demo(db, client):
    load_demo()
    load_meetings_demo()
    load_meetings_demo()  # a second call changes nothing
    assert Network.objects.filter(name=NETWORK).count() == 1
    network = Network.objects.get(name=NETWORK)
    assert network.news_items.count() >= 4 and network.events.count() == 1
    sources = set(network.news_items.values_list("source", flat=True))
    assert {"Migrationsverket", "Arbetsförmedlingen"} <= sources
    assert GovernmentAssignment.objects.filter(network=network).count() == 1
    board = Meeting.objects.get(kind="styrelse")
    assert board.is_approved
    decided = MeasureTransition.objects.get(meeting_decision__agenda_item__meeting=board)
    assert decided.to_step == "board_decided" and decided.forum == "styrelse"
    need = Need.objects.get(meeting_decisions__isnull=False)
    assert need.meeting_decisions.get().agenda_item.meeting.kind == "beredningsgrupp"

    log_in(client, User.objects.get(username="bertil"))
    for url in (
        reverse("meeting_list"),
        reverse("meeting", args=[board.pk]),
        reverse("network", args=[network.pk]),
        reverse("news_list"),
        reverse("assignment_list"),
        reverse("calendar"),
        reverse("measure", args=[decided.measure_id]),
        reverse("need", args=[need.pk]),
    ):
        assert client.get(url).status_code == 200, url
    log_in(client, User.objects.get(username="gunilla"))
    assert client.get(reverse("meeting", args=[board.pk])).status_code == 404
    assert client.get(reverse("network", args=[network.pk])).status_code == 404
