"""Swedish names of the figures and breakdown keys, for pages and exports."""

from django.utils.translation import gettext_lazy as _

from samsyn.parties.choices import OrganisationKind
from samsyn.pipeline.steps import LeftRoutineReason, StopReason

FIGURES = {
    "ideas_identified": _("Projektidéer identifierade i beredningsgrupper"),
    "ideas_led_to_application": _("Idéer som ledde till en ansökan"),
    "applications_granted": _("Beviljade ansökningar"),
    "applications_rejected": _("Avslagna ansökningar"),
    "ideas_stopped_without_application": _("Idéer som aldrig ledde till en ansökan"),
    "ideas_in_progress": _("Idéer som fortfarande bereds"),
    "owners_by_kind": _("Projektägare per typ av part"),
    "owners_by_organisation": _("Projektägare per organisation"),
    "cofinanciers_by_kind": _("Medfinansiärer per typ av part"),
    "cofinanciers_by_organisation": _("Medfinansiärer per organisation"),
    "needs_identified": _("Behov identifierade i beredningsstrukturen"),
    "measures_identified": _("Insatser identifierade"),
    "measures_board_decided": _("Insatser som styrelsen beslutat att finansiera"),
    "measures_board_declined": _("Insatser som styrelsen avslagit"),
    "measures_stopped_without_decision": _("Insatser stoppade utan styrelsebeslut"),
    "measures_in_progress": _("Insatser som fortfarande bereds"),
    "parties_by_kind": _("Medverkande parter per typ (beslutade insatser)"),
    "parties_by_organisation": _("Medverkande parter per organisation (beslutade insatser)"),
}
KINDS = {
    "af": OrganisationKind.AF.label,
    "fk": OrganisationKind.FK.label,
    "kommun": OrganisationKind.KOMMUN.label,
    "region": OrganisationKind.REGION.label,
    "other": _("Annan"),
}
REASONS = {
    **dict(StopReason.choices),
    **dict(LeftRoutineReason.choices),
    "unspecified": _("Skäl saknas"),
}
