"""Verbs of the pipeline. Views and the API call these; none of them sets a step itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samsyn.parties import bounds
from samsyn.parties.access import role_in
from samsyn.parties.choices import FINSAM_PARTY_KINDS, OrganisationKind, Role
from samsyn.parties.history import acting_as
from samsyn.parties.models import Forbund, Organisation, User
from samsyn.pipeline import rules
from samsyn.pipeline.models import (
    Idea,
    IdeaParty,
    IdeaTransition,
    Measure,
    MeasureTransition,
    Need,
)
from samsyn.pipeline.steps import (
    IDEA_APPLICATION_STEPS,
    Forum,
    IdeaStep,
    LeftRoutineReason,
    MeasureStep,
    StopReason,
    idea_next_steps,
    measure_next_steps,
)


class PipelineError(Exception):
    """A refused action; `violations` carry the rule ids and Swedish explanations."""

    def __init__(self, violations: list[rules.Violation] | str):
        if isinstance(violations, str):
            violations = [rules.Violation("", violations)]
        self.violations = violations
        super().__init__(" ".join(v.message for v in violations))


class StaleEdit(PipelineError):
    def __init__(self, record: Any):
        super().__init__(
            f"Någon annan har ändrat {record._meta.verbose_name} ”{record}” sedan du öppnade den. "
            "Dina ändringar har inte sparats; hämta den senaste versionen och gör om ändringen."
        )


def _lock_current(record, expected_version: int | None):
    """Re-read the row under a lock and refuse if it changed since the user read it."""
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(record)
    return locked


def _save_new_version(record, fields: Iterable[str], by: User | None, reason: str) -> None:
    record.version += 1
    record._history_user = by
    record._change_reason = reason
    record.save(update_fields=[*fields, "version"])


# Needs -------------------------------------------------------------------------------------

NEED_FIELDS = (
    "title",
    "target_group",
    "description",
    "is_finsam_target_group",
    "identified_on",
    "in_preparatory_structure",
    "group",
)


def _check_need_group(need: Need) -> None:
    """A need is identified in one of its förbund's beredningsgrupper, or by the förbundschef
    with the parties (no group)."""
    group = need.group
    if group is None:
        return
    if group.forbund_id != need.forbund_id:
        raise PipelineError(
            "Beredningsgruppen hör inte till behovets förbund; välj en av förbundets "
            "beredningsgrupper eller ”förbundschefen med parterna”."
        )
    if not need.in_preparatory_structure:
        raise PipelineError(
            "Ett behov som identifierats i en beredningsgrupp är identifierat i förbundets "
            "beredningsstruktur."
        )


@transaction.atomic
def record_need(forbund: Forbund, *, by: User, **data: Any) -> Need:
    need = Need(forbund=forbund, created_by=by, **{f: data[f] for f in NEED_FIELDS if f in data})
    need._history_user = by
    _check_need_group(need)
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def update_need(need: Need, *, by: User, expected_version: int | None, **data: Any) -> Need:
    need = _lock_current(need, expected_version)
    changed = [f for f in NEED_FIELDS if f in data and getattr(need, f) != data[f]]
    for f in changed:
        setattr(need, f, data[f])
    if changed:
        _check_need_group(need)
        need.full_clean()
        _save_new_version(need, changed, by, "Behovet ändrat")
        # A changed target group changes the facts the rules judge ideas by.
        for idea in need.ideas.all():
            _check_idea_still_valid(idea)
    return need


# Ideas (track E) ---------------------------------------------------------------------------

IDEA_FIELDS = (
    "title",
    "target_group",
    "purpose",
    "goals",
    "implementation",
    "owner",
    "programme_period",
    "aimed_at_individuals",
    "no_other_owner",
    "agreement_signed_on",
)


# What the submitted application rests on: these idea fields are frozen once it is sent.
FROZEN_AFTER_SUBMISSION = frozenset(
    {"owner", "programme_period", "aimed_at_individuals", "no_other_owner", "agreement_signed_on"}
)


def idea_party_choices(forbund: Forbund):
    """Who can be party or owner of the förbund's ESF+ ideas: its members (not the förbund
    itself, R2) and actors outside Finsam, whose presence takes the idea out of the routine
    (R5). The pages offer these; the verbs refuse anyone else."""
    return (
        Organisation.objects.filter(
            Q(pk__in=forbund.members.values("pk")) | Q(kind=OrganisationKind.OTHER)
        )
        .exclude(kind=OrganisationKind.FORBUND)
        .order_by("kind", "name")
    )


def idea_facts(idea: Idea) -> rules.IdeaFacts:
    parties = [
        rules.PartyFacts(
            organisation_id=p.organisation_id,
            name=p.organisation.name,
            kind=p.organisation.kind,
            is_cofinancier=p.is_cofinancier,
            has_mandate=p.mandate_confirmed_at is not None,
            has_decision=p.decision_date is not None,
            performs_rehabilitation=p.performs_rehabilitation,
        )
        for p in idea.parties.select_related("organisation")
    ]
    owner = idea.owner
    return rules.IdeaFacts(
        owner_id=owner.pk if owner else None,
        owner_kind=owner.kind if owner else None,
        owner_name=owner.name if owner else "",
        parties=tuple(parties),
        target_group_is_finsam=idea.need.is_finsam_target_group,
        need_in_preparatory_structure=idea.need.in_preparatory_structure,
        no_other_owner=idea.no_other_owner,
        programme_period=idea.programme_period,
        aimed_at_individuals=idea.aimed_at_individuals,
        agreement_signed=idea.agreement_signed_on is not None,
    )


def _check_idea_still_valid(idea: Idea) -> None:
    """An edit may not put an idea in breach of the rules of the step it stands at."""
    violations = rules.idea_state_violations(idea_facts(idea), idea.step)
    if violations:
        raise PipelineError(violations)


def check_members(
    forbund: Forbund,
    organisations: Iterable[Organisation],
    what: str,
    *,
    other_actors: bool = False,
) -> None:
    """Refuse an organisation that is not a member of the förbund, whichever door sent it
    (see rules.parties_outside_forbund for the actors outside Finsam an idea may have)."""
    organisations = [o for o in organisations if o is not None]
    if not organisations:
        return
    violations = rules.parties_outside_forbund(
        forbund.name,
        forbund.members.values_list("pk", flat=True),
        [(o.pk, o.name, o.kind) for o in organisations],
        what,
        other_actors=other_actors,
    )
    if violations:
        raise PipelineError(violations)


def _check_owner_allowed(need: Need, owner: Organisation | None) -> None:
    if owner is not None:
        violations = rules.r2_forbund_cannot_own(owner.kind)
        if violations:
            raise PipelineError(violations)
        check_members(need.forbund, [owner], "projektägare", other_actors=True)


def _owner_is_party(idea: Idea, by: User) -> None:
    with acting_as(by):
        IdeaParty.objects.get_or_create(idea=idea, organisation=idea.owner)


@transaction.atomic
def create_idea(need: Need, *, by: User, **data: Any) -> Idea:
    _check_owner_allowed(need, data.get("owner"))
    idea = Idea(need=need, created_by=by, **{f: data[f] for f in IDEA_FIELDS if f in data})
    if not idea.target_group:
        idea.target_group = need.target_group
    idea._history_user = by
    idea.full_clean()
    idea.save()
    if idea.owner_id:
        _owner_is_party(idea, by)
    return idea


@transaction.atomic
def update_idea(idea: Idea, *, by: User, expected_version: int | None, **data: Any) -> Idea:
    idea = _lock_current(idea, expected_version)
    changed = [f for f in IDEA_FIELDS if f in data and getattr(idea, f) != data[f]]
    frozen = [f for f in changed if f in FROZEN_AFTER_SUBMISSION]
    if frozen:
        what = ", ".join(str(Idea._meta.get_field(f).verbose_name) for f in frozen)
        violations = submitted_violation(idea, what)
        if violations:
            raise PipelineError(violations)
    if "owner" in changed:
        _check_owner_allowed(idea.need, data["owner"])
    for f in changed:
        setattr(idea, f, data[f])
    if changed:
        idea.full_clean()
        _save_new_version(idea, changed, by, "Projektidén ändrad")
        if idea.owner_id:
            _owner_is_party(idea, by)
        _check_idea_still_valid(idea)
    return idea


def _bump(idea: Idea, by: User, reason: str) -> None:
    """Parties are part of the idea: changing them is a new version of the idea."""
    _save_new_version(idea, [], by, reason)


class _Keep:
    """A verb argument not given: what is recorded stays (unlike None, which clears)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def _given(value):
    """A value the caller sent, or None when it left it out (KEEP)."""
    return None if value is KEEP else value


