"""Verbs of meetings, networks and intelligence. Views, the API and the demo call these.

Pipeline steps taken at a meeting go through samsyn.pipeline.services (record_need,
move_idea, move_measure); the decision recorded here only links the meeting to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from samsyn.calls.models import Application, Call
from samsyn.meetings.choices import DecisionKind, MeetingKind
from samsyn.meetings.models import (
    AgendaItem,
    AssignmentPart,
    AssignmentSpend,
    Attendee,
    CalendarToken,
    Decision,
    Event,
    GovernmentAssignment,
    Meeting,
    Network,
    NewsItem,
    Subscription,
)
from samsyn.parties import bounds
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, User
from samsyn.pipeline import rules
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.models import Idea, Measure, Need
from samsyn.pipeline.services import PipelineError, StaleEdit
from samsyn.pipeline.steps import Forum


class MeetingError(PipelineError):
    """A refused action on a meeting; Swedish message(s), rule ids where a rule refuses."""


APPROVED_MESSAGE = (
    "Protokollet är justerat och kan inte längre ändras. Behövs en rättelse tas den upp "
    "som en punkt på nästa möte."
)


def _new_room() -> str:
    # 128 bits of randomness: the room cannot be guessed from the meeting or its date.
    return f"samsyn-{secrets.token_urlsafe(16)}"


def _lock(record, expected_version: int | None):
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(record)
    return locked


def _lock_meeting(meeting: Meeting, expected_version: int | None = None) -> Meeting:
    meeting = _lock(meeting, expected_version)
    if meeting.is_approved:
        raise MeetingError(APPROVED_MESSAGE)
    return meeting


def _save(record, fields, by: User | None, reason: str) -> None:
    record.version += 1
    record._history_user = by
    record._change_reason = reason
    record.save(update_fields=[*fields, "version"])


def _bump_meeting(meeting: Meeting, by: User, reason: str) -> None:
    """Agenda, attendees and decisions are part of the meeting: a change is a new version."""
    _save(meeting, [], by, reason)


def _refuse_out_of_bounds(record) -> None:
    """The value bounds and declared events of the record (samsyn.parties.bounds), as a
    MeetingError; for verbs that save without full_clean."""
    try:
        bounds.check(record)
    except ValidationError as exc:
        raise MeetingError(
            [
                rules.Violation(e.code or "", m)
                for errors in exc.error_dict.values()
                for e in errors
                for m in e
            ]
        ) from exc


def _check_kind(kind: str, forbund: Forbund | None, network: Network | None) -> None:
    if (forbund is None) == (network is None):
        raise MeetingError("Ett möte hör till ett förbund eller ett nätverk.")
    if kind not in MeetingKind.values:
        raise MeetingError(f"Okänd typ av möte: {kind}.")
    if network is not None and kind != MeetingKind.NATVERK:
        raise MeetingError("Ett möte i ett nätverk har typen nätverksmöte.")
    if forbund is not None and kind == MeetingKind.NATVERK:
        raise MeetingError("Ett förbunds möte är beredningsgruppens möte eller ett styrelsemöte.")


# Meetings ----------------------------------------------------------------------------------

MEETING_FIELDS = ("kind", "title", "starts_at", "ends_at", "location", "adjusters", "group")


def _check_times(meeting: Meeting) -> None:
    if meeting.ends_at and meeting.ends_at < meeting.starts_at:
        raise MeetingError("Mötet kan inte sluta innan det börjar.")


def _check_group(meeting: Meeting) -> None:
    """A beredningsgrupp's meeting belongs to one of its förbund's groups (or to none)."""
    group = meeting.group
    if group is None:
        return
    if meeting.kind != MeetingKind.BEREDNINGSGRUPP:
        raise MeetingError("Bara beredningsgruppens möten hör till en beredningsgrupp.")
    if group.forbund_id != meeting.forbund_id:
        raise MeetingError("Beredningsgruppen hör inte till mötets förbund.")


@transaction.atomic
def plan_meeting(
    *, by: User, forbund: Forbund | None = None, network: Network | None = None, **data: Any
) -> Meeting:
    kind = data.get("kind", MeetingKind.NATVERK if network else MeetingKind.BEREDNINGSGRUPP)
    _check_kind(kind, forbund, network)
    meeting = Meeting(
        forbund=forbund,
        network=network,
        created_by=by,
        video_room=_new_room(),
        **{f: data[f] for f in MEETING_FIELDS if f in data},
    )
    meeting.kind = kind
    _check_times(meeting)
    _check_group(meeting)
    meeting._history_user = by
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting, *, by: User, expected_version: int | None, **data: Any
) -> Meeting:
    meeting = _lock_meeting(meeting, expected_version)
    changed = [f for f in MEETING_FIELDS if f in data and getattr(meeting, f) != data[f]]
    for f in changed:
        setattr(meeting, f, data[f])
    if "kind" in changed:
        _check_kind(meeting.kind, meeting.forbund, meeting.network)
        _check_r1(meeting, _esf_items(meeting))
    if changed:
        _check_times(meeting)
        _check_group(meeting)
        meeting.full_clean()
        _save(meeting, changed, by, "Mötet ändrat")
    return meeting


def unknown_user() -> MeetingError:
    """The one answer for a user id that names no one this meeting may have: unknown, or a
    person of another förbund (nobody learns who exists elsewhere)."""
    return MeetingError(
        [rules.Violation("", "Det finns ingen sådan användare.", code="unknown_user")]
    )


def meeting_parties(meeting: Meeting):
    """Who can attend as a party: the förbund's members and the förbund itself (its kansli);
    for a network's meeting its members and its coordinators' organisations."""
    if meeting.forbund_id:
        forbund = meeting.forbund
        own = Q(pk__in=forbund.members.values("pk")) | Q(pk=forbund.organisation_id)
    else:
        network = meeting.network
        own = Q(pk__in=network.members.values("pk")) | Q(
            pk__in=network.coordinators.exclude(organisation=None).values("organisation")
        )
    return Organisation.objects.filter(own).order_by("kind", "name")


def meeting_people(meeting: Meeting):
    """Who can attend as a Samsyn user (and get the agenda and minutes by e-mail): a person
    with a role in the förbund; for a network's meeting a person of a member organisation or
    a coordinator."""
    if meeting.forbund_id:
        return User.objects.filter(forbund_roles__forbund=meeting.forbund_id, is_active=True)
    network = meeting.network
    return User.objects.filter(
        Q(organisation__in=network.members.all()) | Q(coordinated_networks=network),
        is_active=True,
    ).distinct()


@transaction.atomic
def add_attendee(
    meeting: Meeting,
    *,
    by: User,
    organisation: Organisation,
    name: str,
    user: User | None = None,
    present: bool = True,
    expected_version: int | None = None,
) -> Attendee:
    meeting = _lock_meeting(meeting, expected_version)
    if not name.strip():
        raise MeetingError("Ange deltagarens namn.")
    if not meeting_parties(meeting).filter(pk=organisation.pk).exists():
        raise MeetingError(
            [
                rules.Violation(
                    "",
                    f"{organisation} är inte medlem i {meeting.owner} och kan inte delta som "
                    "part; välj någon av medlemmarna.",
                    code="not_member",
                )
            ]
        )
    if user is not None and not meeting_people(meeting).filter(pk=user.pk).exists():
        # The same answer as for an unknown user, so no one learns who exists elsewhere.
        raise unknown_user()
    attendee = Attendee(
        meeting=meeting, organisation=organisation, name=name.strip(), user=user, present=present
    )
    _refuse_out_of_bounds(attendee)
    attendee._history_user = by
    attendee.save()
    _bump_meeting(meeting, by, f"Deltagare {attendee} tillagd")
    return attendee


@transaction.atomic
def remove_attendee(attendee: Attendee, *, by: User) -> None:
    meeting = _lock_meeting(attendee.meeting)
    attendee._history_user = by
    attendee.delete()
    _bump_meeting(meeting, by, f"Deltagare {attendee} borttagen")


# Agenda ------------------------------------------------------------------------------------

ITEM_FIELDS = (
    "title",
    "description",
    "minutes",
    "need",
    "idea",
    "measure",
    "call",
    "application",
)


def _check_r1(meeting: Meeting, items) -> None:
    """R1: a board meeting's agenda carries no ESF+ idea, application or call."""
    violations = rules.r1_board_agenda(
        meeting.is_board_meeting, [m for item in items for m in item.esf_matters]
    )
    if violations:
        raise MeetingError(violations)


