"""Every URL of the load test's mix costs a fixed number of queries, however much it shows.

The URLs come from bench/mix.py, the list `make loadtest` drives: a URL added there without a
pin here fails. Each is asked once on a small förbund and once after the förbund has grown
(more needs, ideas, measures, meetings, participants, and more steps with meeting decisions on
the very idea and measure whose pages are read); the count must not move and must equal its pin.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.mix import MIX
from samsyn.followup.models import Participant
from samsyn.meetings.choices import DecisionKind, MeetingKind
from samsyn.meetings.models import AgendaItem, Decision, Meeting
from samsyn.parties.services import issue_api_token
from samsyn.pipeline.models import IdeaTransition, Measure, MeasureTransition
from samsyn.pipeline.steps import Forum, IdeaStep, MeasureStep
from tests.factories import IdeaFactory, NeedFactory, add_party, af, fk, kommun

# Queries per URL for a kansli member without a second factor: for pages the session and the
# user come first; for the API the bearer token.
PINNED = {
    "/": 13,  # the start page shows each role its own work (what waits, its calls, its projects)
    "/forbund/{forbund}/behov/": 8,
    "/projektideer/": 7,
    "/projektideer/?step=running&step=completed&owner_kind=kommun": 7,
    "/projektideer/{idea}/": 15,  # + parties still to add; + whether the reader is project staff
    "/forbund/{forbund}/?track=F": 11,
    "/insatser/{measure}/": 11,  # + whether the reader is project staff (link to participants)
    # the per-unit counts that disclosure control needs (ideas, measures); + the beredningsgrupper
    # offered in the filter and the per-group figures (three grouped counts and the groups' names).
    "/uppfoljning/": 43,
    "/utlysningar/": 9,
    "/moten/": 9,
    "/api/v1/ideas?step=running": 4,
    "/api/v1/ideas/{idea}": 3,
    "/api/v1/needs": 3,
    "/api/v1/measures": 4,
    "/api/v1/followup": 26,  # + the per-group figures
    "/api/v1/followup/indicators": 6,  # per-unit counts for ideas and for measures, summed
    "/api/v1/followup/national": 12,
    "/api/v1/meetings": 3,
}


class Scene:
    """Sjuhärad with `grow(n)` more of everything; `idea` and `measure` gain steps each time."""

    def __init__(self, forbund, kansli):
        self.forbund, self.kansli = forbund, kansli
        self.idea = self.measure = None
        self.number = 0

    def grow(self, rounds: int) -> None:
        for _ in range(rounds):
            self.number += 1
            need = NeedFactory(forbund=self.forbund, created_by=self.kansli)
            idea = IdeaFactory(need=need, owner=kommun("1490"), step=IdeaStep.RUNNING)
            for org in (kommun("1490"), af(), fk()):
                add_party(idea, org)
            measure = Measure.objects.create(
                need=need, title="Insats", target_group="Unga", step=MeasureStep.RUNNING
            )
            measure.parties.set([af(), fk()])
            self.idea = self.idea or idea
            self.measure = self.measure or measure
            meeting = Meeting.objects.create(
                forbund=self.forbund,
                kind=MeetingKind.BEREDNINGSGRUPP,
                title=f"Beredning {self.number}",
                starts_at=timezone.now() - dt.timedelta(days=self.number),
            )
            for track in {idea, self.idea, measure, self.measure}:
                self._step_with_decision(meeting, track)
            for n, track in enumerate((idea, measure, self.idea)):
                Participant.objects.create(
                    **{"idea" if track._meta.model_name == "idea" else "measure": track},
                    code=f"D-{self.number}-{n}",
                    started_on=dt.date(2026, 1, 10),
                    gender="woman",
                    age_band="age_30_54",
                    labour_status="unemployed",
                )

    def _step_with_decision(self, meeting, track) -> None:
        is_idea = track._meta.model_name == "idea"
        item = AgendaItem.objects.create(
            meeting=meeting,
            number=meeting.agenda_items.count() + 1,
            title=str(track),
            **{"idea" if is_idea else "measure": track},
        )
        common = {"from_step": "need_identified", "to_step": "running", "by": self.kansli}
        if is_idea:
            step = IdeaTransition.objects.create(idea=track, forum=Forum.BEREDNINGSGRUPP, **common)
            links = {"kind": DecisionKind.IDEA_STEP, "idea_transition": step}
        else:
            step = MeasureTransition.objects.create(measure=track, forum=Forum.STYRELSE, **common)
            links = {"kind": DecisionKind.MEASURE_STEP, "measure_transition": step}
        Decision.objects.create(agenda_item=item, text="Beslut", by=self.kansli, **links)

    def url(self, template: str) -> str:
        ids = {"forbund": self.forbund.pk, "idea": self.idea.pk, "measure": self.measure.pk}
        return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)


def _queries(client, url: str, headers: dict) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers if url.startswith("/api/") else {})
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def test_every_url_of_the_load_test_mix_is_pinned():
    assert sorted(PINNED) == sorted(path for path, _ in MIX)


@pytest.mark.parametrize("template", [path for path, _ in MIX])
def test_mix_query_count_is_pinned_and_independent_of_rows(template, client, sjuharad, alice):
    scene = Scene(sjuharad, alice)
    scene.grow(2)
    client.force_login(alice)
    headers = {"Authorization": f"Bearer {issue_api_token(alice)}"}
    url = scene.url(template)
    client.get(url, headers=headers if url.startswith("/api/") else {})  # warm: the first ask
    small, _ = _queries(client, url, headers)
    scene.grow(4)
    large, sql = _queries(client, url, headers)
    assert small == large, f"{url}: {small} queries, then {large} with more data\n" + "\n".join(sql)
    assert large == PINNED[template], f"{url}: {large} queries\n" + "\n".join(sql)
    _no_waste(url, sql)


def _no_waste(url: str, sql: list[str]) -> None:
    # Permission answers are memoised per request: the user's roles are read at most once.
    assert sum('FROM "parties_forbundrole" WHERE' in q for q in sql) <= 1, url
    # Step filters and lists never DISTINCT over every column of a track.
    assert not any(re.match(r'SELECT DISTINCT "pipeline_(idea|measure)"\."id"', q) for q in sql)
    if url.startswith("/api/"):
        # The API authenticates by its bearer token: the session cookie the client also sends
        # is never read, nor is the second factor asked about.
        assert not any("django_session" in q or "followup_projectstaff" in q for q in sql), url
