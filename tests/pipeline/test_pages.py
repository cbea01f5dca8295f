"""The pages, through Django's test client: access, forms, rules and stale edits."""

import datetime as dt

import pytest
from django.urls import URLPattern, reverse

from samsyn.parties.models import PreparatoryGroup, PreparatoryGroupMember
from samsyn.pipeline import urls as pipeline_urls
from samsyn.pipeline.models import Idea, IdeaTransition, Need
from samsyn.pipeline.services import create_idea, create_measure, record_need
from samsyn.pipeline.steps import IdeaStep
from tests.auth import log_in
from tests.factories import kommun, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(sjuharad, alice):
    return record_need(
        sjuharad,
        by=alice,
        title="Unga med aktivitetsersättning",
        target_group="Unga vuxna 19–29 år",
        identified_on=dt.date(2026, 2, 3),
    )


@pytest.fixture
def idea(need, alice):
    return create_idea(need, by=alice, title="Vägen vidare", owner=kommun("1490"))


def test_pages_require_login(client, sjuharad):
    response = client.get(reverse("forbund", args=[sjuharad.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_lists_only_the_users_forbund(client, alice, alv_och_kust):
    log_in(client, alice)
    page = client.get(reverse("home")).content.decode()
    assert "Sjuhärads samordningsförbund" in page
    assert "Älv och Kust" not in page


def test_forbund_page_shows_parties_and_board(client, alice, sjuharad, idea, need):
    create_measure(need, by=alice, title="Unga vuxna i rörelse")
    log_in(client, alice)
    page = client.get(reverse("forbund", args=[sjuharad.pk])).content.decode()
    for party in (
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Borås stad",
        "Västra Götalandsregionen",
    ):
        assert party in page
    assert "Vägen vidare" in page and "Unga vuxna i rörelse" in page
    only_f = client.get(reverse("forbund", args=[sjuharad.pk]), {"track": "F"}).content.decode()
    assert "Unga vuxna i rörelse" in only_f and "Vägen vidare" not in only_f


def test_forbund_board_query_count_is_pinned(
    client, alice, sjuharad, need, django_assert_max_num_queries
):
    for n in range(12):
        create_idea(need, by=alice, title=f"Idé {n}", owner=kommun("1490"))
    log_in(client, alice)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("forbund", args=[sjuharad.pk])).status_code == 200


def test_htmx_filter_returns_only_the_board(client, alice, sjuharad, idea):
    log_in(client, alice)
    response = client.get(
        reverse("forbund", args=[sjuharad.pk]), {"track": "E"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'id="board"' in page and "<html" not in page and "Vägen vidare" in page


def test_recording_a_need_through_the_form(client, bob, sjuharad):
    log_in(client, bob)
    response = client.post(
        reverse("need_create", args=[sjuharad.pk]),
        {
            "title": "Långtidssjukskrivna",
            "target_group": "Sjukskrivna mer än ett år",
            "identified_on": "2026-04-01",
            "is_finsam_target_group": "on",
            "in_preparatory_structure": "on",
        },
    )
    need = Need.objects.get(title="Långtidssjukskrivna")
    assert response.status_code == 302 and response["Location"] == reverse("need", args=[need.pk])
    assert need.created_by == bob and need.history.first().history_user == bob


def test_bad_need_input_is_refused_in_swedish_and_keeps_what_was_typed(client, bob, sjuharad):
    log_in(client, bob)
    response = client.post(
        reverse("need_create", args=[sjuharad.pk]),
        {"title": "Ett behov utan målgrupp", "target_group": "", "identified_on": "2026-13-45"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in page
    assert "Fyll i ett giltigt datum." in page
    assert 'value="Ett behov utan målgrupp"' in page
    assert not Need.objects.exists()


def test_reader_cannot_record_a_need(client, erik, sjuharad):
    log_in(client, erik)
    response = client.post(reverse("need_create", args=[sjuharad.pk]), {"title": "x"})
    assert response.status_code == 403
    assert "läsare" in response.content.decode()
    assert not Need.objects.exists()


def test_r6_page_refuses_owner_agreed_without_mandates_and_changes_nothing(client, alice, idea):
    log_in(client, alice)
    client.post(
        reverse("idea_move", args=[idea.pk]),
        {"to": IdeaStep.IDEA_DESIGNED, "forum": "beredningsgrupp", "version": idea.version},
    )
    idea.refresh_from_db()
    assert idea.step == IdeaStep.IDEA_DESIGNED
    response = client.post(
        reverse("idea_move", args=[idea.pk]),
        {"to": IdeaStep.OWNER_AGREED, "forum": "beredningsgrupp", "version": idea.version},
    )
    page = response.content.decode()
    assert "Mandat saknas för: Borås stad" in page and "(R6)" in page
    idea.refresh_from_db()
    assert idea.step == IdeaStep.IDEA_DESIGNED
    assert IdeaTransition.objects.filter(idea=idea).count() == 1


def test_r1_page_refuses_a_step_taken_at_the_board(client, alice, idea):
    log_in(client, alice)
    response = client.post(
        reverse("idea_move", args=[idea.pk]),
        {"to": IdeaStep.IDEA_DESIGNED, "forum": "styrelse", "version": idea.version},
    )
    assert "(R1)" in response.content.decode()
    idea.refresh_from_db()
    assert idea.step == IdeaStep.NEED_IDENTIFIED


MANDATE_DAY = dt.date.today() - dt.timedelta(days=10)


def test_party_with_mandate_then_owner_agreed_through_pages(client, alice, idea):
    log_in(client, alice)
    for org in (kommun("1490"), region("14")):
        idea.refresh_from_db()
        # The owner is a party from the start: it is changed on its own page, not added.
        saved = idea.parties.filter(organisation=org).exists()
        url = reverse("idea_party_edit", args=[idea.pk, org.pk]) if saved else None
        response = client.post(
            url or reverse("idea_party", args=[idea.pk]),
            {
                "version": idea.version,
                "organisation": org.pk,
                "representative": "Företrädare",
                "is_cofinancier": "on",
                "mandate": "on",
                "mandate_given_on": MANDATE_DAY.isoformat(),
            },
        )
        assert response.status_code == 302
    idea.refresh_from_db()
    assert {p.mandate_given_on for p in idea.parties.all()} == {MANDATE_DAY}
    for step in (IdeaStep.IDEA_DESIGNED, IdeaStep.OWNER_AGREED):
        response = client.post(
            reverse("idea_move", args=[idea.pk]),
            {"to": step, "forum": "beredningsgrupp", "version": idea.version},
        )
        assert response.status_code == 302
        idea.refresh_from_db()
    assert idea.step == IdeaStep.OWNER_AGREED
    assert idea.parties.filter(mandate_confirmed_by=alice).count() == 2


def test_stale_edit_through_the_page_is_refused_and_the_first_kept(client, alice, bob, need):
    old_version = need.version
    log_in(client, alice)
    form = {
        "title": "Alices rubrik",
        "target_group": need.target_group,
        "identified_on": "2026-02-03",
        "is_finsam_target_group": "on",
        "in_preparatory_structure": "on",
        "version": old_version,
    }
    assert client.post(reverse("need_edit", args=[need.pk]), form).status_code == 302
    log_in(client, bob)
    response = client.post(reverse("need_edit", args=[need.pk]), {**form, "title": "Bobs rubrik"})
    assert "Någon annan har ändrat" in response.content.decode()
    need.refresh_from_db()
    assert need.title == "Alices rubrik"


def _pipeline_urls_for(need: Need, idea: Idea, measure) -> list[str]:
    """Every page URL of the pipeline app that takes an object id, filled with Sjuhärad's."""
    ids = {
        "forbund": need.forbund_id,
        "need": need.pk,
        "idea": idea.pk,
        "measure": measure.pk,
    }
    # The förbund's own beredningsgrupp and a member, for the group pages.
    group = PreparatoryGroup.objects.create(forbund=need.forbund, name="Beredningsgruppen")
    member = PreparatoryGroupMember.objects.create(
        group=group, user=need.created_by, organisation=kommun("1490")
    )
    urls = []
    for pattern in pipeline_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if "<int:pk>" not in route:
            continue
        owner = (
            "forbund"
            if route.startswith("forbund/")
            else "need"
            if route.startswith("behov/")
            else "idea"
            if route.startswith("projektideer/")
            else "measure"
        )
        kwargs = {"pk": ids[owner]}
        if "organisation_pk" in route:
            kwargs["organisation_pk"] = kommun("1490").pk
        if "user_pk" in route:
            kwargs["user_pk"] = need.created_by_id
        if "preparatorygroup_pk" in route:
            kwargs["preparatorygroup_pk"] = group.pk
        if "preparatorygroupmember_pk" in route:
            kwargs["preparatorygroupmember_pk"] = member.pk
        urls.append(reverse(pattern.name, kwargs=kwargs))
    return urls


def test_user_of_another_forbund_gets_404_on_every_page(client, mallory, alice, need, idea):
    measure = create_measure(need, by=alice, title="Insats")
    log_in(client, mallory)
    urls = _pipeline_urls_for(need, idea, measure)
    assert len(urls) >= 12
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code == 404, url
    assert "Vägen vidare" not in client.get(reverse("idea_list")).content.decode()


def test_measure_steps_through_the_page_refuse_missing_responsibilities(client, alice, need):
    measure = create_measure(need, by=alice, title="Unga vuxna i rörelse")
    log_in(client, alice)
    url = reverse("measure_move", args=[measure.pk])
    response = client.post(
        url, {"to": "measure_designed", "forum": "beredningsgrupp", "version": 1}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    response = client.post(
        url, {"to": "responsibility_agreed", "forum": "beredningsgrupp", "version": measure.version}
    )
    assert "Beskriv ansvarsfördelningen" in response.content.decode()
    measure.refresh_from_db()
    assert measure.step == "measure_designed"
    assert measure.transitions.count() == 1
