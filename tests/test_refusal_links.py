"""A refusal that names no field still links somewhere on the page (issue 14).

The error summary (GOV.UK error summary, FKUI error list) links a field's error to the field.
A refusal about the record as a whole (a party's missing mandate, a budget before the
project period) links to the part of the page that must change: the parties table, the
project period. Nothing is plain text, and no link is `#` or points at nothing.
"""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from samsyn.http import summary_target
from samsyn.pipeline import services
from samsyn.pipeline.models import Measure
from samsyn.pipeline.steps import IdeaStep, MeasureStep
from tests.auth import log_in
from tests.calls.conftest import agreed_idea, calls_person, make_call
from tests.factories import IdeaFactory, NeedFactory, kommun, region
from tests.test_rule_ids import RULES

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<div class="error-summary"[^>]*>(.*?)</div>', re.S)


def summary_links(page: str) -> list[tuple[str, str]]:
    """(target id, text) of each problem in the page's error summaries; every one is a link
    to an element that is on the page."""
    summaries = SUMMARY.findall(page)
    assert summaries, "no error summary"
    links = []
    for summary in summaries:
        for item in re.findall(r"<li>(.*?)</li>", summary, re.S):
            link = re.fullmatch(r'<a href="#([^"]+)">(.*)</a>', item.strip(), re.S)
            assert link, f"not a link: {item}"
            target, text = link.groups()
            assert page.count(f'id="{target}"') == 1, f"{target} is not on the page once"
            links.append((target, re.sub(r"<[^>]+>", "", text)))
    return links


def target_of(page: str, words: str) -> str:
    matches = [target for target, text in summary_links(page) if words in text]
    assert matches, f"{words!r} not in the summary"
    return matches[0]


@pytest.fixture
def unready_idea(sjuharad):
    """Borås stad owns; no party has a mandate yet (R6 blocks owner_agreed)."""
    idea = IdeaFactory(need=NeedFactory(forbund=sjuharad), step=IdeaStep.IDEA_DESIGNED)
    idea.owner = kommun("1490")
    idea.save()
    idea.parties.create(organisation=kommun("1490"), is_cofinancier=True)
    return idea


def move_idea(client, idea, **data):
    data = {"forum": "beredningsgrupp", "version": idea.version, **data}
    return client.post(reverse("idea_move", args=[idea.pk]), data).content.decode()


def test_missing_mandate_links_to_the_parties_table(client, alice, unready_idea):
    log_in(client, alice)
    page = move_idea(client, unready_idea, to="owner_agreed")
    assert target_of(page, "Mandat saknas för: Borås stad") == "parter"
    assert '<h2 id="parter">' in page


def test_an_esf_matter_at_the_board_links_to_the_forum(client, alice, unready_idea):
    log_in(client, alice)
    page = move_idea(client, unready_idea, to="owner_agreed", forum="styrelse")
    assert target_of(page, "ESF+-frågor lyfts inte") == "id_forum"


def test_a_stale_version_links_to_the_first_field(client, alice, unready_idea):
    log_in(client, alice)
    page = move_idea(client, unready_idea, to="stopped", version=unready_idea.version - 1)
    assert target_of(page, "Någon annan har ändrat") == "id_to"


def test_a_measure_without_parties_links_to_its_facts(client, alice, sjuharad):
    measure = services.create_measure(
        NeedFactory(forbund=sjuharad), by=alice, title="Arbetsträning", target_group="Unga"
    )
    Measure.objects.filter(pk=measure.pk).update(step=MeasureStep.MEASURE_DESIGNED)
    measure.refresh_from_db()
    log_in(client, alice)
    page = client.post(
        reverse("measure_move", args=[measure.pk]),
        {"to": "responsibility_agreed", "forum": "beredningsgrupp", "version": measure.version},
    ).content.decode()
    assert target_of(page, "Ange vilka parter som medverkar") == "fakta"
    assert target_of(page, "Beskriv ansvarsfördelningen") == "fakta"


@pytest.fixture
def stina(db):
    from samsyn.calls.choices import CallsRoleKind

    return calls_person("stina", CallsRoleKind.CALL_MANAGER, "SE23")


