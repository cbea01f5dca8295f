from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Sexsiffrig kod från din app"),
        min_length=6,
        max_length=6,
        error_messages={
            "required": _("Skriv koden som appen visar."),
            "min_length": _("Koden har sex siffror."),
            "max_length": _("Koden har sex siffror."),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not code.isdigit():
            raise forms.ValidationError(_("Koden består bara av siffror."))
        return code
