"""Carry existing data into the life cycle and the eligibility model (issue 16).

- Programme periods get their eligibility window: 2021–2027 from 2021-01-01 to 2029-12-31
  (förordning (EU) 2021/1060 art. 63.2), 2014–2020 from 2014-01-01 to 2023-12-31
  (förordning (EU) 1303/2013 art. 65.2); CARE projects end by September 2023 (seed 000).
- The principles without a plan were Region Stockholm's (seed 002): they become the Stockholm
  plan's own. Calls keep the principles they already have (scores rest on them).
- An application's existing status keeps its meaning in the new cycle: "granted" was ESF-rådet's
  decision and is now beviljad, with its decision date; submitted and decided applications get
  the events that record those moves (who is not known: left empty).
"""

import datetime as dt

from django.db import migrations

WINDOWS = {
    "2021-2027": (dt.date(2021, 1, 1), dt.date(2029, 12, 31)),
    "2014-2020": (dt.date(2014, 1, 1), dt.date(2023, 12, 31)),
}
CARE_END = dt.date(2023, 9, 30)


def forwards(apps, schema_editor):
    Period = apps.get_model("calls", "ProgrammePeriod")
    Area = apps.get_model("calls", "ProgrammeArea")
    Plan = apps.get_model("calls", "RegionalPlan")
    DefaultPrinciple = apps.get_model("calls", "DefaultPrinciple")
    Application = apps.get_model("calls", "Application")
    Event = apps.get_model("calls", "ApplicationEvent")

    for period in Period.objects.all():
        period.eligible_from, period.eligible_until = WINDOWS.get(
            period.code, (period.starts_on, period.ends_on)
        )
        period.save(update_fields=["eligible_from", "eligible_until"])
    Area.objects.filter(code="CARE", period__code="2014-2020").update(latest_project_end=CARE_END)

    stockholm = Plan.objects.filter(nuts2_code="SE11").first()
    orphans = DefaultPrinciple.objects.filter(regional_plan__isnull=True)
    if stockholm is not None:
        taken = set(stockholm.principles.values_list("code", flat=True))
        orphans.exclude(code__in=taken).update(regional_plan=stockholm)
    DefaultPrinciple.objects.filter(regional_plan__isnull=True).delete()

    events = []
    for app in Application.objects.exclude(status="draft"):
        events.append(
            Event(
                application=app,
                move="submitted",
                from_status="draft",
                to_status="submitted",
                decided_on=app.submitted_on,
                note="Överfört från tidigare version av Samsyn.",
            )
        )
        if app.status in ("granted", "rejected"):
            events.append(
                Event(
                    application=app,
                    move="decided",
                    from_status="submitted",
                    to_status=app.status,
                    decided_on=app.decided_on,
                    note="Överfört från tidigare version av Samsyn: ESF-rådets beslut.",
                )
            )
    Event.objects.bulk_create(events)


def backwards(apps, schema_editor):
    Plan = apps.get_model("calls", "RegionalPlan")
    apps.get_model("calls", "ApplicationEvent").objects.all().delete()
    stockholm = Plan.objects.filter(nuts2_code="SE11").first()
    if stockholm is not None:
        apps.get_model("calls", "DefaultPrinciple").objects.filter(
            regional_plan=stockholm
        ).update(regional_plan=None)
    apps.get_model("calls", "Application").objects.exclude(
        status__in=["draft", "submitted", "granted", "rejected"]
    ).update(status="submitted")


class Migration(migrations.Migration):
    dependencies = [("calls", "0003_lifecycle_schema")]
    operations = [migrations.RunPython(forwards, backwards)]
