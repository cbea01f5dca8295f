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
            "latest_project_start",
            "latest_project_end",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "latest_project_start": DateInput(),
            "latest_project_end": DateInput(),
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
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.IntegerField(label=_("Vikt"), min_value=1, max_value=100)


class DraftForm(forms.Form):
    basis_date = forms.DateField(
        label=_("Datum för beslutet att skriva ansökan"), required=False, widget=DateInput()
    )


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
    submitted_on = forms.DateField(label=_("Inskickad i Projektrummet+ den"), widget=DateInput())
    reference = forms.CharField(
        label=_("Ärendenummer i Projektrummet+ (om det finns)"), max_length=100, required=False
    )


def _yes_no(label, yes, no):
    return forms.TypedChoiceField(
        label=label, choices=[("1", yes), ("0", no)], coerce=lambda v: v == "1"
    )


class _RecordedDecision(VersionedActionForm):
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    reference = forms.CharField(label=_("Diarienummer"), max_length=100)
    reason = forms.CharField(
        label=_("Skäl"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(_RecordedDecision):
    prefix = "assessment"
    approved = _yes_no(_("ESF-rådets bedömning"), _("Godkänd för prioritering"), _("Inte godkänd"))
    field_order = ["approved", "decided_on", "reference", "reason"]


class PrioritisationForm(_RecordedDecision):
    prefix = "prioritisation"
    prioritised = _yes_no(
        _("Strukturfondspartnerskapets beslut"), _("Prioriterad"), _("Inte prioriterad")
    )
    field_order = ["prioritised", "decided_on", "reference", "reason"]


class DecisionForm(_RecordedDecision):
    prefix = "decision"
    granted = _yes_no(_("ESF-rådets beslut"), _("Beviljad"), _("Avslagen"))
    amount_sek = forms.IntegerField(label=_("Beviljat belopp (kr)"), min_value=0, required=False)
    field_order = ["granted", "decided_on", "reference", "amount_sek", "reason"]


class JavForm(forms.Form):
    prefix = "jav"
    disqualified = forms.TypedChoiceField(
        label=_("Är du jävig för den här ansökan?"),
        choices=[("0", _("Nej, jag är inte jävig")), ("1", _("Ja, jag är jävig"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_(
            "Omständigheter (till exempel anställning hos projektägaren eller en medfinansiär)"
        ),
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
