"""E-mail runs here, as background tasks (django-tasks), never inside a request.

Access is checked again when a task runs, not when it was queued: a recipient is whoever
may see the record at that moment (`may_receive`), and a digest shows each recipient only
what that recipient may see. A role removed or an account deactivated in between stops
the mail.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from samsyn.meetings.access import (
    visible_assignments,
    visible_events,
    visible_meetings,
    visible_news,
)
from samsyn.meetings.calendar import day_start
from samsyn.meetings.models import Meeting, Network
from samsyn.parties.models import User


def _link(path: str) -> str:
    return settings.SAMSYN_BASE_URL.rstrip("/") + path


def may_receive(user: User, meeting: Meeting) -> bool:
    """Whether the meeting's mail may go to this person now: the same rule as its page."""
    return bool(user.email) and visible_meetings(user).filter(pk=meeting.pk).exists()


def _recipients(meeting: Meeting) -> list[str]:
    users = User.objects.filter(meeting_attendances__meeting=meeting).distinct()
    return sorted({u.email for u in users if may_receive(u, meeting)})


def _meeting_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "owner": meeting.owner,
        "items": meeting.agenda_items.prefetch_related("decisions"),
        "attendees": meeting.attendees.select_related("organisation"),
        "link": _link(reverse("meeting", args=[meeting.pk])),
    }


@task()
def send_agenda(meeting_id: int) -> int:
    """The agenda to every attendee with an account; returns the number of messages."""
    meeting = Meeting.objects.select_related("forbund__organisation", "network").get(pk=meeting_id)
    recipients = _recipients(meeting)
    body = render_to_string("meetings/email/agenda.txt", _meeting_context(meeting))
    subject = f"Dagordning: {meeting}"
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return send_mass_mail(messages, fail_silently=False)


@task()
def send_minutes(meeting_id: int) -> int:
    """The approved minutes, with the PDF attached, to every attendee with an account."""
    from samsyn.meetings.documents import minutes_pdf

    meeting = Meeting.objects.select_related("forbund__organisation", "network", "approved_by").get(
        pk=meeting_id
    )
    if not meeting.is_approved:
        return 0
    body = render_to_string("meetings/email/minutes.txt", _meeting_context(meeting))
    pdf = minutes_pdf(meeting)
    sent = 0
    for to in _recipients(meeting):
        message = EmailMessage(
            f"Justerat protokoll: {meeting}", body, settings.DEFAULT_FROM_EMAIL, [to]
        )
        message.attach(f"protokoll-{meeting.pk}.pdf", pdf, "application/pdf")
        sent += message.send()
    return sent


def digest_context(network: Network, today: dt.date, user: User) -> dict:
    """What the digest holds for one recipient: only what that recipient may see now."""
    since = today - dt.timedelta(days=7)
    horizon = today + dt.timedelta(days=60)
    coming = {
        "starts_at__gte": day_start(today),
        "starts_at__lt": day_start(horizon + dt.timedelta(days=1)),
    }
    return {
        "network": network,
        "news": visible_news(user).filter(network=network, created_at__gte=day_start(since)),
        "events": visible_events(user).filter(network=network, **coming),
        "meetings": visible_meetings(user).filter(network=network, **coming),
        "assignments": visible_assignments(user)
        .filter(
            network=network,
            reporting_deadline__gte=today,
            reporting_deadline__lte=horizon,
        )
        .exclude(status="closed"),
        "link": _link(reverse("network", args=[network.pk])),
        "today": today,
    }


@task()
def send_weekly_digest(network_id: int, today: str | None = None) -> int:
    """A network's new items and coming deadlines to its subscribers; nothing if all is quiet."""
    network = Network.objects.get(pk=network_id)
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    subject = f"Veckobrev från {network}"
    messages = []
    for subscription in network.subscriptions.select_related("user").order_by("user__username"):
        user = subscription.user
        # Someone whose organisation left the network, or who was deactivated, gets nothing.
        if not user.email or not Network.objects.visible_to(user).filter(pk=network.pk).exists():
            continue
        context = digest_context(network, day, user)
        if not any(context[k].exists() for k in ("news", "events", "meetings", "assignments")):
            continue
        body = render_to_string("meetings/email/digest.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False)
