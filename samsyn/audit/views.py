"""Ändringshistorik: the kansli reads who changed what in the förbund's records, and when."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samsyn.audit.changes import ChangeLog
from samsyn.audit.filters import ChangeFilter
from samsyn.exports import dated, table_response
from samsyn.parties.access import Permission, access_forbund, can
from samsyn.privacy import personal_data

PAGE_SIZE = 25
HEADER = ["Tidpunkt", "Användare", "Typ av post", "Post", "Händelse", "Ändrade fält"]


def _changed(change) -> str:
    return "; ".join(
        f"{c.field}: {c.old} → {c.new}" if c.old != "" or c.new != "" else c.field
        for c in change.changes
    )


def _rows(log: ChangeLog):
    for change in log:
        yield [
            change.at,
            str(change.user or ""),
            change.kind_label,
            change.record,
            change.reason or change.action,
            _changed(change),
        ]


# Participants' codes are in the log for their project's staff.
@personal_data
@login_required
def change_log(request: HttpRequest, pk: int) -> HttpResponse:
    forbund = access_forbund(request.user, pk)
    decision = can(request.user, forbund, Permission.MANAGE_FORBUND)
    if not decision:
        raise PermissionDenied(decision.reason)
    changes = ChangeFilter(request.GET, forbund=forbund)
    log = ChangeLog(forbund.pk, changes.kinds(), changes.narrow, reader=request.user)
    if fmt := request.GET.get("format"):
        return table_response(fmt, dated("andringshistorik"), HEADER, _rows(log))
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/change_log.html", {"forbund": forbund, "filter": changes, "page": page}
    )
