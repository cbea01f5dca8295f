from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.calls.models import Application, Call
from samsyn.meetings.choices import MeetingKind, PartStatus
from samsyn.meetings.models import (
    AgendaItem,
    AssignmentPart,
    AssignmentSpend,
    Event,
    GovernmentAssignment,
    Meeting,
    Network,
    NewsItem,
)
from samsyn.meetings.services import meeting_parties, meeting_people
from samsyn.parties.models import Forbund, Organisation, PreparatoryGroup, User
from samsyn.pipeline.forms import DateInput, VersionedActionForm, VersionedForm
from samsyn.pipeline.models import Idea, Measure, Need
from samsyn.pipeline.steps import IdeaStep, MeasureStep, StopReason


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def owner_key(owner) -> str:
    return f"{'n' if isinstance(owner, Network) else 'f'}-{owner.pk}"


class OwnerField(forms.ChoiceField):
    """Choose the förbund or network a record belongs to, among those the user may plan in."""

    def __init__(self, owners, **kwargs):
        self.owners = {owner_key(o): o for o in owners}
        choices = [
            (key, f"{'Nätverk' if isinstance(o, Network) else 'Förbund'}: {o}")
            for key, o in self.owners.items()
        ]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        return self.owners[super().clean(value)]


class MeetingForm(VersionedForm):
    class Meta:
        model = Meeting
        fields = ["kind", "group", "title", "starts_at", "ends_at", "location"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The beredningsgrupper of the förbund the meeting may belong to; the verb checks the
        # chosen one belongs to the meeting's förbund.
        forbund = [o for o in owners or [] if isinstance(o, Forbund)]
        if self.instance.forbund_id:
            forbund = [self.instance.forbund]
        group = self.fields["group"]
        group.queryset = PreparatoryGroup.objects.filter(forbund__in=forbund).select_related(
            "forbund__organisation"
        )
        group.label_from_instance = lambda g: f"{g.forbund}: {g.name}"
        group.empty_label = _("Ingen särskild beredningsgrupp")
        if owners is not None:
            self.fields["owner"] = OwnerField(owners, label=_("Förbund eller nätverk"))
            self.order_fields(["owner"])

    def clean(self):
        data = super().clean()
        owner = data.get("owner") if "owner" in self.fields else self.instance.owner
        kind = data.get("kind")
        if owner is not None and kind:
            if isinstance(owner, Network) and kind != MeetingKind.NATVERK:
                self.add_error("kind", _("Ett möte i ett nätverk har typen nätverksmöte."))
            if isinstance(owner, Forbund) and kind == MeetingKind.NATVERK:
                self.add_error("kind", _("Välj beredningsgruppens möte eller styrelsemöte."))
        return data


# The verb (services.add_attendee) refuses anyone else; the form only offers the same choices.
party_choices = meeting_parties
people_choices = meeting_people


class AttendeeForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Part"))
    name = forms.CharField(label=_("Namn"), max_length=200)
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Användare i Samsyn"),
        help_text=_("Får dagordningen och protokollet med e-post."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = party_choices(meeting)
        self.fields["user"].queryset = people_choices(meeting).order_by("first_name", "username")


class AgendaItemForm(VersionedForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "need", "idea", "measure", "call", "application"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.forbund_id:
            self.fields["need"].queryset = Need.objects.filter(forbund=meeting.forbund_id)
            self.fields["idea"].queryset = Idea.objects.filter(need__forbund=meeting.forbund_id)
            self.fields["measure"].queryset = Measure.objects.filter(
                need__forbund=meeting.forbund_id
            )
            self.fields["application"].queryset = Application.objects.filter(
                idea__need__forbund=meeting.forbund_id
            ).select_related("idea", "call")
            self.fields["call"].queryset = Call.objects.order_by("-opens_on")
            if meeting.is_board_meeting:
                for name in ("idea", "call", "application"):
                    self.fields[name].help_text = _(
                        "Styrelsen tar inte upp ESF+-frågor (R1): projektidéer, utlysningar och "
                        "ansökningar står inte på styrelsemötets dagordning."
                    )
        else:
            for name in ("need", "idea", "measure", "call", "application"):
                del self.fields[name]


class MinutesForm(VersionedActionForm):
    minutes = forms.CharField(
        label=_("Protokollsanteckning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class NeedFromItemForm(forms.Form):
    title = forms.CharField(label=_("Behovets rubrik"), max_length=200)
    target_group = forms.CharField(label=_("Målgrupp"), max_length=300)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_finsam_target_group = forms.BooleanField(
        label=_("Finsams målgrupp"), required=False, initial=True
    )


class StepForm(VersionedActionForm):
    target = forms.ChoiceField(
        choices=[("idea", _("Projektidén")), ("measure", _("Insatsen"))],
        widget=forms.HiddenInput,
    )
    to_step = forms.ChoiceField(label=_("Nytt steg"))
    stop_reason = forms.ChoiceField(
        label=_("Skäl (om arbetet stoppas)"),
        required=False,
        choices=[("", "–"), *StopReason.choices],
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, target: str, steps: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        label = IdeaStep if target == "idea" else MeasureStep
        self.fields["to_step"].choices = [(s, label(s).label) for s in steps]
        self.initial.setdefault("target", target)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslut"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(VersionedActionForm):
    adjusters = forms.CharField(label=_("Justerare"), max_length=300)


class NetworkMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.exclude(kind="forbund").order_by("kind", "name"),
        label=_("Organisation"),
    )


class NewsItemForm(forms.ModelForm):
    url = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = NewsItem
        fields = ["kind", "title", "source", "published_on", "summary", "url"]
        widgets = {"published_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}


class EventForm(forms.ModelForm):
    url = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = ["title", "starts_at", "ends_at", "place", "url", "description"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class AssignmentForm(VersionedForm):
    url = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = GovernmentAssignment
        fields = [
            "title",
            "assigned_agency",
            "partners",
            "budget_cap",
            "decided_on",
            "starts_on",
            "ends_on",
            "report_to",
            "reporting_deadline",
            "status",
            "description",
            "url",
        ]
        widgets = {
            "decided_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "reporting_deadline": DateInput(),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"] = OwnerField(owners, label=_("Förbund eller nätverk"))
            self.order_fields(["owner"])
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class SpendForm(forms.ModelForm):
    class Meta:
        model = AssignmentSpend
        fields = ["spent_on", "amount_sek", "description", "over_cap_reason"]
        widgets = {"spent_on": DateInput(), "over_cap_reason": forms.Textarea(attrs={"rows": 2})}


class PartForm(forms.ModelForm):
    class Meta:
        model = AssignmentPart
        fields = ["title", "due_on"]
        widgets = {"due_on": DateInput()}


class PartStatusForm(forms.Form):
    part = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=PartStatus.choices)
