"""One filterset per list, used by the pages and the API alike."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Organisation
from samsyn.parties.swedish_choices import LongSelect, yes_no_all
from samsyn.pipeline.models import Idea, Measure, Need
from samsyn.pipeline.steps import IdeaStep, MeasureStep


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Sök"))
    target_group = django_filters.CharFilter(lookup_expr="icontains", label=_("Målgrupp"))
    is_finsam_target_group = django_filters.BooleanFilter(
        label=_("Finsams målgrupp"), widget=yes_no_all()
    )
    identified_from = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="gte", label=_("Identifierat från")
    )
    identified_to = django_filters.DateFilter(
        field_name="identified_on", lookup_expr="lte", label=_("Identifierat till")
    )

    forbund = django_filters.NumberFilter(label=_("Förbund"))

    class Meta:
        model = Need
        fields = ["forbund"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(target_group__icontains=value)
            | Q(description__icontains=value)
        )


class TrackFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Sök"))
    target_group = django_filters.CharFilter(lookup_expr="icontains", label=_("Målgrupp"))
    forbund = django_filters.NumberFilter(field_name="need__forbund", label=_("Förbund"))
    need = django_filters.NumberFilter(field_name="need", label=_("Behov"))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(target_group__icontains=value)
            | Q(purpose__icontains=value)
        )


class IdeaFilter(TrackFilter):
    # A step is a column of the idea itself: no join, so no DISTINCT over every column.
    step = django_filters.MultipleChoiceFilter(
        choices=IdeaStep.choices,
        label=_("Steg"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The pages narrow this to the parties of the user's förbund (`owners_for`).
    owner = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.exclude(kind=OrganisationKind.FORBUND),
        label=_("Projektägare"),
        widget=LongSelect,
    )
    owner_kind = django_filters.ChoiceFilter(
        field_name="owner__kind", choices=OrganisationKind.choices, label=_("Typ av projektägare")
    )

    class Meta:
        model = Idea
        fields = ["step", "owner"]


class MeasureFilter(TrackFilter):
    step = django_filters.MultipleChoiceFilter(
        choices=MeasureStep.choices,
        label=_("Steg"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Measure
        fields = ["step"]


def owners_for(forbund_list) -> QuerySet[Organisation]:
    """What "Projektägare" offers: the parties of these förbund, not every organisation."""
    return (
        Organisation.objects.filter(forbund_memberships__in=forbund_list)
        .exclude(kind=OrganisationKind.FORBUND)
        .distinct()
        .order_by("kind", "name")
    )


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Typ"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Namn"))
    nuts2_code = django_filters.CharFilter(label=_("NUTS 2-kod"))

    class Meta:
        model = Organisation
        fields = ["kind", "nuts2_code"]
