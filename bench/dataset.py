"""The seeded national-scale data set that the benchmarks share (follow-up bench, load test).

69 förbund, 50 000 ideas over ten years (2016–2025), 10 000 measures and 1 000 000 participants,
all but the förbund multiplied by the scale. The same scale always gives the same data (seeded).

The personnummer columns hold a placeholder hash and ciphertext: encryption is not what is
measured, and 1 000 000 Fernet calls would dominate the set-up time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

YEARS = range(2016, 2026)


@dataclass(frozen=True)
class Sizes:
    scale: float
    forbund: int
    ideas: int
    measures: int
    participants: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        return cls(
            scale=scale,
            forbund=69,
            ideas=int(50_000 * scale),
            measures=int(10_000 * scale),
            participants=int(1_000_000 * scale),
        )

    def describe(self) -> str:
        return (
            f"{self.forbund} förbund, {self.ideas} ideas, {self.measures} measures, "
            f"{self.participants} participants, years {YEARS[0]}–{YEARS[-1]}"
        )


def build(sizes: Sizes) -> None:
    """Load the data set into the (migrated, empty) default database, then ANALYZE."""
    from django.db import connection, transaction

    from samsyn.followup.models import Participant
    from samsyn.parties.choices import OrganisationKind
    from samsyn.parties.models import Organisation, User
    from samsyn.parties.services import create_forbund
    from samsyn.pipeline.models import (
        Idea,
        IdeaParty,
        IdeaTransition,
        Measure,
        MeasureTransition,
        Need,
    )
    from samsyn.pipeline.steps import StopReason

    rng = random.Random(2026)
    with transaction.atomic():
        user = User.objects.create(username="bench")
        regions = list(Organisation.objects.filter(kind=OrganisationKind.REGION))
        kommuner: dict[str, list[Organisation]] = {}
        for k in Organisation.objects.filter(kind=OrganisationKind.KOMMUN):
            kommuner.setdefault(k.lan_code, []).append(k)
        forbund = []
        for i in range(sizes.forbund):
            region = regions[i % len(regions)]
            members = rng.sample(kommuner[region.code], min(3, len(kommuner[region.code])))
            forbund.append(create_forbund(f"Benchförbund {i + 1:02d}", [*members, region]))
        parties = {f.pk: list(f.members.all()) for f in forbund}

        n_needs = max(sizes.ideas // 2, 1)
        needs = Need.objects.bulk_create(
            Need(
                forbund=rng.choice(forbund),
                title=f"Behov {i}",
                target_group="Unga vuxna",
                identified_on=dt.date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28)),
                in_preparatory_structure=rng.random() < 0.95,
            )
            for i in range(n_needs)
        )
        stop_reasons = StopReason.values
        fates = [
            (["idea_designed"], 0.08),
            (["idea_designed", "owner_agreed", "application_drafted"], 0.07),
            (["stopped"], 0.10),
            (["idea_designed", "stopped"], 0.10),
            (["left_routine"], 0.05),
            (E_SUBMIT + ["rejected"], 0.15),
            (E_SUBMIT + ["granted", "running"], 0.20),
            (E_SUBMIT + ["granted", "running", "completed"], 0.25),
        ]
        idea_rows, idea_paths, party_rows = [], [], []
        for i in range(sizes.ideas):
            need = needs[i % n_needs]
            path = rng.choices([f for f, _ in fates], [w for _, w in fates])[0]
            members = parties[need.forbund_id]
            owner = rng.choice(members)
            idea_rows.append(
                Idea(
                    need=need,
                    title=f"Idé {i}",
                    target_group="Unga vuxna",
                    step=path[-1],
                    owner=owner,
                    stop_reason=rng.choice(stop_reasons) if path[-1] == "stopped" else "",
                    left_routine_reason="target_group_outside_finsam"
                    if path[-1] == "left_routine"
                    else "",
                )
            )
            idea_paths.append(path)
        ideas = Idea.objects.bulk_create(idea_rows, batch_size=5000)
        transitions = []
        projects = []
        for idea, path in zip(ideas, idea_paths, strict=True):
            for other in rng.sample(parties[idea.need.forbund_id], 2):
                party_rows.append(IdeaParty(idea=idea, organisation=other, is_cofinancier=True))
            on = idea.need.identified_on
            step = "need_identified"
            for to_step in path:
                on += dt.timedelta(days=rng.randint(10, 90))
                transitions.append(
                    IdeaTransition(
                        idea=idea,
                        from_step=step,
                        to_step=to_step,
                        by=user,
                        forum="beredningsgrupp",
                        basis_date=on,
                    )
                )
                step = to_step
            if path[-1] in ("running", "completed"):
                projects.append(("idea", idea.pk, on))
        IdeaParty.objects.bulk_create(party_rows, batch_size=5000, ignore_conflicts=True)
        IdeaTransition.objects.bulk_create(transitions, batch_size=5000)

        m_fates = [
            (["measure_designed"], 0.15),
            (["measure_designed", "stopped"], 0.10),
            (F_DECIDE[:-1] + ["board_declined"], 0.10),
            (F_DECIDE + ["running"], 0.25),
            (F_DECIDE + ["running", "completed"], 0.40),
        ]
        m_rows, m_paths = [], []
        for i in range(sizes.measures):
            path = rng.choices([f for f, _ in m_fates], [w for _, w in m_fates])[0]
            m_rows.append(
                Measure(
                    need=needs[(i * 7) % n_needs],
                    title=f"Insats {i}",
                    target_group="Unga vuxna",
                    step=path[-1],
                    stop_reason=rng.choice(stop_reasons) if path[-1] == "stopped" else "",
                )
            )
            m_paths.append(path)
        measures = Measure.objects.bulk_create(m_rows, batch_size=5000)
        through = Measure.parties.through
        m_parties, m_transitions = [], []
        for measure, path in zip(measures, m_paths, strict=True):
            for other in rng.sample(parties[measure.need.forbund_id], 2):
                m_parties.append(through(measure_id=measure.pk, organisation_id=other.pk))
            on = measure.need.identified_on
            step = "need_identified"
            for to_step in path:
                on += dt.timedelta(days=rng.randint(10, 90))
                m_transitions.append(
                    MeasureTransition(
                        measure=measure,
                        from_step=step,
                        to_step=to_step,
                        by=user,
                        forum="styrelse",
                        basis_date=on,
                    )
                )
                step = to_step
            if path[-1] in ("running", "completed"):
                projects.append(("measure", measure.pk, on))
        through.objects.bulk_create(m_parties, batch_size=5000, ignore_conflicts=True)
        MeasureTransition.objects.bulk_create(m_transitions, batch_size=5000)

        # Participants: raw executemany, the fastest portable insert.
        fields = [f for f in Participant._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO followup_participant ({columns}) VALUES ({placeholders})"
        genders = ["woman"] * 5 + ["man"] * 4 + ["non_binary"]
        ages = ["under_18", "age_18_29", "age_18_29", "age_30_54", "age_30_54", "age_55_plus"]
        statuses = ["unemployed", "long_term_unemployed", "inactive", "employed"]
        educations = ["isced_0_2", "isced_3_4", "isced_5_8", ""]
        answers = ["yes", "no", "no", "no", "declined", ""]
        now = dt.datetime.now(dt.UTC)

        def participant_rows():
            for i in range(sizes.participants):
                kind, pk, running_on = projects[i % len(projects)]
                start = running_on + dt.timedelta(days=rng.randint(0, 200))
                employed = rng.random() < 0.45
                values = {
                    "idea_id": pk if kind == "idea" else None,
                    "measure_id": pk if kind == "measure" else None,
                    "code": f"D-{i:07d}",
                    "started_on": start,
                    "ended_on": start + dt.timedelta(days=rng.randint(20, 400)),
                    "gender": rng.choice(genders),
                    "age_band": rng.choice(ages),
                    "labour_status": rng.choice(statuses),
                    "education": rng.choice(educations),
                    "employed_on_leaving": employed,
                    "employed_in_target_sector": employed and rng.random() < 0.6,
                    "job_searching_on_leaving": not employed,
                    "pnr_hash": f"{i:064x}",
                    "pnr_encrypted": "placeholder",
                    "version": 1,
                    "created_at": now,
                }
                for name in SENSITIVE:
                    values[name] = rng.choice(answers)
                yield tuple(values.get(f.attname) for f in fields)

        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: PostgreSQL's bulk load
                with cursor.cursor.copy(
                    f"COPY followup_participant ({columns}) FROM STDIN"
                ) as copy:
                    for row in participant_rows():
                        copy.write_row(row)
            else:
                rows = participant_rows()
                while batch := list(itertools.islice(rows, 20_000)):
                    cursor.executemany(sql, batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


SENSITIVE = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless_or_housing_exclusion",
    "rural_area",
)
E_SUBMIT = ["idea_designed", "owner_agreed", "application_drafted", "parties_decided", "submitted"]
F_DECIDE = ["measure_designed", "responsibility_agreed", "board_decided"]
