from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, PreparatoryGroup
from samsyn.pipeline.models import Idea, IdeaParty, Measure, Need
from samsyn.pipeline.services import idea_party_choices
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


def posted_version(data) -> int | None:
    """The version a posted form (without a form class) carries, or None."""
    try:
        return int(data.get("version", ""))
    except (TypeError, ValueError):
        return None


class VersionedActionForm(forms.Form):
    """A form that acts on an existing versioned record (a budget line of an application, a
    decision, the minutes of an item): it must carry the version the user saw, or nothing is
    saved. Every such form derives from this one, so none can forget it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("version") is None and "version" not in self.errors:
            raise forms.ValidationError(MISSING_VERSION, code="no_version")
        return data


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
        labels = {
            # Said positively (not "no other party has decided …: No").
            "no_other_owner": _("Övriga parter avstår från att vara projektägare"),
        }
        widgets = {
            "agreement_signed_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "implementation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, forbund: Forbund, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner is agreed among the parties (E3); a förbund cannot own (R2).
        self.fields["owner"].queryset = idea_party_choices(forbund)
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


class IdeaPartyForm(VersionedActionForm):
    """Add a party (choose it) or change one party's part (prefilled from what is recorded)."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Part"), empty_label=_("Välj part")
    )
    representative = forms.CharField(label=_("Företrädare"), required=False, max_length=200)
    is_cofinancier = forms.BooleanField(label=_("Medfinansiär"), required=False, initial=True)
    performs_rehabilitation = forms.BooleanField(
        label=_("Utför rehabiliteringsinsatser"), required=False
    )
    mandate = forms.BooleanField(
        label=_("Företrädaren har mandat att komma överens om projektägare och medfinansiärer"),
        required=False,
    )
    mandate_given_on = forms.DateField(
        label=_("Datum då mandatet gavs"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Dagen då parten gav företrädaren mandatet, till exempel ett beslut eller möte."
        ),
    )
    decision_date = forms.DateField(
        label=_("Datum för partens formella beslut"), required=False, widget=DateInput()
    )
    decision_reference = forms.CharField(
        label=_("Beslutets diarienummer eller paragraf"), required=False, max_length=100
    )

    def __init__(self, *args, forbund: Forbund, idea: Idea, party: IdeaParty | None = None, **kw):
        if party is not None:
            kw["initial"] = {
                "version": idea.version,
                "representative": party.representative,
                "is_cofinancier": party.is_cofinancier,
                "performs_rehabilitation": party.performs_rehabilitation,
                "mandate": party.mandate_confirmed_at is not None,
                "mandate_given_on": party.mandate_given_on,
                "decision_date": party.decision_date,
                "decision_reference": party.decision_reference,
                **kw.get("initial", {}),
            }
        super().__init__(*args, **kw)
        self.party = party
        if party is not None:
            del self.fields["organisation"]  # the party is the one being changed
        else:
            taken = idea.parties.values("organisation")
            self.fields["organisation"].queryset = idea_party_choices(forbund).exclude(pk__in=taken)

    def clean(self):
        data = super().clean()
        # A new mandate needs its date; one recorded before dates were asked keeps going.
        already = self.party is not None and self.party.mandate_confirmed_at is not None
        if data.get("mandate") and not data.get("mandate_given_on") and not already:
            self.add_error("mandate_given_on", _("Ange datumet då företrädaren fick mandatet."))
        return data


class TransitionForm(VersionedActionForm):
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
        # Checkboxes, not a Ctrl-click multi-select; samsyn.js adds a search field.
        widget=forms.CheckboxSelectMultiple(attrs={"data-searchable": "ja"}),
    )
    regioner = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.REGION),
        label=_("Medlemsregioner"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
