"""Rules R1–R9 (DOMAIN.md §3) as plain functions: facts in, violations out.

Nothing here touches the database or the request, so pages, the API and
background tasks all ask the same functions, and each rule is tested alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from samsyn.parties.choices import FINSAM_PARTY_KINDS, OrganisationKind
from samsyn.pipeline.steps import Forum, IdeaStep, ProgrammePeriod, idea_reached


@dataclass(frozen=True)
class Violation:
    """A refusal: the numbered rule (or ""), the Swedish message, and a stable code that API
    clients can act on; a numbered rule's code is its id."""

    rule: str
    message: str
    code: str = ""

    @property
    def stable_code(self) -> str:
        return self.code or self.rule or "refused"


@dataclass(frozen=True)
class PartyFacts:
    organisation_id: int
    name: str
    kind: str
    is_cofinancier: bool = True
    has_mandate: bool = False
    has_decision: bool = False
    performs_rehabilitation: bool = False


@dataclass(frozen=True)
class IdeaFacts:
    """What the rules need to know about an ESF+ project idea."""

    owner_id: int | None
    owner_kind: str | None
    owner_name: str = ""
    parties: Sequence[PartyFacts] = field(default_factory=tuple)
    target_group_is_finsam: bool = True
    need_in_preparatory_structure: bool = True
    no_other_owner: bool = False
    programme_period: str = ProgrammePeriod.P2021_2027
    aimed_at_individuals: bool = True
    agreement_signed: bool = False

    @property
    def cofinanciers(self) -> list[PartyFacts]:
        return [p for p in self.parties if p.is_cofinancier]


def parties_outside_forbund(
    forbund_name: str,
    member_ids: Iterable[int],
    organisations: Iterable[tuple[int, str, str]],
    what: str,
    *,
    other_actors: bool = False,
) -> list[Violation]:
    """Only the förbund's members take part in its work: as party, owner or attendee.

    `organisations` are (id, name, kind). With `other_actors`, an actor outside Finsam (an
    idéburen organisation, a folkhögskola: kind "other") may join an ESF+ idea too; R5 then
    takes the idea out of the routine. A kommun or region of another förbund never joins.
    """
    members = set(member_ids)
    outside = sorted(
        name
        for pk, name, kind in organisations
        if pk not in members and not (other_actors and kind == OrganisationKind.OTHER)
    )
    if not outside:
        return []
    return [
        Violation(
            "",
            f"{', '.join(outside)} är inte medlem i {forbund_name} och kan inte vara {what}; "
            "välj någon av förbundets medlemmar.",
            code="not_member",
        )
    ]


def _names(parties: Iterable[PartyFacts]) -> str:
    return ", ".join(sorted(p.name for p in parties))


# R1 ------------------------------------------------------------------------------------------

R1_MESSAGE = (
    "ESF+-frågor lyfts inte för dialog eller beslut i samordningsförbundets styrelse: "
    "styrelsen beslutar bara om hur medlen för finansiell samordning används (R1)."
)


def r1_no_esf_matters_in_board(forum: str) -> list[Violation]:
    """An ESF+ idea or project cannot be raised or decided at the förbund's board."""
    if forum == Forum.STYRELSE:
        return [Violation("R1", R1_MESSAGE)]
    return []


def r1_board_agenda(is_board_meeting: bool, esf_items: Iterable[str]) -> list[Violation]:
    """A board meeting's agenda cannot carry an ESF+ idea or project (used by meetings)."""
    items = list(esf_items)
    if is_board_meeting and items:
        return [Violation("R1", f"{R1_MESSAGE} Ta bort från dagordningen: {', '.join(items)}.")]
    return []


# R2 ------------------------------------------------------------------------------------------


def r2_forbund_cannot_own(owner_kind: str | None) -> list[Violation]:
    if owner_kind == OrganisationKind.FORBUND:
        return [
            Violation(
                "R2",
                "Ett samordningsförbund kan inte vara projektägare för eller söka ESF+-medel; "
                "det är oförenligt med Finsamlagen (Arbetsförmedlingen och Försäkringskassan 2024, "
                "Nationella rådet) (R2).",
            )
        ]
    return []


# R3 ------------------------------------------------------------------------------------------


