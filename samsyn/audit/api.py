"""GET /api/v1/forbund/{id}/history: the change log, for the förbund's kansli."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from samsyn.api.common import current_user, filter_or_422
from samsyn.api.pagination import Pages
from samsyn.api.schemas import READ_ERRORS, Detail, Violations
from samsyn.audit.changes import ChangeLog
from samsyn.audit.filters import ChangeFilter
from samsyn.parties.access import Permission, access_forbund, can
from samsyn.privacy import personal_data

router = Router(tags=["history"])


class FieldChangeOut(Schema):
    field: str
    old: str
    new: str


class ChangeOut(Schema):
    at: dt.datetime
    user: str | None
    kind: str
    kind_label: str
    record: str
    link: str | None
    action: str
    reason: str
    changes: list[FieldChangeOut]

    @staticmethod
    def resolve_user(change) -> str | None:
        return str(change.user) if change.user else None

    @staticmethod
    def resolve_changes(change) -> list[dict]:
        return [{"field": c.field, "old": str(c.old), "new": str(c.new)} for c in change.changes]


@router.get(
    "/forbund/{int:forbund_id}/history",
    response={200: list[ChangeOut], 403: Detail, 422: Violations, **READ_ERRORS},
)
@paginate(Pages, page_size=50)
@personal_data
def forbund_history(request: HttpRequest, forbund_id: int):
    """Ändringshistoriken för förbundets poster, nyast först (bara kansliet).

    Filter: kind (typ av post), user (användarens id), date_from, date_to (ÅÅÅÅ-MM-DD).
    Deltagare visas bara med deltagarkod; värdena i deras ändrade fält visas inte.
    """
    user = current_user(request)
    forbund = access_forbund(user, forbund_id)
    decision = can(user, forbund, Permission.MANAGE_FORBUND)
    if not decision:
        raise HttpError(403, decision.reason)
    changes = ChangeFilter(request.GET, forbund=forbund)
    filter_or_422(changes)
    return ChangeLog(forbund.pk, changes.kinds(), changes.narrow, reader=user)
