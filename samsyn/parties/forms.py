from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.models import Organisation, User


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class MemberAddForm(forms.Form):
    """One kommun or region at a time: no multi-select where one click drops every member."""

    organisation = MemberChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Kommun eller region som ska bli medlem"),
        empty_label=_("Välj kommun eller region"),
    )

    def __init__(self, *args, forbund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(kind__in=[OrganisationKind.KOMMUN, OrganisationKind.REGION])
            .exclude(pk__in=forbund.members.values("pk"))
            .order_by("kind", "name")
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

    def clean(self):
        # Looked up among the party's own people only: an unknown name and a person elsewhere
        # get the same answer, so the form tells no one who exists in another förbund.
        data = super().clean()
        organisation, username = data.get("organisation"), data.get("username", "").strip()
        if organisation is not None and username:
            user = User.objects.filter(
                username=username, is_active=True, organisation=organisation
            ).first()
            if user is None:
                self.add_error(
                    "username",
                    f"Det finns ingen aktiv användare med det användarnamnet hos {organisation}.",
                )
            else:
                data["username"] = user
        return data
