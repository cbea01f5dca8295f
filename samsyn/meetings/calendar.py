"""Coming meetings, events and deadlines: one list for the page and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from samsyn.calls.models import Call
from samsyn.meetings.access import visible_assignments, visible_events, visible_meetings
from samsyn.meetings.choices import AssignmentStatus
from samsyn.parties.models import Forbund, Organisation, User

PAST_DAYS = 30  # the feed keeps the last month, so a calendar client does not drop them at once


@dataclass(frozen=True)
class Entry:
    uid: str
    kind: str
    title: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None
    where: str
    owner: str
    path: str
    description: str = ""

    @property
    def is_deadline(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.start, dt.datetime):
            return self.start
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time(23, 59)))


def day_start(day: dt.date) -> dt.datetime:
    """Midnight of the day in Swedish time. Filter `starts_at__gte=day_start(d)`, not
    `starts_at__date__gte=d`: the latter converts every stored value in SQL, and one that
    cannot be converted (year 10000 in Swedish time) fails the whole query on SQLite."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(user: User, since: dt.date) -> list[Entry]:
    start = day_start(since)
    result: list[Entry] = []
    for m in visible_meetings(user).filter(starts_at__gte=start):
        result.append(
            Entry(
                uid=f"meeting-{m.pk}@samsyn",
                kind=m.get_kind_display(),
                title=m.title,
                start=m.starts_at,
                end=m.ends_at,
                where=", ".join(p for p in (m.location, m.video_url) if p),
                owner=str(m.owner),
                path=reverse("meeting", args=[m.pk]),
            )
        )
    for e in visible_events(user).filter(starts_at__gte=start):
        result.append(
            Entry(
                uid=f"event-{e.pk}@samsyn",
                kind="Evenemang",
                title=e.title,
                start=e.starts_at,
                end=e.ends_at,
                where=", ".join(p for p in (e.place, e.url) if p),
                owner=str(e.network),
                path=reverse("network", args=[e.network_id]),
                description=e.description,
            )
        )
    assignments = visible_assignments(user).filter(reporting_deadline__gte=since)
    for a in assignments.exclude(status=AssignmentStatus.CLOSED):
        result.append(
            Entry(
                uid=f"assignment-{a.pk}@samsyn",
                kind="Redovisning av regeringsuppdrag",
                title=f"Redovisning: {a.title}",
                start=a.reporting_deadline,
                end=None,
                where="",
                owner=str(a.owner),
                path=reverse("assignment", args=[a.pk]),
                description=f"{a.assigned_agency} redovisar uppdraget.",
            )
        )
    for c in _calls(user).filter(closes_on__gte=since):
        result.append(
            Entry(
                uid=f"call-{c.pk}@samsyn",
                kind="Utlysningen stänger",
                title=f"Utlysningen stänger: {c.title}",
                start=c.closes_on,
                end=None,
                where="",
                owner=c.region_name,
                path=reverse("call", args=[c.pk]),
            )
        )
    return sorted(result, key=lambda e: e.sort_key)


def _calls(user: User):
    """National calls and the calls of the regions the user's förbund work in."""
    regions = set(
        Organisation.objects.filter(forbund_memberships__in=Forbund.objects.visible_to(user))
        .exclude(nuts2_code="")
        .values_list("nuts2_code", flat=True)
    )
    return (
        Call.objects.visible_to(user)
        .filter(Q(regional_plan__isnull=True) | Q(regional_plan__nuts2_code__in=regions))
        .select_related("regional_plan")
    )


def ics(user: User) -> bytes:
    from icalendar import Calendar, Event

    base = settings.SAMSYN_BASE_URL.rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//Samsyn//Möten och uppdrag//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Samsyn")
    stamp = timezone.now()
    for entry in entries(user, timezone.localdate() - dt.timedelta(days=PAST_DAYS)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        if entry.is_deadline:
            event.add("dtstart", entry.start)
            event.add("dtend", entry.start + dt.timedelta(days=1))
        else:
            event.add("dtstart", entry.start)
            event.add("dtend", entry.end or entry.start + dt.timedelta(hours=1))
        if entry.where:
            event.add("location", entry.where)
        description = "\n".join(p for p in (entry.kind, entry.owner, entry.description) if p)
        event.add("description", description)
        event.add("url", base + entry.path)
        cal.add_component(event)
    return cal.to_ical()
