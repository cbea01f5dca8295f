"""Demo data for calls, applications and prioritisation, on top of pipeline's Sjuhärad demo.

`load_calls_demo()` is called at the end of samsyn.pipeline.demo.load_demo. Everything goes
through the verbs, so the demo obeys the rules: calls in Västsverige (SE23) and national
ones, the Försäkringskassan idea's application left as a draft at parties_decided (R4 still
blocks it: no överenskommelse yet), "Språk och arbete" submitted, and three approved
applications in the regional call scored by two reviewers, one of whom declares jäv.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from samsyn.calls import services
from samsyn.calls.choices import CallPhase, CallsRoleKind, DecisionLevel
from samsyn.calls.models import (
    Call,
    CallsRole,
    ProgrammeArea,
    RegionalPlan,
    ThematicArea,
)
from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.models import Forbund, ForbundRole, Organisation, User
from samsyn.pipeline import services as pipeline
from samsyn.pipeline.demo import DEMO_PASSWORD
from samsyn.pipeline.models import Idea
from samsyn.pipeline.steps import Forum, IdeaStep

CALLS_LOGINS = [
    ("sara", "EU-strateg, Västra Götalandsregionen: förvaltar utlysningsplanen för Västsverige"),
    ("nils", "Svenska ESF-rådet: förvaltar de nationella utlysningarna"),
    ("rebecka", "bereder strukturfondspartnerskapets prioritering i Västsverige"),
    ("tore", "bereder prioriteringen i Västsverige; anställd i Borås stad (jäv)"),
]


def _user(username: str, name: str, organisation: Organisation | None) -> User:
    first, last = name.split(" ", 1)
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "organisation": organisation,
            "email": f"{username}@demo.samsyn.local",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _area(code: str, period: str = "2021-2027") -> ProgrammeArea:
    return ProgrammeArea.objects.get(code=code, period__code=period)


def _themes(*codes: str) -> list[ThematicArea]:
    return list(ThematicArea.objects.filter(code__in=codes))


def _org(kind: str, code: str = "") -> Organisation:
    return Organisation.objects.get(kind=kind, code=code)


class CallsDemo:
    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.se23 = RegionalPlan.objects.get(nuts2_code="SE23")
        self.vgr = _org(OrganisationKind.REGION, "14")
        self.boras = _org(OrganisationKind.KOMMUN, "1490")
        self.ulricehamn = _org(OrganisationKind.KOMMUN, "1491")
        self.kungalv = _org(OrganisationKind.KOMMUN, "1482")
        self.sjuharad = Forbund.objects.get(organisation__name="Sjuhärads samordningsförbund")
        self.alv = Forbund.objects.get(organisation__name="Samordningsförbundet Älv och Kust")
        self.anna = User.objects.get(username="anna")
        self.bertil = User.objects.get(username="bertil")

    def days(self, n: int) -> dt.date:
        return self.today + dt.timedelta(days=n)

    def build(self) -> None:
        self.people()
        self.calls()
        self.applications()

    def people(self) -> None:
        esf = Organisation.objects.filter(kind=OrganisationKind.ESF).first()
        self.sara = _user("sara", "Sara Ström", self.vgr)
        self.nils = _user("nils", "Nils Ek", esf)
        self.rebecka = _user("rebecka", "Rebecka Lund", self.vgr)
        self.tore = _user("tore", "Tore Berg", self.boras)
        for user, role, plan in (
            (self.sara, CallsRoleKind.CALL_MANAGER, self.se23),
            (self.nils, CallsRoleKind.CALL_MANAGER, None),
            (self.rebecka, CallsRoleKind.REVIEWER, self.se23),
            (self.tore, CallsRoleKind.REVIEWER, self.se23),
        ):
            CallsRole.objects.get_or_create(user=user, role=role, regional_plan=plan)
        # Owners' representatives who submit (R7): Ulricehamn and Kungälv.
        self.ulla = _user("ulla", "Ulla Vik", self.ulricehamn)
        ForbundRole.objects.get_or_create(
            user=self.ulla, forbund=self.sjuharad, defaults={"role": Role.BEREDNING}
        )
        self.karl = _user("karl", "Karl Strand", self.kungalv)
        ForbundRole.objects.get_or_create(
            user=self.karl, forbund=self.alv, defaults={"role": Role.BEREDNING}
        )

    def call(self, by: User, phase: str = CallPhase.ANSOKAN, **data) -> Call:
        data.setdefault("period", _area("A").period)
        call = services.create_call(by=by, **data)
        Call.objects.filter(pk=call.pk).update(phase=phase)  # the cycle before Samsyn
        call.refresh_from_db()
        return call

    def calls(self) -> None:
        self.regional = self.call(
            self.sara,
            title="Vägar tillbaka till arbete i Västsverige",
            description=(
                "Regional utlysning för personer som står långt från arbetsmarknaden: "
                "långtidssjukskrivna, personer med aktivitetsersättning och andra som behöver "
                "samordnad rehabilitering och arbetsträning för att återgå i arbete eller "
                "studier. Projekten ska bygga på samverkan mellan kommuner, region, "
                "Arbetsförmedlingen och Försäkringskassan."
            ),
            programme_area=_area("A"),
            thematic_areas=_themes("aterintrade", "etablering"),
            decision_level=DecisionLevel.REGIONAL,
            regional_plan=self.se23,
            budget_sek=12_000_000,
            min_participant_age=16,
            opens_on=self.days(-30),
            closes_on=self.days(45),
        )
        services.set_principle(
            self.regional,
            "P2",
            by=self.sara,
            name=self.regional.principles.get(code="P2").name,
            weight=2,
        )
        self.call(
            self.nils,
            title="Social innovation för etablering och återinträde",
            description=(
                "Nationell utlysning om nya lösningar för unga och utrikes födda som vill "
                "etablera sig på arbetsmarknaden och för sjukskrivna som vill återgå i arbete."
            ),
            programme_area=_area("E"),
            thematic_areas=_themes("etablering", "aterintrade"),
            decision_level=DecisionLevel.NATIONAL,
            regional_plan=None,
            budget_sek=40_000_000,
            min_participant_age=15,
            opens_on=self.days(20),
            closes_on=self.days(110),
            phase=CallPhase.MOBILISERING,
        )
        self.call(
            self.nils,
            title="Minska ekonomisk utsatthet bland barnfamiljer",
            description="Insatser för barn från sex år och föräldrar med försörjningsstöd.",
            programme_area=_area("C"),
            thematic_areas=_themes("ekonomisk_utsatthet"),
            decision_level=DecisionLevel.NATIONAL,
            regional_plan=None,
            budget_sek=25_000_000,
            min_participant_age=6,
            opens_on=self.days(-10),
            closes_on=self.days(20),
        )
        self.call(
            self.nils,
            title="Kapacitet i den glesa geografin – Övre Norrland",
            description="Kompetensförsörjning och samverkan i glesbygd.",
            programme_area=_area("D"),
            thematic_areas=[],
            decision_level=DecisionLevel.REGIONAL,
            regional_plan=RegionalPlan.objects.get(nuts2_code="SE33"),
            budget_sek=15_000_000,
            min_participant_age=16,
            opens_on=self.days(-5),
            closes_on=self.days(60),
        )
        closed = self.call(
            self.sara,
            title="Kompetens för anställda i Västsverige 2024",
            description="Kompetensutveckling för anställda inom vård och omsorg.",
            programme_area=_area("A"),
            thematic_areas=_themes("stabil"),
            decision_level=DecisionLevel.REGIONAL,
            regional_plan=self.se23,
            budget_sek=8_000_000,
            min_participant_age=18,
            opens_on=dt.date(2024, 2, 1),
            closes_on=dt.date(2024, 5, 31),
            phase=CallPhase.PRIORITERING,
        )
        services.record_lessons(
            closed,
            "Små kommuner hann inte mobilisera: nästa utlysning öppnar tidigare och "
            "förbunden bjuds in till informationsmöten redan under behovsanalysen.",
            by=self.sara,
            expected_version=None,
        )
        self.call(
            self.nils,
            title="CARE – insatser för personer som flytt från Ukraina",
            description="Löpande ansökan enligt förordning (EU) 2022/562.",
            period=_area("CARE", "2014-2020").period,
            programme_area=_area("CARE", "2014-2020"),
            thematic_areas=_themes("etablering"),
            decision_level=DecisionLevel.NATIONAL,
            regional_plan=None,
            budget_sek=885_000_000,
            min_participant_age=16,
            opens_on=dt.date(2022, 6, 1),
            closes_on=dt.date(2023, 9, 30),
            rolling=True,
            phase=CallPhase.LARANDE,
        )

    # Applications ---------------------------------------------------------------------------

    def agreed_idea(
        self,
        forbund: Forbund,
        by: User,
        title: str,
        target_group: str,
        purpose: str,
        owner: Organisation,
        cofinanciers: list[Organisation],
    ) -> Idea:
        need = pipeline.record_need(
            forbund,
            by=by,
            title=f"Behov: {title}",
            target_group=target_group,
            description=purpose,
            is_finsam_target_group=True,
            identified_on=self.days(-120),
            in_preparatory_structure=True,
        )
        idea = pipeline.create_idea(
            need,
            by=by,
            title=title,
            purpose=purpose,
            target_group=target_group,
            owner=owner,
            goals="Fler deltagare arbetar eller studerar efter projektet.",
        )
        for org in (owner, *cofinanciers):
            self.party(idea, org, by)
        for step in (IdeaStep.IDEA_DESIGNED, IdeaStep.OWNER_AGREED):
            pipeline.move_idea(
                Idea.objects.get(pk=idea.pk),
                step,
                by=by,
                forum=Forum.BEREDNINGSGRUPP,
                basis_date=self.days(-100),
            )
        return Idea.objects.get(pk=idea.pk)

    def party(self, idea: Idea, org: Organisation, by: User) -> None:
        pipeline.set_idea_party(
            Idea.objects.get(pk=idea.pk),
            org,
            by=by,
            expected_version=None,
            is_cofinancier=True,
            representative=f"Företrädare för {org}",
            mandate=True,
            decision_date=self.days(-40),
            decision_reference=f"Dnr {self.today.year}/{org.pk}",
        )

    def application(self, idea: Idea, by: User, eu: int, cofinancing: dict[Organisation, int]):
        total = eu + sum(cofinancing.values())
        app = services.draft_application(idea, self.regional, by=by)
        start = dt.date(self.today.year + 1, 1, 1)
        app = services.update_application(
            app,
            by=by,
            expected_version=None,
            starts_on=start,
            ends_on=dt.date(min(start.year + 1, 2027), 12, 31),
            eu_share_sek=eu,
            project_manager="Projektledare utses",
            controller="Ekonom på projektägaren",
            administrator="Administratör på projektägaren",
        )
        # 70 % personnel, the rest indirect costs, split evenly over the project's years.
        years = list(range(start.year, app.ends_on.year + 1))
        lines: dict[tuple[int, str], int] = {}
        personnel = total * 7 // 10
        for category, amount in (("personnel", personnel), ("indirect", total - personnel)):
            for i, year in enumerate(years):
                share = amount // len(years) + (1 if i < amount % len(years) else 0)
                lines[(year, category)] = share
        for (year, category), amount in lines.items():
            services.set_budget_line(app, year, category, amount, by=by, expected_version=None)
        for org, amount in cofinancing.items():
            services.set_cofinancing(app, org, amount, by=by, expected_version=None)
        app.refresh_from_db()
        return app

    def applications(self) -> None:
        fk = _org(OrganisationKind.FK)
        # The FK-owned idea stands at parties_decided: a draft application, R4 still blocks.
        fk_idea = Idea.objects.filter(owner=fk, step=IdeaStep.PARTIES_DECIDED).first()
        if fk_idea is not None:
            cecilia = User.objects.get(username="cecilia")
            self.application(
                fk_idea,
                cecilia,
                2_400_000,
                {fk: 1_200_000, self.boras: 1_200_000, self.vgr: 1_200_000},
            )
        # "Språk och arbete" (owner_agreed): co-financiers decide, the application goes in.
        sprak = Idea.objects.filter(title="Språk och arbete").first()
        if sprak is not None:
            for party in sprak.parties.select_related("organisation"):
                self.party(sprak, party.organisation, self.anna)
            parties = [p.organisation for p in sprak.parties.select_related("organisation")]
            app = self.application(
                Idea.objects.get(pk=sprak.pk),
                self.bertil,
                3_000_000,
                {org: 1_500_000 for org in parties},
            )
            services.submit_application(app, by=self.bertil, expected_version=None)

        # Three approved applications, scored for the partnership's prioritisation.
        approved = [
            (
                self.sjuharad,
                self.bertil,
                "Arbetsträning med stöd i Borås",
                "Personer 20–64 år sjukskrivna mer än ett år",
                "Arbetsträning och samordnad rehabilitering för långtidssjukskrivna i Borås.",
                self.boras,
                5_000_000,
            ),
            (
                self.sjuharad,
                self.ulla,
                "Hälsa och arbete i Ulricehamn",
                "Personer 25–64 år med aktivitetsersättning eller långvarig sjukskrivning",
                "Hälsofrämjande arbetsträning och återgång i arbete i samverkan med vården.",
                self.ulricehamn,
                4_000_000,
            ),
            (
                self.alv,
                self.karl,
                "Vägar till jobb i Kungälv",
                "Unga vuxna 19–29 år långt från arbetsmarknaden",
                "Etablering genom praktik och studier för unga vuxna med ohälsa.",
                self.kungalv,
                4_500_000,
            ),
        ]
        self.approved = []
        for forbund, rep, title, target_group, purpose, owner, eu in approved:
            kansli = self.anna if forbund == self.sjuharad else User.objects.get(username="gunilla")
            idea = self.agreed_idea(
                forbund, kansli, title, target_group, purpose, owner, [self.vgr]
            )
            app = self.application(idea, rep, eu, {owner: eu * 3 // 4, self.vgr: eu * 3 // 4})
            app = services.submit_application(
                app, by=rep, expected_version=None, submitted_on=self.today
            )
            app = services.decide_application(
                app, by=rep, granted=True, amount_sek=eu, decided_on=self.today
            )
            self.approved.append(app)
        self.score()

    def score(self) -> None:
        boras_app, ulricehamn_app, kungalv_app = self.approved
        s = {
            # reviewer → application → P1..P5 scores
            "rebecka": {
                boras_app: [4, 3, 3, 2, 3],
                ulricehamn_app: [3, 2, 4, 2, 2],
                kungalv_app: [2, 4, 3, 3, 1],
            },
            "tore": {ulricehamn_app: [3, 4, 3, 2, 2], kungalv_app: [4, 2, 3, 3, 1]},
        }
        reviewers = {"rebecka": self.rebecka, "tore": self.tore}
        services.declare_jav(
            boras_app,
            reviewer=self.tore,
            disqualified=True,
            reason="Anställd i Borås stad, som är projektägare.",
        )
        for name, apps in s.items():
            for app, values in apps.items():
                services.declare_jav(app, reviewer=reviewers[name], disqualified=False)
                services.score_application(
                    app,
                    reviewer=reviewers[name],
                    scores={f"P{i}": (v, MOTIVATIONS[v]) for i, v in enumerate(values, start=1)},
                )


MOTIVATIONS = {
    0: "Inget i ansökan visar detta.",
    1: "Nämns, men utan konkreta åtaganden.",
    2: "Delvis: några parter har åtagit sig, planen är vag.",
    3: "Tydligt beskrivet med ansvar och tidplan.",
    4: "Mycket starkt: beslut hos alla parter och plan för implementering.",
}


@transaction.atomic
def load_calls_demo() -> None:
    """Calls, applications and a prioritisation on the Sjuhärad demo (idempotent)."""
    if Call.objects.exists():
        return
    CallsDemo().build()
