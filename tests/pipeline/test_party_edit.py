"""Changing one party of an idea: its own prefilled page; what the user leaves alone stays.

The old page had one empty "Lägg till eller ändra en part" form: choosing a saved party again to
tick its mandate wiped its representative, and the mandate got today's date.
"""

import datetime as dt

import pytest
from django.urls import reverse

from samsyn.pipeline import services
from samsyn.pipeline.models import IdeaParty
from tests.auth import log_in
from tests.factories import IdeaFactory, NeedFactory, kommun, region

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
GIVEN = TODAY - dt.timedelta(days=30)
DECIDED = TODAY - dt.timedelta(days=5)


@pytest.fixture
def idea(sjuharad, alice):
    idea = IdeaFactory(need=NeedFactory(forbund=sjuharad), owner=kommun("1490"))
    services.set_idea_party(
        idea,
        kommun("1490"),
        by=alice,
        expected_version=idea.version,
        representative="Anna Andersson, arbetsmarknadschef",
        performs_rehabilitation=True,
        mandate=True,
        mandate_given_on=GIVEN,
        decision_date=DECIDED,
        decision_reference="KS 2026/14 § 7",
    )
    idea.refresh_from_db()
    return idea


def edit_url(idea, org):
    return reverse("idea_party_edit", args=[idea.pk, org.pk])


def test_party_edit_page_is_prefilled_with_what_is_recorded(client, alice, idea):
    log_in(client, alice)
    form = client.get(edit_url(idea, kommun("1490"))).context["form"]
    assert "organisation" not in form.fields  # the party being changed is not chosen again
    assert form.initial == {
        "version": idea.version,
        "representative": "Anna Andersson, arbetsmarknadschef",
        "is_cofinancier": True,
        "performs_rehabilitation": True,
        "mandate": True,
        "mandate_given_on": GIVEN,
        "decision_date": DECIDED,
        "decision_reference": "KS 2026/14 § 7",
    }
    page = client.get(reverse("idea", args=[idea.pk])).content.decode()
    assert edit_url(idea, kommun("1490")) in page  # each party row has its own "Ändra"


def test_party_edit_of_one_field_keeps_every_other_field(client, alice, idea):
    """The form as the browser sends it back after the user changed only the representative."""
    log_in(client, alice)
    before = IdeaParty.objects.get(idea=idea, organisation=kommun("1490"))
    form = client.get(edit_url(idea, kommun("1490"))).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (False, None)}
    data = {k: ("on" if v is True else v) for k, v in data.items()}
    data["representative"] = "Bertil Berg, förvaltningschef"
    response = client.post(edit_url(idea, kommun("1490")), data)
    assert response.status_code == 302
    after = IdeaParty.objects.get(pk=before.pk)
    assert after.representative == "Bertil Berg, förvaltningschef"
    for field in (
        "is_cofinancier",
        "performs_rehabilitation",
        "mandate_confirmed_at",
        "mandate_confirmed_by",
        "mandate_given_on",
        "decision_date",
        "decision_reference",
    ):
        assert getattr(after, field) == getattr(before, field), field


def test_party_mandate_date_is_entered_not_today(client, alice, idea):
    log_in(client, alice)
    url = reverse("idea_party", args=[idea.pk])
    base = {"version": idea.version, "organisation": region("14").pk, "mandate": "on"}
    response = client.post(url, base)
    assert response.status_code == 200
    assert "Ange datumet då företrädaren fick mandatet." in response.content.decode()
    assert not IdeaParty.objects.filter(idea=idea, organisation=region("14")).exists()

    future = (TODAY + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {**base, "mandate_given_on": future})
    assert "Datumet för mandatet kan inte vara ett datum efter i dag" in response.content.decode()
    assert response.context["party_form"].errors["mandate_given_on"]
    assert not IdeaParty.objects.filter(idea=idea, organisation=region("14")).exists()

    response = client.post(url, {**base, "mandate_given_on": GIVEN.isoformat()})
    assert response.status_code == 302
    party = IdeaParty.objects.get(idea=idea, organisation=region("14"))
    assert party.mandate_given_on == GIVEN


def test_party_add_form_offers_only_parties_not_yet_added(client, alice, idea):
    log_in(client, alice)
    form = client.get(reverse("idea", args=[idea.pk])).context["party_form"]
    offered = set(form.fields["organisation"].queryset)
    assert kommun("1490") not in offered and region("14") in offered
    # Choosing a saved party through the add form cannot overwrite it.
    response = client.post(
        reverse("idea_party", args=[idea.pk]),
        {"version": idea.version, "organisation": kommun("1490").pk},
    )
    assert response.status_code == 200
    party = IdeaParty.objects.get(idea=idea, organisation=kommun("1490"))
    assert party.representative == "Anna Andersson, arbetsmarknadschef"


def test_party_edit_of_a_mandate_recorded_without_date_keeps_it(client, alice, idea):
    """A mandate recorded before the date was asked (the API may leave it out) is kept when
    only the representative changes: the user is not made to invent a date."""
    party = IdeaParty.objects.get(idea=idea, organisation=kommun("1490"))
    party.mandate_given_on = None
    party.save()
    log_in(client, alice)
    response = client.post(
        edit_url(idea, kommun("1490")),
        {"version": idea.version, "representative": "Ny", "is_cofinancier": "on", "mandate": "on"},
    )
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.representative == "Ny" and party.mandate_confirmed_at is not None
