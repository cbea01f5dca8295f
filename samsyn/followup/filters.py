"""One filterset for the follow-up report: the page, the exports and the API read it alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from samsyn.followup.querysets import Period
from samsyn.followup.report import ReportParams
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, PreparatoryGroup, User


class FollowupForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("Periodens början ligger efter dess slut."))
        return data


def _keep(queryset, name, value):
    return queryset  # a report parameter, not a filter on förbund


class FollowupFilter(django_filters.FilterSet):
    """Filters the förbund a report covers; `from`, `to` and `track` are report parameters."""

    forbund = django_filters.ModelMultipleChoiceFilter(
        method="in_forbund",
        queryset=Forbund.objects.select_related("organisation"),
        label=_("Förbund"),
        # Tick boxes with a search field, not a Ctrl-click list where one plain click drops
        # every förbund chosen before.
        widget=forms.CheckboxSelectMultiple(attrs={"data-searchable": "ja"}),
    )
    region = django_filters.CharFilter(
        method="in_region", label=_("Region (länskod eller NUTS 2-kod)")
    )
    group = django_filters.ModelChoiceFilter(
        method="in_group",
        queryset=PreparatoryGroup.objects.all(),
        label=_("Beredningsgrupp"),
    )
    track = django_filters.ChoiceFilter(
        method=_keep,
        choices=[("e", _("Spår E: ESF+-projektidéer")), ("f", _("Spår F: Finsam-insatser"))],
        label=_("Spår"),
    )

    class Meta:
        model = Forbund
        fields: list[str] = []
        form = FollowupForm

    def __init__(self, data=None, *args, user: User, **kwargs):
        self.user = user
        self._groups: list[tuple] | None = None
        super().__init__(data, *args, queryset=Forbund.objects.visible_to(user), **kwargs)
        # Offer only the förbund the user may see; asking for another one stays a 404 (params).
        self.form.fields["forbund"].widget.choices = [
            (f.pk, str(f)) for f in self.queryset.select_related("organisation")
        ]
        # The groups of those förbund, read only when the form is rendered (not by the API).
        self.form.fields["group"].widget.choices = CallableChoiceIterator(self._group_choices)

    def _group_choices(self) -> list[tuple]:
        if self._groups is None:  # rendering reads the choices twice; one query
            groups = (
                PreparatoryGroup.objects.filter(forbund__in=self.queryset)
                .select_related("forbund__organisation")
                .order_by("forbund__organisation__name", "name")
            )
            self._groups = [("", "Alla"), *((g.pk, f"{g.forbund} – {g.name}") for g in groups)]
        return self._groups

    def in_forbund(self, queryset, name, value):
        return queryset.filter(pk__in=[f.pk for f in value]) if value else queryset

    def in_group(self, queryset, name, value):
        return queryset.filter(pk=value.forbund_id) if value else queryset

    def in_region(self, queryset, name, value):
        value = value.strip().upper()
        regions = Q(code=value) | Q(nuts2_code=value)
        members = Organisation.objects.filter(regions, kind=OrganisationKind.REGION)
        return queryset.filter(members__in=members).distinct()

    def params(self) -> ReportParams:
        """The report's parameters; a förbund the user may not see is a 404, as everywhere."""
        data = self.form.cleaned_data
        chosen = data.get("forbund") or []
        visible = set(Forbund.objects.visible_to(self.user).values_list("pk", flat=True))
        group = data.get("group")
        if any(f.pk not in visible for f in chosen) or (group and group.forbund_id not in visible):
            raise Http404("Förbundet finns inte.")
        forbund = self.qs.select_related("organisation").order_by("organisation__name")
        return ReportParams(
            forbund=forbund,
            period=Period(data.get("from"), data.get("to")),
            track=data.get("track") or "",
            group=group,
        )


# `from` and `to` are Python keywords, so they are added by name.
FollowupFilter.base_filters["from"] = django_filters.DateFilter(
    method=_keep, label=_("Från och med")
)
FollowupFilter.base_filters["to"] = django_filters.DateFilter(method=_keep, label=_("Till och med"))
