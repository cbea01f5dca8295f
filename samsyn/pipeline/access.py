"""One access function per aggregate: another förbund's record is a 404, never a 403."""

from django.shortcuts import get_object_or_404

from samsyn.parties.models import User
from samsyn.pipeline.models import Idea, Measure, Need


def access_need(user: User, pk: int) -> Need:
    return get_object_or_404(
        Need.objects.visible_to(user).select_related("forbund__organisation", "group"), pk=pk
    )


def access_idea(user: User, pk: int) -> Idea:
    return get_object_or_404(
        Idea.objects.visible_to(user).select_related("need__forbund__organisation", "owner"), pk=pk
    )


def access_measure(user: User, pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.visible_to(user).select_related("need__forbund__organisation"), pk=pk
    )