def _esf_items(meeting: Meeting):
    return meeting.agenda_items.filter(
        Q(idea__isnull=False) | Q(application__isnull=False) | Q(call__isnull=False)
    ).select_related("idea", "application__idea", "application__call", "call")


def _check_links(meeting: Meeting, item: AgendaItem) -> None:
    """Links must stay inside the meeting's förbund, and a board agenda carries no ESF+ (R1)."""
    linked = [r for r in (item.need, item.idea, item.measure) if r is not None]
    if item.application is not None:
        linked.append(item.application.idea)
    if linked and meeting.forbund_id is None:
        raise MeetingError(
            "Ett nätverksmöte kan inte peka på ett förbunds behov, idéer, insatser eller "
            "ansökningar."
        )
    for record in linked:
        if record.forbund.pk != meeting.forbund_id:
            raise MeetingError(f"”{record}” hör till ett annat förbund än mötet.")
    _check_r1(meeting, [item])


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    *,
    by: User,
    title: str,
    description: str = "",
    need: Need | None = None,
    idea: Idea | None = None,
    measure: Measure | None = None,
    call: Call | None = None,
    application: Application | None = None,
    expected_version: int | None = None,
) -> AgendaItem:
    meeting = _lock_meeting(meeting, expected_version)
    number = (meeting.agenda_items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        number=number,
        title=title,
        description=description,
        need=need,
        idea=idea,
        measure=measure,
        call=call,
        application=application,
    )
    _check_links(meeting, item)
    item._history_user = by
    item.full_clean()
    item.save()
    _bump_meeting(meeting, by, f"Punkt {item} tillagd")
    return item


