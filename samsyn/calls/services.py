"""Verbs of calls, applications and prioritisation. Views and the API change state only here.

Applications move the idea's track with them (application_drafted and parties_decided through
pipeline.services.move_idea; submitted, granted and rejected only through
move_idea_with_application, in the same transaction), so R1–R7 are judged in one place.

An application's life cycle (DOMAIN.md §2 step 7, §5): draft → submitted → (bedömning)
approved | not_approved → in a regional call (prioritering) prioritised | not_prioritised →
(beslut) granted | rejected. A national call goes from approved straight to the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from samsyn.calls import rules
from samsyn.calls.access import can_record_decision
from samsyn.calls.choices import CALL_PHASES, ApplicationMove, ApplicationStatus, CallPhase
from samsyn.calls.matching import call_fit_violations, call_match_facts, idea_match_facts
from samsyn.calls.models import (
    Application,
    ApplicationEvent,
    BudgetLine,
    Call,
    Cofinancing,
    DefaultPrinciple,
    JavDeclaration,
    Principle,
    ProgrammeArea,
    RegionalPlan,
    Score,
    ThematicArea,
)
from samsyn.parties.history import acting_as
from samsyn.parties.models import Organisation, User
from samsyn.pipeline import rules as pipeline_rules
from samsyn.pipeline.models import Idea
from samsyn.pipeline.rules import Violation
from samsyn.pipeline.services import (
    PipelineError,
    StaleEdit,
    idea_facts,
    move_idea,
    move_idea_with_application,
)
from samsyn.pipeline.steps import Forum, IdeaStep


class CallsError(PipelineError):
    """A refused action on a call or application; `violations` name their rules."""


def _lock(record, expected_version: int | None):
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(record)
    return locked


def _save(record, fields: Iterable[str], by: User | None, reason: str) -> None:
    record.version += 1
    record._history_user = by
    record._change_reason = reason
    record.save(update_fields=[*fields, "version"])


def _refuse_if(violations: list[Violation]) -> None:
    if violations:
        raise CallsError(violations)


def nuts2_names() -> dict[str, str]:
    return dict(RegionalPlan.objects.values_list("nuts2_code", "name"))


# Calls -------------------------------------------------------------------------------------

CALL_FIELDS = (
    "title",
    "description",
    "period",
    "programme_area",
    "decision_level",
    "regional_plan",
    "budget_sek",
    "min_participant_age",
    "opens_on",
    "closes_on",
    "rolling",
    "latest_project_start",
    "latest_project_end",
)


def _check_call(call: Call, themes: Iterable[ThematicArea]) -> None:
    area: ProgrammeArea = call.programme_area
    violations = []
    if area.period_id != call.period_id:
        violations.append(
            Violation("U1", f"Programområde {area.code} hör inte till perioden {call.period} (U1).")
        )
    violations += rules.call_violations(
        area=rules.area_facts(area, nuts2_names()),
        area_levels=area.decision_levels(),
        allowed_themes={t.code: t.name for t in area.thematic_areas.all()},
        decision_level=call.decision_level,
        nuts2_code=call.regional_plan.nuts2_code if call.regional_plan_id else "",
        theme_codes=[t.code for t in themes],
        opens_on=call.opens_on,
        closes_on=call.closes_on,
        rolling=call.rolling,
    )
    violations += rules.call_window_violations(
        call.period.code,
        call.period.eligible_from,
        call.period.eligible_until,
        call.latest_project_start,
        call.latest_project_end,
    )
    _refuse_if(violations)


def _default_principles(call: Call, by: User) -> None:
    """A regional call starts from its plan's own principles (none if the plan has none yet;
    a national call has no partnership step and so no principles)."""
    if not call.regional_plan_id:
        return
    # bulk_create alone would write no history rows
    bulk_create_with_history(
        [
            Principle(
                call=call,
                code=p.code,
                name=p.name,
                description=p.description,
                weight=p.weight,
                order=p.order,
            )
            for p in DefaultPrinciple.objects.filter(regional_plan=call.regional_plan_id)
        ],
        Principle,
        default_user=by,
    )


@transaction.atomic
def create_call(*, by: User, thematic_areas: Iterable[ThematicArea] = (), **data: Any) -> Call:
    themes = list(thematic_areas)
    call = Call(created_by=by, **{f: data[f] for f in CALL_FIELDS if f in data})
    if "phase" in data:
        call.phase = data["phase"]
    call.full_clean()
    _check_call(call, themes)
    call._history_user = by
    call.save()
    call.thematic_areas.set(themes)
    _default_principles(call, by)
    return call


@transaction.atomic
def update_call(
    call: Call,
    *,
    by: User,
    expected_version: int | None,
    thematic_areas: Iterable[ThematicArea] | None = None,
    **data: Any,
) -> Call:
    call = _lock(call, expected_version)
    changed = [f for f in CALL_FIELDS if f in data and getattr(call, f) != data[f]]
    for f in changed:
        setattr(call, f, data[f])
    themes = list(thematic_areas) if thematic_areas is not None else list(call.thematic_areas.all())
    themes_changed = {t.pk for t in themes} != set(call.thematic_areas.values_list("pk", flat=True))
    if not changed and not themes_changed:
        return call
    call.full_clean()
    _check_call(call, themes)
    if themes_changed:
        call._history_user = by
        call.thematic_areas.set(themes)
    _save(call, changed, by, "Utlysningen ändrad")
    return call


@transaction.atomic
def advance_call(call: Call, to_phase: str, *, by: User, expected_version: int | None) -> Call:
    """The regional cycle goes one phase at a time: behovsanalys → … → lärande."""
    call = _lock(call, expected_version)
    if to_phase not in CALL_PHASES:
        raise CallsError([Violation("U5", f"Okänd fas: {to_phase} (U5).")])
    current = CALL_PHASES.index(call.phase)
    if CALL_PHASES.index(to_phase) != current + 1:
        raise CallsError(
            [
                Violation(
                    "U5",
                    f"Utlysningen går en fas i taget; från ”{CallPhase(call.phase).label}” är "
                    f"nästa fas ”{CallPhase(CALL_PHASES[current + 1]).label}”"
                    if current + 1 < len(CALL_PHASES)
                    else "Utlysningen är redan i sista fasen, lärande (U5).",
                )
            ]
        )
    if to_phase == CallPhase.LARANDE and not call.is_closed:
        raise CallsError([Violation("U6", "Lärdomar samlas när utlysningen har stängt (U6).")])
    call.phase = to_phase
    _save(call, ["phase"], by, f"Till fas: {CallPhase(to_phase).label}")
    return call


@transaction.atomic
def record_lessons(call: Call, lessons: str, *, by: User, expected_version: int | None) -> Call:
    """Lessons learned (lärande) are kept on a closed call for the next one."""
    call = _lock(call, expected_version)
    if not call.is_closed:
        raise CallsError(
            [Violation("U6", "Lärdomar kan registreras först när utlysningen har stängt (U6).")]
        )
    if not lessons.strip():
        raise CallsError([Violation("U6", "Skriv lärdomarna (U6).")])
    call.lessons = lessons.strip()
    call.phase = CallPhase.LARANDE
    _save(call, ["lessons", "phase"], by, "Lärdomar registrerade")
    return call


def _principle_violations(code: str, name: str, weight: int) -> list[Violation]:
    violations = []
    if not code.strip() or not name.strip():
        violations.append(Violation("P", "Ange principens kod och namn."))
    if not 1 <= weight <= 100:
        violations.append(Violation("P", "Vikten ska vara ett heltal 1–100."))
    return violations


@transaction.atomic
def set_principle(
    call: Call,
    code: str,
    *,
    by: User,
    name: str,
    weight: int,
    order: int | None = None,
    description: str | None = None,
) -> Principle:
    """Add a principle to a call or change its name or weight (each region decides its own)."""
    _refuse_if(_principle_violations(code, name, weight))
    principle = Principle.objects.filter(call=call, code=code).first() or Principle(
        call=call, code=code, order=order if order is not None else call.principles.count() + 1
    )
    principle.name, principle.weight = name, weight
    if description is not None:
        principle.description = description
    if order is not None:
        principle.order = order
    principle.full_clean()
    principle._history_user = by
    principle.save()
    return principle


@transaction.atomic
def set_plan_principle(
    plan: RegionalPlan,
    code: str,
    *,
    by: User,
    name: str,
    weight: int,
    description: str = "",
) -> DefaultPrinciple:
    """The region's call manager keeps her action plan's principles (name, description,
    default weight); calls opened afterwards start from them."""
    _refuse_if(_principle_violations(code, name, weight))
    principle = DefaultPrinciple.objects.filter(regional_plan=plan, code=code).first()
    if principle is None:
        principle = DefaultPrinciple(
            regional_plan=plan, code=code, order=plan.principles.count() + 1
        )
    principle.name, principle.weight, principle.description = name, weight, description
    principle.full_clean()
    principle._history_user = by
    principle.save()
    return principle


@transaction.atomic
def remove_plan_principle(plan: RegionalPlan, code: str, *, by: User) -> None:
    """Calls keep the principles they started from; only the plan's own list changes."""
    principle = DefaultPrinciple.objects.filter(regional_plan=plan, code=code).first()
    if principle is not None:
        principle._history_user = by
        principle.delete()


