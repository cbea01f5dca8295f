"""Which open and coming calls fit a project idea, best first, and why.

The score (0–100) adds up five parts, each with a reason the page shows:
- programme and thematic area (35): the share of the idea's thematic areas the call covers;
  the areas are read from the idea's text with the keywords in the reference data
  (ThematicArea.keywords). A call the idea cannot apply to (`call_fit_violations`: closed,
  another period, R9, another region) is left out; the same function refuses an application.
- region (20): a regional call in the idea's own NUTS 2 region 20, a national call 10.
- target-group age (10): the youngest age in the idea's target group is at least the call's
  minimum participant age; otherwise 0 and a warning.
- time left (15): löpande 15; open with ≥ 60 days left 15, ≥ 30 10, ≥ 14 5, less 2; a coming
  call 10.
- text (20): similarity between the idea and the call: PostgreSQL full-text search with the
  Swedish configuration (ts_rank of the idea's words OR-ed, normalised to 0–1); on SQLite the
  share of the idea's (crudely stemmed) words that occur in the call.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from samsyn.calls.choices import CallStatus
from samsyn.pipeline.rules import ProgrammeAreaFacts, Violation, r9_programme_area

WEIGHT_THEME, WEIGHT_REGION, WEIGHT_AGE, WEIGHT_TIME, WEIGHT_TEXT = 35, 20, 10, 15, 20

STOPWORDS = frozenset(
    [
        "och",
        "att",
        "som",
        "för",
        "med",
        "till",
        "av",
        "på",
        "i",
        "en",
        "ett",
        "är",
        "de",
        "den",
        "det",
        "om",
        "inom",
        "från",
        "eller",
        "har",
        "hos",
        "vid",
        "kan",
        "ska",
        "så",
        "sin",
        "sina",
        "deras",
        "alla",
        "mer",
        "fler",
        "samt",
        "även",
        "genom",
        "efter",
        "under",
        "utan",
        "inte",
        "man",
        "vi",
        "ni",
        "år",
    ]
)
SUFFIXES = (
    "arnas",
    "nas",
    "ernas",
    "orna",
    "arna",
    "erna",
    "heten",
    "ande",
    "ende",
    "het",
    "ar",
    "er",
    "or",
    "en",
    "et",
    "na",
    "a",
    "e",
    "s",
)
AGE_RANGE = re.compile(r"(\d{1,2})\s*[–\-]\s*(\d{1,2})\s*år")
AGE_FROM = re.compile(r"(?:från|över)\s*(\d{1,2})\s*år")


def words(text: str) -> list[str]:
    return [
        w for w in re.findall(r"[a-zåäöéü]+", text.lower()) if len(w) > 2 and w not in STOPWORDS
    ]


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def text_similarity(idea_text: str, call_text: str) -> float:
    """The share of the idea's distinct stems found in the call (SQLite's equivalent)."""
    idea_stems = {stem(w) for w in words(idea_text)}
    if not idea_stems:
        return 0.0
    call_stems = {stem(w) for w in words(call_text)}
    return len(idea_stems & call_stems) / len(idea_stems)


def youngest_age(target_group: str) -> int | None:
    ages = [int(a) for a, _ in AGE_RANGE.findall(target_group)]
    ages += [int(a) for a in AGE_FROM.findall(target_group)]
    return min(ages) if ages else None


def themes_in(text: str, keywords: dict[str, tuple[str, list[str]]]) -> dict[str, str]:
    """Thematic areas the idea's text points to: code → the keyword that matched."""
    lowered = text.lower()
    found = {}
    for code, (_name, kws) in keywords.items():
        hit = next((k for k in kws if k in lowered), None)
        if hit:
            found[code] = hit
    return found


@dataclass(frozen=True)
class IdeaMatchFacts:
    text: str
    target_group: str
    owner_kind: str | None
    nuts2_codes: frozenset[str]
    programme_period: str = "2021-2027"


@dataclass(frozen=True)
class CallMatchFacts:
    key: int
    title: str
    area: ProgrammeAreaFacts
    theme_codes: frozenset[str]
    national: bool
    nuts2_code: str
    region_name: str
    min_age: int
    status: str
    opens_on: dt.date
    closes_on: dt.date | None
    rolling: bool
    period_code: str = "2021-2027"