def r3_fk_owner_conditions(facts: IdeaFacts) -> list[Violation]:
    """FK may own a project under the 2025 assignment only when every condition holds."""
    if facts.owner_kind != OrganisationKind.FK:
        return []
    missing = []
    if not facts.need_in_preparatory_structure:
        missing.append("behovet ska ha identifierats i förbundets beredningsstruktur")
    if not facts.no_other_owner:
        missing.append("övriga parter ska ha avstått från att vara projektägare")
    not_cofinancing = [p for p in facts.parties if not p.is_cofinancier]
    if not_cofinancing:
        missing.append(
            f"alla medverkande parter ska medfinansiera (gör det inte: {_names(not_cofinancing)})"
        )
    if not facts.target_group_is_finsam:
        missing.append(
            "målgruppen ska vara Finsams målgrupp (individer i behov av samordnad rehabilitering)"
        )
    outside = [p for p in facts.parties if p.kind not in FINSAM_PARTY_KINDS]
    if outside:
        missing.append(
            "medverkande och medfinansierande parter ska vara Finsam-parter: Arbetsförmedlingen, "
            f"Försäkringskassan, kommun, region (är det inte: {_names(outside)})"
        )
    if facts.programme_period != ProgrammePeriod.P2021_2027:
        missing.append("projektet ska höra till programperioden 2021–2027")
    if not missing:
        return []
    return [
        Violation(
            "R3",
            "Försäkringskassan kan vara projektägare enligt regeringsuppdraget 2025 bara när alla "
            "villkor är uppfyllda. Det saknas: " + "; ".join(missing) + " (R3).",
        )
    ]


# R4 ------------------------------------------------------------------------------------------


def r4_fk_individual_project_agreement(facts: IdeaFacts) -> list[Violation]:
    """FK administers and coordinates; others rehabilitate; a written agreement rules it."""
    if facts.owner_kind != OrganisationKind.FK or not facts.aimed_at_individuals:
        return []
    problems = []
    performers = [
        p
        for p in facts.parties
        if p.performs_rehabilitation and p.organisation_id != facts.owner_id
    ]
    if not performers:
        problems.append(
            "minst en annan part ska utföra rehabiliteringsinsatserna (Försäkringskassan "
            "administrerar och samordnar)"
        )
    if not facts.agreement_signed:
        problems.append(
            "en skriftlig överenskommelse ska reglera ansvaret mellan projektägaren och de "
            "medfinansierande och utförande parterna innan ansökan skickas"
        )
    if not problems:
        return []
    return [
        Violation(
            "R4",
            "När Försäkringskassan äger ett projekt som riktar sig till individer gäller att "
            + "; ".join(problems)
            + " (R4).",
        )
    ]


# R5 ------------------------------------------------------------------------------------------


def r5_outside_finsam(facts: IdeaFacts) -> list[Violation]:
    """A need outside Finsam's target group or parties leaves this routine."""
    reasons = []
    if not facts.target_group_is_finsam:
        reasons.append("målgruppen är inte Finsams målgrupp")
    outside = [p for p in facts.cofinanciers if p.kind not in FINSAM_PARTY_KINDS]
    if outside:
        reasons.append(f"medfinansiärer utanför Finsam ({_names(outside)})")
    if not reasons:
        return []
    return [
        Violation(
            "R5",
            "Idén ligger utanför Finsam: " + " och ".join(reasons) + ". Försäkringskassan kan inte "
            "ta på sig ägarskapet enligt uppdraget och dialogen fortsätter utanför "
            "beredningsgruppen. Registrera att idén lämnat rutinen (R5).",
        )
    ]


# R6 ------------------------------------------------------------------------------------------


def r6_mandates_recorded(facts: IdeaFacts) -> list[Violation]:
    """Past step E3 every participating party's representative must have a mandate."""
    if not facts.parties:
        return [
            Violation(
                "R6",
                "Ange vilka parter som medverkar och att deras företrädare har mandat att komma "
                "överens om projektägare och medfinansiärer (R6).",
            )
        ]
    without = [p for p in facts.parties if not p.has_mandate]
    if without:
        return [
            Violation(
                "R6",
                "Varje medverkande parts företrädare ska ha mandat att komma överens om "
                f"projektägare och medfinansiärer. Mandat saknas för: {_names(without)} (R6).",
            )
        ]
    return []


# R7 ------------------------------------------------------------------------------------------


def r7_cofinancier_decisions(facts: IdeaFacts) -> list[Violation]:
    """Each co-financier's formal decision (step E5) is recorded before submission."""
    without = [p for p in facts.cofinanciers if not p.has_decision]
    if without:
        return [
            Violation(
                "R7",
                "Varje medfinansiär ska ha fattat ett formellt beslut om sitt åtagande innan "
                f"ansökan skickas. Beslut saknas för: {_names(without)} (R7).",
            )
        ]
    return []


def r7_only_owner_submits(facts: IdeaFacts, actor_organisation_id: int | None) -> list[Violation]:
    if facts.owner_id is None or actor_organisation_id != facts.owner_id:
        owner = facts.owner_name or "projektägaren"
        return [
            Violation(
                "R7",
                f"Bara projektägaren ({owner}) skickar in ansökan till Svenska ESF-rådet; du "
                "företräder inte projektägaren (R7).",
            )
        ]
    return []


# R8 ------------------------------------------------------------------------------------------


