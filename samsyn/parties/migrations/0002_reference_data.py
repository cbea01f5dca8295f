"""All 290 kommuner and 21 regioner (SCB codes, NUTS 2), AF, FK and Svenska ESF-rådet.

The CSV files ship in samsyn/parties/data/ with their sources in SOURCES.md there. A kommun
gets the name it uses itself ("Marks kommun", "Borås stad"), not SCB's short name.
"""

import csv
from pathlib import Path

from django.db import migrations

from samsyn.parties.names import official_kommun_name

DATA = Path(__file__).resolve().parent.parent / "data"

STATE_PARTIES = [
    ("af", "Arbetsförmedlingen"),
    ("fk", "Försäkringskassan"),
    ("esf", "Svenska ESF-rådet"),
]


def load(apps, schema_editor):
    Organisation = apps.get_model("parties", "Organisation")
    with open(DATA / "regioner.csv", encoding="utf-8") as f:
        regions = {row["lan_code"]: row for row in csv.DictReader(f)}
    Organisation.objects.bulk_create(
        Organisation(
            name=row["region_name"],
            kind="region",
            code=code,
            lan_code=code,
            nuts2_code=row["nuts2_code"],
            nuts2_name=row["nuts2_name"],
        )
        for code, row in regions.items()
    )
    with open(DATA / "kommuner.csv", encoding="utf-8") as f:
        Organisation.objects.bulk_create(
            Organisation(
                name=official_kommun_name(row["kommun_name"]),
                kind="kommun",
                code=row["kommun_code"],
                lan_code=row["lan_code"],
                nuts2_code=row["nuts2_code"],
                nuts2_name=regions[row["lan_code"]]["nuts2_name"],
            )
            for row in csv.DictReader(f)
        )
    Organisation.objects.bulk_create(
        Organisation(name=name, kind=kind) for kind, name in STATE_PARTIES
    )


def unload(apps, schema_editor):
    Organisation = apps.get_model("parties", "Organisation")
    Organisation.objects.filter(kind__in=["kommun", "region", "af", "fk", "esf"]).delete()


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