@transaction.atomic
def update_agenda_item(
    item: AgendaItem, *, by: User, expected_version: int | None, **data: Any
) -> AgendaItem:
    """Change an item: its title, links, or the minutes written under it."""
    meeting = _lock_meeting(item.meeting)
    item = _lock(item, expected_version)
    changed = [f for f in ITEM_FIELDS if f in data and getattr(item, f) != data[f]]
    for f in changed:
        setattr(item, f, data[f])
    if not changed:
        return item
    _check_links(meeting, item)
    item.full_clean()
    reason = "Protokollet skrivet" if changed == ["minutes"] else "Punkten ändrad"
    _save(item, changed, by, reason)
    _bump_meeting(meeting, by, f"{item}: {reason.lower()}")
    return item


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, by: User) -> None:
    """Take an item off the agenda; the items after it move up one number."""
    meeting = _lock_meeting(item.meeting)
    if item.decisions.exists():
        raise MeetingError(
            f"§ {item.number} har beslut registrerade och kan inte tas bort från dagordningen."
        )
    number = item.number
    item._history_user = by
    item.delete()
    for later in meeting.agenda_items.filter(number__gt=number).order_by("number"):
        later.number -= 1
        _save(later, ["number"], by, "Omnumrerad")
    _bump_meeting(meeting, by, f"§ {number} {item.title} borttagen")


def _decision(item: AgendaItem, by: User, kind: str, text: str, **links: Any) -> Decision:
    decision = Decision(agenda_item=item, kind=kind, text=text, by=by, **links)
    _refuse_out_of_bounds(decision)
    decision._history_user = by
    decision.save()
    _bump_meeting(item.meeting, by, f"{item}: beslut")
    return decision


