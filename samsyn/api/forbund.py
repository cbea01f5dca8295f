"""Samordningsförbund: those the user has a role in (superusers see all)."""

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from samsyn.api.common import current_user, get_visible, organisations_by_id
from samsyn.api.pagination import Pages
from samsyn.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ForbundDetailOut,
    ForbundIn,
    ForbundOut,
    Violations,
)
from samsyn.parties.models import Forbund, ForbundRole, User
from samsyn.parties.services import create_forbund

router = Router(tags=["forbund"])


def visible_forbund(user: User):
    my_role = ForbundRole.objects.filter(forbund=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Forbund.objects.visible_to(user)
        .select_related("organisation")
        .annotate(my_role=Subquery(my_role))
        .order_by("organisation__name", "pk")
    )


@router.get("", response={200: list[ForbundOut], 422: Violations, **READ_ERRORS})
@paginate(Pages, page_size=100, max_page_size=500)
def list_forbund(request: HttpRequest):
    """Förbunden där du har en roll."""
    return visible_forbund(current_user(request))


def _detail(user: User, forbund_id: int) -> Forbund:
    return get_visible(
        visible_forbund(user).prefetch_related("members"), forbund_id, "Förbundet finns inte."
    )


@router.get("/{int:forbund_id}", response={200: ForbundDetailOut, **READ_ERRORS})
def get_forbund(request: HttpRequest, forbund_id: int):
    return _detail(current_user(request), forbund_id)


@router.post("", response={201: ForbundDetailOut, **WRITE_ERRORS})
def create(request: HttpRequest, payload: ForbundIn):
    """Lägg upp ett samordningsförbund (bara administratörer)."""
    user = current_user(request)
    if not user.is_superuser:
        raise HttpError(403, "Bara en administratör kan lägga upp ett nytt samordningsförbund.")
    members = organisations_by_id(payload.member_ids, "member_ids")
    forbund = create_forbund(payload.name, members)
    return Status(201, _detail(user, forbund.pk))
