"""The two tracks as state machines: steps, allowed moves, and their Swedish names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaStep(models.TextChoices):
    """Track E: ESF+ project (DOMAIN.md §2, FK's routine 2025)."""

    NEED_IDENTIFIED = "need_identified", _("Behov av ESF+-projekt identifierat")
    IDEA_DESIGNED = "idea_designed", _("Projektidé utformad och förankrad")
    OWNER_AGREED = "owner_agreed", _("Överens om projektägare och medfinansiärer")
    APPLICATION_DRAFTED = "application_drafted", _("Ansökan skrivs")
    PARTIES_DECIDED = "parties_decided", _("Parterna har fattat beslut")
    SUBMITTED = "submitted", _("Ansökan inskickad till ESF-rådet")
    GRANTED = "granted", _("Beviljad")
    REJECTED = "rejected", _("Avslagen")
    RUNNING = "running", _("Projektet genomförs")
    COMPLETED = "completed", _("Avslutat")
    STOPPED = "stopped", _("Stoppad")
    LEFT_ROUTINE = "left_routine", _("Lämnat rutinen (utanför Finsam)")


class MeasureStep(models.TextChoices):
    """Track F: Finsam measure financed by the förbund."""

    NEED_IDENTIFIED = "need_identified", _("Behov av insats identifierat")
    MEASURE_DESIGNED = "measure_designed", _("Insatsen utformad och förankrad")
    RESPONSIBILITY_AGREED = "responsibility_agreed", _("Överens om ansvarsfördelning")
    BOARD_DECIDED = "board_decided", _("Styrelsen har beslutat om finansiering")
    BOARD_DECLINED = "board_declined", _("Styrelsen har avslagit")
    RUNNING = "running", _("Insatsen genomförs")
    COMPLETED = "completed", _("Avslutad")
    STOPPED = "stopped", _("Stoppad")


IDEA_MAIN_PATH = [
    IdeaStep.NEED_IDENTIFIED,
    IdeaStep.IDEA_DESIGNED,
    IdeaStep.OWNER_AGREED,
    IdeaStep.APPLICATION_DRAFTED,
    IdeaStep.PARTIES_DECIDED,
    IdeaStep.SUBMITTED,
    IdeaStep.GRANTED,
    IdeaStep.RUNNING,
    IdeaStep.COMPLETED,
]
IDEA_MOVES: dict[str, frozenset[str]] = {
    IdeaStep.NEED_IDENTIFIED: frozenset({IdeaStep.IDEA_DESIGNED}),
    IdeaStep.IDEA_DESIGNED: frozenset({IdeaStep.OWNER_AGREED}),
    IdeaStep.OWNER_AGREED: frozenset({IdeaStep.APPLICATION_DRAFTED}),
    IdeaStep.APPLICATION_DRAFTED: frozenset({IdeaStep.PARTIES_DECIDED}),
    IdeaStep.PARTIES_DECIDED: frozenset({IdeaStep.SUBMITTED}),
    IdeaStep.SUBMITTED: frozenset({IdeaStep.GRANTED, IdeaStep.REJECTED}),
    IdeaStep.GRANTED: frozenset({IdeaStep.RUNNING}),
    IdeaStep.RUNNING: frozenset({IdeaStep.COMPLETED}),
}
# Before the parties agree on owner and co-financiers (E3) an idea can leave the routine (R5);
# from owner_agreed on, R5 is already checked and holds.
IDEA_PREPARATORY_STEPS = frozenset({IdeaStep.NEED_IDENTIFIED, IdeaStep.IDEA_DESIGNED})
# The steps an idea takes only through its application's verbs (samsyn/calls/services.py):
# the application is sent, and ESF-rådet decides on it; an idea is never granted on its own.
IDEA_APPLICATION_STEPS = frozenset({IdeaStep.SUBMITTED, IdeaStep.GRANTED, IdeaStep.REJECTED})
IDEA_FINAL_STEPS = frozenset(
    {IdeaStep.COMPLETED, IdeaStep.REJECTED, IdeaStep.STOPPED, IdeaStep.LEFT_ROUTINE}
)

MEASURE_MAIN_PATH = [
    MeasureStep.NEED_IDENTIFIED,
    MeasureStep.MEASURE_DESIGNED,
    MeasureStep.RESPONSIBILITY_AGREED,
    MeasureStep.BOARD_DECIDED,
    MeasureStep.RUNNING,
    MeasureStep.COMPLETED,
]
MEASURE_MOVES: dict[str, frozenset[str]] = {
    MeasureStep.NEED_IDENTIFIED: frozenset({MeasureStep.MEASURE_DESIGNED}),
    MeasureStep.MEASURE_DESIGNED: frozenset({MeasureStep.RESPONSIBILITY_AGREED}),
    MeasureStep.RESPONSIBILITY_AGREED: frozenset(
        {MeasureStep.BOARD_DECIDED, MeasureStep.BOARD_DECLINED}
    ),
    MeasureStep.BOARD_DECIDED: frozenset({MeasureStep.RUNNING}),
    MeasureStep.RUNNING: frozenset({MeasureStep.COMPLETED}),
}
MEASURE_FINAL_STEPS = frozenset(
    {MeasureStep.COMPLETED, MeasureStep.BOARD_DECLINED, MeasureStep.STOPPED}
)


def idea_next_steps(step: str) -> list[str]:
    """Every step an idea may move to from `step`, in display order."""
    if step in IDEA_FINAL_STEPS:
        return []
    moves = [s for s in IdeaStep.values if s in IDEA_MOVES.get(step, ())]
    if step in IDEA_PREPARATORY_STEPS:
        moves.append(IdeaStep.LEFT_ROUTINE)
    moves.append(IdeaStep.STOPPED)
    return moves


def idea_manual_next_steps(step: str) -> list[str]:
    """The steps a user can take on the idea's own page: all but the application's, and no
    stop while the application lies with ESF-rådet."""
    if step == IdeaStep.SUBMITTED:
        return []
    return [s for s in idea_next_steps(step) if s not in IDEA_APPLICATION_STEPS]


def measure_next_steps(step: str) -> list[str]:
    if step in MEASURE_FINAL_STEPS:
        return []
    moves = [s for s in MeasureStep.values if s in MEASURE_MOVES.get(step, ())]
    moves.append(MeasureStep.STOPPED)
    return moves


def idea_reached(step: str, milestone: str) -> bool:
    """True when `step` lies at or beyond `milestone` on the main path (granted ≈ rejected)."""
    if step == IdeaStep.REJECTED:
        step = IdeaStep.GRANTED
    if step not in IDEA_MAIN_PATH:
        return False
    return IDEA_MAIN_PATH.index(step) >= IDEA_MAIN_PATH.index(milestone)


class Forum(models.TextChoices):
    """Where a step was taken: the basis for it."""

    BEREDNINGSGRUPP = "beredningsgrupp", _("Beredningsgruppens möte")
    STYRELSE = "styrelse", _("Förbundets styrelsemöte")
    PARTERNA = "parterna", _("Parternas egna beslut")
    ESF_RADET = "esf_radet", _("Svenska ESF-rådets beslut")
    OTHER = "other", _("Annat")


class StopReason(models.TextChoices):
    NO_FITTING_CALL = "no_fitting_call", _("Ingen passande utlysning")
    NO_OWNER = "no_owner", _("Ingen part vill vara projektägare")
    NO_COFINANCING = "no_cofinancing", _("Medfinansiering saknas")
    NO_MANDATE = "no_mandate", _("Mandat eller förankring saknas hos en part")
    NEED_MET_OTHERWISE = "need_met_otherwise", _("Behovet möts på annat sätt")
    NOT_PRIORITISED = "not_prioritised", _("Inte prioriterad")
    OTHER = "other", _("Annat skäl")


class LeftRoutineReason(models.TextChoices):
    TARGET_GROUP = "target_group_outside_finsam", _("Målgruppen är inte Finsams målgrupp")
    PARTIES = "parties_outside_finsam", _("Medfinansierande parter utanför Finsam")


class ProgrammePeriod(models.TextChoices):
    P2021_2027 = "2021-2027", _("ESF+ 2021–2027")
    P2014_2020 = "2014-2020", _("ESF 2014–2020")