@transaction.atomic
def record_decision(item: AgendaItem, *, by: User, text: str) -> Decision:
    item.meeting = _lock_meeting(item.meeting)
    if not text.strip():
        raise MeetingError("Skriv beslutet.")
    return _decision(item, by, DecisionKind.NOTE, text.strip())


def _forum(meeting: Meeting) -> str:
    return Forum.STYRELSE if meeting.is_board_meeting else Forum.BEREDNINGSGRUPP


@transaction.atomic
def record_need_from_item(item: AgendaItem, *, by: User, **need_data: Any) -> Decision:
    """A need identified under an agenda item: pipeline.record_need, linked both ways."""
    meeting = _lock_meeting(item.meeting)
    item.meeting = meeting
    if meeting.forbund is None:
        raise MeetingError("Behov registreras vid ett förbunds möten, inte vid nätverksmöten.")
    need_data.setdefault("identified_on", meeting.date)
    need_data.setdefault("in_preparatory_structure", meeting.kind == MeetingKind.BEREDNINGSGRUPP)
    # A need identified at a group's meeting is identified in that group.
    need_data.setdefault("group", meeting.group)
    need = pipeline.record_need(meeting.forbund, by=by, **need_data)
    if item.need_id is None:
        item = _lock(item, None)
        item.need = need
        _save(item, ["need"], by, "Behovet kopplat till punkten")
    return _decision(item, by, DecisionKind.NEED, f"Behov identifierat: {need}", need=need)


@transaction.atomic
def record_step_from_item(
    item: AgendaItem,
    *,
    by: User,
    to_step: str,
    target: str | None = None,
    note: str = "",
    stop_reason: str = "",
    expected_version: int | None = None,
) -> Decision:
    """Take a step for the item's idea or measure, with this meeting as its basis.

    `target` is "idea" or "measure" when the item points to both; `expected_version` is the
    version of that idea or measure.
    """
    meeting = _lock_meeting(item.meeting)
    item.meeting = meeting
    if target is None:
        target = "idea" if item.idea_id and not item.measure_id else "measure"
    common = {
        "by": by,
        "forum": _forum(meeting),
        "basis_date": meeting.date,
        "note": note,
        "stop_reason": stop_reason,
        "expected_version": expected_version,
    }
    if target == "idea" and item.idea_id:
        _check_r1(meeting, [item])
        transition = pipeline.move_idea(item.idea, to_step, **common)
        text = f"{item.idea}: {transition.get_to_step_display()}"
        return _decision(item, by, DecisionKind.IDEA_STEP, text, idea_transition=transition)
    if target == "measure" and item.measure_id:
        transition = pipeline.move_measure(item.measure, to_step, **common)
        text = f"{item.measure}: {transition.get_to_step_display()}"
        return _decision(item, by, DecisionKind.MEASURE_STEP, text, measure_transition=transition)
    raise MeetingError("Punkten pekar inte på någon projektidé eller insats att ta ett steg för.")


@transaction.atomic
def approve_minutes(
    meeting: Meeting, *, by: User, adjusters: str = "", expected_version: int | None = None
) -> Meeting:
    """Justera protokollet: from now on nothing in the meeting changes."""
    meeting = _lock_meeting(meeting, expected_version)
    if not meeting.agenda_items.exists():
        raise MeetingError("Ett protokoll utan punkter kan inte justeras.")
    if adjusters.strip():
        meeting.adjusters = adjusters.strip()
    if not meeting.adjusters:
        raise MeetingError("Ange vem eller vilka som justerar protokollet.")
    meeting.approved_at = timezone.now()
    meeting.approved_by = by
    _refuse_out_of_bounds(meeting)
    _save(meeting, ["adjusters", "approved_at", "approved_by"], by, "Protokollet justerat")
    from samsyn.meetings import tasks

    meeting_id = meeting.pk
    transaction.on_commit(lambda: tasks.send_minutes.enqueue(meeting_id))
    return meeting


