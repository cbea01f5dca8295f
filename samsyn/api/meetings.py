"""Meetings, agenda items and minutes; networks, news, events and government assignments.

Mounted at the API's root: /meetings, /agenda-items, /networks, /news, /events, /assignments.
Every change goes through samsyn.meetings.services; refusals are 422 (409 for a stale version).
"""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from samsyn.api.common import current_user, filter_or_422, get_visible, organisation_or_404
from samsyn.api.pagination import Pages
from samsyn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Filters,
    Input,
    Violations,
    choice_label,
)
from samsyn.calls.models import Application, Call
from samsyn.meetings import services
from samsyn.meetings.access import (
    Action,
    can_owner,
    visible_assignments,
    visible_events,
    visible_meetings,
    visible_news,
)
from samsyn.meetings.choices import AssignmentStatus, MeetingKind, NewsKind, PartStatus
from samsyn.meetings.filters import AssignmentFilter, MeetingFilter, NewsFilter
from samsyn.meetings.models import AgendaItem, Meeting, Network
from samsyn.parties.models import Forbund, Organisation, User
from samsyn.pipeline.models import Idea, Measure, Need

router = Router(tags=["meetings"])

MEETING_NOT_FOUND = "Mötet finns inte."
ITEM_NOT_FOUND = "Punkten finns inte."


def require(user: User, owner, action: Action) -> None:
    decision = can_owner(user, owner, action)
    if not decision:
        raise HttpError(403, decision.reason)


# Schemas -------------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    kind: str
    text: str
    need_id: int | None
    idea_transition_id: int | None
    measure_transition_id: int | None
    idea_id: int | None = None
    measure_id: int | None = None
    at: dt.datetime

    @staticmethod
    def resolve_idea_id(obj) -> int | None:
        return obj.idea_transition.idea_id if obj.idea_transition_id else None

    @staticmethod
    def resolve_measure_id(obj) -> int | None:
        return obj.measure_transition.measure_id if obj.measure_transition_id else None


class AgendaItemOut(Schema):
    id: int
    meeting_id: int
    number: int
    title: str
    description: str
    minutes: str
    need_id: int | None
    idea_id: int | None
    measure_id: int | None
    call_id: int | None
    application_id: int | None
    version: int
    decisions: list[DecisionOut] = []

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())


class AttendeeOut(Schema):
    id: int
    organisation_id: int
    name: str
    user_id: int | None
    present: bool


class MeetingOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    location: str
    forbund_id: int | None
    network_id: int | None
    video_url: str
    adjusters: str
    approved: bool
    approved_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return choice_label(obj, "kind")

    @staticmethod
    def resolve_approved(obj) -> bool:
        return obj.is_approved


class MeetingDetailOut(MeetingOut):
    attendees: list[AttendeeOut]
    agenda_items: list[AgendaItemOut]

    @staticmethod
    def resolve_attendees(obj) -> list:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_agenda_items(obj) -> list:
        return list(
            obj.agenda_items.prefetch_related(
                "decisions__idea_transition", "decisions__measure_transition"
            )
        )