def _party_word_on_behalf(idea: Idea, organisation: Organisation, by: User) -> bool:
    """B1: may `by` set this party's mandate or decision? True when the kansli does so on the
    party's behalf; refused (PipelineError) for anyone but the party's own representatives."""
    own = by.organisation_id == organisation.pk
    is_kansli = by.is_superuser or role_in(by, idea.need.forbund) == Role.KANSLI
    violations = rules.b1_party_word_is_its_own(
        organisation.name, organisation.pk, by.organisation_id, is_kansli
    )
    if violations:
        raise PipelineError(violations)
    return not own


@transaction.atomic
def set_idea_party(
    idea: Idea,
    organisation: Organisation,
    *,
    by: User,
    expected_version: int | None,
    is_cofinancier: bool | None = KEEP,
    performs_rehabilitation: bool | None = KEEP,
    representative: str | None = KEEP,
    mandate: bool | None = KEEP,
    mandate_given_on: dt.date | None = KEEP,
    decision_date: dt.date | None = KEEP,
    decision_reference: str | None = KEEP,
) -> IdeaParty:
    """Add a party to an idea or change its part: co-financing, mandate (R6), decision (R7).

    Only what is given changes; an argument left out (KEEP) keeps what is recorded, or the
    default for a new party. None keeps a yes/no or a text too, and clears the decision date.
    `mandate_given_on` is the day the party gave its representative the mandate, as the user
    states it; the moment it was recorded in Samsyn is kept beside it.
    """
    too_late = rules.dates_not_in_future(
        timezone.localdate(),
        mandate_given_on=("Datumet för mandatet", _given(mandate_given_on)),
        decision_date=("Datumet för partens beslut", _given(decision_date)),
    )
    if too_late:
        raise PipelineError(too_late)
    idea = _lock_current(idea, expected_version)
    if organisation.kind == OrganisationKind.FORBUND:
        raise PipelineError(
            [
                rules.Violation(
                    "R2",
                    "Ett samordningsförbund är inte part i ett ESF+-projekt; välj förbundets "
                    "medlemmar (R2).",
                )
            ]
        )
    check_members(idea.need.forbund, [organisation], "part i projektidén", other_actors=True)
    with acting_as(by):
        party, _created = IdeaParty.objects.get_or_create(idea=idea, organisation=organisation)
    before = _party_commitment(party)
    if is_cofinancier not in (KEEP, None):
        party.is_cofinancier = is_cofinancier
    if performs_rehabilitation not in (KEEP, None):
        party.performs_rehabilitation = performs_rehabilitation
    if representative not in (KEEP, None):
        party.representative = representative
    sets_mandate = (mandate is True and party.mandate_confirmed_at is None) or (
        mandate is False and party.mandate_confirmed_at is not None
    )
    dates_mandate = (
        mandate is not False
        and mandate_given_on not in (KEEP, None)
        and mandate_given_on != party.mandate_given_on
    )
    new_decision = (
        party.decision_date if decision_date is KEEP else decision_date,
        party.decision_reference if decision_reference in (KEEP, None) else decision_reference,
    )
    sets_decision = new_decision != (party.decision_date, party.decision_reference)
    on_behalf = False
    if sets_mandate or dates_mandate or sets_decision:
        on_behalf = _party_word_on_behalf(idea, organisation, by)
    if sets_mandate and mandate:
        party.mandate_confirmed_at = timezone.now()
        party.mandate_confirmed_by = by
        party.mandate_on_behalf = on_behalf
    elif sets_mandate:
        party.mandate_confirmed_at = None
        party.mandate_confirmed_by = None
        party.mandate_on_behalf = False
        party.mandate_given_on = None
    if dates_mandate:
        party.mandate_given_on = mandate_given_on
    if sets_decision:
        party.decision_date, party.decision_reference = new_decision
        party.decision_recorded_by = by
        party.decision_on_behalf = on_behalf
    if _created or _party_commitment(party) != before:
        frozen = submitted_violation(idea, f"{organisation}s del i projektet")
        if frozen:
            raise PipelineError(frozen)
    try:
        party.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise PipelineError([rules.Violation("", m) for m in exc.messages]) from exc
    party._history_user = by
    party.save()
    _bump(idea, by, f"Part {organisation} ändrad")
    _check_idea_still_valid(idea)
    return party