@transaction.atomic
def send_agenda(meeting: Meeting, *, by: User) -> Meeting:
    """Ask for the agenda to be e-mailed to the attendees; a background task sends it."""
    meeting = _lock(meeting, None)
    if not meeting.agenda_items.exists():
        raise MeetingError("Dagordningen är tom; lägg till punkter innan den skickas.")
    if not meeting.attendees.exclude(user=None).exists():
        raise MeetingError("Inga deltagare med konto i Samsyn att skicka dagordningen till.")
    meeting.agenda_sent_at = timezone.now()
    _save(meeting, ["agenda_sent_at"], by, "Dagordningen skickad")
    from samsyn.meetings import tasks

    meeting_id = meeting.pk
    transaction.on_commit(lambda: tasks.send_agenda.enqueue(meeting_id))
    return meeting


# Networks and intelligence ---------------------------------------------------------------


@transaction.atomic
def create_network(
    name: str,
    *,
    by: User | None,
    members=(),
    coordinators=(),
    description: str = "",
) -> Network:
    network = Network(name=name, description=description)
    network._history_user = by
    network.full_clean()
    network.save()
    network.members.set(members)
    network.coordinators.set(coordinators)
    return network


@transaction.atomic
def add_network_member(network: Network, organisation: Organisation, *, by: User) -> None:
    if organisation.kind == OrganisationKind.FORBUND:
        raise MeetingError(
            "Nätverkets medlemmar är kommuner, regioner och myndigheter, inte samordningsförbund."
        )
    network._history_user = by
    network.members.add(organisation)


@transaction.atomic
def remove_network_member(network: Network, organisation: Organisation, *, by: User) -> None:
    """The organisation's people stop seeing the network and its digest at once."""
    network._history_user = by
    network.members.remove(organisation)


@transaction.atomic
def share_news(network: Network, *, by: User, **data: Any) -> NewsItem:
    item = NewsItem(network=network, created_by=by, **data)
    item._history_user = by
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def share_event(network: Network, *, by: User, **data: Any) -> Event:
    event = Event(network=network, created_by=by, **data)
    if event.ends_at and event.ends_at < event.starts_at:
        raise MeetingError("Evenemanget kan inte sluta innan det börjar.")
    event._history_user = by
    event.full_clean()
    event.save()
    return event


def subscribe(network: Network, *, user: User) -> Subscription:
    subscription, _created = Subscription.objects.get_or_create(network=network, user=user)
    return subscription


def unsubscribe(network: Network, *, user: User) -> None:
    Subscription.objects.filter(network=network, user=user).delete()


# Government assignments ------------------------------------------------------------------

ASSIGNMENT_FIELDS = (
    "title",
    "assigned_agency",
    "partners",
    "budget_cap",
    "decided_on",
    "starts_on",
    "ends_on",
    "report_to",
    "reporting_deadline",
    "status",
    "description",
    "url",
)


@transaction.atomic
def track_assignment(
    *, by: User, forbund: Forbund | None = None, network: Network | None = None, **data: Any
) -> GovernmentAssignment:
    if (forbund is None) == (network is None):
        raise MeetingError("Välj ett förbund eller ett nätverk som följer regeringsuppdraget.")
    assignment = GovernmentAssignment(
        forbund=forbund,
        network=network,
        created_by=by,
        **{f: data[f] for f in ASSIGNMENT_FIELDS if f in data},
    )
    assignment._history_user = by
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def update_assignment(
    assignment: GovernmentAssignment, *, by: User, expected_version: int | None, **data: Any
) -> GovernmentAssignment:
    assignment = _lock(assignment, expected_version)
    changed = [f for f in ASSIGNMENT_FIELDS if f in data and getattr(assignment, f) != data[f]]
    for f in changed:
        setattr(assignment, f, data[f])
    if changed:
        assignment.full_clean()
        _save(assignment, changed, by, "Uppdraget ändrat")
    return assignment