class MeetingIn(Input):
    forbund_id: int | None = None
    network_id: int | None = None
    kind: MeetingKind
    title: str = Field(max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    location: str = Field("", max_length=200)


class MeetingPatch(Input):
    kind: MeetingKind | None = None
    title: str | None = Field(None, max_length=200)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    location: str = Field(None, max_length=200)  # omit to keep it; null is refused
    adjusters: str = Field(None, max_length=300)  # omit to keep it; null is refused
    version: int | None = None


class AttendeeIn(Input):
    organisation_id: int
    name: str = Field(max_length=200)
    user_id: int | None = None
    present: bool = True


class AgendaItemIn(Input):
    title: str = Field(max_length=200)
    description: str = ""
    need_id: int | None = None
    idea_id: int | None = None
    measure_id: int | None = None
    call_id: int | None = None
    application_id: int | None = None


class AgendaItemPatch(Input):
    title: str | None = Field(None, max_length=200)
    description: str = None  # omit to keep it; null is refused
    minutes: str = None  # omit to keep it; null is refused
    need_id: int | None = None
    idea_id: int | None = None
    measure_id: int | None = None
    call_id: int | None = None
    application_id: int | None = None
    version: int | None = None


class NeedFromItemIn(Input):
    title: str = Field(max_length=200)
    target_group: str = Field(max_length=300)
    description: str = ""
    is_finsam_target_group: bool = True


class StepIn(Input):
    target: str = Field(description="idea eller measure")
    to: str = Field(description="Steget, till exempel idea_designed eller board_decided.")
    note: str = ""
    stop_reason: str = ""
    version: int | None = Field(None, description="Projektidéns eller insatsens version.")


class MeetingDecisionIn(Input):
    text: str


class ApproveIn(Input):
    adjusters: str = Field("", max_length=300)
    version: int | None = None


class MeetingQuery(Filters):
    q: str | None = None
    kind: MeetingKind | None = None
    forbund: int | None = None
    network: int | None = None
    starts_from: dt.date | None = None
    starts_to: dt.date | None = None
    approved: bool | None = None


class NetworkOut(Schema):
    id: int
    name: str
    description: str
    member_ids: list[int]
    subscribed: bool = False

    @staticmethod
    def resolve_member_ids(obj) -> list[int]:
        return [m.pk for m in obj.members.all()]


class NewsOut(Schema):
    id: int
    network_id: int
    kind: str
    title: str
    source: str
    published_on: dt.date
    summary: str
    url: str


class NewsIn(Input):
    network_id: int
    kind: NewsKind = NewsKind.NEWS
    title: str = Field(max_length=200)
    source: str = Field(max_length=200)
    published_on: dt.date
    summary: str = ""
    url: str = ""


class NewsQuery(Filters):
    q: str | None = None
    kind: NewsKind | None = None
    source: str | None = None
    network: int | None = None
    published_from: dt.date | None = None


class EventOut(Schema):
    id: int
    network_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    url: str
    description: str


class EventIn(Input):
    network_id: int
    title: str = Field(max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    place: str = ""
    url: str = ""
    description: str = ""


class PartOut(Schema):
    id: int
    title: str
    due_on: dt.date | None
    status: str


class SpendOut(Schema):
    id: int
    spent_on: dt.date
    amount_sek: int
    description: str
    over_cap_reason: str


class AssignmentOut(Schema):
    id: int
    forbund_id: int | None
    network_id: int | None
    title: str
    assigned_agency: str
    partners: list[str]
    budget_cap: int | None = Field(description="Hela kronor.")
    spent_sek: int = Field(description="Registrerade utgifter mot taket (kr).")
    left_sek: int | None = Field(description="Kvar under taket (kr); negativt när det passerats.")
    over_cap: bool
    decided_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    report_to: str
    reporting_deadline: dt.date
    days_left: int
    deadline_warning: bool = Field(
        description="Redovisningen ska lämnas inom 30 dagar och uppdraget pågår."
    )
    status: str
    description: str
    url: str
    version: int
    parts: list[PartOut]
    spending: list[SpendOut]

    @staticmethod
    def resolve_partners(obj) -> list[str]:
        return obj.partner_list

    @staticmethod
    def resolve_days_left(obj) -> int:
        return obj.days_left()

    @staticmethod
    def resolve_deadline_warning(obj) -> bool:
        return services.deadline_warning(obj)

    @staticmethod
    def resolve_spent_sek(obj) -> int:
        return services.assignment_money(obj).spent

    @staticmethod
    def resolve_left_sek(obj) -> int | None:
        return services.assignment_money(obj).left

    @staticmethod
    def resolve_over_cap(obj) -> bool:
        return services.assignment_money(obj).over_cap

    @staticmethod
    def resolve_parts(obj) -> list:
        return list(obj.parts.all())

    @staticmethod
    def resolve_spending(obj) -> list:
        return list(obj.spending.all())


class SpendIn(Input):
    spent_on: dt.date
    amount_sek: int = Field(gt=0, le=10**12)
    description: str = Field(max_length=300)
    over_cap_reason: str = Field("", description="Krävs när utgiften gör att taket passeras.")


class PartIn(Input):
    title: str = Field(max_length=300)
    due_on: dt.date | None = None


class PartPatch(Input):
    status: PartStatus = Field(None, description="Utelämnat: oförändrat.")


class AssignmentIn(Input):
    forbund_id: int | None = None
    network_id: int | None = None
    title: str = Field(max_length=300)
    assigned_agency: str = Field(max_length=200)
    partners: list[str] = []
    budget_cap: int | None = Field(None, ge=0, description="Hela kronor.")
    decided_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    report_to: str = Field("", max_length=200)
    reporting_deadline: dt.date
    status: AssignmentStatus = AssignmentStatus.ONGOING
    description: str = ""
    url: str = ""


class AssignmentPatch(Input):
    title: str | None = Field(None, max_length=300)
    assigned_agency: str | None = Field(None, max_length=200)
    partners: list[str] = None  # omit to keep it; null is refused
    budget_cap: int | None = Field(None, ge=0, description="Hela kronor.")
    decided_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    report_to: str = Field(None, max_length=200)  # omit to keep it; null is refused
    reporting_deadline: dt.date | None = None
    status: AssignmentStatus | None = None
    description: str = None  # omit to keep it; null is refused
    url: str = None  # omit to keep it; null is refused
    version: int | None = None


class AssignmentQuery(Filters):
    q: str | None = None
    status: AssignmentStatus | None = None
    agency: str | None = None
    deadline_before: dt.date | None = None


# Helpers -------------------------------------------------------------------------------------


def _owner(user: User, forbund_id: int | None, network_id: int | None) -> Forbund | Network:
    if (forbund_id is None) == (network_id is None):
        raise DjangoValidationError("Ange antingen forbund_id eller network_id.")
    if forbund_id is not None:
        return get_visible(Forbund.objects.visible_to(user), forbund_id, "Förbundet finns inte.")
    return get_visible(Network.objects.visible_to(user), network_id, "Nätverket finns inte.")


def _meeting(user: User, meeting_id: int) -> Meeting:
    return get_visible(visible_meetings(user), meeting_id, MEETING_NOT_FOUND)


def _item(user: User, item_id: int) -> AgendaItem:
    return get_visible(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(user)).select_related(
            "meeting__forbund", "meeting__network", "need", "idea", "measure"
        ),
        item_id,
        ITEM_NOT_FOUND,
    )


LINKS = {
    "need_id": (Need, "need"),
    "idea_id": (Idea, "idea"),
    "measure_id": (Measure, "measure"),
    "call_id": (Call, "call"),
    "application_id": (Application, "application"),
}


def _links(user: User, data: dict) -> dict:
    """need_id, idea_id, measure_id → records the user may see; unknown ids are a 422."""
    result = {}
    for key, (model, name) in LINKS.items():
        if key not in data:
            continue
        pk = data.pop(key)
        if pk is None:
            result[name] = None
            continue
        record = model.objects.visible_to(user).filter(pk=pk).first()
        if record is None:
            raise DjangoValidationError(
                {key: [f"Det finns ingen {model._meta.verbose_name} med id {pk}."]}
            )
        result[name] = record
    return result


# Meetings ------------------------------------------------------------------------------------


@router.get("/meetings", response={200: list[MeetingOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_meetings(request: HttpRequest, filters: Query[MeetingQuery]):
    """Möten i dina förbund och nätverk, senaste först."""
    return filter_or_422(
        MeetingFilter(request.GET, queryset=visible_meetings(current_user(request)))
    )


@router.get("/meetings/{int:meeting_id}", response={200: MeetingDetailOut, **READ_ERRORS})
def get_meeting(request: HttpRequest, meeting_id: int):
    return _meeting(current_user(request), meeting_id)


@router.post("/meetings", response={201: MeetingDetailOut, **WRITE_ERRORS})
def plan_meeting(request: HttpRequest, payload: MeetingIn):
    user = current_user(request)
    owner = _owner(user, payload.forbund_id, payload.network_id)
    require(user, owner, Action.PLAN)
    data = payload.model_dump(exclude={"forbund_id", "network_id"})
    target = {"network": owner} if isinstance(owner, Network) else {"forbund": owner}
    meeting = services.plan_meeting(by=user, **target, **data)
    return Status(201, _meeting(user, meeting.pk))


@router.patch("/meetings/{int:meeting_id}", response={200: MeetingDetailOut, **WRITE_ERRORS})
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch):
    user = current_user(request)
    meeting = _meeting(user, meeting_id)
    require(user, meeting.owner, Action.PLAN)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    services.update_meeting(meeting, by=user, expected_version=version, **data)
    return _meeting(user, meeting.pk)


@router.post("/meetings/{int:meeting_id}/attendees", response={201: AttendeeOut, **WRITE_ERRORS})
def add_attendee(request: HttpRequest, meeting_id: int, payload: AttendeeIn):
    user = current_user(request)
    meeting = _meeting(user, meeting_id)
    require(user, meeting.owner, Action.PLAN)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise DjangoValidationError({"organisation_id": ["Det finns ingen sådan organisation."]})
    person = None
    if payload.user_id is not None:
        # Whether the person may attend is the verb's question; an unknown id gets its answer.
        person = User.objects.filter(pk=payload.user_id).first()
        if person is None:
            raise services.unknown_user()
    attendee = services.add_attendee(
        meeting,
        by=user,
        organisation=organisation,
        name=payload.name,
        user=person,
        present=payload.present,
    )
    return Status(201, attendee)


@router.post(
    "/meetings/{int:meeting_id}/agenda-items", response={201: AgendaItemOut, **WRITE_ERRORS}
)
def add_agenda_item(request: HttpRequest, meeting_id: int, payload: AgendaItemIn):
    """Lägg till en punkt på dagordningen. Ett styrelsemötes dagordning tar inte upp
    ESF+-idéer, utlysningar eller ansökningar (R1; annars 422)."""
    user = current_user(request)
    meeting = _meeting(user, meeting_id)
    require(user, meeting.owner, Action.PLAN)
    data = payload.model_dump()
    links = _links(user, data)
    item = services.add_agenda_item(meeting, by=user, **data, **links)
    return Status(201, item)


@router.post("/meetings/{int:meeting_id}/approve", response={200: MeetingDetailOut, **WRITE_ERRORS})
def approve_minutes(request: HttpRequest, meeting_id: int, payload: ApproveIn):
    """Justera protokollet; därefter ändras inget i mötet (422)."""
    user = current_user(request)
    meeting = _meeting(user, meeting_id)
    require(user, meeting.owner, Action.PLAN)
    services.approve_minutes(
        meeting, by=user, adjusters=payload.adjusters, expected_version=payload.version
    )
    return _meeting(user, meeting.pk)


@router.post(
    "/meetings/{int:meeting_id}/send-agenda", response={200: MeetingDetailOut, **WRITE_ERRORS}
)
def send_agenda(request: HttpRequest, meeting_id: int):
    """Skicka dagordningen till deltagarna; e-posten går från en bakgrundsuppgift."""
    user = current_user(request)
    meeting = _meeting(user, meeting_id)
    require(user, meeting.owner, Action.PLAN)
    services.send_agenda(meeting, by=user)
    return _meeting(user, meeting.pk)


# Agenda items --------------------------------------------------------------------------------


@router.patch("/agenda-items/{int:item_id}", response={200: AgendaItemOut, **WRITE_ERRORS})
def update_agenda_item(request: HttpRequest, item_id: int, payload: AgendaItemPatch):
    """Ändra punkten eller skriv protokollet under den (inte efter justering)."""
    user = current_user(request)
    item = _item(user, item_id)
    require(user, item.meeting.owner, Action.PLAN)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    links = _links(user, data)
    item = services.update_agenda_item(item, by=user, expected_version=version, **data, **links)
    return _item(user, item.pk)


@router.delete("/agenda-items/{int:item_id}", response={204: None, **WRITE_ERRORS})
def remove_agenda_item(request: HttpRequest, item_id: int):
    """Ta bort punkten (inte om beslut är registrerade eller protokollet är justerat)."""
    user = current_user(request)
    item = _item(user, item_id)
    require(user, item.meeting.owner, Action.PLAN)
    services.remove_agenda_item(item, by=user)
    return Status(204, None)


@router.post("/agenda-items/{int:item_id}/needs", response={201: DecisionOut, **WRITE_ERRORS})
def record_need(request: HttpRequest, item_id: int, payload: NeedFromItemIn):
    """Ett behov identifierat under punkten; registreras i förbundet och länkas till mötet."""
    user = current_user(request)
    item = _item(user, item_id)
    require(user, item.meeting.owner, Action.PLAN)
    return Status(201, services.record_need_from_item(item, by=user, **payload.model_dump()))


@router.post("/agenda-items/{int:item_id}/steps", response={201: DecisionOut, **WRITE_ERRORS})
def record_step(request: HttpRequest, item_id: int, payload: StepIn):
    """Ett steg för punktens projektidé eller insats, med mötet som grund."""
    user = current_user(request)
    item = _item(user, item_id)
    require(user, item.meeting.owner, Action.PLAN)
    if payload.target not in ("idea", "measure"):
        raise DjangoValidationError({"target": ["Ange idea eller measure."]})
    decision = services.record_step_from_item(
        item,
        by=user,
        target=payload.target,
        to_step=payload.to,
        note=payload.note,
        stop_reason=payload.stop_reason,
        expected_version=payload.version,
    )
    return Status(201, decision)


@router.post("/agenda-items/{int:item_id}/decisions", response={201: DecisionOut, **WRITE_ERRORS})
def record_decision(request: HttpRequest, item_id: int, payload: MeetingDecisionIn):
    user = current_user(request)
    item = _item(user, item_id)
    require(user, item.meeting.owner, Action.PLAN)
    return Status(201, services.record_decision(item, by=user, text=payload.text))


# Networks, news, events ----------------------------------------------------------------------


@router.get("/networks", response={200: list[NetworkOut], **READ_ERRORS})
def list_networks(request: HttpRequest):
    return Network.objects.visible_to(current_user(request)).prefetch_related("members")


@router.get("/networks/{int:network_id}", response={200: NetworkOut, **READ_ERRORS})
def get_network(request: HttpRequest, network_id: int):
    user = current_user(request)
    network = get_visible(Network.objects.visible_to(user), network_id, "Nätverket finns inte.")
    network.subscribed = network.subscriptions.filter(user=user).exists()
    return network


@router.put("/networks/{int:network_id}/subscription", response={200: NetworkOut, **READ_ERRORS})
def subscribe(request: HttpRequest, network_id: int):
    """Prenumerera på nätverkets veckobrev."""
    user = current_user(request)
    network = get_visible(Network.objects.visible_to(user), network_id, "Nätverket finns inte.")
    services.subscribe(network, user=user)
    network.subscribed = True
    return network


@router.delete("/networks/{int:network_id}/subscription", response={204: None, **READ_ERRORS})
def unsubscribe(request: HttpRequest, network_id: int):
    user = current_user(request)
    network = get_visible(Network.objects.visible_to(user), network_id, "Nätverket finns inte.")
    services.unsubscribe(network, user=user)
    return Status(204, None)


class MemberIn(Input):
    organisation_id: int


@router.post("/networks/{int:network_id}/members", response={200: NetworkOut, **WRITE_ERRORS})
def add_member(request: HttpRequest, network_id: int, payload: MemberIn):
    """Nätverkets samordnare lägger till en organisation som medlem."""
    user = current_user(request)
    network = get_visible(Network.objects.visible_to(user), network_id, "Nätverket finns inte.")
    require(user, network, Action.PLAN)
    services.add_network_member(network, organisation_or_404(payload.organisation_id), by=user)
    return network


@router.delete(
    "/networks/{int:network_id}/members/{int:organisation_id}",
    response={204: None, **WRITE_ERRORS},
)
def remove_member(request: HttpRequest, network_id: int, organisation_id: int):
    user = current_user(request)
    network = get_visible(Network.objects.visible_to(user), network_id, "Nätverket finns inte.")
    require(user, network, Action.PLAN)
    services.remove_network_member(network, organisation_or_404(organisation_id), by=user)
    return Status(204, None)


def _network_to_share(user: User, network_id: int) -> Network:
    network = get_visible(Network.objects.visible_to(user), network_id, "Nätverket finns inte.")
    require(user, network, Action.SHARE)
    return network


@router.get("/news", response={200: list[NewsOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_news(request: HttpRequest, filters: Query[NewsQuery]):
    """Omvärldsbevakning från dina nätverk, nyast först."""
    return filter_or_422(NewsFilter(request.GET, queryset=visible_news(current_user(request))))


@router.post("/news", response={201: NewsOut, **WRITE_ERRORS})
def share_news(request: HttpRequest, payload: NewsIn):
    user = current_user(request)
    network = _network_to_share(user, payload.network_id)
    item = services.share_news(network, by=user, **payload.model_dump(exclude={"network_id"}))
    return Status(201, item)


@router.get("/events", response={200: list[EventOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_events(request: HttpRequest):
    return visible_events(current_user(request))


@router.post("/events", response={201: EventOut, **WRITE_ERRORS})
def share_event(request: HttpRequest, payload: EventIn):
    user = current_user(request)
    network = _network_to_share(user, payload.network_id)
    event = services.share_event(network, by=user, **payload.model_dump(exclude={"network_id"}))
    return Status(201, event)


# Government assignments ----------------------------------------------------------------------


@router.get("/assignments", response={200: list[AssignmentOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_assignments(request: HttpRequest, filters: Query[AssignmentQuery]):
    """Regeringsuppdrag som dina förbund och nätverk följer, närmaste redovisning först."""
    return filter_or_422(
        AssignmentFilter(request.GET, queryset=visible_assignments(current_user(request)))
    )


@router.get("/assignments/{int:assignment_id}", response={200: AssignmentOut, **READ_ERRORS})
def get_assignment(request: HttpRequest, assignment_id: int):
    return get_visible(
        visible_assignments(current_user(request)), assignment_id, "Uppdraget finns inte."
    )


@router.post("/assignments", response={201: AssignmentOut, **WRITE_ERRORS})
def track_assignment(request: HttpRequest, payload: AssignmentIn):
    user = current_user(request)
    owner = _owner(user, payload.forbund_id, payload.network_id)
    require(user, owner, Action.PLAN)
    data = payload.model_dump(exclude={"forbund_id", "network_id"})
    data["partners"] = "\n".join(p.strip() for p in data["partners"] if p.strip())
    target = {"network": owner} if isinstance(owner, Network) else {"forbund": owner}
    return Status(201, services.track_assignment(by=user, **target, **data))


@router.patch("/assignments/{int:assignment_id}", response={200: AssignmentOut, **WRITE_ERRORS})
def update_assignment(request: HttpRequest, assignment_id: int, payload: AssignmentPatch):
    user = current_user(request)
    assignment = get_visible(visible_assignments(user), assignment_id, "Uppdraget finns inte.")
    require(user, assignment.owner, Action.PLAN)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    if data.get("partners") is not None:
        data["partners"] = "\n".join(p.strip() for p in data["partners"] if p.strip())
    return services.update_assignment(assignment, by=user, expected_version=version, **data)


def _assignment_to_plan(user: User, assignment_id: int):
    assignment = get_visible(visible_assignments(user), assignment_id, "Uppdraget finns inte.")
    require(user, assignment.owner, Action.PLAN)
    return assignment


@router.post("/assignments/{int:assignment_id}/spending", response={201: SpendOut, **WRITE_ERRORS})
def record_spend(request: HttpRequest, assignment_id: int, payload: SpendIn):
    """En utgift mot uppdragets högsta belopp; passerar den taket krävs over_cap_reason."""
    user = current_user(request)
    assignment = _assignment_to_plan(user, assignment_id)
    return Status(201, services.record_spend(assignment, by=user, **payload.model_dump()))


@router.post("/assignments/{int:assignment_id}/parts", response={201: PartOut, **WRITE_ERRORS})
def add_part(request: HttpRequest, assignment_id: int, payload: PartIn):
    """En del av uppdraget (delredovisning, aktivitet) med egen status."""
    user = current_user(request)
    assignment = _assignment_to_plan(user, assignment_id)
    return Status(201, services.add_part(assignment, by=user, **payload.model_dump()))


@router.patch(
    "/assignments/{int:assignment_id}/parts/{int:part_id}",
    response={200: PartOut, **WRITE_ERRORS},
)
def set_part_status(request: HttpRequest, assignment_id: int, part_id: int, payload: PartPatch):
    user = current_user(request)
    assignment = _assignment_to_plan(user, assignment_id)
    part = get_visible(assignment.parts.all(), part_id, "Delen finns inte.")
    if payload.status is None:
        return part
    return services.set_part_status(part, by=user, status=payload.status)