def call_fit_violations(idea: IdeaMatchFacts, call: CallMatchFacts) -> list[Violation]:
    """Why this call is not one the idea can apply to: the one place that both hides a call
    from the idea's matching and refuses an application to it (whichever door is used).

    - A3: the call has closed;
    - A2: the call belongs to another programme period than the idea;
    - R9: the owner's kind may not apply for the programme area, or the project's region (the
      owner's NUTS 2 region, else the förbund's members') lies outside the area's regions;
    - A7: a regional call is for projects in its own region.
    """
    violations = []
    if call.status == CallStatus.CLOSED:
        closed = f" {call.closes_on:%Y-%m-%d}" if call.closes_on else ""
        violations.append(Violation("A3", f"Utlysningen stängde{closed} (A3)."))
    if call.period_code != idea.programme_period:
        violations.append(
            Violation(
                "A2",
                f"Utlysningen hör till programperioden {call.period_code}, projektidén till "
                f"{idea.programme_period} (A2).",
            )
        )
    violations += r9_programme_area(call.area, idea.owner_kind, sorted(idea.nuts2_codes))
    if not call.national and call.nuts2_code not in idea.nuts2_codes:
        violations.append(
            Violation(
                "A7",
                f"Utlysningen är regional och gäller projekt i {call.region_name}; "
                "projektidén hör till en annan region (A7).",
            )
        )
    return violations


@dataclass
class Suggestion:
    call_key: int
    title: str
    score: int
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def suggest(
    idea: IdeaMatchFacts,
    calls: Sequence[CallMatchFacts],
    theme_keywords: dict[str, tuple[str, list[str]]],
    similarity: dict[int, float],
    today: dt.date,
) -> list[Suggestion]:
    idea_themes = themes_in(f"{idea.text} {idea.target_group}", theme_keywords)
    suggestions = []
    for call in calls:
        if call_fit_violations(idea, call):
            continue
        s = Suggestion(call.key, call.title, 0)
        # Programme and thematic area.
        covered = sorted(set(idea_themes) & call.theme_codes)
        if not call.theme_codes:
            s.score += WEIGHT_THEME // 2
            s.reasons.append(
                f"Programområde {call.area.code} ({call.area.name}) har inga särskilda målområden."
            )
        elif covered:
            part = round(WEIGHT_THEME * len(covered) / max(1, len(idea_themes)))
            s.score += part
            names = ", ".join(f"{theme_keywords[c][0]} (”{idea_themes[c]}”)" for c in covered)
            s.reasons.append(f"Programområde {call.area.code}: idén träffar målområdet {names}.")
        else:
            s.warnings.append(
                "Idén pekar inte på något av utlysningens tematiska målområden."
                if idea_themes
                else "Idén nämner inget som pekar ut ett tematiskt målområde."
            )
        # Region.
        if call.national:
            s.score += WEIGHT_REGION // 2
            s.reasons.append("Nationell utlysning: kan sökas från hela Sverige.")
        else:
            s.score += WEIGHT_REGION
            s.reasons.append(f"Regional utlysning i idéns egen region, {call.region_name}.")
        # Age.
        youngest = youngest_age(idea.target_group)
        if youngest is None or youngest >= call.min_age:
            s.score += WEIGHT_AGE
            s.reasons.append(
                f"Målgruppen uppfyller lägsta ålder {call.min_age} år."
                if youngest is not None
                else f"Lägsta ålder {call.min_age} år; målgruppen anger ingen ålder."
            )
        else:
            s.warnings.append(
                f"Målgruppen börjar vid {youngest} år men utlysningen kräver minst "
                f"{call.min_age} år."
            )
        # Time.
        if call.status == CallStatus.COMING:
            s.score += 10
            s.reasons.append(f"Kommande: öppnar {call.opens_on:%Y-%m-%d}.")
        elif call.rolling and call.closes_on is None:
            s.score += WEIGHT_TIME
            s.reasons.append("Löpande ansökan.")
        else:
            left = (call.closes_on - today).days if call.closes_on else 365
            points = 15 if left >= 60 else 10 if left >= 30 else 5 if left >= 14 else 2
            s.score += points
            s.reasons.append(f"Öppen: {left} dagar kvar till sista ansökningsdag.")
            if left < 14:
                s.warnings.append("Mindre än två veckor kvar.")
        # Text.
        sim = similarity.get(call.key, 0.0)
        s.score += round(WEIGHT_TEXT * sim)
        s.reasons.append(f"Textlikhet mellan idén och utlysningen: {round(sim * 100)} %.")
        suggestions.append(s)
    suggestions.sort(key=lambda x: (-x.score, x.call_key))
    return suggestions


