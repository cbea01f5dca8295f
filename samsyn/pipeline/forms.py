from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, PreparatoryGroup
from samsyn.pipeline.models import Idea, Measure, Need
from samsyn.pipeline.steps import Forum, StopReason


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


MISSING_VERSION = _(
    "Formuläret saknar uppgift om vilken version du utgick från, så ändringen kan inte sparas "
    "säkert. Ladda om sidan och gör om ändringen."
)


def check_version_sent(form: forms.BaseForm, data: dict) -> None:
    """An edit without the version it started from could overwrite someone else's change."""
    if form.instance.pk and data.get("version") is None:
        raise forms.ValidationError(MISSING_VERSION, code="no_version")


class VersionedForm(forms.ModelForm):
    """Carries the version the user saw, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        data = super().clean()
        check_version_sent(self, data)
        return data


def member_parties(forbund: Forbund):
    """The förbund's parties that can take part in its work (not the förbund itself)."""
    return forbund.members.exclude(kind=OrganisationKind.FORBUND).order_by("kind", "name")


class NeedForm(VersionedForm):
    class Meta:
        model = Need
        fields = [
            "title",
            "target_group",
            "description",
            "is_finsam_target_group",
            "identified_on",
            "in_preparatory_structure",
            "group",
        ]
        widgets = {"identified_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, forbund: Forbund | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        forbund = forbund or (self.instance.forbund if self.instance.forbund_id else None)
        group = self.fields["group"]
        group.queryset = PreparatoryGroup.objects.filter(forbund=forbund)
        group.empty_label = _("Förbundschefen med parterna (ingen beredningsgrupp)")
        group.label = _("Identifierat i")


class IdeaForm(VersionedForm):
    class Meta:
        model = Idea
        fields = [
            "title",
            "target_group",
            "purpose",
            "goals",
            "implementation",
            "owner",
            "programme_period",
            "aimed_at_individuals",
            "no_other_owner",
            "agreement_signed_on",
        ]
        widgets = {
            "agreement_signed_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "implementation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, forbund: Forbund, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner is agreed among the parties (E3); a förbund cannot own (R2).
        self.fields["owner"].queryset = member_parties(forbund)
        self.fields["owner"].required = False
        self.fields["target_group"].required = False


class MeasureForm(VersionedForm):
    parties = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Medverkande parter"),
    )

    class Meta:
        model = Measure
        fields = ["title", "target_group", "purpose", "goals", "implementation", "responsibilities"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "implementation": forms.Textarea(attrs={"rows": 3}),
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, forbund: Forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = member_parties(forbund)
        self.fields["target_group"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["parties"] = list(self.instance.parties.all())


class IdeaPartyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Part"))
    representative = forms.CharField(label=_("Företrädare"), required=False, max_length=200)
    is_cofinancier = forms.BooleanField(label=_("Medfinansiär"), required=False, initial=True)
    performs_rehabilitation = forms.BooleanField(
        label=_("Utför rehabiliteringsinsatser"), required=False
    )
    mandate = forms.BooleanField(
        label=_("Företrädaren har mandat att komma överens om projektägare och medfinansiärer"),
        required=False,
    )
    decision_date = forms.DateField(
        label=_("Datum för partens formella beslut"), required=False, widget=DateInput()
    )
    decision_reference = forms.CharField(
        label=_("Beslutets diarienummer eller paragraf"), required=False, max_length=100
    )

    def __init__(self, *args, forbund: Forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_parties(forbund)


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ChoiceField(label=_("Nytt steg"))
    forum = forms.ChoiceField(
        label=_("Grund för steget"), choices=Forum.choices, initial=Forum.BEREDNINGSGRUPP
    )
    basis_date = forms.DateField(
        label=_("Datum för mötet eller beslutet"), required=False, widget=DateInput()
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    stop_reason = forms.ChoiceField(
        label=_("Skäl (om arbetet stoppas)"),
        choices=[("", "—"), *StopReason.choices],
        required=False,
    )

    def __init__(self, *args, step_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = step_choices


class ForbundForm(forms.Form):
    name = forms.CharField(label=_("Förbundets namn"), max_length=200)
    kommuner = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.KOMMUN),
        label=_("Medlemskommuner"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    regioner = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.REGION),
        label=_("Medlemsregioner"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
