"""ESF+ project ideas (track E): the idea, its parties, and its moves from step to step."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from samsyn.api.common import (
    current_user,
    filter_or_422,
    get_visible,
    organisation_or_404,
    organisations_by_id,
    require,
)
from samsyn.api.needs import need_for
from samsyn.api.pagination import Pages
from samsyn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    IdeaIn,
    IdeaOut,
    IdeaPartyIn,
    IdeaPatch,
    IdeaQuery,
    IdeaTransitionResult,
    TransitionIn,
    TransitionOut,
    Violations,
)
from samsyn.parties.models import User
from samsyn.pipeline import services
from samsyn.pipeline.filters import IdeaFilter
from samsyn.pipeline.models import Idea, IdeaParty

router = Router(tags=["ideas"])

NOT_FOUND = "Projektidén finns inte."


def visible_ideas(user: User):
    parties = IdeaParty.objects.select_related("organisation", "mandate_confirmed_by")
    return (
        Idea.objects.visible_to(user)
        .select_related("need", "owner")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-pk")
    )


def idea_for(user: User, idea_id: int) -> Idea:
    """The idea to act on (404 outside the user's förbund)."""
    return get_visible(
        Idea.objects.visible_to(user).select_related("need__forbund", "owner"), idea_id, NOT_FOUND
    )


def idea_out(user: User, idea_id: int) -> Idea:
    return get_visible(visible_ideas(user), idea_id, NOT_FOUND)


def _with_owner(data: dict) -> dict:
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        data["owner"] = (
            organisations_by_id([owner_id], "owner_id")[0] if owner_id is not None else None
        )
    return data


@router.get("", response={200: list[IdeaOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=50, max_page_size=200)
def list_ideas(request: HttpRequest, filters: Query[IdeaQuery]):
    """Projektidéerna i dina förbund, nyaste först."""
    return filter_or_422(IdeaFilter(request.GET, queryset=visible_ideas(current_user(request))))


@router.get("/{int:idea_id}", response={200: IdeaOut, **READ_ERRORS})
def get_idea(request: HttpRequest, idea_id: int):
    return idea_out(current_user(request), idea_id)


@router.post("", response={201: IdeaOut, **WRITE_ERRORS})
def create_idea(request: HttpRequest, payload: IdeaIn):
    user = current_user(request)
    need = need_for(user, payload.need_id)
    require(user, need.forbund)
    data = _with_owner(payload.model_dump(exclude={"need_id"}, exclude_unset=True))
    idea = services.create_idea(need, by=user, **data)
    return Status(201, idea_out(user, idea.pk))


@router.patch("/{int:idea_id}", response={200: IdeaOut, **WRITE_ERRORS})
def update_idea(request: HttpRequest, idea_id: int, payload: IdeaPatch):
    user = current_user(request)
    idea = idea_for(user, idea_id)
    require(user, idea.need.forbund)
    data = _with_owner(payload.model_dump(exclude_unset=True))
    version = data.pop("version", None)
    services.update_idea(idea, by=user, expected_version=version, **data)
    return idea_out(user, idea.pk)


@router.patch(
    "/{int:idea_id}/parties/{int:organisation_id}", response={200: IdeaOut, **WRITE_ERRORS}
)
def set_party(request: HttpRequest, idea_id: int, organisation_id: int, payload: IdeaPartyIn):
    """Lägg till en part eller ändra dess del: medfinansiering, mandat (R6), beslut (R7).

    Bara de fält du skickar ändras; övriga står kvar (en ny part får standardvärdena).
    """
    user = current_user(request)
    idea = idea_for(user, idea_id)
    require(user, idea.need.forbund)
    organisation = organisation_or_404(organisation_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    services.set_idea_party(idea, organisation, by=user, expected_version=version, **data)
    return idea_out(user, idea.pk)


@router.delete(
    "/{int:idea_id}/parties/{int:organisation_id}", response={200: IdeaOut, **WRITE_ERRORS}
)
def remove_party(
    request: HttpRequest, idea_id: int, organisation_id: int, version: int | None = None
):
    """Ta bort en part (inte projektägaren). `version` är projektidéns version."""
    user = current_user(request)
    idea = idea_for(user, idea_id)
    require(user, idea.need.forbund)
    organisation = organisation_or_404(organisation_id)
    if not IdeaParty.objects.filter(idea=idea, organisation=organisation).exists():
        raise Http404(f"{organisation} är inte part i projektidén.")
    services.remove_idea_party(idea, organisation, by=user, expected_version=version)
    return idea_out(user, idea.pk)


@router.get("/{int:idea_id}/transitions", response={200: list[TransitionOut], **READ_ERRORS})
def list_transitions(request: HttpRequest, idea_id: int):
    """Idéns väg genom stegen: vem, när och på vilken grund."""
    idea = idea_for(current_user(request), idea_id)
    return idea.transitions.select_related("by").order_by("at", "pk")


@router.post("/{int:idea_id}/transitions", response={200: IdeaTransitionResult, **WRITE_ERRORS})
def move(request: HttpRequest, idea_id: int, payload: TransitionIn):
    """Flytta idén till ett nytt steg. Samsyn prövar reglerna för steget (R1–R7); ett brott
    ger 422 med regelns id."""
    user = current_user(request)
    idea = idea_for(user, idea_id)
    require(user, idea.need.forbund)
    transition = services.move_idea(
        idea,
        payload.to,
        by=user,
        forum=payload.forum,
        basis_date=payload.basis_date,
        note=payload.note,
        stop_reason=payload.stop_reason,
        expected_version=payload.version,
    )
    return {"transition": transition, "idea": idea_out(user, idea.pk)}
