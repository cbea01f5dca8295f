"""Municipalities by the names they use themselves (issue 14): "Marks kommun", "Borås stad".

SCB's short names ("Mark", "Borås") stay in kommuner.csv; one function turns them into the
official names, and the migrations give every kommun organisation that name.
"""

from __future__ import annotations

import csv
import importlib

import pytest

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Organisation
from samsyn.parties.names import STAD, official_kommun_name

pytestmark = pytest.mark.django_db

MIGRATION = "samsyn.parties.migrations.0004_official_kommun_names"

# (SCB code, SCB short name, the name a user reads)
EXAMPLES = [
    ("1463", "Mark", "Marks kommun"),
    ("1490", "Borås", "Borås stad"),
    ("2080", "Falun", "Falu kommun"),
    ("0980", "Gotland", "Region Gotland"),
    ("0114", "Upplands Väsby", "Upplands Väsby kommun"),
    ("1440", "Ale", "Ale kommun"),
    ("1489", "Alingsås", "Alingsås kommun"),
    ("2023", "Malung-Sälen", "Malung-Sälens kommun"),
    ("1438", "Dals-Ed", "Dals-Eds kommun"),
    ("1462", "Lilla Edet", "Lilla Edets kommun"),
    ("2514", "Kalix", "Kalix kommun"),
    ("0880", "Kalmar", "Kalmar kommun"),
    ("0180", "Stockholm", "Stockholms stad"),
    ("1480", "Göteborg", "Göteborgs stad"),
    ("2583", "Haparanda", "Haparanda stad"),
    ("0186", "Lidingö", "Lidingö stad"),
]

THE_14_STAD = {
    "Borås stad", "Göteborgs stad", "Haparanda stad", "Helsingborgs stad", "Landskrona stad",
    "Lidingö stad", "Malmö stad", "Mölndals stad", "Solna stad", "Stockholms stad",
    "Sundbybergs stad", "Trollhättans stad", "Vaxholms stad", "Västerås stad",
}  # fmt: skip


def _scb_short_names() -> dict[str, str]:
    data = importlib.import_module(MIGRATION).DATA
    with open(data / "kommuner.csv", encoding="utf-8") as f:
        return {row["kommun_code"]: row["kommun_name"] for row in csv.DictReader(f)}


@pytest.mark.parametrize(("code", "short", "official"), EXAMPLES)
def test_official_name_from_scb_short_name(code, short, official):
    assert official_kommun_name(short) == official
    assert Organisation.objects.get(kind=OrganisationKind.KOMMUN, code=code).name == official


def test_every_kommun_is_called_kommun_or_stad_except_region_gotland():
    names = list(
        Organisation.objects.filter(kind=OrganisationKind.KOMMUN).values_list("name", flat=True)
    )
    assert len(names) == 290
    odd = [n for n in names if not n.endswith((" kommun", " stad")) and n != "Region Gotland"]
    assert odd == []
    assert {n for n in names if n.endswith(" stad")} == THE_14_STAD
    assert set(_scb_short_names().values()) >= STAD  # the 14 are spelled as SCB spells them
    # No short name is left, and no genitive doubled ("Alingsåss", "Markss").
    assert not set(names) & set(_scb_short_names().values())
    assert not [n for n in names if "ss kommun" in n or "ss stad" in n]


def test_kommun_code_still_finds_the_kommun():
    shorts = _scb_short_names()
    for kommun in Organisation.objects.filter(kind=OrganisationKind.KOMMUN):
        assert kommun.name == official_kommun_name(shorts[kommun.code]), kommun.code


def test_regions_and_state_parties_keep_their_names():
    regions = Organisation.objects.filter(kind=OrganisationKind.REGION)
    assert all(
        r.name.startswith("Region ") or r.name == "Västra Götalandsregionen" for r in regions
    )
    assert regions.get(code="09").name == "Region Gotland"


def test_migration_renames_short_names_keeps_changed_ones_and_can_run_again_and_back():
    from django.apps import apps

    migration = importlib.import_module(MIGRATION)
    kommuner = Organisation.objects.filter(kind=OrganisationKind.KOMMUN)
    # An installation migrated before the official names: SCB's short names.
    migration.to_short_names(apps, None)
    assert kommuner.get(code="1463").name == "Mark"
    assert kommuner.get(code="0980").name == "Gotland"
    # Someone had renamed one by hand: the migration keeps that name.
    kommuner.filter(code="1440").update(name="Ale kommun (Nödinge)")

    migration.to_official_names(apps, None)
    assert kommuner.get(code="1463").name == "Marks kommun"
    assert kommuner.get(code="1490").name == "Borås stad"
    assert kommuner.get(code="0980").name == "Region Gotland"
    assert kommuner.get(code="1440").name == "Ale kommun (Nödinge)"
    before = dict(kommuner.values_list("code", "name"))
    migration.to_official_names(apps, None)  # again: nothing changes
    assert dict(kommuner.values_list("code", "name")) == before
    # The region Gotland is a different row and is never renamed by the kommun step.
    assert Organisation.objects.get(kind=OrganisationKind.REGION, code="09").name == (
        "Region Gotland"
    )


def test_region_gotland_as_kommun_and_as_region_are_told_apart_where_both_are_listed(db):
    from tests.factories import kommun, region

    assert str(region("09")) == "Region Gotland"
    assert str(kommun("0980")) == "Region Gotland (kommun)"
    assert str(kommun("1490")) == "Borås stad"
