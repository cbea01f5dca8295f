"""Finsam measures (track F), financed by the förbund."""

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from samsyn.api.common import (
    current_user,
    filter_or_422,
    get_visible,
    no_forbund_among,
    organisations_by_id,
    require,
)
from samsyn.api.needs import need_for
from samsyn.api.pagination import Pages
from samsyn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    MeasureIn,
    MeasureOut,
    MeasurePatch,
    MeasureTransitionResult,
    TrackQuery,
    TransitionIn,
    TransitionOut,
    Violations,
)
from samsyn.parties.models import User
from samsyn.pipeline import services
from samsyn.pipeline.filters import MeasureFilter
from samsyn.pipeline.models import Measure

router = Router(tags=["measures"])

NOT_FOUND = "Insatsen finns inte."


def visible_measures(user: User):
    return (
        Measure.objects.visible_to(user)
        .select_related("need")
        .prefetch_related("parties")
        .order_by("-pk")
    )


def measure_for(user: User, measure_id: int) -> Measure:
    return get_visible(
        Measure.objects.visible_to(user).select_related("need__forbund"), measure_id, NOT_FOUND
    )


def measure_out(user: User, measure_id: int) -> Measure:
    return get_visible(visible_measures(user), measure_id, NOT_FOUND)


def _parties(party_ids: list[int]):
    parties = organisations_by_id(party_ids, "party_ids")
    no_forbund_among(parties, "party_ids")
    return parties


@router.get("", response={200: list[MeasureOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_measures(request: HttpRequest, filters: Query[TrackQuery]):
    """Finsam-insatserna i dina förbund, nyaste först."""
    return filter_or_422(
        MeasureFilter(request.GET, queryset=visible_measures(current_user(request)))
    )


@router.get("/{int:measure_id}", response={200: MeasureOut, **READ_ERRORS})
def get_measure(request: HttpRequest, measure_id: int):
    return measure_out(current_user(request), measure_id)


@router.post("", response={201: MeasureOut, **WRITE_ERRORS})
def create_measure(request: HttpRequest, payload: MeasureIn):
    user = current_user(request)
    need = need_for(user, payload.need_id)
    require(user, need.forbund)
    data = payload.model_dump(exclude={"need_id", "party_ids"}, exclude_unset=True)
    parties = _parties(payload.party_ids)
    measure = services.create_measure(need, by=user, parties=parties, **data)
    return Status(201, measure_out(user, measure.pk))


@router.patch("/{int:measure_id}", response={200: MeasureOut, **WRITE_ERRORS})
def update_measure(request: HttpRequest, measure_id: int, payload: MeasurePatch):
    user = current_user(request)
    measure = measure_for(user, measure_id)
    require(user, measure.need.forbund)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    party_ids = data.pop("party_ids", None)
    parties = _parties(party_ids) if party_ids is not None else None
    services.update_measure(measure, by=user, expected_version=version, parties=parties, **data)
    return measure_out(user, measure.pk)


@router.get("/{int:measure_id}/transitions", response={200: list[TransitionOut], **READ_ERRORS})
def list_transitions(request: HttpRequest, measure_id: int):
    """Insatsens väg genom stegen: vem, när och på vilken grund."""
    measure = measure_for(current_user(request), measure_id)
    return measure.transitions.select_related("by").order_by("at", "pk")


@router.post(
    "/{int:measure_id}/transitions", response={200: MeasureTransitionResult, **WRITE_ERRORS}
)
def move(request: HttpRequest, measure_id: int, payload: TransitionIn):
    """Flytta insatsen till ett nytt steg. Samsyn prövar reglerna för steget (F3, F4); ett
    brott ger 422."""
    user = current_user(request)
    measure = measure_for(user, measure_id)
    require(user, measure.need.forbund)
    transition = services.move_measure(
        measure,
        payload.to,
        by=user,
        forum=payload.forum,
        basis_date=payload.basis_date,
        note=payload.note,
        stop_reason=payload.stop_reason,
        expected_version=payload.version,
    )
    return {"transition": transition, "measure": measure_out(user, measure.pk)}
