from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.models import Organisation, User


class ForbundMembersForm(forms.Form):
    kommuner = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.KOMMUN),
        label=_("Medlemskommuner"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    regioner = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.REGION),
        label=_("Medlemsregioner"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class RoleForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise forms.ValidationError(
                "Det finns ingen aktiv användare med det användarnamnet."
            ) from exc


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Beredningsgruppens namn"), max_length=200)


class GroupMemberForm(forms.Form):
    group = forms.ModelChoiceField(queryset=None, label=_("Beredningsgrupp"))
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    organisation = forms.ModelChoiceField(queryset=None, label=_("Företräder part"))

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = forbund.preparatory_groups.all()
        self.fields["organisation"].queryset = forbund.members.exclude(
            kind=OrganisationKind.FORBUND
        ).order_by("kind", "name")

    clean_username = RoleForm.clean_username
