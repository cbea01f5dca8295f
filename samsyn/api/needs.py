"""Needs (behov) identified in a förbund's preparatory structure."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from samsyn.api.common import current_user, filter_or_422, get_visible, require
from samsyn.api.pagination import Pages
from samsyn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    NeedIn,
    NeedOut,
    NeedPatch,
    NeedQuery,
    Violations,
)
from samsyn.parties.models import Forbund, PreparatoryGroup, User
from samsyn.pipeline import services
from samsyn.pipeline.filters import NeedFilter
from samsyn.pipeline.models import Idea, Measure, Need

router = Router(tags=["needs"])

NOT_FOUND = "Behovet finns inte."


def _count(model) -> Coalesce:
    counts = (
        model.objects.filter(need=OuterRef("pk"))
        .order_by()
        .values("need")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def visible_needs(user: User):
    return (
        Need.objects.visible_to(user)
        .select_related("created_by")
        .annotate(idea_count=_count(Idea), measure_count=_count(Measure))
        .order_by("-identified_on", "-pk")
    )


def need_for(user: User, need_id: int) -> Need:
    return get_visible(Need.objects.visible_to(user).select_related("forbund"), need_id, NOT_FOUND)


def _with_group(data: dict) -> dict:
    """`group_id` → the group; the verb checks that it belongs to the need's förbund."""
    if "group_id" not in data:
        return data
    group_id = data.pop("group_id")
    group = PreparatoryGroup.objects.filter(pk=group_id).first() if group_id else None
    if group_id and group is None:
        raise services.PipelineError("Beredningsgruppen finns inte.")
    return {**data, "group": group}


@router.get("", response={200: list[NeedOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_needs(request: HttpRequest, filters: Query[NeedQuery]):
    """Behoven i dina förbund, nyast identifierade först."""
    return filter_or_422(NeedFilter(request.GET, queryset=visible_needs(current_user(request))))


@router.get("/{int:need_id}", response={200: NeedOut, **READ_ERRORS})
def get_need(request: HttpRequest, need_id: int):
    return get_visible(visible_needs(current_user(request)), need_id, NOT_FOUND)


@router.post("", response={201: NeedOut, **WRITE_ERRORS})
def record_need(request: HttpRequest, payload: NeedIn):
    user = current_user(request)
    forbund = get_visible(
        Forbund.objects.visible_to(user), payload.forbund_id, "Förbundet finns inte."
    )
    require(user, forbund)
    data = _with_group(payload.model_dump(exclude={"forbund_id"}))
    need = services.record_need(forbund, by=user, **data)
    return Status(201, get_visible(visible_needs(user), need.pk, NOT_FOUND))


@router.patch("/{int:need_id}", response={200: NeedOut, **WRITE_ERRORS})
def update_need(request: HttpRequest, need_id: int, payload: NeedPatch):
    user = current_user(request)
    need = need_for(user, need_id)
    require(user, need.forbund)
    data = _with_group(payload.model_dump(exclude_unset=True))
    version = data.pop("version", None)
    services.update_need(need, by=user, expected_version=version, **data)
    return get_visible(visible_needs(user), need.pk, NOT_FOUND)