def b1_party_word_is_its_own(
    party_name: str, party_id: int, actor_organisation_id: int | None, actor_is_kansli: bool
) -> list[Violation]:
    """B1: a party's mandate and formal decision are set by its own representatives, or by the
    kansli on the party's behalf (recorded as such); never by another party's representative."""
    if actor_organisation_id == party_id or actor_is_kansli:
        return []
    return [
        Violation(
            "B1",
            f"Bara {party_name}s egna företrädare, eller kansliet för partens räkning, kan "
            f"registrera partens mandat och formella beslut (B1).",
        )
    ]


@dataclass(frozen=True)
class BudgetLine:
    label: str
    starts_on: dt.date
    ends_on: dt.date


def r8_budget_within_period(
    period_start: dt.date, period_end: dt.date, lines: Iterable[BudgetLine]
) -> list[Violation]:
    """Work before or after the project period is not financed by ESF+."""
    outside = [line for line in lines if line.starts_on < period_start or line.ends_on > period_end]
    return [
        Violation(
            "R8",
            f"Budgetposten {line.label} ({line.starts_on:%Y-%m-%d}–{line.ends_on:%Y-%m-%d}) ligger "
            f"utanför projektperioden {period_start:%Y-%m-%d}–{period_end:%Y-%m-%d}. ESF+ "
            "finansierar inte arbete före och efter projektperioden (R8).",
        )
        for line in outside
    ]


# R9 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeAreaFacts:
    """Restrictions of a programme area, read from the programme's reference data."""

    code: str
    name: str
    only_applicant_kinds: frozenset[str] = frozenset()
    only_nuts2_codes: frozenset[str] = frozenset()
    nuts2_names: str = ""


def r9_programme_area(
    area: ProgrammeAreaFacts, applicant_kind: str | None, nuts2_codes: Iterable[str]
) -> list[Violation]:
    violations = []
    if area.only_applicant_kinds and applicant_kind not in area.only_applicant_kinds:
        allowed = ", ".join(
            sorted(str(OrganisationKind(k).label) for k in area.only_applicant_kinds)
        )
        violations.append(
            Violation(
                "R9",
                f"Bara {allowed} kan söka i programområde {area.code} ({area.name}) (R9).",
            )
        )
    codes = set(nuts2_codes)
    if area.only_nuts2_codes and not (codes and codes <= area.only_nuts2_codes):
        where = area.nuts2_names or ", ".join(sorted(area.only_nuts2_codes))
        violations.append(
            Violation(
                "R9",
                f"Programområde {area.code} ({area.name}) gäller bara {where} (R9).",
            )
        )
    return violations


# Step E3 itself: the parties agree on an owner from among themselves -------------------------


def e3_owner_among_parties(facts: IdeaFacts) -> list[Violation]:
    if facts.owner_id is None:
        return [Violation("E3", "Ange vilken part som ska vara projektägare innan du går vidare.")]
    if facts.owner_id not in {p.organisation_id for p in facts.parties}:
        return [
            Violation(
                "E3",
                f"Projektägaren ({facts.owner_name}) ska vara en av de medverkande parterna.",
            )
        ]
    return []


# The state machine asks here -----------------------------------------------------------------


def idea_state_violations(facts: IdeaFacts, step: str) -> list[Violation]:
    """The rules an idea must satisfy to stand at `step` (also checked when it is edited)."""
    violations: list[Violation] = []
    if idea_reached(step, IdeaStep.OWNER_AGREED):
        violations += e3_owner_among_parties(facts)
        violations += r2_forbund_cannot_own(facts.owner_kind)
        violations += r5_outside_finsam(facts)
        violations += r3_fk_owner_conditions(facts)
        violations += r6_mandates_recorded(facts)
    if idea_reached(step, IdeaStep.PARTIES_DECIDED):
        violations += r7_cofinancier_decisions(facts)
    if idea_reached(step, IdeaStep.SUBMITTED):
        violations += r4_fk_individual_project_agreement(facts)
    return violations


def idea_transition_violations(
    facts: IdeaFacts, to_step: str, *, forum: str, actor_organisation_id: int | None
) -> list[Violation]:
    violations = r1_no_esf_matters_in_board(forum)
    if to_step == IdeaStep.LEFT_ROUTINE:
        return violations
    violations += idea_state_violations(facts, to_step)
    if to_step == IdeaStep.SUBMITTED:
        violations += r7_only_owner_submits(facts, actor_organisation_id)
    return violations


# Bounds of values ----------------------------------------------------------------------------


def dates_not_in_future(today: dt.date, **dates: tuple[str, dt.date | None]) -> list[Violation]:
    """A mandate given or a decision taken is a fact about the past: never after today.

    `dates` maps a field name to (its Swedish name, its value); the violation's rule is the field
    name, so a form can show the message by that field.
    """
    return [
        Violation(name, f"{label} kan inte vara ett datum efter i dag ({today:%Y-%m-%d}).")
        for name, (label, value) in dates.items()
        if value is not None and value > today
    ]
