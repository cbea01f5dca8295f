"""Kommuner loaded before 0002 gave official names are renamed: "Mark" becomes "Marks kommun".

Only a kommun still called by SCB's short name is renamed (and back, on reversal, only one
still called by its official name), so a name someone has changed is kept, and running the
step again changes nothing.
"""

import csv
from pathlib import Path

from django.db import migrations

from samsyn.parties.names import official_kommun_name

DATA = Path(__file__).resolve().parent.parent / "data"


def _names() -> dict[str, tuple[str, str]]:
    """Kommun code -> (SCB short name, official name)."""
    with open(DATA / "kommuner.csv", encoding="utf-8") as f:
        return {
            row["kommun_code"]: (row["kommun_name"], official_kommun_name(row["kommun_name"]))
            for row in csv.DictReader(f)
        }


def _rename(apps, *, forwards: bool) -> None:
    Organisation = apps.get_model("parties", "Organisation")
    for code, (short, official) in _names().items():
        old, new = (short, official) if forwards else (official, short)
        Organisation.objects.filter(kind="kommun", code=code, name=old).update(name=new)


def to_official_names(apps, schema_editor):
    _rename(apps, forwards=True)


def to_short_names(apps, schema_editor):
    _rename(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("parties", "0003_preparatory_groups")]
    operations = [migrations.RunPython(to_official_names, to_short_names)]
