"""Demo meetings, a regional network and a government assignment on top of the Sjuhärad demo.

Call `load_meetings_demo()` after `samsyn.pipeline.demo.load_demo()`. Everything goes through
the verbs, so the steps taken at the meetings have their transitions and links. Dates are
relative to today, so the calendar always has something coming. People and texts are invented;
the news items paraphrase the kind of items in a real network's minutes.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from samsyn.meetings import services
from samsyn.meetings.choices import MeetingKind, NewsKind
from samsyn.meetings.models import AgendaItem, Meeting, Network
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, User
from samsyn.pipeline.models import Idea, Measure
from samsyn.pipeline.steps import IdeaStep, MeasureStep

NETWORK = "Integrationsnätverket Sjuhärad"
SJUHARAD = "Sjuhärads samordningsförbund"


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _attend(meeting: Meeting, by: User, people: list[User]) -> None:
    for person in people:
        services.add_attendee(
            meeting,
            by=by,
            organisation=person.organisation,
            name=person.get_full_name(),
            user=person,
        )


def _minutes(item: AgendaItem, by: User, text: str) -> AgendaItem:
    return services.update_agenda_item(
        AgendaItem.objects.get(pk=item.pk), by=by, expected_version=None, minutes=text
    )


def _meeting(pk: int) -> Meeting:
    return Meeting.objects.get(pk=pk)


def demo_exists() -> bool:
    return Network.objects.filter(name=NETWORK).exists()


@transaction.atomic
def load_meetings_demo() -> None:
    if demo_exists():
        return
    forbund = Forbund.objects.get(organisation__name=SJUHARAD)
    users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    anna = users["anna"]
    team = [users[u] for u in ("anna", "bertil", "cecilia", "david", "eva")]
    _beredningsgrupp(forbund, anna, team)
    _board(forbund, anna, team)
    _coming(forbund, anna, team)
    _network(forbund, anna, users)


_USERNAMES = ("anna", "bertil", "cecilia", "david", "eva")


def _beredningsgrupp(forbund: Forbund, anna: User, team: list[User]) -> None:
    meeting = services.plan_meeting(
        by=anna,
        forbund=forbund,
        kind=MeetingKind.BEREDNINGSGRUPP,
        group=forbund.preparatory_groups.first(),
        title="Beredningsgruppens möte",
        starts_at=_at(-14, 9),
        ends_at=_at(-14, 11, 30),
        location="Förbundets kansli, Borås",
    )
    _attend(meeting, anna, team)
    intro = services.add_agenda_item(_meeting(meeting.pk), by=anna, title="Mötets öppnande")
    _minutes(intro, anna, "Anna Lindqvist hälsade välkommen. Dagordningen godkändes.")
    idea = Idea.objects.filter(
        need__forbund=forbund, step=IdeaStep.NEED_IDENTIFIED, owner__isnull=True
    ).first()
    if idea is not None:
        item = services.add_agenda_item(
            _meeting(meeting.pk),
            by=anna,
            title=f"Projektidé: {idea}",
            description="Beredningsgruppen diskuterar om idén är förankrad hos parterna.",
            need=idea.need,
            idea=idea,
        )
        _minutes(
            item,
            anna,
            "Idén presenterades. Parterna ser behovet; projektägare är ännu inte klar.",
        )
        services.record_step_from_item(
            AgendaItem.objects.get(pk=item.pk),
            by=anna,
            target="idea",
            to_step=IdeaStep.IDEA_DESIGNED,
            note="Idén är utformad och förankrad hos parterna.",
        )
    measure = Measure.objects.filter(
        need__forbund=forbund, step=MeasureStep.MEASURE_DESIGNED
    ).first()
    if measure is not None:
        item = services.add_agenda_item(
            _meeting(meeting.pk),
            by=anna,
            title=f"Finsam-insats: {measure}",
            need=measure.need,
            measure=measure,
        )
        _minutes(item, anna, "Parterna är överens om ansvarsfördelningen.")
        services.record_step_from_item(
            AgendaItem.objects.get(pk=item.pk),
            by=anna,
            target="measure",
            to_step=MeasureStep.RESPONSIBILITY_AGREED,
        )
    news = services.add_agenda_item(
        _meeting(meeting.pk),
        by=anna,
        title="Aktuellt hos parterna",
        description="Varje part berättar kort om läget.",
    )
    _minutes(
        news,
        anna,
        "Försäkringskassan och Borås stad ser fler långtidssjukskrivna med psykisk ohälsa "
        "som saknar kontakt med arbetsgivaren. Beredningsgruppen ser ett behov.",
    )
    services.record_need_from_item(
        AgendaItem.objects.get(pk=news.pk),
        by=anna,
        title="Långtidssjukskrivna med psykisk ohälsa utan kontakt med arbetsgivaren",
        target_group="Sjukskrivna 25–64 år med psykisk ohälsa, mer än 180 dagar",
        description="Lyft av Försäkringskassan och Borås stad vid beredningsgruppens möte.",
        is_finsam_target_group=True,
    )


def _board(forbund: Forbund, anna: User, team: list[User]) -> None:
    meeting = services.plan_meeting(
        by=anna,
        forbund=forbund,
        kind=MeetingKind.STYRELSE,
        title="Styrelsemöte",
        starts_at=_at(-7, 13),
        ends_at=_at(-7, 15),
        location="Borås stadshus",
    )
    _attend(meeting, anna, team[:1])
    for org_kind, name in ((OrganisationKind.REGION, "Ordförande Region"),):
        org = forbund.members.filter(kind=org_kind).first()
        services.add_attendee(_meeting(meeting.pk), by=anna, organisation=org, name=name)
    opening = services.add_agenda_item(_meeting(meeting.pk), by=anna, title="Mötets öppnande")
    _minutes(opening, anna, "Ordföranden öppnade mötet.")
    measure = Measure.objects.filter(
        need__forbund=forbund, step=MeasureStep.RESPONSIBILITY_AGREED
    ).first()
    if measure is not None:
        item = services.add_agenda_item(
            _meeting(meeting.pk),
            by=anna,
            title=f"Beslut om finansiering: {measure}",
            description="Beredningsgruppen föreslår att styrelsen finansierar insatsen.",
            measure=measure,
        )
        _minutes(item, anna, "Styrelsen beslutade enligt beredningsgruppens förslag.")
        services.record_step_from_item(
            AgendaItem.objects.get(pk=item.pk),
            by=anna,
            target="measure",
            to_step=MeasureStep.BOARD_DECIDED,
            note="Finansiering beviljad för ett år.",
        )
    services.approve_minutes(
        _meeting(meeting.pk), by=anna, adjusters="Eva Karlsson, Bertil Svensson"
    )


def _coming(forbund: Forbund, anna: User, team: list[User]) -> None:
    meeting = services.plan_meeting(
        by=anna,
        forbund=forbund,
        kind=MeetingKind.BEREDNINGSGRUPP,
        group=forbund.preparatory_groups.first(),
        title="Beredningsgruppens möte",
        starts_at=_at(10, 9),
        ends_at=_at(10, 11, 30),
        location="Förbundets kansli, Borås (och video)",
    )
    _attend(meeting, anna, team)
    for title in ("Mötets öppnande", "Aktuellt hos parterna", "Nya behov", "Övriga frågor"):
        services.add_agenda_item(_meeting(meeting.pk), by=anna, title=title)


def _network(forbund: Forbund, anna: User, users: dict[str, User]) -> None:
    members = [
        *forbund.members.filter(kind__in=[OrganisationKind.KOMMUN, OrganisationKind.REGION]),
        Organisation.objects.get(kind=OrganisationKind.AF),
    ]
    network = services.create_network(
        NETWORK,
        by=anna,
        members=members,
        coordinators=[anna],
        description="Kommunernas integrationsansvariga, regionen och Arbetsförmedlingen i "
        "Sjuhärad delar omvärldsbevakning och erfarenheter.",
    )
    meeting = services.plan_meeting(
        by=anna,
        network=network,
        kind=MeetingKind.NATVERK,
        title="Nätverksträff",
        starts_at=_at(-21, 13),
        ends_at=_at(-21, 16),
        location="Digitalt",
    )
    _attend(meeting, anna, [users["anna"], users["bertil"], users["david"], users["eva"]])
    for title, text in (
        ("Inledning", "Alla hälsades välkomna och dagordningen gicks igenom."),
        (
            "Aktuellt i respektive kommun",
            "Några kommuner har haft ett jämnt inflöde av anvisningar, andra få. Flera ser "
            "behov av att se över insatserna för skyddsbehövande enligt massflyktsdirektivet.",
        ),
        (
            "Omvärldsbevakning",
            "Länsstyrelsen presenterade nationella och regionala nyheter; Arbetsförmedlingen "
            "och Migrationsverket berättade om läget.",
        ),
    ):
        item = services.add_agenda_item(_meeting(meeting.pk), by=anna, title=title)
        _minutes(item, anna, text)
    services.approve_minutes(_meeting(meeting.pk), by=anna, adjusters="Bertil Svensson")
    services.plan_meeting(
        by=anna,
        network=network,
        kind=MeetingKind.NATVERK,
        title="Nätverksträff",
        starts_at=_at(35, 13),
        ends_at=_at(35, 16),
        location="Ulricehamn",
    )
    today = timezone.localdate()
    for days, source, kind, title, summary in (
        (
            -20,
            "Länsstyrelsen Västra Götaland",
            NewsKind.NEWS,
            "Komvux i svenska som andraspråk för skyddsbehövande",
            "Kommunerna får erbjuda svenska som andraspråk inom Komvux till skyddsbehövande "
            "enligt massflyktsdirektivet, utöver sfi.",
        ),
        (
            -12,
            "Migrationsverket",
            NewsKind.NEWS,
            "Förslag till kommuntal för nyanlända",
            "Kommunerna kan lämna synpunkter på förslaget till kommuntal via Länsstyrelsen.",
        ),
        (
            -5,
            "Arbetsförmedlingen",
            NewsKind.NEWS,
            "Etableringsprogrammet: ändrade rutiner för anvisning",
            "Arbetsförmedlingen informerar om ändrade rutiner vid anvisning till insatser.",
        ),
        (
            -3,
            "Svenska ESF-rådet",
            NewsKind.NEWS,
            "Ny utlysning inom ESF+ för personer långt från arbetsmarknaden",
            "Utlysningen öppnar i höst; förbundets beredningsgrupp följer den.",
        ),
        (
            -2,
            "Borås stad",
            NewsKind.PROJECT,
            "Hälsoinsatser för skyddsbehövande",
            "Projekt med medel från Länsstyrelsen; nätverket följer resultaten.",
        ),
    ):
        services.share_news(
            network,
            by=anna,
            kind=kind,
            title=title,
            source=source,
            published_on=today + dt.timedelta(days=days),
            summary=summary,
        )
    services.share_event(
        network,
        by=anna,
        title="Digitalt erfarenhetsutbyte om mottagandet",
        starts_at=_at(18, 13),
        ends_at=_at(18, 16),
        place="Digitalt (samordnaren skickar en länk)",
        description="Kommuner i landet delar erfarenheter av mottagandet av skyddsbehövande.",
    )
    services.track_assignment(
        by=anna,
        network=network,
        title="Stärkt stöd till socialtjänsten i mötet med utsatta EU-medborgare",
        assigned_agency="Socialstyrelsen",
        partners="Länsstyrelsen i Stockholms län\nPolismyndigheten\nKronofogdemyndigheten\n"
        "Berörda kommuner\nSveriges Kommuner och Regioner",
        budget_cap=500000,
        decided_on=today - dt.timedelta(days=200),
        reporting_deadline=today + dt.timedelta(days=21),
        description="Utarbeta ett stöd för socialtjänstens arbete i mötet med utsatta "
        "EU-medborgare (demodata efter ett pressmeddelande från Socialdepartementet).",
    )
    services.subscribe(network, user=users["bertil"])