# The database side ------------------------------------------------------------------------


def idea_text(idea) -> str:
    return " ".join([idea.title, idea.target_group, idea.purpose, idea.goals, idea.implementation])


def _pg_similarity(call_ids: Iterable[int], text: str) -> dict[int, float]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import F, FloatField
    from django.db.models.functions import Cast

    from samsyn.calls.models import Call

    terms = sorted({w for w in words(text)})
    if not terms:
        return {}
    query = SearchQuery(" | ".join(terms), search_type="raw", config="swedish")
    vector = SearchVector("title", "description", config="swedish")
    # ts_rank normalisation 32 maps the rank to rank / (rank + 1), i.e. into 0–1.
    rows = (
        Call.objects.filter(pk__in=list(call_ids))
        .annotate(rank=Cast(SearchRank(vector, query, normalization=32), FloatField()))
        .values_list("pk", F("rank"))
    )
    # Scale so that a strong match (rank/(rank+1) ≈ 0.1) counts as full similarity.
    return {pk: min(1.0, (rank or 0.0) * 10) for pk, rank in rows}


def similarities(calls, text: str) -> dict[int, float]:
    if connection.vendor == "postgresql":
        return _pg_similarity([c.pk for c in calls], text)
    return {c.pk: text_similarity(text, f"{c.title} {c.description}") for c in calls}


def idea_match_facts(idea) -> IdeaMatchFacts:
    """The idea as matching and the fit check see it; its region is the owner's NUTS 2
    region, or (no owner yet) the regions of the förbund's members."""
    owner = idea.owner
    if owner is not None and owner.nuts2_code:
        codes = frozenset({owner.nuts2_code})
    else:
        codes = frozenset(
            idea.need.forbund.members.exclude(nuts2_code="").values_list("nuts2_code", flat=True)
        )
    return IdeaMatchFacts(
        text=idea_text(idea),
        target_group=idea.target_group,
        owner_kind=owner.kind if owner else None,
        nuts2_codes=codes,
        programme_period=idea.programme_period,
    )


def call_match_facts(call, today: dt.date, nuts2_names: dict[str, str]) -> CallMatchFacts:
    from samsyn.calls.rules import area_facts

    return CallMatchFacts(
        key=call.pk,
        title=call.title,
        area=area_facts(call.programme_area, nuts2_names),
        theme_codes=frozenset(t.code for t in call.thematic_areas.all()),
        national=call.regional_plan_id is None,
        nuts2_code=call.regional_plan.nuts2_code if call.regional_plan_id else "",
        region_name=call.region_name,
        min_age=call.min_participant_age,
        status=call.status(today),
        opens_on=call.opens_on,
        closes_on=call.closes_on,
        rolling=call.rolling,
        period_code=call.period.code,
    )


def matching_calls(idea, today: dt.date | None = None) -> list[tuple[object, Suggestion]]:
    """The fitting open and coming calls for an idea, best first: (call, suggestion)."""
    from samsyn.calls.models import Call, RegionalPlan, ThematicArea

    today = today or timezone.localdate()
    names = dict(RegionalPlan.objects.values_list("nuts2_code", "name"))
    calls = list(
        Call.objects.exclude(closes_on__lt=today)
        .filter(period__code=idea.programme_period)
        .select_related("period", "programme_area", "regional_plan")
        .prefetch_related("thematic_areas")
    )
    facts = idea_match_facts(idea)
    by_pk = {c.pk: c for c in calls}
    call_facts = [call_match_facts(c, today, names) for c in calls]
    keywords = {t.code: (t.name, t.keyword_list) for t in ThematicArea.objects.all()}
    sim = similarities(calls, facts.text)
    return [(by_pk[s.call_key], s) for s in suggest(facts, call_facts, keywords, sim, today)]
