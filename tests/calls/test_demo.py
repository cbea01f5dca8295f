"""load_calls_demo() on top of the pipeline's demo: everything through the verbs."""

from __future__ import annotations

from samsyn.calls.demo import load_calls_demo
from samsyn.calls.matching import matching_calls
from samsyn.calls.models import Application, Call, JavDeclaration, Score
from samsyn.calls.prioritisation import paper
from samsyn.pipeline.demo import load_demo
from samsyn.pipeline.models import Idea
from samsyn.pipeline.steps import IdeaStep


def test_calls_demo_loads_on_the_sjuharad_demo(db):
    load_demo()
    load_calls_demo()
    load_calls_demo()  # idempotent
    assert Call.objects.count() == 8  # with the pipeline demo's rolling national call
    fk_app = Application.objects.get(idea__owner__kind="fk")
    assert fk_app.status == "draft" and fk_app.idea.step == IdeaStep.PARTIES_DECIDED
    sprak = Application.objects.get(idea__title="Språk och arbete")
    assert sprak.status == "submitted" and sprak.idea.step == IdeaStep.SUBMITTED
    assert Application.objects.filter(status="approved").count() == 3
    assert JavDeclaration.objects.filter(disqualified=True).count() == 1
    assert Score.objects.values("reviewer").distinct().count() == 2

    regional = Call.objects.get(title="Vägar tillbaka till arbete i Västsverige")
    rows = paper(regional).rows
    assert [r.ranked.position for r in rows] == ["within", "within", "cut"]
    assert sum(r.ranked.funded_sek for r in rows) == regional.budget_sek

    idea = Idea.objects.get(title="Hälsofrämjande arbetsträning")
    ranked = [(call.title, s.score) for call, s in matching_calls(idea)]
    assert ranked[0][0] == "Vägar tillbaka till arbete i Västsverige"
    assert "Kapacitet i den glesa geografin – Övre Norrland" not in dict(ranked)
    assert "Kompetens för anställda i Västsverige 2024" not in dict(ranked)  # closed
