from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samsyn.followup.choices import RESULT_FIELDS, SENSITIVE_FIELDS
from samsyn.followup.models import Participant
from samsyn.followup.personnummer import normalise
from samsyn.pipeline.forms import VersionedForm

PARTICIPANT_FIELDS = (
    "started_on",
    "ended_on",
    "gender",
    "age_band",
    "labour_status",
    "education",
    *SENSITIVE_FIELDS,
    *RESULT_FIELDS,
)


class ParticipantEditForm(VersionedForm):
    class Meta:
        model = Participant
        fields = PARTICIPANT_FIELDS
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
        }


class ParticipantForm(ParticipantEditForm):
    """Registering a participant: the personnummer is validated and normalised here."""

    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        help_text=_("ÅÅÅÅMMDD-NNNN eller tio siffror."),
        max_length=20,
    )

    field_order = ["personnummer", *PARTICIPANT_FIELDS]

    def clean_personnummer(self) -> str:
        return normalise(self.cleaned_data["personnummer"])


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil med deltagare (xlsx eller csv)"),
        help_text=_("En rad per deltagare; kolumnnamnen som i mallen. Högst 5 MB."),
    )

    def clean_file(self):
        """Type and size are checked before anything is read (a big upload waits on disk)."""
        from samsyn.followup.imports import FILE_TOO_BIG, MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Läs in en fil av typen .xlsx eller .csv."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG)
        return upload