@transaction.atomic
def remove_principle(call: Call, code: str, *, by: User) -> None:
    principle = Principle.objects.filter(call=call, code=code).first()
    if principle is None:
        return
    if principle.scores.exists():
        raise CallsError(
            [
                Violation(
                    "P", f"{code} har redan poäng och kan inte tas bort; sätt vikten i stället."
                )
            ]
        )
    principle._history_user = by
    principle.delete()


# Applications ------------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "starts_on",
    "ends_on",
    "eu_share_sek",
    "project_manager",
    "controller",
    "administrator",
)
DRAFTABLE_STEPS = (IdeaStep.OWNER_AGREED, IdeaStep.APPLICATION_DRAFTED, IdeaStep.PARTIES_DECIDED)


def fit_violations(idea: Idea, call: Call, today: dt.date | None = None) -> list[Violation]:
    """Everything that hides the call from the idea's matching also refuses an application
    to it (A2, A3, A7, R9): one function, `matching.call_fit_violations`."""
    today = today or timezone.localdate()
    return call_fit_violations(idea_match_facts(idea), call_match_facts(call, today, nuts2_names()))


def _event(
    application: Application,
    move: str,
    from_status: str,
    *,
    by: User,
    decided_on: dt.date | None,
    reference: str = "",
    note: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        move=move,
        from_status=from_status,
        to_status=application.status,
        by=by,
        decided_on=decided_on,
        reference=reference.strip(),
        note=note.strip(),
    )