def _party_commitment(party: IdeaParty) -> tuple:
    """What the application says about a party: frozen once it is sent."""
    return (
        party.is_cofinancier,
        party.performs_rehabilitation,
        party.decision_date,
        party.decision_reference,
    )


@transaction.atomic
def remove_idea_party(
    idea: Idea, organisation: Organisation, *, by: User, expected_version: int | None
) -> None:
    idea = _lock_current(idea, expected_version)
    if idea.owner_id == organisation.pk:
        raise PipelineError("Projektägaren kan inte tas bort som part; byt projektägare först.")
    frozen = submitted_violation(idea, "parterna")
    if frozen:
        raise PipelineError(frozen)
    with acting_as(by):
        deleted, _ = IdeaParty.objects.filter(idea=idea, organisation=organisation).delete()
    if deleted:
        _bump(idea, by, f"Part {organisation} borttagen")
        _check_idea_still_valid(idea)


A9_MESSAGE = (
    "Projektidén följer sin ansökan: den skickas in och får ESF-rådets beslut (beviljad eller "
    "avslagen) bara genom ansökan. Skicka in ansökan och registrera bedömning och beslut på "
    "ansökans sida (A9)."
)
A9_STOP_MESSAGE = (
    "Ansökan ligger hos Svenska ESF-rådet; projektidén kan inte stoppas förrän beslutet om "
    "ansökan är registrerat (A9)."
)


