"""The ESF+ programme's reference data (DOMAIN.md §4–§5; seeds 000 and 002).

Sources: Svenska ESF-rådet's national programme 2021–2027 (6,3 miljarder kronor, EU-andel
40 %), the five programme areas A–E and five thematic areas; the eight NUTS 2 regions with
their regional action plans; regeringens proposition on CARE (förordning (EU) 2022/562,
885 miljoner kronor, löpande ansökan, projekt slut senast september 2023); Region Stockholm's
principles for prioritisation (regional handlingsplan för ESF+ 2021–2027), shipped as the
default set.
"""

import datetime as dt

from django.db import migrations

THEMES = [
    (
        "ekonomisk_utsatthet",
        "Ekonomisk utsatthet",
        "försörjningsstöd,ekonomiskt bistånd,ekonomisk utsatthet,fattigdom,hemlös,barnfamilj,"
        "socialt utsatt,skuld",
    ),
    (
        "etablering",
        "Etablering på arbetsmarknaden",
        "unga,ungdom,nyanlända,utrikes födda,etablering,första jobb,studier,skola,gymnasie,"
        "språk,yrkessvenska,praktik",
    ),
    (
        "aterintrade",
        "Återinträde på arbetsmarknaden",
        "sjukskriv,långtidsarbetslös,aktivitetsersättning,rehabilitering,återgång,ohälsa,"
        "funktionsnedsättning,arbetsträning,långt från arbete",
    ),
    (
        "instabil",
        "Instabil ställning på arbetsmarknaden",
        "visstid,tidsbegränsad,timanställ,osäker anställning,deltid,omställning",
    ),
    (
        "stabil",
        "Stabil ställning på arbetsmarknaden",
        "kompetensutveckling,anställda,arbetsgivare,kompetensförsörjning,fortbildning,ledarskap",
    ),
]

ALL = [t[0] for t in THEMES]
AREAS_2021 = [
    # code, name, themes, national, regional, only kinds, only nuts2
    (
        "A",
        "Öka möjligheten till ett inkluderande och hållbart arbetsliv för alla",
        ALL,
        True,
        True,
        [],
        [],
    ),
    ("B", "Öka möjligheten till arbete", [], True, False, ["af"], []),
    ("C", "Minska risken för ekonomisk utsatthet", ["ekonomisk_utsatthet"], True, False, [], []),
    ("D", "Öka kapaciteten i den glesa geografin", [], False, True, [], ["SE32", "SE33"]),
    (
        "E",
        "Social innovation",
        ["etablering", "aterintrade", "ekonomisk_utsatthet"],
        True,
        False,
        [],
        [],
    ),
]

PLANS = [
    ("SE11", "Stockholm"),
    ("SE12", "Östra Mellansverige"),
    ("SE21", "Småland och öarna"),
    ("SE22", "Sydsverige"),
    ("SE23", "Västsverige"),
    ("SE31", "Norra Mellansverige"),
    ("SE32", "Mellersta Norrland"),
    ("SE33", "Övre Norrland"),
]

STOCKHOLM_PRINCIPLES = [
    ("P1", "Projektet är väl förankrat hos samtliga medverkande projektparter"),
    (
        "P2",
        "Projektet syftar till långsiktig struktur- och systempåverkan på lokal, regional "
        "eller nationell nivå",
    ),
    (
        "P3",
        "Komplementariteten i förhållande till andra resurser är som störst (tydligt mervärde "
        "till ordinarie verksamhet)",
    ),
    ("P4", "Projektet bidrar till vision, mål och regionala prioriteringar i RUFS 2050"),
    ("P5", "Projektet adresserar särskilt socioekonomiskt utsatta områden"),
]


def load(apps, schema_editor):
    Period = apps.get_model("calls", "ProgrammePeriod")
    Theme = apps.get_model("calls", "ThematicArea")
    Area = apps.get_model("calls", "ProgrammeArea")
    Plan = apps.get_model("calls", "RegionalPlan")
    DefaultPrinciple = apps.get_model("calls", "DefaultPrinciple")

    themes = {}
    for order, (code, name, keywords) in enumerate(THEMES, start=1):
        themes[code] = Theme.objects.create(code=code, name=name, keywords=keywords, order=order)

    p2021 = Period.objects.create(
        code="2021-2027",
        name="ESF+ 2021–2027",
        starts_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        national_total_sek=6_300_000_000,
        eu_share_percent=40,
    )
    for code, name, theme_codes, national, regional, kinds, nuts2 in AREAS_2021:
        area = Area.objects.create(
            period=p2021,
            code=code,
            name=name,
            national=national,
            regional=regional,
            only_applicant_kinds=kinds,
            only_nuts2_codes=nuts2,
        )
        area.thematic_areas.set([themes[t] for t in theme_codes])

    p2014 = Period.objects.create(
        code="2014-2020",
        name="ESF 2014–2020",
        starts_on=dt.date(2014, 1, 1),
        ends_on=dt.date(2023, 12, 31),
        national_total_sek=None,  # not in our sources; CARE alone: 885 MSEK
        eu_share_percent=50,
    )
    care = Area.objects.create(
        period=p2014,
        code="CARE",
        name="CARE – insatser för personer som omfattas av massflyktsdirektivet",
        national=True,
        regional=False,
        rolling=True,
        note=(
            "Delprogramområde under programområde 2 och 5 (React-EU), förordning (EU) 2022/562; "
            "885 miljoner kronor; löpande ansökan; projekten avslutas senast i september 2023."
        ),
    )
    care.thematic_areas.set([themes["etablering"]])

    for code, name in PLANS:
        Plan.objects.create(
            nuts2_code=code, name=name, title=f"Regional handlingsplan för ESF+ {name} 2021–2027"
        )
    # Stockholm's principles are the default set; a region with its own adds them to its plan.
    for order, (code, name) in enumerate(STOCKHOLM_PRINCIPLES, start=1):
        DefaultPrinciple.objects.create(regional_plan=None, code=code, name=name, order=order)


def unload(apps, schema_editor):
    for model in ("DefaultPrinciple", "RegionalPlan", "ProgrammeArea", "ThematicArea"):
        apps.get_model("calls", model).objects.all().delete()
    apps.get_model("calls", "ProgrammePeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("calls", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