def _check_basis_date(basis_date: dt.date, after: dt.date | None, what: str) -> None:
    """Each step of the application follows the one before it (A8)."""
    if after is not None and basis_date < after:
        raise CallsError(
            [
                Violation(
                    "A8",
                    f"Datumet för {what} kan inte ligga före föregående steg "
                    f"({after:%Y-%m-%d}) (A8).",
                )
            ]
        )


@transaction.atomic
def draft_application(
    idea: Idea, call: Call, *, by: User, basis_date: dt.date | None = None, **data: Any
) -> Application:
    """The owner starts an application for a call; the idea moves to application_drafted,
    dated by the decision to draft (`basis_date`, default today)."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    basis_date = basis_date or timezone.localdate()
    violations = []
    if idea.step not in DRAFTABLE_STEPS:
        violations.append(
            Violation(
                "A0",
                "En ansökan skrivs när parterna är överens om projektägare och medfinansiärer; "
                f"idén står vid ”{IdeaStep(idea.step).label}” (A0).",
            )
        )
    if Application.objects.filter(idea=idea, call=call).exists():
        violations.append(
            Violation("A0", "Projektidén har redan en ansökan till den här utlysningen (A0).")
        )
    violations += fit_violations(idea, call)
    _refuse_if(violations)
    last = idea.transitions.order_by("-at", "-pk").values_list("basis_date", flat=True).first()
    _check_basis_date(basis_date, last, "beslutet att skriva ansökan")
    application = Application(idea=idea, call=call, created_by=by)
    for f in APPLICATION_FIELDS:
        if f in data:
            setattr(application, f, data[f])
    application.full_clean()
    application._history_user = by
    application.save()
    for party in idea.parties.filter(is_cofinancier=True).exclude(organisation=None):
        row = Cofinancing(
            application=application, organisation_id=party.organisation_id, amount_sek=0
        )
        row._history_user = by
        row.save()
    _event(application, ApplicationMove.DRAFTED, "", by=by, decided_on=basis_date, note=str(call))
    if idea.step == IdeaStep.OWNER_AGREED:
        move_idea(
            idea,
            IdeaStep.APPLICATION_DRAFTED,
            by=by,
            forum=Forum.BEREDNINGSGRUPP,
            basis_date=basis_date,
            note=f"Ansökan till {call} påbörjad.",
        )
    return application


def _require_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise CallsError(
            [
                Violation(
                    "A0",
                    f"Ansökan är {application.get_status_display().lower()} och kan inte "
                    "längre ändras (A0).",
                )
            ]
        )


def period_violations(application: Application) -> list[Violation]:
    call = application.call
    eligible_from, latest_start, latest_end = call.project_window()
    return rules.project_period_violations(
        application.starts_on,
        application.ends_on,
        call.period.code,
        eligible_from,
        latest_start,
        latest_end,
        application.idea.programme_period,
    )


@transaction.atomic
def update_application(
    application: Application, *, by: User, expected_version: int | None, **data: Any
) -> Application:
    application = _lock(application, expected_version)
    _require_draft(application)
    changed = [f for f in APPLICATION_FIELDS if f in data and getattr(application, f) != data[f]]
    for f in changed:
        setattr(application, f, data[f])
    if not changed:
        return application
    application.full_clean()
    if application.starts_on and application.ends_on:
        _refuse_if(period_violations(application) + budget_r8(application))
    _save(application, changed, by, "Ansökan ändrad")
    return application


def budget_r8(application: Application, extra_years: Iterable[int] = ()) -> list[Violation]:
    if not (application.starts_on and application.ends_on):
        return []
    years = [
        (f"{line.year} {line.get_category_display()}", line.year)
        for line in application.budget_lines.all()
    ]
    years += [(str(y), y) for y in extra_years]
    return rules.budget_lines_r8(application.starts_on, application.ends_on, years)


@transaction.atomic
def set_budget_line(
    application: Application,
    year: int,
    category: str,
    amount_sek: int,
    *,
    by: User,
    expected_version: int | None,
) -> BudgetLine | None:
    """Set one year's amount for a cost category (0 removes the line). R8 refuses years
    outside the project period."""
    application = _lock(application, expected_version)
    _require_draft(application)
    if not (application.starts_on and application.ends_on):
        raise CallsError(
            [
                Violation(
                    "R8",
                    "Ange projektperioden innan budgeten: ESF+ finansierar bara arbete inom "
                    "projektperioden (R8).",
                )
            ]
        )
    if amount_sek < 0:
        raise CallsError([Violation("A1", "Belopp anges i hela kronor, inte negativa (A1).")])
    line = BudgetLine.objects.filter(application=application, year=year, category=category).first()
    if amount_sek == 0:
        if line:
            line._history_user = by
            line.delete()
        _save(application, [], by, f"Budgetpost {year} borttagen")
        return None
    label = f"{year} {dict(BudgetLine._meta.get_field('category').choices).get(category, category)}"
    _refuse_if(rules.budget_lines_r8(application.starts_on, application.ends_on, [(label, year)]))
    line = line or BudgetLine(application=application, year=year, category=category)
    line.amount_sek = amount_sek
    line.full_clean()
    line._history_user = by
    line.save()
    _save(application, [], by, f"Budgetpost {label}")
    return line


@transaction.atomic
def set_cofinancing(
    application: Application,
    organisation: Organisation,
    amount_sek: int,
    *,
    by: User,
    expected_version: int | None,
) -> Cofinancing:
    application = _lock(application, expected_version)
    _require_draft(application)
    if not application.idea.parties.filter(organisation=organisation, is_cofinancier=True).exists():
        raise CallsError(
            [
                Violation(
                    "A4",
                    f"{organisation} är inte medfinansiär i projektidén; lägg till parten i "
                    "idén först (A4).",
                )
            ]
        )
    if amount_sek < 0:
        raise CallsError([Violation("A1", "Belopp anges i hela kronor, inte negativa (A1).")])
    with acting_as(by):
        row, _ = Cofinancing.objects.get_or_create(
            application=application, organisation=organisation, defaults={"amount_sek": 0}
        )
    row.amount_sek = amount_sek
    row._history_user = by
    row.save()
    _save(application, [], by, f"Medfinansiering {organisation}")
    return row


def totals(application: Application) -> dict[str, int]:
    budget = sum(line.amount_sek for line in application.budget_lines.all())
    cofin = sum(c.amount_sek for c in application.cofinancing.all())
    return {
        "budget": budget,
        "eu": application.eu_share_sek,
        "cofinancing": cofin,
        "financed": application.eu_share_sek + cofin,
    }


def submission_violations(application: Application, by: User) -> list[Violation]:
    """Everything that stands in the way of sending the application (shown in advance too)."""
    call, idea = application.call, application.idea
    violations = period_violations(application)
    violations += budget_r8(application)
    violations += rules.financing_violations(
        totals(application)["budget"],
        application.eu_share_sek,
        {str(c.organisation_id): c.amount_sek for c in application.cofinancing.all()},
    )
    cofinanciers = set(
        idea.parties.filter(is_cofinancier=True).values_list("organisation_id", flat=True)
    )
    for row in application.cofinancing.select_related("organisation"):
        if row.amount_sek and row.organisation_id not in cofinanciers:
            violations.append(
                Violation(
                    "A4",
                    f"{row.organisation} står med {rules.kr(row.amount_sek)} i ansökan men är "
                    "inte medfinansiär i projektidén (A4).",
                )
            )
    missing = [
        label
        for label, value in (
            ("projektledare", application.project_manager),
            ("ekonom/controller", application.controller),
            ("administratör", application.administrator),
        )
        if not value.strip()
    ]
    if missing:
        violations.append(
            Violation("A5", "Ange projektorganisationen: " + ", ".join(missing) + " (A5).")
        )
    violations += rules.call_open_violations(call.status(), call.closes_on, timezone.localdate())
    violations += [v for v in fit_violations(idea, call) if v.rule != "A3"]
    facts = idea_facts(idea)
    violations += pipeline_rules.r7_cofinancier_decisions(facts)
    violations += pipeline_rules.r7_only_owner_submits(facts, by.organisation_id)
    violations += pipeline_rules.r4_fk_individual_project_agreement(facts)
    return violations


@transaction.atomic
def mark_parties_decided(
    application: Application, *, by: User, basis_date: dt.date | None = None
) -> Application:
    """Every co-financier has decided (R7): the idea moves to parties_decided."""
    _require_draft(application)
    idea = application.idea
    if idea.step == IdeaStep.APPLICATION_DRAFTED:
        move_idea(
            idea,
            IdeaStep.PARTIES_DECIDED,
            by=by,
            forum=Forum.PARTERNA,
            basis_date=basis_date or timezone.localdate(),
            note=f"Medfinansiärernas beslut för ansökan till {application.call}.",
        )
    return application


@transaction.atomic
def submit_application(
    application: Application,
    *,
    by: User,
    expected_version: int | None,
    submitted_on: dt.date | None = None,
    reference: str = "",
) -> Application:
    """The owner has sent the application in Projektrummet+, ESF-rådet's e-service; Samsyn
    records that (it sends nothing itself). The idea moves to submitted (R4, R7), and from
    now on what the application says about parties and co-financing is frozen (A9)."""
    application = _lock(application, expected_version)
    _require_draft(application)
    _refuse_if(submission_violations(application, by))
    submitted_on = submitted_on or timezone.localdate()
    _check_basis_date(submitted_on, _last_date(application), "inskicket")
    mark_parties_decided(application, by=by, basis_date=submitted_on)
    move_idea_with_application(
        Idea.objects.get(pk=application.idea_id),
        IdeaStep.SUBMITTED,
        by=by,
        forum=Forum.PARTERNA,
        basis_date=submitted_on,
        note=f"Ansökan till {application.call} inskickad i Projektrummet+ (Svenska ESF-rådet).",
    )
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_on = submitted_on
    _save(application, ["status", "submitted_on"], by, "Inskickad i Projektrummet+")
    _event(
        application,
        ApplicationMove.SUBMITTED,
        ApplicationStatus.DRAFT,
        by=by,
        decided_on=submitted_on,
        reference=reference,
    )
    return application


def _last_date(application: Application) -> dt.date | None:
    return (
        application.events.exclude(decided_on=None)
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )


def _require_recorder(application: Application, by: User) -> None:
    decision = can_record_decision(by, application)
    if not decision:
        raise CallsError([Violation("A6", f"{decision.reason} (A6)")])


def _require_reference(reference: str, whose: str) -> None:
    if not reference.strip():
        raise CallsError([Violation("A6", f"Ange {whose} diarienummer för beslutet (A6).")])


def _require_status(application: Application, allowed: Iterable[str], what: str) -> None:
    if application.status not in allowed:
        wanted = " eller ".join(f"”{ApplicationStatus(s).label.lower()}”" for s in allowed)
        raise CallsError(
            [
                Violation(
                    "A6",
                    f"{what} registreras när ansökan är {wanted}; den är "
                    f"”{application.get_status_display().lower()}” (A6).",
                )
            ]
        )


@transaction.atomic
def assess_application(
    application: Application,
    *,
    by: User,
    approved: bool,
    decided_on: dt.date,
    reference: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Application:
    """ESF-rådet's assessment (bedömning): approved for prioritisation, or not. Not approved is
    final: the idea moves to rejected."""
    application = _lock(application, expected_version)
    _require_recorder(application, by)
    _require_status(application, [ApplicationStatus.SUBMITTED], "ESF-rådets bedömning")
    _require_reference(reference, "ESF-rådets")
    if not approved and not reason.strip():
        raise CallsError([Violation("A6", "Ange ESF-rådets skäl till att inte godkänna (A6).")])
    _check_basis_date(decided_on, _last_date(application), "bedömningen")
    if not approved:
        move_idea_with_application(
            Idea.objects.get(pk=application.idea_id),
            IdeaStep.REJECTED,
            by=by,
            forum=Forum.ESF_RADET,
            basis_date=decided_on,
            note=f"Inte godkänd vid ESF-rådets bedömning ({reference.strip()}): {reason.strip()}",
        )
    old = application.status
    application.status = ApplicationStatus.APPROVED if approved else ApplicationStatus.NOT_APPROVED
    fields = ["status"]
    if not approved:
        application.decided_on, application.decision_reason = decided_on, reason.strip()
        fields += ["decided_on", "decision_reason"]
    _save(application, fields, by, "ESF-rådets bedömning")
    _event(
        application,
        ApplicationMove.ASSESSED,
        old,
        by=by,
        decided_on=decided_on,
        reference=reference,
        note=reason,
    )
    return application


@transaction.atomic
def prioritise_application(
    application: Application,
    *,
    by: User,
    prioritised: bool,
    decided_on: dt.date,
    reference: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Application:
    """The strukturfondspartnerskap's prioritisation, in a regional call only, of an application
    ESF-rådet approved for it. ESF-rådet decides afterwards (an unprioritised one is rejected)."""
    application = _lock(application, expected_version)
    _require_recorder(application, by)
    call = application.call
    if not call.has_partnership_step:
        raise CallsError(
            [
                Violation(
                    "J4",
                    "En nationell utlysning har inget steg i strukturfondspartnerskapet; "
                    "registrera ESF-rådets beslut direkt efter bedömningen (J4).",
                )
            ]
        )
    _require_status(application, [ApplicationStatus.APPROVED], "Partnerskapets prioritering")
    _refuse_if(principles_violations(call))
    _require_reference(reference, "strukturfondspartnerskapets")
    _check_basis_date(decided_on, _last_date(application), "prioriteringen")
    old = application.status
    application.status = (
        ApplicationStatus.PRIORITISED if prioritised else ApplicationStatus.NOT_PRIORITISED
    )
    _save(application, ["status"], by, "Strukturfondspartnerskapets prioritering")
    _event(
        application,
        ApplicationMove.PRIORITISED,
        old,
        by=by,
        decided_on=decided_on,
        reference=reference,
        note=reason,
    )
    return application


def decidable_statuses(call: Call, granted: bool) -> list[str]:
    """Where ESF-rådet's final decision may follow: after the partnership in a regional call
    (a grant only for a prioritised application), after the assessment in a national one."""
    if not call.has_partnership_step:
        return [ApplicationStatus.APPROVED]
    if granted:
        return [ApplicationStatus.PRIORITISED]
    return [ApplicationStatus.PRIORITISED, ApplicationStatus.NOT_PRIORITISED]


@transaction.atomic
def decide_application(
    application: Application,
    *,
    by: User,
    granted: bool,
    decided_on: dt.date,
    reference: str,
    amount_sek: int | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Application:
    """ESF-rådet's final decision (beviljad / avslagen); the idea moves to granted or rejected
    in the same transaction."""
    application = _lock(application, expected_version)
    _require_recorder(application, by)
    _require_status(application, decidable_statuses(application.call, granted), "ESF-rådets beslut")
    _require_reference(reference, "ESF-rådets")
    if granted and (amount_sek is None or amount_sek <= 0):
        raise CallsError([Violation("A6", "Ange beviljat belopp i hela kronor (A6).")])
    if granted and amount_sek > application.eu_share_sek:
        raise CallsError(
            [
                Violation(
                    "A6",
                    f"Beviljat belopp ({amount_sek} kr) kan inte vara större än det sökta "
                    f"ESF+-stödet ({application.eu_share_sek} kr) (A6).",
                )
            ]
        )
    if not granted and not reason.strip():
        raise CallsError([Violation("A6", "Ange ESF-rådets skäl till avslaget (A6).")])
    _check_basis_date(decided_on, _last_date(application), "beslutet")
    move_idea_with_application(
        Idea.objects.get(pk=application.idea_id),
        IdeaStep.GRANTED if granted else IdeaStep.REJECTED,
        by=by,
        forum=Forum.ESF_RADET,
        basis_date=decided_on,
        note=f"{reference.strip()}: " + (reason.strip() or f"Beviljat {rules.kr(amount_sek)}."),
    )
    old = application.status
    application.status = ApplicationStatus.GRANTED if granted else ApplicationStatus.REJECTED
    application.granted_sek = amount_sek if granted else None
    application.decision_reason = reason.strip()
    application.decided_on = decided_on
    _save(
        application,
        ["status", "granted_sek", "decision_reason", "decided_on"],
        by,
        "ESF-rådets beslut",
    )
    _event(
        application,
        ApplicationMove.DECIDED,
        old,
        by=by,
        decided_on=decided_on,
        reference=reference,
        note=reason,
    )
    return application


# Prioritisation ----------------------------------------------------------------------------


def principles_violations(call: Call) -> list[Violation]:
    """A prioritisation needs the call's principles: refused while there are none (J4)."""
    if call.principles.exists():
        return []
    return [
        Violation(
            "J4",
            f"Utlysningen {call} har inga principer för prioritering än. Den som förvaltar "
            f"utlysningarna i {call.region_name} lägger in den regionala handlingsplanens "
            "principer innan bedömningen kan börja (J4).",
        )
    ]


