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
TRACKS = {
    "track_e": _("Spår E: ESF+-projektidéer"),
    "track_f": _("Spår F: Finsam-insatser"),
}
GENDERS = {
    "woman": _("Kvinnor"),
    "man": _("Män"),
    "non_binary": _("Icke-binära"),
    "total": _("Totalt"),
}
# The EU common indicators (regulation (EU) 2021/1057, Annex I) as the table names them.
INDICATORS = {
    "total": _("Deltagare totalt"),
    "unemployed": _("Arbetslösa (även långtidsarbetslösa)"),
    "long_term_unemployed": _("Långtidsarbetslösa"),
    "inactive": _("Utanför arbetskraften"),
    "employed": _("Förvärvsarbetande (även egenföretagare)"),
    "under_18": _("Under 18 år"),
    "age_18_29": _("18–29 år"),
    "age_55_plus": _("55 år eller äldre"),
    "isced_0_2": _("Högst grundskola (ISCED 0–2)"),
    "isced_3_4": _("Gymnasium eller eftergymnasial utbildning (ISCED 3–4)"),
    "isced_5_8": _("Högskola (ISCED 5–8)"),
    "disability": _("Funktionsnedsättning"),
    "disability_declined": _("Funktionsnedsättning: vill inte uppge"),
    "third_country_national": _("Medborgare i tredjeland"),
    "third_country_national_declined": _("Medborgare i tredjeland: vill inte uppge"),
    "foreign_background": _("Utländsk bakgrund"),
    "foreign_background_declined": _("Utländsk bakgrund: vill inte uppge"),
    "minority": _("Minoritet (även marginaliserade grupper, till exempel romer)"),
    "minority_declined": _("Minoritet: vill inte uppge"),
    "homeless_or_housing_exclusion": _("Hemlösa eller utestängda från bostadsmarknaden"),
    "homeless_or_housing_exclusion_declined": _("Hemlöshet: vill inte uppge"),
    "rural_area": _("Bor på landsbygden"),
    "rural_area_declined": _("Landsbygd: vill inte uppge"),
    "employed_on_leaving": _("I arbete vid avslut (även eget företag)"),
    "employed_in_target_sector": _("I arbete inom projektets bransch vid avslut"),
    "job_searching_on_leaving": _("Arbetssökande vid avslut"),
    "in_education_or_training_on_leaving": _("I utbildning vid avslut"),
    "qualification_on_leaving": _("Fått en kvalifikation vid avslut"),
    "employed_6_months_after": _("I arbete sex månader efter avslut"),
    "improved_labour_market_situation_6_months_after": _(
        "Bättre ställning på arbetsmarknaden sex månader efter avslut"
    ),
}


def indicator(key: str) -> str:
    """Never a code name: an indicator the table does not know yet still reads as words."""
    return str(INDICATORS.get(key) or key.replace("_", " ").capitalize())
