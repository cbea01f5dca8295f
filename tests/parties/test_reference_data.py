"""The reference data that migration 0002 loads: every kommun and region, AF, FK, ESF-rådet."""

from __future__ import annotations

import csv
import importlib
from importlib import resources

import pytest

from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Organisation

pytestmark = pytest.mark.django_db

NUTS2 = {
    "SE11": "Stockholm",
    "SE12": "Östra Mellansverige",
    "SE21": "Småland och öarna",
    "SE22": "Sydsverige",
    "SE23": "Västsverige",
    "SE31": "Norra Mellansverige",
    "SE32": "Mellersta Norrland",
    "SE33": "Övre Norrland",
}
LAN_CODES = {
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
}  # fmt: skip


def test_exactly_290_kommuner_with_four_digit_scb_codes_in_their_lan():
    kommuner = Organisation.objects.filter(kind=OrganisationKind.KOMMUN)
    assert kommuner.count() == 290
    codes = list(kommuner.values_list("code", flat=True))
    assert len(set(codes)) == 290
    for kommun in kommuner:
        assert len(kommun.code) == 4 and kommun.code.isdigit(), kommun
        assert kommun.code[:2] == kommun.lan_code, kommun
        assert kommun.lan_code in LAN_CODES
    assert kommuner.get(code="1490").name == "Borås stad"
    assert kommuner.get(code="0180").name == "Stockholms stad"
    assert kommuner.get(code="2584").name == "Kiruna kommun"


def test_exactly_21_regioner_with_scb_lan_codes():
    regioner = Organisation.objects.filter(kind=OrganisationKind.REGION)
    assert regioner.count() == 21
    assert set(regioner.values_list("code", flat=True)) == LAN_CODES
    assert all(r.code == r.lan_code for r in regioner)
    assert regioner.get(code="14").name == "Västra Götalandsregionen"
    assert regioner.get(code="01").name == "Region Stockholm"


def test_every_kommun_and_region_lies_in_one_of_the_eight_nuts2_regions():
    places = Organisation.objects.filter(
        kind__in=[OrganisationKind.KOMMUN, OrganisationKind.REGION]
    )
    assert places.count() == 311
    for place in places:
        assert place.nuts2_code in NUTS2, place
        assert place.nuts2_name == NUTS2[place.nuts2_code], place
    # Every NUTS 2 region is in use; a kommun lies in its region's NUTS 2 region.
    assert set(places.values_list("nuts2_code", flat=True)) == set(NUTS2)
    region_nuts = dict(
        Organisation.objects.filter(kind=OrganisationKind.REGION).values_list(
            "lan_code", "nuts2_code"
        )
    )
    for kommun in Organisation.objects.filter(kind=OrganisationKind.KOMMUN):
        assert kommun.nuts2_code == region_nuts[kommun.lan_code], kommun
    # Programme area D: Övre and Mellersta Norrland.
    assert Organisation.objects.get(kind=OrganisationKind.KOMMUN, code="2584").nuts2_code == "SE33"
    assert Organisation.objects.get(kind=OrganisationKind.REGION, code="22").nuts2_code == "SE32"


def test_gotland_is_both_kommun_0980_and_region_gotland():
    kommun = Organisation.objects.get(kind=OrganisationKind.KOMMUN, code="0980")
    region = Organisation.objects.get(kind=OrganisationKind.REGION, code="09")
    # One name for both: the municipality calls itself Region Gotland too.
    assert kommun.name == region.name == "Region Gotland"
    assert kommun.pk != region.pk
    assert kommun.nuts2_code == region.nuts2_code == "SE21"


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (OrganisationKind.AF, "Arbetsförmedlingen"),
        (OrganisationKind.FK, "Försäkringskassan"),
        (OrganisationKind.ESF, "Svenska ESF-rådet"),
    ],
)
def test_state_parties_exist_once_each(kind, name):
    assert list(Organisation.objects.filter(kind=kind).values_list("name", flat=True)) == [name]


def test_finsam_parties_are_kommuner_regioner_af_and_fk():
    finsam = Organisation.objects.finsam_parties()
    assert finsam.count() == 290 + 21 + 2
    assert not finsam.filter(kind=OrganisationKind.ESF).exists()


def test_no_forbund_or_other_actors_are_reference_data():
    assert not Organisation.objects.filter(
        kind__in=[OrganisationKind.FORBUND, OrganisationKind.OTHER]
    ).exists()


def test_data_files_ship_inside_the_package_and_are_what_the_migration_reads():
    data = resources.files("samsyn.parties") / "data"
    for name in ("kommuner.csv", "regioner.csv", "SOURCES.md"):
        assert (data / name).is_file(), name
    migration = importlib.import_module("samsyn.parties.migrations.0002_reference_data")
    assert resources.files("samsyn.parties").joinpath("data") == migration.DATA

    with (data / "kommuner.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 290
    assert {r["kommun_code"] for r in rows} == set(
        Organisation.objects.filter(kind=OrganisationKind.KOMMUN).values_list("code", flat=True)
    )
    sources = (data / "SOURCES.md").read_text(encoding="utf-8")
    assert "kommuner.csv" in sources and "regioner.csv" in sources
    assert "SCB" in sources and "NUTS 2" in sources
