"""A believable demo: Sjuhärads samordningsförbund with its parties, people and pipeline.

Everything is created through the same verbs the pages use, so the demo obeys R1–R9 and
every step has its transition and history. Förbund and member kommuner are real (see
samsyn/parties/data/forbund.csv); people, needs and ideas are invented.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from samsyn.parties.choices import OrganisationKind, Role
from samsyn.parties.models import Forbund, ForbundRole, Organisation, User
from samsyn.parties.services import add_group_member, create_forbund, create_group
from samsyn.pipeline import services
from samsyn.pipeline.models import Idea, Measure, Need
from samsyn.pipeline.steps import (
    IDEA_APPLICATION_STEPS,
    IDEA_MAIN_PATH,
    MEASURE_MAIN_PATH,
    Forum,
    IdeaStep,
    MeasureStep,
    StopReason,
)

DEMO_PASSWORD = "samsyn-demo-2026"
FORBUND_CSV = Path(__file__).resolve().parent.parent / "parties" / "data" / "forbund.csv"
SJUHARAD = "Sjuhärads samordningsförbund"
ALV_OCH_KUST = "Samordningsförbundet Älv och Kust"
VGR = "14"


def _kommun_codes(forbund_name: str) -> list[str]:
    with open(FORBUND_CSV, encoding="utf-8") as f:
        return [
            r["kommun_code_or_name"] for r in csv.DictReader(f) if r["forbund_name"] == forbund_name
        ]


def _org(kind: str, code: str = "") -> Organisation:
    return Organisation.objects.get(kind=kind, code=code)


def _user(username: str, full_name: str, organisation: Organisation | None, **extra) -> User:
    first, last = full_name.split(" ", 1)
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        organisation=organisation,
        email=f"{username}@demo.samsyn.local",
        **extra,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


DEMO_USERS = [
    # username, name, organisation key, förbund, role
    ("anna", "Anna Lindqvist", "forbund", SJUHARAD, Role.KANSLI),
    ("bertil", "Bertil Svensson", ("kommun", "1490"), SJUHARAD, Role.BEREDNING),
    ("cecilia", "Cecilia Holm", ("fk", ""), SJUHARAD, Role.BEREDNING),
    ("david", "David Nilsson", ("af", ""), SJUHARAD, Role.BEREDNING),
    ("eva", "Eva Karlsson", ("region", VGR), SJUHARAD, Role.BEREDNING),
    ("fredrik", "Fredrik Ek", ("kommun", "1491"), SJUHARAD, Role.READER),
    ("gunilla", "Gunilla Berg", "forbund", ALV_OCH_KUST, Role.KANSLI),
]


def demo_logins() -> list[tuple[str, str]]:
    labels = {
        "admin": "administratör (alla förbund och sidorna under Administration)",
        "anna": "förbundschef/kansli, Sjuhärad",
        "bertil": "beredningsgrupp, Borås stad",
        "cecilia": "beredningsgrupp, Försäkringskassan",
        "david": "beredningsgrupp, Arbetsförmedlingen",
        "eva": "beredningsgrupp, Västra Götalandsregionen",
        "fredrik": "läsare, Ulricehamns kommun",
        "gunilla": "kansli i ett annat förbund (Älv och Kust): ser inget av Sjuhärad",
    }
    return list(labels.items())


# The story runs over about two years and ends this many days before the day it is loaded,
# so nothing is decided in the future and the meetings demo (two weeks ago and coming)
# can move ideas on from where this leaves them.
STORY_DAYS = 730
STORY_ENDS_DAYS_AGO = 21


# Submitted, granted and rejected belong to an application (A9). The pipeline cannot make one
# (calls sits above it), so the calls app answers: it registers the function that takes an idea
# through an application to that step (samsyn.calls.demo.through_application).
ApplicationStepHandler = Callable[..., None]
_application_steps: list[ApplicationStepHandler] = []


def register_application_steps(handler: ApplicationStepHandler) -> None:
    _application_steps[:] = [handler]


class Demo:
    def __init__(self):
        self.today = timezone.localdate()
        self.day = self.today - dt.timedelta(days=STORY_DAYS)

    def next_day(self, days: int = 9) -> dt.date:
        self.day += dt.timedelta(days=days)
        return self.day

    def build(self) -> None:
        self.sjuharad = create_forbund(
            SJUHARAD, [*(_org("kommun", c) for c in _kommun_codes(SJUHARAD)), _org("region", VGR)]
        )
        self.alv = create_forbund(
            ALV_OCH_KUST,
            [*(_org("kommun", c) for c in _kommun_codes(ALV_OCH_KUST)), _org("region", VGR)],
        )
        forbund = {SJUHARAD: self.sjuharad, ALV_OCH_KUST: self.alv}
        self.users: dict[str, User] = {}
        for username, name, org_key, forbund_name, role in DEMO_USERS:
            f = forbund[forbund_name]
            org = f.organisation if org_key == "forbund" else _org(*org_key)
            self.users[username] = _user(username, name, org)
            ForbundRole.objects.create(user=self.users[username], forbund=f, role=role)
        self.users["admin"] = _user(
            "admin", "Admin Istratör", None, is_staff=True, is_superuser=True
        )
        self.boras = _org("kommun", "1490")
        self.mark = _org("kommun", "1463")
        self.ulricehamn = _org("kommun", "1491")
        self.vgr = _org("region", VGR)
        self.fk = _org("fk")
        self.af = _org("af")
        self.owner_user = {
            self.boras.pk: self.users["bertil"],
            self.fk.pk: self.users["cecilia"],
            self.af.pk: self.users["david"],
            self.vgr.pk: self.users["eva"],
        }
        # Sjuhärad prepares in one beredningsgrupp with a named representative per party;
        # Älv och Kust has none: there the förbundschef prepares with the parties.
        self.group = create_group(self.sjuharad, "Beredningsgruppen Sjuhärad")
        for username, org in (
            ("bertil", self.boras),
            ("cecilia", self.fk),
            ("david", self.af),
            ("eva", self.vgr),
        ):
            add_group_member(self.group, self.users[username], org)
        self.build_sjuharad()
        self.build_alv_och_kust()
        latest = self.today - dt.timedelta(days=STORY_ENDS_DAYS_AGO)
        if self.day > latest:  # a longer story needs a larger STORY_DAYS
            raise RuntimeError(f"Demons sista datum {self.day} ligger efter {latest}.")

    # Needs ---------------------------------------------------------------------------------

    def need(
        self, forbund: Forbund, title: str, target_group: str, description: str, finsam: bool = True
    ) -> Need:
        return services.record_need(
            forbund,
            by=self.users["anna"] if forbund == self.sjuharad else self.users["gunilla"],
            title=title,
            target_group=target_group,
            description=description,
            is_finsam_target_group=finsam,
            identified_on=self.next_day(),
            in_preparatory_structure=True,
            group=self.group if forbund == self.sjuharad else None,
        )

    # Track E -------------------------------------------------------------------------------

    def idea(
        self,
        need: Need,
        title: str,
        purpose: str,
        owner: Organisation | None,
        cofinanciers: list[Organisation],
        to: str,
        *,
        performers: tuple = (),
        stop_reason: str = "",
        stop_note: str = "",
        stop_at: str = "",
    ) -> Idea:
        by = self.users["anna"]
        idea = services.create_idea(
            need,
            by=by,
            title=title,
            purpose=purpose,
            goals="Fler i målgruppen ska efter insatsen arbeta, studera eller söka arbete.",
            implementation="Parterna bemannar gemensamt; projektet följs upp i beredningsgruppen.",
            owner=owner,
            no_other_owner=owner == self.fk,
        )
        parties = [owner, *cofinanciers] if owner else cofinanciers
        for org in parties:
            idea = Idea.objects.get(pk=idea.pk)
            services.set_idea_party(
                idea,
                org,
                by=by,
                expected_version=None,
                is_cofinancier=True,
                performs_rehabilitation=org in performers,
                representative=f"Företrädare för {org}",
                mandate=False,
            )
        target = stop_at or to
        if target in IDEA_MAIN_PATH:
            path = IDEA_MAIN_PATH[: IDEA_MAIN_PATH.index(target) + 1]
        elif target == IdeaStep.REJECTED:
            path = [*IDEA_MAIN_PATH[: IDEA_MAIN_PATH.index(IdeaStep.SUBMITTED) + 1], target]
        else:  # stopped or left the routine straight from the need
            path = [IdeaStep.NEED_IDENTIFIED]
        for step in path[1:]:
            idea = Idea.objects.get(pk=idea.pk)
            if step == IdeaStep.OWNER_AGREED:
                for party in idea.parties.select_related("organisation"):
                    services.set_idea_party(
                        idea,
                        party.organisation,
                        by=by,
                        expected_version=None,
                        is_cofinancier=party.is_cofinancier,
                        performs_rehabilitation=party.performs_rehabilitation,
                        representative=party.representative,
                        mandate=True,
                    )
            if step == IdeaStep.PARTIES_DECIDED:
                for n, party in enumerate(idea.parties.select_related("organisation"), start=1):
                    services.set_idea_party(
                        idea,
                        party.organisation,
                        by=by,
                        expected_version=None,
                        is_cofinancier=party.is_cofinancier,
                        performs_rehabilitation=party.performs_rehabilitation,
                        representative=party.representative,
                        mandate=True,
                        decision_date=self.day,
                        decision_reference=f"Dnr {self.day.year}/{100 + n}",
                    )
            if step == IdeaStep.SUBMITTED and idea.owner == self.fk:
                services.update_idea(
                    idea, by=by, expected_version=None, agreement_signed_on=self.day
                )
            actor = self.owner_user[idea.owner_id] if step == IdeaStep.SUBMITTED else by
            forum = {
                IdeaStep.PARTIES_DECIDED: Forum.PARTERNA,
                IdeaStep.SUBMITTED: Forum.PARTERNA,
                IdeaStep.GRANTED: Forum.ESF_RADET,
                IdeaStep.REJECTED: Forum.ESF_RADET,
                IdeaStep.RUNNING: Forum.PARTERNA,
                IdeaStep.COMPLETED: Forum.PARTERNA,
            }.get(step, Forum.BEREDNINGSGRUPP)
            if step in IDEA_APPLICATION_STEPS:
                if not _application_steps:
                    raise RuntimeError("samsyn.calls is not installed: no application steps.")
                _application_steps[0](
                    Idea.objects.get(pk=idea.pk),
                    step,
                    by=actor,
                    basis_date=self.next_day(),
                    note=_IDEA_NOTES.get(step, ""),
                )
                continue
            services.move_idea(
                Idea.objects.get(pk=idea.pk),
                step,
                by=actor,
                forum=forum,
                basis_date=self.next_day(),
                note=_IDEA_NOTES.get(step, ""),
            )
        if to in (IdeaStep.STOPPED, IdeaStep.LEFT_ROUTINE):
            services.move_idea(
                Idea.objects.get(pk=idea.pk),
                to,
                by=by,
                basis_date=self.next_day(),
                note=stop_note,
                stop_reason=stop_reason,
            )
        return Idea.objects.get(pk=idea.pk)

    # Track F -------------------------------------------------------------------------------

    def measure(
        self,
        need: Need,
        title: str,
        purpose: str,
        parties: list[Organisation],
        to: str,
        stop_reason: str = "",
        stop_note: str = "",
        stop_at: str = "",
    ) -> Measure:
        by = self.users["anna"]
        measure = services.create_measure(
            need,
            by=by,
            parties=parties,
            title=title,
            purpose=purpose,
            goals="Deltagarna ska närma sig arbete eller studier.",
            responsibilities="Kommunen ger lokaler och coacher, regionen hälso- och sjukvårdsstöd, "
            "AF och FK handläggare på plats en dag i veckan.",
        )
        target = stop_at or to
        if target in MEASURE_MAIN_PATH:
            path = MEASURE_MAIN_PATH[: MEASURE_MAIN_PATH.index(target) + 1]
        else:  # board_declined
            path = [*MEASURE_MAIN_PATH[:3], MeasureStep.BOARD_DECLINED]
        for step in path[1:]:
            board = step in (MeasureStep.BOARD_DECIDED, MeasureStep.BOARD_DECLINED)
            services.move_measure(
                Measure.objects.get(pk=measure.pk),
                step,
                by=by,
                forum=Forum.STYRELSE if board else Forum.BEREDNINGSGRUPP,
                basis_date=self.next_day(),
                note="Protokollfört." if board else "",
            )
        if to == MeasureStep.STOPPED:
            services.move_measure(
                Measure.objects.get(pk=measure.pk),
                to,
                by=by,
                basis_date=self.next_day(),
                stop_reason=stop_reason,
                note=stop_note,
            )
        return measure

    def build_sjuharad(self) -> None:
        f, E, F = self.sjuharad, IdeaStep, MeasureStep
        parties_all = [self.boras, self.vgr, self.af, self.fk]
        n1 = self.need(
            f,
            "Unga med aktivitetsersättning står långt från arbete",
            "Unga vuxna 19–29 år med aktivitetsersättning",
            "Kartlagt i beredningsgruppen: många saknar kontakt med både AF och vården.",
        )
        self.measure(
            n1,
            "Unga vuxna i rörelse",
            "Motivation och vardagsstruktur i grupp.",
            parties_all,
            F.RUNNING,
        )
        self.idea(
            n1,
            "Vägen vidare – unga med aktivitetsersättning",
            "Pröva en gemensam ingång för unga med aktivitetsersättning.",
            None,
            [],
            E.NEED_IDENTIFIED,
        )
        n2 = self.need(
            f,
            "Långtidssjukskrivna med psykisk ohälsa",
            "Personer sjukskrivna mer än ett år för psykisk ohälsa",
            "Behov av samordnad arbetslivsinriktad rehabilitering.",
        )
        self.measure(
            n2,
            "Samordnad rehabilitering Sjuhärad",
            "Teamstöd från vård och AF.",
            parties_all,
            F.BOARD_DECIDED,
        )
        self.idea(
            n2,
            "Hälsofrämjande arbetsträning",
            "Arbetsträning med hälsofokus.",
            self.boras,
            [self.vgr],
            E.IDEA_DESIGNED,
        )
        self.idea(
            n2,
            "Samordnad rehabilitering med Försäkringskassan som projektägare",
            "FK administrerar och samordnar; kommun och region rehabiliterar.",
            self.fk,
            [self.boras, self.vgr],
            E.PARTIES_DECIDED,
            performers=(self.boras, self.vgr),
        )
        n3 = self.need(
            f,
            "Utrikes födda kvinnor utan arbete",
            "Utrikes födda kvinnor 25–55 år med försörjningsstöd",
            "Låg sysselsättning; behov av språk i kombination med praktik.",
        )
        self.measure(
            n3,
            "Språkstöd på arbetsplatsen",
            "Språkstöd i praktiken.",
            [self.boras, self.af],
            F.MEASURE_DESIGNED,
        )
        self.idea(
            n3,
            "Språk och arbete",
            "Yrkessvenska och praktik inom vård och omsorg.",
            self.boras,
            [self.af, self.vgr],
            E.OWNER_AGREED,
        )
        self.idea(
            n3,
            "Steget in i vården",
            "Vägar till undersköterskejobb.",
            self.boras,
            [self.vgr, self.af],
            E.SUBMITTED,
        )
        n4 = self.need(
            f,
            "Personer i glesbygd når inte stödet",
            "Personer i behov av samordnad rehabilitering i Tranemo och Svenljunga",
            "Långa resor gör att stödet inte når fram.",
        )
        self.measure(
            n4,
            "Mobilt team i glesbygd",
            "Mobilt team.",
            [self.vgr, self.af, self.fk],
            F.RESPONSIBILITY_AGREED,
        )
        self.idea(
            n4,
            "Digital vägledning i glesbygd",
            "Digitala möten med hela teamet.",
            self.vgr,
            [self.boras],
            E.APPLICATION_DRAFTED,
        )
        n5 = self.need(
            f,
            "Arbetsgivare hittar inte personal med stödbehov",
            "Arbetssökande med funktionsnedsättning som står nära arbetsmarknaden",
            "Arbetsgivarna efterfrågar stöd vid anställning.",
        )
        self.measure(
            n5,
            "Arbetsgivarnätverk",
            "Nätverk för arbetsgivare.",
            [self.af, self.boras],
            F.BOARD_DECLINED,
        )
        self.idea(
            n5,
            "Arbetsgivarnära stöd Sjuhärad",
            "Matchning och stöd på arbetsplatsen.",
            self.af,
            [self.boras, self.vgr],
            E.GRANTED,
        )
        self.idea(
            n5,
            "Lots för unga 16–19",
            "Lotsning mellan skola, AF och vård.",
            self.vgr,
            [self.boras],
            E.REJECTED,
        )
        n6 = self.need(
            f,
            "Vård och omsorg saknar personal",
            "Arbetssökande med försörjningsstöd som vill arbeta i vård och omsorg",
            "Samma behov som Care-Vårda GR mötte: vägar in i vård och omsorg.",
        )
        self.idea(
            n6,
            "Care Sjuhärad – vård och omsorg",
            "Utbildning och praktik i vården.",
            self.boras,
            [self.vgr, self.af],
            E.RUNNING,
        )
        self.idea(
            n6,
            "Tidiga insatser vid sjukskrivning",
            "Tidigt stöd på arbetsplatsen.",
            self.af,
            [self.fk, self.vgr],
            E.COMPLETED,
        )
        self.measure(
            n6,
            "Introduktion till vården",
            "Kort introduktion.",
            [self.boras, self.vgr],
            F.COMPLETED,
        )
        n7 = self.need(
            f,
            "Föräldrar i ekonomisk utsatthet",
            "Föräldrar med långvarigt försörjningsstöd",
            "Barnfamiljer med långvarigt försörjningsstöd.",
        )
        self.idea(
            n7,
            "Familjecentral och arbete",
            "Arbetsinriktat stöd via familjecentralen.",
            self.boras,
            [self.vgr],
            E.STOPPED,
            stop_at=E.IDEA_DESIGNED,
            stop_reason=StopReason.NO_FITTING_CALL,
            stop_note=f"Ingen utlysning inom programområde C under {self.day.year}.",
        )
        self.idea(
            n7,
            "Ekonomisk vägledning för föräldrar",
            "Budgetrådgivning och jobbstöd.",
            self.boras,
            [self.vgr],
            E.STOPPED,
            stop_at=E.NEED_IDENTIFIED,
            stop_reason=StopReason.NO_OWNER,
            stop_note=f"Ingen part kunde ta ägarskapet under {self.day.year}.",
        )
        self.measure(
            n7,
            "Föräldrastöd i grupp",
            "Gruppverksamhet.",
            [self.boras],
            F.STOPPED,
            stop_at=F.MEASURE_DESIGNED,
            stop_reason=StopReason.NEED_MET_OTHERWISE,
            stop_note="Kommunens ordinarie verksamhet tar över.",
        )
        n8 = self.need(
            f,
            "Nyanlända barnfamiljer behöver fritid och språk",
            "Nyanlända barn 6–15 år och deras föräldrar",
            "Målgruppen är inte Finsams målgrupp.",
            finsam=False,
        )
        self.idea(
            n8,
            "Fritid och språk för nyanlända barn",
            "Läxhjälp och fritid.",
            None,
            [],
            E.LEFT_ROUTINE,
            stop_note="Dialogen fortsätter i kommunens integrationsnätverk.",
        )

        # Later demos (meetings, calls) move some of the ideas above along; these keep every
        # step of both tracks represented on the board.
        self.idea(
            n4,
            "Kompetenslyft för handledare",
            "Handledare på arbetsplatser utbildas.",
            self.mark,
            [self.af],
            E.OWNER_AGREED,
        )
        self.idea(
            n1,
            "Fritidsbank som arbetsträning",
            "Arbetsträning i kommunens fritidsbank.",
            self.ulricehamn,
            [],
            E.NEED_IDENTIFIED,
        )
        self.measure(
            n4,
            "Gemensam kartläggning i glesbygd",
            "Parterna kartlägger tillsammans.",
            [self.vgr, self.af],
            F.MEASURE_DESIGNED,
        )

        self.measure(
            n3,
            "Samtalsstöd på modersmål",
            "Samtalsstöd för kvinnor i målgruppen.",
            [self.boras, self.vgr],
            F.NEED_IDENTIFIED,
        )

    def build_alv_och_kust(self) -> None:
        n = self.need(
            self.alv,
            "Unga som varken arbetar eller studerar",
            "Unga 16–24 år som varken arbetar eller studerar",
            "Identifierat i Älv och Kusts beredningsgrupp.",
        )
        services.create_idea(n, by=self.users["gunilla"], title="Kustnära vägar till arbete")


_IDEA_NOTES = {
    IdeaStep.IDEA_DESIGNED: "Parterna har förankrat idén internt.",
    IdeaStep.OWNER_AGREED: "Alla företrädare hade mandat.",
    IdeaStep.PARTIES_DECIDED: "Alla medfinansiärer har fattat beslut.",
    IdeaStep.SUBMITTED: "Ansökan inskickad i ESF-rådets e-tjänst Projektrummet+.",
    IdeaStep.GRANTED: "ESF-rådet beviljade stöd.",
    IdeaStep.REJECTED: "ESF-rådet avslog: låg komplementaritet.",
}


def demo_exists() -> bool:
    return Organisation.objects.filter(kind=OrganisationKind.FORBUND, name=SJUHARAD).exists()


@transaction.atomic
def load_demo() -> None:
    Demo().build()
