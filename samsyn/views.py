from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from samsyn.parties.models import Forbund
from samsyn.start import work_for


def health(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and monitoring: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: the user's own work first, then the förbund they have a role in."""
    forbund_list = (
        Forbund.objects.visible_to(request.user)
        .select_related("organisation")
        .annotate(
            need_count=Count("needs", distinct=True),
            idea_count=Count("needs__ideas", distinct=True),
            measure_count=Count("needs__measures", distinct=True),
        )
    )
    return render(
        request, "start.html", {"work": work_for(request.user), "forbund_list": forbund_list}
    )
