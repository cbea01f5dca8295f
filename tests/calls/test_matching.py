"""Matching ideas to calls: the pure scoring with hand-made facts, and the database side."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samsyn.calls import services
from samsyn.calls.matching import (
    CallMatchFacts,
    IdeaMatchFacts,
    matching_calls,
    suggest,
    text_similarity,
    youngest_age,
)
from tests.calls.conftest import TODAY, agreed_idea, area, make_call, plan, themes
from tests.factories import af, kommun, region

DAY = dt.date(2026, 6, 1)
KEYWORDS = {
    "aterintrade": ("Återinträde på arbetsmarknaden", ["sjukskriv", "rehabilitering"]),
    "etablering": ("Etablering på arbetsmarknaden", ["unga", "nyanlända"]),
}


def call_facts(key, area_code="A", themes=("aterintrade",), nuts2="SE23", **kw):
    from samsyn.pipeline.rules import ProgrammeAreaFacts

    restrictions = {
        "B": {"only_applicant_kinds": frozenset({"af"})},
        "D": {"only_nuts2_codes": frozenset({"SE32", "SE33"})},
    }
    data = {
        "key": key,
        "title": f"Utlysning {key}",
        "area": ProgrammeAreaFacts(
            area_code, f"Område {area_code}", **restrictions.get(area_code, {})
        ),
        "theme_codes": frozenset(themes),
        "national": not nuts2,
        "nuts2_code": nuts2,
        "region_name": "Västsverige",
        "min_age": 16,
        "status": "open",
        "opens_on": DAY - dt.timedelta(days=10),
        "closes_on": DAY + dt.timedelta(days=90),
        "rolling": False,
    }
    data.update(kw)
    return CallMatchFacts(**data)


IDEA = IdeaMatchFacts(
    text="Arbetsträning för sjukskrivna",
    target_group="Personer 20–64 år sjukskrivna",
    owner_kind="kommun",
    nuts2_codes=frozenset({"SE23"}),
)


def test_matching_ranks_region_theme_and_time_and_says_why():
    calls = [
        call_facts(1),  # regional SE23, theme hit, 90 days: 35 + 20 + 10 + 15 + text
        call_facts(2, nuts2=""),  # national: region 10
        call_facts(3, themes=("etablering",)),  # no theme hit
        call_facts(4, closes_on=DAY + dt.timedelta(days=5)),  # hurry: 2 points for time
    ]
    result = suggest(IDEA, calls, KEYWORDS, {1: 0.5, 2: 0.5, 3: 0.5, 4: 0.5}, DAY)
    # 1: 35 + 20 + 10 + 15 + 10 = 90; 2: national, region 10 → 80;
    # 4: five days left, time 2 → 77; 3: no theme → 55.
    assert [(s.call_key, s.score) for s in result] == [(1, 90), (2, 80), (4, 77), (3, 55)]
    best = result[0]
    assert any("Återinträde på arbetsmarknaden (”sjukskriv”)" in r for r in best.reasons)
    assert any("egen region" in r for r in best.reasons)
    assert "Mindre än två veckor kvar." in result[2].warnings
    assert "Idén pekar inte på något" in result[3].warnings[0]


def test_r9_and_other_regions_and_closed_calls_are_left_out():
    calls = [
        call_facts(1, area_code="B", themes=(), nuts2=""),  # only AF may apply (R9)
        call_facts(2, area_code="D", themes=(), nuts2="SE33"),  # another region
        call_facts(3, nuts2="SE11"),  # Stockholm
        call_facts(4, status="closed"),
    ]
    assert suggest(IDEA, calls, KEYWORDS, {}, DAY) == []
    af_idea = IdeaMatchFacts("Rustning", "Arbetssökande", "af", frozenset({"SE23"}))
    assert [s.call_key for s in suggest(af_idea, calls[:1], KEYWORDS, {}, DAY)] == [1]


def test_age_below_the_calls_minimum_is_a_warning():
    young = IdeaMatchFacts("Skola", "Elever 13–15 år", "kommun", frozenset({"SE23"}))
    [s] = suggest(young, [call_facts(1)], KEYWORDS, {}, DAY)
    assert any("börjar vid 13 år men utlysningen kräver minst 16 år" in w for w in s.warnings)


def test_text_helpers():
    assert youngest_age("Unga vuxna 19–29 år och personer 16-18 år") == 16
    assert youngest_age("Långtidssjukskrivna") is None
    assert text_similarity("sjukskrivna personer", "Sjukskrivnas rehabilitering") == 0.5
    assert text_similarity("", "något") == 0.0


def test_matching_calls_on_the_database(sjuharad, stina, nils):
    make_call(stina)  # regional SE23, återinträde
    make_call(stina, title="Stockholms utlysning", regional_plan=plan("SE11"))
    make_call(
        nils,
        title="Bara AF",
        programme_area=area("B"),
        decision_level="national",
        regional_plan=None,
        thematic_areas=[],
    )
    make_call(
        nils,
        title="Kommande nationell",
        programme_area=area("E"),
        decision_level="national",
        regional_plan=None,
        thematic_areas=themes("aterintrade"),
        opens_on=TODAY + dt.timedelta(days=5),
        closes_on=TODAY + dt.timedelta(days=50),
    )
    idea = agreed_idea(sjuharad, kommun("1490"), [region("14")])
    titles = [call.title for call, _ in matching_calls(idea)]
    assert titles == ["Vägar till arbete i Västsverige", "Kommande nationell"]
    af_idea = agreed_idea(sjuharad, af(), [], title="AF:s idé")
    assert "Bara AF" in [call.title for call, _ in matching_calls(af_idea)]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=4),
    eu_permille=st.integers(min_value=0, max_value=1000),
)
def test_a1_stored_amounts_sum_exactly(sjuharad, stina, bob, lines, eu_permille):
    """Through the verbs and the database: whole kronor in, the same whole kronor out."""
    from samsyn.calls.models import Application, Call

    call = Call.objects.first() or make_call(stina)
    idea = agreed_idea(
        sjuharad, kommun("1490"), [region("14")], title=f"Idé {Application.objects.count()}"
    )
    app = services.draft_application(idea, call, by=bob)
    services.update_application(
        app,
        by=bob,
        expected_version=None,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    categories = ["personnel", "external", "premises", "travel"]
    for category, amount in zip(categories, lines, strict=False):
        services.set_budget_line(app, 2027, category, amount, by=bob, expected_version=None)
    total = sum(lines)
    eu = total * eu_permille // 1000
    boras = total - eu - (total - eu) // 3
    services.update_application(app, by=bob, expected_version=None, eu_share_sek=eu)
    services.set_cofinancing(app, kommun("1490"), boras, by=bob, expected_version=None)
    services.set_cofinancing(app, region("14"), total - eu - boras, by=bob, expected_version=None)
    app = Application.objects.get(pk=app.pk)
    t = services.totals(app)
    assert t["budget"] == t["financed"] == total
    assert all(type(v) is int for v in t.values())
    assert "A1" not in {v.rule for v in services.submission_violations(app, bob)}