def move_idea(idea: Idea, to_step: str, **kwargs: Any) -> IdeaTransition:
    """Move an idea along track E, checking the step machine and rules R1–R7.

    Submitted, granted and rejected belong to the application (A9): they are set only by
    `move_idea_with_application`, which the application's verbs call in their transaction.
    """
    return _move_idea(idea, to_step, with_application=False, **kwargs)


def move_idea_with_application(idea: Idea, to_step: str, **kwargs: Any) -> IdeaTransition:
    """For samsyn.calls.services only: the application's verbs move the idea with it."""
    return _move_idea(idea, to_step, with_application=True, **kwargs)


def submitted_violation(idea: Idea, what: str) -> list[rules.Violation]:
    """After the application is sent, what it says about the idea can no longer change (A9)."""
    if idea.transitions.filter(to_step=IdeaStep.SUBMITTED).exists():
        return [
            rules.Violation(
                "A9",
                f"Ansökan är inskickad till Svenska ESF-rådet med de parter och den "
                f"medfinansiering som står i den; {what} kan inte längre ändras (A9).",
            )
        ]
    return []


@transaction.atomic
def _move_idea(
    idea: Idea,
    to_step: str,
    *,
    by: User,
    forum: str = Forum.BEREDNINGSGRUPP,
    basis_date: dt.date | None = None,
    note: str = "",
    stop_reason: str = "",
    expected_version: int | None = None,
    with_application: bool,
) -> IdeaTransition:
    idea = _lock_current(idea, expected_version)
    if to_step not in IdeaStep.values:
        raise PipelineError(f"Okänt steg: {to_step}.")
    if not with_application and to_step in IDEA_APPLICATION_STEPS:
        raise PipelineError([rules.Violation("A9", A9_MESSAGE)])
    if not with_application and to_step == IdeaStep.STOPPED and idea.step == IdeaStep.SUBMITTED:
        raise PipelineError([rules.Violation("A9", A9_STOP_MESSAGE)])
    _check_forum(forum)
    if to_step not in idea_next_steps(idea.step):
        raise PipelineError(
            f"En projektidé kan inte gå från ”{IdeaStep(idea.step).label}” till "
            f"”{IdeaStep(to_step).label}”."
        )
    facts = idea_facts(idea)
    violations = rules.idea_transition_violations(
        facts, to_step, forum=forum, actor_organisation_id=by.organisation_id
    )
    violations += step_date_violations(idea, basis_date)
    update = ["step"]
    if to_step == IdeaStep.STOPPED:
        violations += _stop_reason_problems(stop_reason, note)
        idea.stop_reason, idea.stop_note = stop_reason, note
        update += ["stop_reason", "stop_note"]
    if to_step == IdeaStep.LEFT_ROUTINE:
        r5 = rules.r5_outside_finsam(facts)
        if not r5:
            violations.append(
                rules.Violation(
                    "R5",
                    "Idén ligger inom Finsam (målgrupp och medfinansiärer), så den lämnar inte "
                    "rutinen. Vill du inte gå vidare? Stoppa då idén och ange skälet (R5).",
                )
            )
        idea.left_routine_reason = (
            LeftRoutineReason.TARGET_GROUP
            if not facts.target_group_is_finsam
            else LeftRoutineReason.PARTIES
        )
        idea.stop_note = note
        update += ["left_routine_reason", "stop_note"]
    if violations:
        raise PipelineError(violations)
    transition = IdeaTransition.objects.create(
        idea=idea,
        from_step=idea.step,
        to_step=to_step,
        by=by,
        forum=forum,
        basis_date=basis_date,
        note=note,
    )
    idea.step = to_step
    _save_new_version(idea, update, by, f"Till steg: {IdeaStep(to_step).label}")
    return transition


