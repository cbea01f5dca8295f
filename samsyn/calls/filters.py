"""One filterset per list, used by the pages and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samsyn.calls.choices import ApplicationStatus, CallStatus, DecisionLevel
from samsyn.calls.models import Application, Call, ProgrammeArea, RegionalPlan, ThematicArea


class CallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Sök"))
    status = django_filters.ChoiceFilter(
        choices=CallStatus.choices, method="by_status", label=_("Status")
    )
    area = django_filters.ModelChoiceFilter(
        field_name="programme_area",
        queryset=ProgrammeArea.objects.select_related("period"),
        label=_("Programområde"),
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="thematic_areas", queryset=ThematicArea.objects.all(), label=_("Målområde")
    )
    region = django_filters.ModelChoiceFilter(
        field_name="regional_plan", queryset=RegionalPlan.objects.all(), label=_("Region")
    )
    decision_level = django_filters.ChoiceFilter(
        choices=DecisionLevel.choices, label=_("Beslutsnivå")
    )

    class Meta:
        model = Call
        fields = ["status", "area", "theme", "region", "decision_level"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def by_status(self, queryset, name, value):
        today = timezone.localdate()
        return {
            CallStatus.OPEN: queryset.open_on,
            CallStatus.COMING: queryset.coming_on,
            CallStatus.CLOSED: queryset.closed_on,
        }[value](today)


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    call = django_filters.NumberFilter(field_name="call", label=_("Utlysning"))
    idea = django_filters.NumberFilter(field_name="idea", label=_("Projektidé"))

    class Meta:
        model = Application
        fields = ["status", "call", "idea"]
