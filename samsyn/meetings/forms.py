from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.calls.models import Application, Call
from samsyn.meetings.choices import MeetingKind
from samsyn.meetings.models import (
    AgendaItem,
    Event,
    GovernmentAssignment,
    Meeting,
    Network,
    NewsItem,
)
from samsyn.parties.models import Forbund, Organisation, PreparatoryGroup, User
from samsyn.pipeline.forms import DateInput
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


class MeetingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        data = super().clean()
        owner = data.get("owner") if "owner" in self.fields else self.instance.owner
        kind = data.get("kind")
        if owner is not None and kind:
            if isinstance(owner, Network) and kind != MeetingKind.NATVERK:
                self.add_error("kind", _("Ett nätverks möte är ett nätverksmöte."))
            if isinstance(owner, Forbund) and kind == MeetingKind.NATVERK:
                self.add_error("kind", _("Välj beredningsgruppens möte eller styrelsemöte."))
        return data


def party_choices(meeting: Meeting):
    if meeting.forbund_id:
        return meeting.forbund.members.order_by("kind", "name")
    return meeting.network.members.order_by("kind", "name")


def people_choices(meeting: Meeting):
    if meeting.forbund_id:
        return User.objects.filter(forbund_roles__forbund=meeting.forbund_id, is_active=True)
    return User.objects.filter(organisation__in=meeting.network.members.all(), is_active=True)


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


class AgendaItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Protokollsanteckning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NeedFromItemForm(forms.Form):
    title = forms.CharField(label=_("Behovets rubrik"), max_length=200)
    target_group = forms.CharField(label=_("Målgrupp"), max_length=300)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_finsam_target_group = forms.BooleanField(
        label=_("Finsams målgrupp"), required=False, initial=True
    )


class StepForm(forms.Form):
    target = forms.ChoiceField(
        choices=[("idea", _("Projektidén")), ("measure", _("Insatsen"))],
        widget=forms.HiddenInput,
    )
    to_step = forms.ChoiceField(label=_("Nytt steg"))
    stop_reason = forms.ChoiceField(
        label=_("Skäl (vid stopp)"),
        required=False,
        choices=[("", "–"), *StopReason.choices],
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, target: str, steps: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        label = IdeaStep if target == "idea" else MeasureStep
        self.fields["to_step"].choices = [(s, label(s).label) for s in steps]
        self.initial.setdefault("target", target)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslut"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    adjusters = forms.CharField(label=_("Justerare"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


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


class AssignmentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    url = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = GovernmentAssignment
        fields = [
            "title",
            "assigned_agency",
            "partners",
            "budget_cap",
            "decided_on",
            "reporting_deadline",
            "status",
            "description",
            "url",
        ]
        widgets = {
            "decided_on": DateInput(),
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
