"""Index the follow-up's event date of a transition (PostgreSQL only).

The report asks "which ideas (measures) took this step on a date in the period", where the date
is event_date(): COALESCE(basis_date, the local day of `at`). Without an index on that very
expression PostgreSQL can neither range-scan it nor estimate how many rows match (it guesses
150 of 18 000), and picks nested loops that cost four times the hash joins it picks with the
index's statistics (bench/followup_bench.py). The expression is immutable on PostgreSQL
(timezone(text, timestamptz)); SQLite, the small embedded database, does without.
"""

from django.conf import settings
from django.db import migrations

INDEXES = [
    ("pipeline_ideatransition", "ideatransition_step_on", "idea_id"),
    ("pipeline_measuretransition", "measuretransition_step_on", "measure_id"),
]


def _on(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def create(apps, schema_editor):
    if not _on(schema_editor):
        return
    zone = settings.TIME_ZONE.replace("'", "")
    for table, name, fk in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("to_step", '
            f'(COALESCE("basis_date", ("at" AT TIME ZONE \'{zone}\')::date)), "{fk}")'
        )
        schema_editor.execute(f'ANALYZE "{table}"')


def drop(apps, schema_editor):
    if not _on(schema_editor):
        return
    for _, name, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0005_need_group_and_b1")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
