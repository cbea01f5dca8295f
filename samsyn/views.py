from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from samsyn.parties.models import Forbund
from samsyn.pipeline.models import Idea, Measure, Need
from samsyn.pipeline.querysets import count_of
from samsyn.start import work_for


def health(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and monitoring: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: the user's own work first, then the förbund they have a role in."""
    # One count per kind, each a subquery: counting over the joins of needs × ideas × measures
    # multiplies the rows of a large förbund before DISTINCT removes them again.
    forbund_list = (
        Forbund.objects.visible_to(request.user)
        .select_related("organisation")
        .annotate(
            need_count=count_of(Need.objects.filter(forbund=OuterRef("pk"))),
            idea_count=count_of(Idea.objects.filter(need__forbund=OuterRef("pk"))),
            measure_count=count_of(Measure.objects.filter(need__forbund=OuterRef("pk"))),
        )
    )
    return render(
        request, "start.html", {"work": work_for(request.user), "forbund_list": forbund_list}
    )