def step_date_violations(track: Idea | Measure, basis_date: dt.date | None) -> list:
    """A step's date (the meeting or decision) has happened, and not before the need was
    identified or the track's previous dated step (samsyn.parties.bounds)."""
    if basis_date is None:
        return []
    previous = track.transitions.exclude(basis_date=None).order_by("-at", "-pk").first()
    problems = [bounds.date_problem(basis_date)] if bounds.date_problem(basis_date) else []
    problems += bounds.happened_problems(
        basis_date,
        what="Datumet för steget",
        after=[
            (track.need.identified_on, "datumet då behovet identifierades"),
            (previous.basis_date if previous else None, "datumet för föregående steg"),
        ],
    )
    return [rules.Violation(p.code, p.message) for p in problems]


def _check_forum(forum: str) -> None:
    # An unknown forum would be stored as the basis, and a misspelt "styrelse" would pass R1.
    if forum not in Forum.values:
        raise PipelineError(f"Okänd grund för steget: {forum}.")


def _stop_reason_problems(stop_reason: str, note: str) -> list[rules.Violation]:
    # The field is named as the rule, like a bound on one value: pages put the error on it.
    if stop_reason not in StopReason.values:
        return [rules.Violation("stop_reason", "Ange skälet till att arbetet stoppas.", "required")]
    if stop_reason == StopReason.OTHER and not note.strip():
        message = "Beskriv skälet i anteckningen när du väljer ”Annat skäl”."
        return [rules.Violation("note", message, "required")]
    return []


# Measures (track F) ------------------------------------------------------------------------

MEASURE_FIELDS = ("title", "target_group", "purpose", "goals", "implementation", "responsibilities")


@transaction.atomic
def create_measure(
    need: Need, *, by: User, parties: Iterable[Organisation] = (), **data: Any
) -> Measure:
    measure = Measure(need=need, created_by=by, **{f: data[f] for f in MEASURE_FIELDS if f in data})
    if not measure.target_group:
        measure.target_group = need.target_group
    measure._history_user = by
    measure.full_clean()
    parties = list(parties)
    _check_measure_parties(need, parties)
    measure.save()
    measure.parties.set(parties)
    return measure


