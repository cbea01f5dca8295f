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
