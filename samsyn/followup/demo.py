"""Demo participants: the Care-Vårda GR results, reproduced on the Sjuhärad demo's Care idea.

Care-Vårda GR (network meeting, seed 001): 21 participants, 15 of whom took part for most of
the project period; of those 15 about 73 % (11) had work afterwards and about 47 % (7) work
in health and social care. Called at the end of pipeline.demo.load_demo.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from samsyn.followup import services
from samsyn.followup.personnummer import luhn_digit
from samsyn.followup.results import project_period
from samsyn.parties.models import User
from samsyn.pipeline.models import Idea

CARE_TITLE = "Care Sjuhärad – vård och omsorg"


def demo_personnummer(i: int) -> str:
    """Made-up, valid numbers (serials from 970 up)."""
    born = dt.date(1975, 1, 1) + dt.timedelta(days=347 * i)
    nine = f"{born:%y%m%d}{970 + i % 30:03d}"
    return f"{born:%Y%m%d}-{nine[6:]}{luhn_digit(nine)}"


# (gender, age band, labour status, education, employed after, in vård och omsorg)
MOST_OF_PERIOD = [
    ("woman", "age_30_54", "long_term_unemployed", "isced_0_2", True, True),
    ("woman", "age_30_54", "unemployed", "isced_3_4", True, True),
    ("woman", "age_18_29", "unemployed", "isced_0_2", True, True),
    ("man", "age_30_54", "long_term_unemployed", "isced_0_2", True, True),
    ("woman", "age_30_54", "inactive", "isced_3_4", True, True),
    ("woman", "age_55_plus", "long_term_unemployed", "isced_0_2", True, True),
    ("woman", "age_18_29", "unemployed", "isced_3_4", True, True),
    ("woman", "age_30_54", "unemployed", "isced_0_2", True, False),
    ("man", "age_18_29", "unemployed", "isced_3_4", True, False),
    ("woman", "age_30_54", "long_term_unemployed", "isced_5_8", True, False),
    ("woman", "age_30_54", "inactive", "isced_0_2", True, False),
    ("woman", "age_30_54", "long_term_unemployed", "isced_0_2", False, False),
    ("woman", "age_18_29", "unemployed", "isced_0_2", False, False),
    ("man", "age_55_plus", "long_term_unemployed", "isced_3_4", False, False),
    ("woman", "age_30_54", "inactive", "isced_0_2", False, False),
]
LEFT_EARLY = [
    ("woman", "age_18_29", "unemployed", "isced_0_2", True, False),
    ("woman", "age_30_54", "long_term_unemployed", "isced_0_2", False, False),
    ("man", "age_30_54", "unemployed", "isced_3_4", True, True),
    ("woman", "age_30_54", "inactive", "isced_0_2", False, False),
    ("woman", "age_55_plus", "long_term_unemployed", "isced_0_2", False, False),
    ("non_binary", "age_18_29", "unemployed", "isced_3_4", False, False),
]
PERIOD_DAYS = 120


@transaction.atomic
def load_followup_demo() -> Idea:
    care = Idea.objects.select_related("need__forbund").get(title=CARE_TITLE)
    kansli = User.objects.get(username="anna")
    staff = User.objects.get(username="bertil")  # Borås stad owns the project
    services.add_staff(care, staff, by=kansli)
    period = project_period(care, care.participants.none())
    start = period.start if period else dt.date(2025, 9, 1)
    people = [(row, i * 2, PERIOD_DAYS - (i % 4) * 10) for i, row in enumerate(MOST_OF_PERIOD)]
    people += [(row, 30 + i * 5, 50 + i * 5) for i, row in enumerate(LEFT_EARLY)]
    for n, ((gender, age, status, education, employed, sector), begin, end) in enumerate(people):
        services.register_participant(
            care,
            by=staff,
            personnummer=demo_personnummer(n),
            started_on=start + dt.timedelta(days=begin),
            ended_on=start + dt.timedelta(days=end),
            gender=gender,
            age_band=age,
            labour_status=status,
            education=education,
            foreign_background="yes" if n % 3 == 0 else ("declined" if n % 7 == 0 else "no"),
            employed_on_leaving=employed,
            employed_in_target_sector=sector,
            job_searching_on_leaving=not employed,
        )
    return care