# Calendar feed ---------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_calendar_token(user: User) -> str:
    """A new secret for the user's calendar feed; the old address stops working."""
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(user=user, defaults={"digest": _digest(token)})
    return token


def revoke_calendar_token(user: User) -> None:
    CalendarToken.objects.filter(user=user).delete()


def user_for_calendar_token(token: str) -> User | None:
    found = (
        CalendarToken.objects.filter(digest=_digest(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found else None


# Money and parts of an assignment -----------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """An assignment's cap, what has been spent against it and what is left (kronor)."""

    cap: int | None
    spent: int
    left: int | None

    @property
    def over_cap(self) -> bool:
        return self.left is not None and self.left < 0


def assignment_money(assignment: GovernmentAssignment) -> Money:
    spent = assignment.spending.aggregate(total=Sum("amount_sek"))["total"] or 0
    cap = int(assignment.budget_cap) if assignment.budget_cap is not None else None
    return Money(cap, spent, cap - spent if cap is not None else None)


def cap_overrun(assignment: GovernmentAssignment, amount_sek: int) -> int:
    """By how many kronor this spending would pass the cap (0: it stays within it)."""
    money = assignment_money(assignment)
    if money.cap is None:
        return 0
    return max(0, money.spent + amount_sek - money.cap) - max(0, money.spent - money.cap)


def _may_plan(assignment: GovernmentAssignment, by: User) -> None:
    from samsyn.meetings.access import Action, can_owner

    decision = can_owner(by, assignment.owner, Action.PLAN)
    if not decision:
        raise MeetingError(decision.reason)


@transaction.atomic
def record_spend(
    assignment: GovernmentAssignment,
    *,
    by: User,
    spent_on: dt.date,
    amount_sek: int,
    description: str,
    over_cap_reason: str = "",
) -> AssignmentSpend:
    """Spending against the cap: past the cap only with a recorded reason."""
    _may_plan(assignment, by)
    assignment = _lock(assignment, None)  # two spendings at once cannot both slip under the cap
    if amount_sek is None or amount_sek <= 0:
        raise MeetingError("Ange ett belopp i hela kronor, större än noll.")
    overrun = cap_overrun(assignment, amount_sek)
    if overrun and not over_cap_reason.strip():
        cap = assignment_money(assignment).cap
        raise MeetingError(
            f"Utgiften gör att uppdragets högsta belopp ({cap:,} kr) passeras med "
            f"{overrun:,} kr. Skriv varför om den ändå ska registreras.".replace(",", " ")
        )
    spend = AssignmentSpend(
        assignment=assignment,
        spent_on=spent_on,
        amount_sek=amount_sek,
        description=description,
        over_cap_reason=over_cap_reason.strip(),
        recorded_by=by,
    )
    spend._history_user = by
    spend.full_clean()
    spend.save()
    return spend


@transaction.atomic
def add_part(
    assignment: GovernmentAssignment, *, by: User, title: str, due_on: dt.date | None = None
) -> AssignmentPart:
    _may_plan(assignment, by)
    part = AssignmentPart(assignment=assignment, title=title, due_on=due_on)
    part._history_user = by
    part.full_clean()
    part.save()
    return part


@transaction.atomic
def set_part_status(part: AssignmentPart, *, by: User, status: str) -> AssignmentPart:
    _may_plan(part.assignment, by)
    part = AssignmentPart.objects.select_for_update().get(pk=part.pk)
    part.status = status
    part._history_user = by
    part.full_clean()
    part.save(update_fields=["status"])
    return part


def deadline_warning(assignment: GovernmentAssignment, today: dt.date | None = None) -> bool:
    """The 30-day warning of an ongoing assignment, the same on the page and in the API."""
    return assignment.status == "ongoing" and upcoming_deadline_warning(assignment.days_left(today))


def upcoming_deadline_warning(days_left: int) -> bool:
    """Samsyn warns from 30 days before a reporting deadline."""
    return 0 <= days_left <= 30


def today() -> dt.date:
    return timezone.localdate()
