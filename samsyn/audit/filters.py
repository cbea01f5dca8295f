"""The filter of the change log; its filters apply to every history table alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from samsyn.audit.changes import KIND_CHOICES
from samsyn.parties.models import User
from samsyn.pipeline.models import Need


class ChangeFilter(django_filters.FilterSet):
    # The kind picks which history tables are read (see views), so it filters nothing here.
    kind = django_filters.ChoiceFilter(
        choices=KIND_CHOICES, method="by_kind", label=_("Typ av post"), empty_label=_("Alla")
    )
    user = django_filters.ModelChoiceFilter(
        field_name="history_user",
        queryset=User.objects.none(),
        label=_("Användare"),
        empty_label=_("Alla"),
    )
    date_from = django_filters.DateFilter(
        field_name="history_date", lookup_expr="date__gte", label=_("Från och med datum")
    )
    date_to = django_filters.DateFilter(
        field_name="history_date", lookup_expr="date__lte", label=_("Till och med datum")
    )

    def __init__(self, data=None, *, forbund=None):
        # Any history queryset will do: the filters are applied to each table in `narrow`.
        super().__init__(data, queryset=Need.history.none())
        self.filters["user"].queryset = User.objects.filter(forbund_roles__forbund=forbund)
        self.form.fields["user"].queryset = self.filters["user"].queryset.order_by("username")

    def by_kind(self, queryset, name, value):
        return queryset

    def kinds(self) -> list[str] | None:
        if self.form.is_valid() and self.form.cleaned_data.get("kind"):
            return [self.form.cleaned_data["kind"]]
        return None

    def narrow(self, queryset):
        return self.filter_queryset(queryset) if self.form.is_valid() else queryset.none()