def _require_scorable(application: Application) -> None:
    if application.status != ApplicationStatus.APPROVED:
        raise CallsError(
            [
                Violation(
                    "J1",
                    "Strukturfondspartnerskapet bedömer bara ansökningar som ESF-rådet har "
                    "godkänt för prioritering och som partnerskapet inte redan har beslutat om "
                    "(J1).",
                )
            ]
        )
    _refuse_if(principles_violations(application.call))


@transaction.atomic
def declare_jav(
    application: Application, *, reviewer: User, disqualified: bool, reason: str = ""
) -> JavDeclaration:
    """Before scoring, the reviewer declares whether she is disqualified (jäv)."""
    _require_scorable(application)
    if disqualified and not reason.strip():
        raise CallsError(
            [
                Violation(
                    "J2",
                    "Beskriv omständigheten som gör dig jävig, till exempel din anställning (J2).",
                )
            ]
        )
    with acting_as(reviewer):
        declaration, _ = JavDeclaration.objects.select_for_update().get_or_create(
            application=application, reviewer=reviewer, defaults={"disqualified": disqualified}
        )
    declaration.disqualified = disqualified
    declaration.reason = reason.strip()
    declaration._history_user = reviewer
    declaration.save()
    if disqualified:
        # A disqualified reviewer's earlier scores do not count; history keeps them.
        for score in Score.objects.filter(application=application, reviewer=reviewer):
            score._history_user = reviewer
            score.delete()
    return declaration


