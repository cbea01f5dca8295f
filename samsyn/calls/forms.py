from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.calls.choices import CostCategory
from samsyn.calls.models import Application, Call, ThematicArea
from samsyn.pipeline.forms import DateInput, VersionedActionForm, VersionedForm


class CallForm(VersionedForm):
    thematic_areas = forms.ModelMultipleChoiceField(
        queryset=ThematicArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Tematiska målområden"),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "description",
            "period",
            "programme_area",
            "thematic_areas",
            "decision_level",
            "regional_plan",
            "budget_sek",
            "min_participant_age",
            "opens_on",
            "closes_on",
            "rolling",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, regional_plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_area"].queryset = self.fields[
            "programme_area"
        ].queryset.select_related("period")
        if regional_plans is not None:
            self.fields["regional_plan"].queryset = regional_plans
        if self.instance.pk and not self.is_bound:
            self.initial["thematic_areas"] = list(self.instance.thematic_areas.all())


class LessonsForm(VersionedForm):
    prefix = "lessons"

    class Meta:
        model = Call
        fields = ["lessons"]
        widgets = {"lessons": forms.Textarea(attrs={"rows": 4})}


class PrincipleForm(forms.Form):
    prefix = "principle"
    code = forms.CharField(label=_("Kod"), max_length=10)
    name = forms.CharField(label=_("Princip"), max_length=300)
    weight = forms.IntegerField(label=_("Vikt"), min_value=1, max_value=100)


class ApplicationForm(VersionedForm):
    class Meta:
        model = Application
        fields = [
            "starts_on",
            "ends_on",
            "eu_share_sek",
            "project_manager",
            "controller",
            "administrator",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class BudgetLineForm(VersionedActionForm):
    prefix = "budget"
    year = forms.IntegerField(label=_("År"), min_value=2014, max_value=2035)
    category = forms.ChoiceField(label=_("Kostnadsslag"), choices=CostCategory.choices)
    amount_sek = forms.IntegerField(
        label=_("Belopp (kr)"), min_value=0, help_text=_("Hela kronor; 0 tar bort posten.")
    )


class CofinancingForm(VersionedActionForm):
    prefix = "cofin"
    organisation = forms.ModelChoiceField(label=_("Medfinansiär"), queryset=None)
    amount_sek = forms.IntegerField(label=_("Belopp (kr)"), min_value=0)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SubmitForm(VersionedActionForm):
    prefix = "submit"
    submitted_on = forms.DateField(label=_("Inskickad den"), widget=DateInput())


class DecisionForm(VersionedActionForm):
    prefix = "decision"
    granted = forms.TypedChoiceField(
        label=_("ESF-rådets beslut"),
        choices=[("1", _("Godkänd")), ("0", _("Avslagen"))],
        coerce=lambda v: v == "1",
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    amount_sek = forms.IntegerField(label=_("Beviljat belopp (kr)"), min_value=0, required=False)
    reason = forms.CharField(
        label=_("Skäl (vid avslag)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class JavForm(forms.Form):
    prefix = "jav"
    disqualified = forms.TypedChoiceField(
        label=_("Är du jävig för den här ansökan?"),
        choices=[("0", _("Nej, jag är inte jävig")), ("1", _("Ja, jag är jävig"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Omständigheter (t.ex. anställning hos projektägaren eller en medfinansiär)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScoreForm(forms.Form):
    """One score and motivation per principle of the call."""

    prefix = "score"

    def __init__(self, *args, principles, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.principles = list(principles)
        initial_scores = initial_scores or {}
        for p in self.principles:
            value, motivation = initial_scores.get(p.code, (None, ""))
            self.fields[f"value_{p.code}"] = forms.TypedChoiceField(
                label=f"{p.code} {p.name} – {_('poäng')}",
                choices=[("", "–")] + [(str(i), str(i)) for i in range(5)],
                coerce=int,
                initial=value,
            )
            self.fields[f"motivation_{p.code}"] = forms.CharField(
                label=f"{p.code} – {_('motivering')}",
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=motivation,
            )

    def scores(self) -> dict[str, tuple[int, str]]:
        return {
            p.code: (
                self.cleaned_data[f"value_{p.code}"],
                self.cleaned_data[f"motivation_{p.code}"],
            )
            for p in self.principles
        }
