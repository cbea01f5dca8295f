"""Participant data: the EU common indicators of regulation (EU) 2021/1057, Annex I."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "woman", _("Kvinna")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Icke-binär")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18 år")
    AGE_18_29 = "age_18_29", _("18–29 år")
    AGE_30_54 = "age_30_54", _("30–54 år")
    AGE_55_PLUS = "age_55_plus", _("55 år eller äldre")


class LabourStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Arbetslös")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Långtidsarbetslös")
    INACTIVE = "inactive", _("Utanför arbetskraften")
    EMPLOYED = "employed", _("Förvärvsarbetande (även egenföretagare)")


class Education(models.TextChoices):
    ISCED_0_2 = "isced_0_2", _("Högst grundskola (ISCED 0–2)")
    ISCED_3_4 = "isced_3_4", _("Gymnasium eller eftergymnasial (ISCED 3–4)")
    ISCED_5_8 = "isced_5_8", _("Högskola (ISCED 5–8)")


class Answer(models.TextChoices):
    """A sensitive characteristic: "vill inte uppge" is kept as such, never guessed."""

    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    DECLINED = "declined", _("Vill inte uppge")


class AccessAction(models.TextChoices):
    VIEW = "view", _("Visade personnummer")
    EXPORT = "export", _("Registerutdrag")
    ERASE = "erase", _("Radering")
    CREATE = "create", _("Registrering")
    FIGURES = "figures", _("Visade projektets exakta deltagartal")


# Sensitive (†: GDPR art. 9) output indicators, answered yes/no/"vill inte uppge".
SENSITIVE_FIELDS = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless_or_housing_exclusion",
    "rural_area",
)
# Result indicators: immediate (on leaving) and longer-term (six months after).
RESULT_FIELDS = (
    "employed_on_leaving",
    "employed_in_target_sector",
    "job_searching_on_leaving",
    "in_education_or_training_on_leaving",
    "qualification_on_leaving",
    "employed_6_months_after",
    "improved_labour_market_situation_6_months_after",
)