@transaction.atomic
def score_application(
    application: Application, *, reviewer: User, scores: Mapping[str, tuple[int, str]]
) -> list[Score]:
    """Scores 0–4 with a written motivation per principle, by an eligible reviewer."""
    _require_scorable(application)
    declaration = (
        JavDeclaration.objects.select_for_update()
        .filter(application=application, reviewer=reviewer)
        .first()
    )
    if declaration is None:
        raise CallsError(
            [Violation("J2", "Deklarera först om du är jävig för den här ansökan (J2).")]
        )
    if declaration.disqualified:
        raise CallsError(
            [
                Violation(
                    "J2",
                    "Du har anmält jäv för ansökan och kan inte bedöma den (J2).",
                )
            ]
        )
    principles = {p.code: p for p in application.call.principles.all()}
    violations = []
    for code, (value, motivation) in scores.items():
        if code not in principles:
            violations.append(Violation("J3", f"Utlysningen har ingen princip {code} (J3)."))
        elif not 0 <= value <= 4:
            violations.append(Violation("J3", f"{code}: poängen ska vara 0–4 (J3)."))
        elif not motivation.strip():
            violations.append(Violation("J3", f"{code}: skriv en motivering till poängen (J3)."))
    _refuse_if(violations)
    saved = []
    for code, (value, motivation) in scores.items():
        score = Score.objects.filter(
            application=application, reviewer=reviewer, principle=principles[code]
        ).first() or Score(application=application, reviewer=reviewer, principle=principles[code])
        score.value, score.motivation = value, motivation.strip()
        score._history_user = reviewer
        score.save()
        saved.append(score)
    return saved
