"""One filterset per list, used by the pages and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samsyn.meetings.choices import AssignmentStatus, MeetingKind, NewsKind
from samsyn.meetings.models import GovernmentAssignment, Meeting, NewsItem
from samsyn.parties.swedish_choices import yes_no_all


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Sök"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Typ av möte"))
    forbund = django_filters.NumberFilter(label=_("Förbund"))
    network = django_filters.NumberFilter(label=_("Nätverk"))
    starts_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("Från och med")
    )
    starts_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("Till och med")
    )
    approved = django_filters.BooleanFilter(
        field_name="approved_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Justerat"),
        widget=yes_no_all(),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "forbund", "network"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(agenda_items__title__icontains=value)
        ).distinct()


class NewsFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Sök"))
    kind = django_filters.ChoiceFilter(choices=NewsKind.choices, label=_("Typ"))
    source = django_filters.CharFilter(lookup_expr="icontains", label=_("Källa"))
    network = django_filters.NumberFilter(label=_("Nätverk"))
    published_from = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", label=_("Från och med")
    )

    class Meta:
        model = NewsItem
        fields = ["kind", "network"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))


class AssignmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Sök"))
    status = django_filters.ChoiceFilter(choices=AssignmentStatus.choices, label=_("Status"))
    agency = django_filters.CharFilter(
        field_name="assigned_agency", lookup_expr="icontains", label=_("Myndighet")
    )
    deadline_before = django_filters.DateFilter(
        field_name="reporting_deadline", lookup_expr="lte", label=_("Redovisas senast före")
    )

    class Meta:
        model = GovernmentAssignment
        fields = ["status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(partners__icontains=value)
            | Q(description__icontains=value)
        )