@transaction.atomic
def update_measure(
    measure: Measure,
    *,
    by: User,
    expected_version: int | None,
    parties: Iterable[Organisation] | None = None,
    **data: Any,
) -> Measure:
    measure = _lock_current(measure, expected_version)
    changed = [f for f in MEASURE_FIELDS if f in data and getattr(measure, f) != data[f]]
    for f in changed:
        setattr(measure, f, data[f])
    parties_changed = parties is not None and (
        {p.pk for p in parties} != set(measure.parties.values_list("pk", flat=True))
    )
    if not changed and not parties_changed:
        return measure
    measure.full_clean()
    if parties_changed:
        _check_measure_parties(measure.need, parties)
        measure._history_user = by
        measure.parties.set(parties)
    _save_new_version(measure, changed, by, "Insatsen ändrad")
    if measure.step not in (MeasureStep.NEED_IDENTIFIED, MeasureStep.MEASURE_DESIGNED):
        # After the parties agreed on responsibilities, the measure keeps its parties.
        problems = measure_step_problems(measure, MeasureStep.RESPONSIBILITY_AGREED, "")
        if problems:
            raise PipelineError(problems)
    return measure


def _check_measure_parties(need: Need, parties: Iterable[Organisation]) -> None:
    parties = list(parties)
    outsiders = sorted(p.name for p in parties if p.kind not in FINSAM_PARTY_KINDS)
    if outsiders:
        raise PipelineError(
            "Parterna i en Finsam-insats är förbundets medlemmar: Arbetsförmedlingen, "
            "Försäkringskassan, kommuner och regioner. Inte: " + ", ".join(outsiders) + "."
        )
    check_members(need.forbund, parties, "part i insatsen")


def measure_step_problems(measure: Measure, to_step: str, forum: str) -> list[rules.Violation]:
    """What a Finsam measure needs before it can take a step (DOMAIN.md §2, track F)."""
    problems = []
    if to_step == MeasureStep.RESPONSIBILITY_AGREED:
        if not measure.parties.exists():
            problems.append(rules.Violation("F3", "Ange vilka parter som medverkar i insatsen."))
        if not measure.responsibilities.strip():
            problems.append(
                rules.Violation("F3", "Beskriv ansvarsfördelningen som parterna är överens om.")
            )
    if to_step in (MeasureStep.BOARD_DECIDED, MeasureStep.BOARD_DECLINED) and (
        forum != Forum.STYRELSE
    ):
        problems.append(
            rules.Violation(
                "F4",
                "Det är förbundets styrelse som beslutar om finansiering av en Finsam-insats; "
                "ange styrelsemötet som grund.",
            )
        )
    return problems


@transaction.atomic
def move_measure(
    measure: Measure,
    to_step: str,
    *,
    by: User,
    forum: str = Forum.BEREDNINGSGRUPP,
    basis_date: dt.date | None = None,
    note: str = "",
    stop_reason: str = "",
    expected_version: int | None = None,
) -> MeasureTransition:
    measure = _lock_current(measure, expected_version)
    if to_step not in MeasureStep.values:
        raise PipelineError(f"Okänt steg: {to_step}.")
    _check_forum(forum)
    if to_step not in measure_next_steps(measure.step):
        raise PipelineError(
            f"En insats kan inte gå från ”{MeasureStep(measure.step).label}” till "
            f"”{MeasureStep(to_step).label}”."
        )
    violations = measure_step_problems(measure, to_step, forum)
    violations += step_date_violations(measure, basis_date)
    update = ["step"]
    if to_step == MeasureStep.STOPPED:
        violations += _stop_reason_problems(stop_reason, note)
        measure.stop_reason, measure.stop_note = stop_reason, note
        update += ["stop_reason", "stop_note"]
    if violations:
        raise PipelineError(violations)
    transition = MeasureTransition.objects.create(
        measure=measure,
        from_step=measure.step,
        to_step=to_step,
        by=by,
        forum=forum,
        basis_date=basis_date,
        note=note,
    )
    measure.step = to_step
    _save_new_version(measure, update, by, f"Till steg: {MeasureStep(to_step).label}")
    return transition
