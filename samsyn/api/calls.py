"""Calls, applications, the prioritisation ranking and matching calls for an idea.

The same verbs (samsyn/calls/services.py), rules and access as the pages: a refusal is a 422
whose violations name their rules (R4, R7, R8, R9, A0–A9, U1–U7, J1–J4), a stale version 409,
another förbund's application 404, a missing role 403. Creating returns 201; acting on an
existing record (submit, assessment, prioritisation, decision) returns 200.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from samsyn.api.common import current_user, filter_or_422, get_visible, organisation_or_404
from samsyn.api.pagination import Pages
from samsyn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Detail,
    Filters,
    Input,
    OrganisationRef,
    Violations,
)
from samsyn.calls import services
from samsyn.calls.access import (
    can_edit_application,
    can_manage_calls,
    can_record_decision,
    can_review,
    can_see_ranking,
)
from samsyn.calls.filters import ApplicationFilter, CallFilter
from samsyn.calls.matching import matching_calls
from samsyn.calls.models import (
    Application,
    Call,
    ProgrammeArea,
    ProgrammePeriod,
    RegionalPlan,
    ThematicArea,
)
from samsyn.calls.prioritisation import POSITION_LABELS, paper
from samsyn.parties.access import Permission, can
from samsyn.parties.models import User
from samsyn.pipeline.models import Idea

router = Router(tags=["calls"])

# Schemas -------------------------------------------------------------------------------------


class CallOut(Schema):
    id: int
    title: str
    description: str
    period: str
    programme_area: str
    programme_area_name: str
    thematic_areas: list[str]
    decision_level: str
    nuts2_code: str
    region_name: str
    budget_sek: int
    min_participant_age: int
    opens_on: dt.date
    closes_on: dt.date | None
    rolling: bool
    latest_project_start: dt.date | None
    latest_project_end: dt.date | None = Field(
        description="Projekten slutar senast: utlysningens, programområdets eller periodens."
    )
    has_partnership_step: bool = Field(
        description="Regional utlysning: strukturfondspartnerskapet prioriterar."
    )
    status: str
    phase: str
    lessons: str
    version: int

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period.code

    @staticmethod
    def resolve_programme_area(obj) -> str:
        return obj.programme_area.code

    @staticmethod
    def resolve_programme_area_name(obj) -> str:
        return obj.programme_area.name

    @staticmethod
    def resolve_thematic_areas(obj) -> list[str]:
        return [t.code for t in obj.thematic_areas.all()]

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.status()

    @staticmethod
    def resolve_latest_project_end(obj) -> dt.date:
        return obj.project_window()[2]


class CallIn(Input):
    title: str = Field(max_length=200)
    description: str = ""
    period: str = Field("2021-2027", description="Programperiodens kod.")
    programme_area: str = Field(description="A–E, eller CARE i perioden 2014-2020.")
    thematic_areas: list[str] = Field(default_factory=list, description="Målområdenas koder.")
    decision_level: str = Field(description="national eller regional")
    nuts2_code: str = Field(
        "", description="Regionala handlingsplanens NUTS 2-kod, till exempel SE23."
    )
    budget_sek: int = Field(ge=1)
    min_participant_age: int = Field(15, ge=0, le=99)
    opens_on: dt.date
    closes_on: dt.date | None = None
    rolling: bool = False
    latest_project_start: dt.date | None = None
    latest_project_end: dt.date | None = None


class CallPatch(Input):
    version: int | None = None
    title: str | None = Field(None, max_length=200)
    description: str = None  # omit to keep it; null is refused
    thematic_areas: list[str] | None = None
    budget_sek: int | None = Field(None, ge=1)
    min_participant_age: int | None = Field(None, ge=0, le=99)
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    rolling: bool | None = None
    latest_project_start: dt.date | None = None
    latest_project_end: dt.date | None = None


class CallQuery(Filters):
    q: str | None = None
    status: str | None = Field(None, description="open, coming, closed")
    area: str | None = Field(None, description="Programområdets id.")
    theme: str | None = Field(None, description="Målområdets id.")
    region: str | None = Field(None, description="Regionala handlingsplanens id.")
    decision_level: str | None = Field(None, description="national eller regional")


class BudgetLineOut(Schema):
    year: int
    category: str
    amount_sek: int


class CofinancingOut(Schema):
    organisation: OrganisationRef
    amount_sek: int
    decision_date: dt.date | None = None


class ApplicationEventOut(Schema):
    move: str
    from_status: str
    to_status: str
    by: str | None
    at: dt.datetime
    decided_on: dt.date | None
    reference: str
    note: str

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.by.username if obj.by_id else None


class ApplicationOut(Schema):
    id: int
    idea_id: int
    call_id: int
    status: str
    idea_step: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    eu_share_sek: int
    project_manager: str
    controller: str
    administrator: str
    budget_lines: list[BudgetLineOut]
    cofinancing: list[CofinancingOut]
    budget_total_sek: int
    financed_sek: int
    submitted_on: dt.date | None
    decided_on: dt.date | None
    granted_sek: int | None
    decision_reason: str
    events: list[ApplicationEventOut]
    version: int

    @staticmethod
    def resolve_idea_step(obj) -> str:
        return obj.idea.step

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())

    @staticmethod
    def resolve_budget_lines(obj):
        return list(obj.budget_lines.all())

    @staticmethod
    def resolve_cofinancing(obj):
        decisions = {p.organisation_id: p.decision_date for p in obj.idea.parties.all()}
        return [
            {
                "organisation": c.organisation,
                "amount_sek": c.amount_sek,
                "decision_date": decisions.get(c.organisation_id),
            }
            for c in obj.cofinancing.all()
        ]

    @staticmethod
    def resolve_budget_total_sek(obj) -> int:
        return services.totals(obj)["budget"]

    @staticmethod
    def resolve_financed_sek(obj) -> int:
        return services.totals(obj)["financed"]


class ApplicationIn(Input):
    idea_id: int
    call_id: int
    basis_date: dt.date | None = Field(
        None, description="Datum för beslutet att skriva ansökan; utan det: i dag."
    )


class ApplicationPatch(Input):
    version: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    eu_share_sek: int | None = Field(None, ge=0)
    project_manager: str = Field(None, max_length=200)  # omit to keep it; null is refused
    controller: str = Field(None, max_length=200)  # omit to keep it; null is refused
    administrator: str = Field(None, max_length=200)  # omit to keep it; null is refused


class BudgetLineIn(Input):
    version: int | None = None
    year: int = Field(ge=2014, le=2035)
    category: str
    amount_sek: int = Field(ge=0, description="Hela kronor; 0 tar bort posten.")


class CofinancingIn(Input):
    version: int | None = None
    amount_sek: int = Field(ge=0)


class SubmitIn(Input):
    version: int | None = None
    submitted_on: dt.date | None = Field(
        None, description="Dagen ansökan skickades in i Projektrummet+; utan det: i dag."
    )
    reference: str = Field("", max_length=100, description="Ärendenummer i Projektrummet+.")


class RecordedDecisionIn(Input):
    version: int | None = None
    decided_on: dt.date
    reference: str = Field(max_length=100, description="Beslutets diarienummer.")
    reason: str = ""


class AssessmentIn(RecordedDecisionIn):
    approved: bool = Field(description="ESF-rådet godkänner ansökan för prioritering, eller inte.")


class PrioritisationIn(RecordedDecisionIn):
    prioritised: bool


class DecisionIn(RecordedDecisionIn):
    granted: bool
    amount_sek: int | None = Field(None, ge=0)


class DeclarationIn(Input):
    disqualified: bool
    reason: str = ""


class ScoreIn(Input):
    principle: str
    value: int = Field(ge=0, le=4)
    motivation: str


class ScoresIn(Input):
    scores: list[ScoreIn]


class ScoreOut(Schema):
    reviewer: str
    principle: str
    value: int
    motivation: str


class DeclarationOut(Schema):
    reviewer: str
    disqualified: bool
    reason: str


class PrincipleOut(Schema):
    code: str
    name: str
    description: str = ""
    weight: int


class RankingRow(Schema):
    application_id: int
    title: str
    rank: int | None
    tied: bool
    amount_sek: int
    weighted_total: str | None = Field(description="Exakt bråk, till exempel 13/4.")
    weighted_total_display: str
    cumulative_sek: int
    funded_sek: int
    position: str
    position_label: str
    disagreements: list[str]
    scores: list[ScoreOut]
    declarations: list[DeclarationOut]


class RankingOut(Schema):
    call_id: int
    budget_sek: int
    principles: list[PrincipleOut]
    rows: list[RankingRow]


class MatchOut(Schema):
    call: CallOut
    score: int
    reasons: list[str]
    warnings: list[str]


# Helpers -------------------------------------------------------------------------------------

APPLICATION_PREFETCH = (
    "budget_lines",
    "cofinancing__organisation",
    "idea__parties",
    "events__by",
)


def _deny_unless(decision) -> None:
    if not decision:
        raise HttpError(403, decision.reason)


def _calls():
    return Call.objects.select_related(
        "period", "programme_area", "regional_plan"
    ).prefetch_related("thematic_areas")


def _call(user: User, call_id: int) -> Call:
    return get_visible(_calls().visible_to(user), call_id, "Utlysningen finns inte.")


def _application(user: User, application_id: int) -> Application:
    return get_visible(
        Application.objects.visible_to(user).select_related(
            "idea__need__forbund",
            "idea__owner",
            "call__period",
            "call__programme_area",
            "call__regional_plan",
        ),
        application_id,
        "Ansökan finns inte.",
    )


def _application_out(user: User, application_id: int) -> Application:
    return get_visible(
        Application.objects.visible_to(user)
        .select_related("idea")
        .prefetch_related(*APPLICATION_PREFETCH),
        application_id,
        "Ansökan finns inte.",
    )


def _reference(model, field: str, value, label: str, **extra):
    obj = model.objects.filter(**{field: value}, **extra).first()
    if obj is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({label: [f"Okänt värde: {value}."]})
    return obj


def _themes(codes: list[str]) -> list[ThematicArea]:
    found = list(ThematicArea.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"thematic_areas": ["Okänt tematiskt målområde."]})
    return found


# Calls ---------------------------------------------------------------------------------------


@router.get("/calls", response={200: list[CallOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_calls(request: HttpRequest, filters: Query[CallQuery]):
    """Utlysningsplanen: nationella och regionala utlysningar."""
    user = current_user(request)
    return filter_or_422(
        CallFilter(request.GET, queryset=_calls().visible_to(user).order_by("-opens_on", "-pk"))
    )


@router.get("/calls/{int:call_id}", response={200: CallOut, **READ_ERRORS})
def get_call(request: HttpRequest, call_id: int):
    return _call(current_user(request), call_id)


@router.post("/calls", response={201: CallOut, **WRITE_ERRORS})
def create_call(request: HttpRequest, payload: CallIn):
    user = current_user(request)
    plan = (
        _reference(RegionalPlan, "nuts2_code", payload.nuts2_code, "nuts2_code")
        if payload.nuts2_code
        else None
    )
    _deny_unless(can_manage_calls(user, plan.pk if plan else None))
    period = _reference(ProgrammePeriod, "code", payload.period, "period")
    area = _reference(
        ProgrammeArea, "code", payload.programme_area, "programme_area", period=period
    )
    data = payload.model_dump(exclude={"period", "programme_area", "thematic_areas", "nuts2_code"})
    call = services.create_call(
        by=user,
        period=period,
        programme_area=area,
        regional_plan=plan,
        thematic_areas=_themes(payload.thematic_areas),
        **data,
    )
    return Status(201, _call(user, call.pk))


@router.patch("/calls/{int:call_id}", response={200: CallOut, **WRITE_ERRORS})
def update_call(request: HttpRequest, call_id: int, payload: CallPatch):
    user = current_user(request)
    call = _call(user, call_id)
    _deny_unless(can_manage_calls(user, call.regional_plan_id))
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    themes = data.pop("thematic_areas", None)
    services.update_call(
        call,
        by=user,
        expected_version=version,
        thematic_areas=_themes(themes) if themes is not None else None,
        **data,
    )
    return _call(user, call.pk)


@router.get("/calls/{int:call_id}/ranking", response={200: RankingOut, 403: Detail, **READ_ERRORS})
def ranking(request: HttpRequest, call_id: int):
    """Prioriteringen: principer och vikter, varje poäng och jävsdeklaration, rangordning och
    var budgeten tar slut (för dem som förvaltar eller bereder utlysningen)."""
    user = current_user(request)
    call = _call(user, call_id)
    decision = can_see_ranking(user, call)
    if not decision:
        raise HttpError(403, decision.reason)
    p = paper(call)
    return {
        "call_id": call.pk,
        "budget_sek": p.budget_sek,
        "principles": p.principles,
        "rows": [
            {
                "application_id": row.application.pk,
                "title": str(row.application.idea),
                "rank": row.ranked.rank,
                "tied": row.ranked.tied,
                "amount_sek": row.ranked.amount_sek,
                "weighted_total": str(row.ranked.total) if row.ranked.total is not None else None,
                "weighted_total_display": row.total_display,
                "cumulative_sek": row.ranked.cumulative_sek,
                "funded_sek": row.ranked.funded_sek,
                "position": row.ranked.position,
                "position_label": POSITION_LABELS[row.ranked.position],
                "disagreements": row.ranked.disagreements,
                "scores": [
                    {
                        "reviewer": s.reviewer.username,
                        "principle": s.principle.code,
                        "value": s.value,
                        "motivation": s.motivation,
                    }
                    for s in row.scores
                ],
                "declarations": [
                    {
                        "reviewer": d.reviewer.username,
                        "disqualified": d.disqualified,
                        "reason": d.reason,
                    }
                    for d in row.declarations
                ],
            }
            for row in p.rows
        ],
    }


# Matching ------------------------------------------------------------------------------------


@router.get("/ideas/{int:idea_id}/matching-calls", response={200: list[MatchOut], **READ_ERRORS})
def matching(request: HttpRequest, idea_id: int):
    """Öppna och kommande utlysningar som passar idén, bäst först, med skälen."""
    user = current_user(request)
    idea = get_visible(
        Idea.objects.visible_to(user).select_related("need__forbund", "owner"),
        idea_id,
        "Projektidén finns inte.",
    )
    return [
        {"call": call, "score": s.score, "reasons": s.reasons, "warnings": s.warnings}
        for call, s in matching_calls(idea)
    ]


# Applications --------------------------------------------------------------------------------


@router.get("/applications", response={200: list[ApplicationOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_applications(
    request: HttpRequest,
    status: str | None = None,
    call: int | None = None,
    idea: int | None = None,
):
    user = current_user(request)
    qs = (
        Application.objects.visible_to(user)
        .select_related("idea")
        .prefetch_related(*APPLICATION_PREFETCH)
        .order_by("-pk")
    )
    return filter_or_422(ApplicationFilter(request.GET, queryset=qs))


@router.get("/applications/{int:application_id}", response={200: ApplicationOut, **READ_ERRORS})
def get_application(request: HttpRequest, application_id: int):
    return _application_out(current_user(request), application_id)


@router.post("/applications", response={201: ApplicationOut, **WRITE_ERRORS})
def create_application(request: HttpRequest, payload: ApplicationIn):
    """Påbörja en ansökan för idén till utlysningen; idén går till application_drafted."""
    user = current_user(request)
    idea = get_visible(
        Idea.objects.visible_to(user).select_related("need__forbund", "owner"),
        payload.idea_id,
        "Projektidén finns inte.",
    )
    if not can(user, idea.need.forbund, Permission.EDIT_PIPELINE):
        raise HttpError(403, can(user, idea.need.forbund, Permission.EDIT_PIPELINE).reason)
    call = _call(user, payload.call_id)
    application = services.draft_application(idea, call, by=user, basis_date=payload.basis_date)
    return Status(201, _application_out(user, application.pk))


def _editable(request: HttpRequest, application_id: int) -> tuple[User, Application]:
    user = current_user(request)
    application = _application(user, application_id)
    _deny_unless(can_edit_application(user, application))
    return user, application


@router.patch("/applications/{int:application_id}", response={200: ApplicationOut, **WRITE_ERRORS})
def update_application(request: HttpRequest, application_id: int, payload: ApplicationPatch):
    user, application = _editable(request, application_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    services.update_application(application, by=user, expected_version=version, **data)
    return _application_out(user, application.pk)


@router.put(
    "/applications/{int:application_id}/budget-lines",
    response={200: ApplicationOut, **WRITE_ERRORS},
)
def set_budget_line(request: HttpRequest, application_id: int, payload: BudgetLineIn):
    """Sätt ett års belopp för ett kostnadsslag (R8: bara år inom projektperioden)."""
    user, application = _editable(request, application_id)
    services.set_budget_line(
        application,
        payload.year,
        payload.category,
        payload.amount_sek,
        by=user,
        expected_version=payload.version,
    )
    return _application_out(user, application.pk)


@router.put(
    "/applications/{int:application_id}/cofinancing/{int:organisation_id}",
    response={200: ApplicationOut, **WRITE_ERRORS},
)
def set_cofinancing(
    request: HttpRequest, application_id: int, organisation_id: int, payload: CofinancingIn
):
    user, application = _editable(request, application_id)
    services.set_cofinancing(
        application,
        organisation_or_404(organisation_id),
        payload.amount_sek,
        by=user,
        expected_version=payload.version,
    )
    return _application_out(user, application.pk)


@router.post(
    "/applications/{int:application_id}/submit", response={200: ApplicationOut, **WRITE_ERRORS}
)
def submit(request: HttpRequest, application_id: int, payload: SubmitIn):
    """Registrera att ansökan är inskickad till ESF-rådet i Projektrummet+ (R4, R7, R8, R9,
    A1–A5, A7); Samsyn skickar inget självt. Idén går till steget `submitted`, och parterna och
    medfinansieringen i ansökan ligger fast (A9)."""
    user, application = _editable(request, application_id)
    services.submit_application(
        application,
        by=user,
        expected_version=payload.version,
        submitted_on=payload.submitted_on,
        reference=payload.reference,
    )
    return _application_out(user, application.pk)


def _recorder(request: HttpRequest, application_id: int) -> tuple[User, Application]:
    user = current_user(request)
    application = _application(user, application_id)
    _deny_unless(can_record_decision(user, application))
    return user, application


@router.post(
    "/applications/{int:application_id}/assessment",
    response={200: ApplicationOut, **WRITE_ERRORS},
)
def assessment(request: HttpRequest, application_id: int, payload: AssessmentIn):
    """ESF-rådets bedömning: godkänd för prioritering eller inte godkänd (då avslutad, och idén
    går till `rejected`). Projektägarens företrädare, kansliet eller den som förvaltar
    utlysningen registrerar den."""
    user, application = _recorder(request, application_id)
    data = payload.model_dump()
    services.assess_application(application, by=user, expected_version=data.pop("version"), **data)
    return _application_out(user, application.pk)


@router.post(
    "/applications/{int:application_id}/prioritisation",
    response={200: ApplicationOut, **WRITE_ERRORS},
)
def prioritisation(request: HttpRequest, application_id: int, payload: PrioritisationIn):
    """Strukturfondspartnerskapets prioritering (bara regionala utlysningar) av en ansökan som
    ESF-rådet godkänt för prioritering."""
    user, application = _recorder(request, application_id)
    data = payload.model_dump()
    services.prioritise_application(
        application, by=user, expected_version=data.pop("version"), **data
    )
    return _application_out(user, application.pk)


@router.post(
    "/applications/{int:application_id}/decision", response={200: ApplicationOut, **WRITE_ERRORS}
)
def decision(request: HttpRequest, application_id: int, payload: DecisionIn):
    """ESF-rådets slutliga beslut: beviljad med belopp eller avslagen med skäl; idén följer med.
    Regional utlysning: efter partnerskapets prioritering; nationell: efter bedömningen."""
    user, application = _recorder(request, application_id)
    data = payload.model_dump()
    services.decide_application(application, by=user, expected_version=data.pop("version"), **data)
    return _application_out(user, application.pk)


def _reviewer(request: HttpRequest, application_id: int) -> tuple[User, Application]:
    user = current_user(request)
    application = _application(user, application_id)
    _deny_unless(can_review(user, application.call))
    return user, application


@router.post(
    "/applications/{int:application_id}/declarations",
    response={201: DeclarationOut, **WRITE_ERRORS},
)
def declare(request: HttpRequest, application_id: int, payload: DeclarationIn):
    """Granskarens jävsdeklaration, före bedömningen."""
    user, application = _reviewer(request, application_id)
    d = services.declare_jav(
        application, reviewer=user, disqualified=payload.disqualified, reason=payload.reason
    )
    return Status(
        201, {"reviewer": user.username, "disqualified": d.disqualified, "reason": d.reason}
    )


@router.put(
    "/applications/{int:application_id}/scores", response={200: list[ScoreOut], **WRITE_ERRORS}
)
def score(request: HttpRequest, application_id: int, payload: ScoresIn):
    """Poäng 0–4 med motivering per princip (bara en granskare som inte är jävig)."""
    user, application = _reviewer(request, application_id)
    saved = services.score_application(
        application,
        reviewer=user,
        scores={s.principle: (s.value, s.motivation) for s in payload.scores},
    )
    return [
        {
            "reviewer": user.username,
            "principle": s.principle.code,
            "value": s.value,
            "motivation": s.motivation,
        }
        for s in saved
    ]