@pytest.fixture
def application(sjuharad, stina, bob):
    from samsyn.calls import services as calls

    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    return calls.draft_application(idea, make_call(stina), by=bob)


def test_a_budget_before_the_period_links_to_the_period(client, bob, application):
    log_in(client, bob)
    page = client.post(
        reverse("application_budget", args=[application.pk]),
        {
            "budget-version": application.version,
            "budget-year": "2027",
            "budget-category": "personnel",
            "budget-amount_sek": "5",
        },
    ).content.decode()
    assert target_of(page, "Ange projektperioden innan budgeten") == "id_starts_on"


def test_a_refused_submission_links_to_budget_and_financing(client, bob, application):
    log_in(client, bob)
    page = client.post(
        reverse("application_submit", args=[application.pk]),
        {"submit-version": application.version, "submit-submitted_on": "2026-01-01"},
    ).content.decode()
    targets = {target for target, _ in summary_links(page)}
    assert "budget" in targets  # A1: no budget yet
    assert target_of(page, "(A1)") == "budget"


def test_a_refused_forbund_links_to_its_name(client, sjuharad):
    from tests.factories import UserFactory

    admin = UserFactory(username="sara", is_superuser=True, is_staff=True)
    log_in(client, admin)
    page = client.post(
        reverse("forbund_create"),
        {
            "name": "Sjuhärads samordningsförbund",
            "kommuner": [kommun("1466").pk],
            "regioner": [region("14").pk],
        },
    ).content.decode()
    assert target_of(page, "Det finns redan ett förbund") == "id_name"


# Every rule on every page with forms ---------------------------------------------------------


def rendered_forms(response, page: str) -> list[forms.BaseForm]:
    """The forms in the page's context that the page shows (their first field is on it)."""
    values = [response.context[key] for key in response.context.keys()]  # noqa: SIM118 (a ContextList)
    return [
        value
        for value in values
        if isinstance(value, forms.BaseForm)
        and value.visible_fields()
        and f'id="{value.visible_fields()[0].id_for_label}"' in page
    ]


def assert_every_rule_links_to_the_page(response) -> None:
    page = response.content.decode()
    places = response.context["refusal_places"]
    shown = rendered_forms(response, page)
    assert shown
    for form in shown:
        for rule in [*RULES, ""]:
            message = f"Något hindrar ({rule})." if rule else "Något hindrar."
            target = summary_target(form, message, places)
            assert f'id="{target}"' in page, (type(form).__name__, rule, target)


def test_every_rule_on_the_idea_page_links_to_it(client, alice, unready_idea):
    log_in(client, alice)
    assert_every_rule_links_to_the_page(client.get(reverse("idea", args=[unready_idea.pk])))


def test_every_rule_on_the_application_page_links_to_it(client, bob, application):
    log_in(client, bob)
    assert_every_rule_links_to_the_page(client.get(reverse("application", args=[application.pk])))


def test_every_rule_on_the_measure_page_links_to_it(client, alice, sjuharad):
    measure = services.create_measure(
        NeedFactory(forbund=sjuharad), by=alice, title="Arbetsträning", target_group="Unga"
    )
    log_in(client, alice)
    assert_every_rule_links_to_the_page(client.get(reverse("measure", args=[measure.pk])))


def test_a_form_without_visible_fields_links_to_its_summary_heading():
    class Hidden(forms.Form):
        version = forms.IntegerField(widget=forms.HiddenInput)

    form = Hidden(data={}, prefix="submit")
    assert summary_target(form, "Något hindrar (R7).") == "submit-fel-rubrik"
    assert summary_target(form, "Något hindrar (R7).", {"R7": "budget"}) == "budget"


def test_a_stop_without_a_reason_links_to_the_reason_and_other_to_the_note(
    client, alice, unready_idea
):
    log_in(client, alice)
    page = move_idea(client, unready_idea, to="stopped")
    assert target_of(page, "Ange skälet till att arbetet stoppas") == "id_stop_reason"
    page = move_idea(client, unready_idea, to="stopped", stop_reason="other")
    assert target_of(page, "Beskriv skälet i anteckningen") == "id_note"
