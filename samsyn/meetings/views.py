"""Pages of meetings, networks, intelligence and assignments: fetch, call the verb, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from samsyn.exports import dated, table_response
from samsyn.http import Confirmation, confirm_first, post_only
from samsyn.meetings import calendar, documents, services
from samsyn.meetings.access import (
    Action,
    access_agenda_item,
    access_assignment,
    access_meeting,
    access_network,
    can_owner,
    owners_for,
    visible_assignments,
    visible_meetings,
    visible_news,
)
from samsyn.meetings.choices import PartStatus
from samsyn.meetings.filters import AssignmentFilter, MeetingFilter, NewsFilter
from samsyn.meetings.forms import (
    AgendaItemForm,
    ApproveForm,
    AssignmentForm,
    AttendeeForm,
    DecisionForm,
    EventForm,
    MeetingForm,
    MinutesForm,
    NeedFromItemForm,
    NetworkMemberForm,
    NewsItemForm,
    PartForm,
    PartStatusForm,
    SpendForm,
    StepForm,
)
from samsyn.meetings.models import Attendee, CalendarToken, Meeting, Network
from samsyn.pipeline.services import PipelineError
from samsyn.pipeline.steps import idea_next_steps, measure_next_steps
from samsyn.pipeline.views import add_errors

PAGE_SIZE = 25


def require(user, owner, action: Action) -> None:
    decision = can_owner(user, owner, action)
    if not decision:
        raise PermissionDenied(decision.reason)


def _refused(request, exc: Exception) -> None:
    if isinstance(exc, PipelineError):
        for v in exc.violations:
            messages.error(request, v.message)
    elif isinstance(exc, ValidationError):
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.error(request, str(exc))


# Meetings ----------------------------------------------------------------------------------


MEETING_HEADER = ["Datum", "Möte", "Typ", "Förbund eller nätverk", "Protokoll"]


def _meeting_rows(meetings):
    """The columns of the meeting list page: no attendees, nothing about people."""
    for m in meetings:
        yield (
            f"{timezone.localtime(m.starts_at):%Y-%m-%d %H:%M}",
            m.title,
            m.get_kind_display(),
            str(m.owner),
            "Justerat" if m.is_approved else "Inte justerat",
        )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = MeetingFilter(request.GET, queryset=visible_meetings(request.user))
    if fmt := request.GET.get("format"):
        return table_response(fmt, dated("moten"), MEETING_HEADER, _meeting_rows(meetings.qs))
    page = Paginator(meetings.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": meetings,
            "page": page,
            "can_plan": bool(owners_for(request.user, Action.PLAN)),
            "networks": Network.objects.visible_to(request.user),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    owners = owners_for(request.user, Action.PLAN)
    if not owners:
        raise PermissionDenied("Du kan inte planera möten i något förbund eller nätverk.")
    form = MeetingForm(request.POST or None, owners=owners, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("owner", "version")}
        owner = form.cleaned_data["owner"]
        target = {"network": owner} if isinstance(owner, Network) else {"forbund": owner}
        try:
            meeting = services.plan_meeting(by=request.user, **target, **data)
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Mötet är planerat.")
            return redirect("meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


def _meeting_context(request, meeting: Meeting, **forms) -> dict:
    can_plan = can_owner(request.user, meeting.owner, Action.PLAN)
    items = list(
        meeting.agenda_items.select_related(
            "need", "idea", "measure", "call", "application__idea", "application__call"
        ).prefetch_related(
            "decisions__need",
            "decisions__idea_transition__idea",
            "decisions__measure_transition__measure",
        )
    )
    editable = bool(can_plan) and not meeting.is_approved
    for item in items:
        item.minutes_form = forms.get(f"minutes_{item.pk}") or MinutesForm(
            initial={"minutes": item.minutes, "version": item.version}, prefix=f"p{item.pk}"
        )
        item.need_form = NeedFromItemForm(prefix=f"b{item.pk}")
        item.decision_form = DecisionForm(prefix=f"d{item.pk}")
        item.step_forms = []
        if editable and meeting.forbund_id:
            if item.idea_id:
                item.step_forms.append(
                    (
                        item.idea,
                        StepForm(
                            target="idea",
                            steps=idea_next_steps(item.idea.step),
                            initial={"version": item.idea.version},
                            prefix=f"s{item.pk}i",
                        ),
                    )
                )
            if item.measure_id:
                item.step_forms.append(
                    (
                        item.measure,
                        StepForm(
                            target="measure",
                            steps=measure_next_steps(item.measure.step),
                            initial={"version": item.measure.version},
                            prefix=f"s{item.pk}m",
                        ),
                    )
                )
    return {
        "meeting": meeting,
        "owner": meeting.owner,
        "forbund": meeting.forbund,
        "items": items,
        "attendees": meeting.attendees.select_related("organisation", "user"),
        "can_plan": can_plan,
        "editable": editable,
        "item_form": forms.get("item_form") or AgendaItemForm(meeting=meeting, prefix="punkt"),
        "attendee_form": forms.get("attendee_form")
        or AttendeeForm(meeting=meeting, prefix="deltagare"),
        "approve_form": forms.get("approve_form")
        or ApproveForm(
            initial={"adjusters": meeting.adjusters, "version": meeting.version}, prefix="justera"
        ),
        "history": meeting.history.select_related("history_user")[:50],
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    return render(request, "meetings/meeting.html", _meeting_context(request, meeting))


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_meeting(
                meeting, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Mötet är sparat.")
            return redirect("meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@post_only
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    form = AgendaItemForm(request.POST, meeting=meeting, prefix="punkt")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.add_agenda_item(meeting, by=request.user, **data)
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Punkten är tillagd på dagordningen.")
            return redirect("meeting", pk=meeting.pk)
    context = _meeting_context(request, meeting, item_form=form)
    return render(request, "meetings/meeting.html", context, status=422)


@login_required
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk)
    meeting = item.meeting
    require(request.user, meeting.owner, Action.PLAN)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_agenda_item(
                item, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Punkten är sparad.")
            return redirect("meeting", pk=meeting.pk)
    return render(
        request, "meetings/agenda_item_form.html", {"form": form, "item": item, "meeting": meeting}
    )


def _confirm_item_remove(request: HttpRequest, pk: int) -> Confirmation:
    item = access_agenda_item(request.user, pk)
    require(request.user, item.meeting.owner, Action.PLAN)
    return Confirmation(
        title=f"Ta bort § {item.number} {item.title} från dagordningen?",
        consequences=["Punkten och det som står i protokollet under den tas bort."],
        button="Ja, ta bort punkten",
    )


@login_required
@confirm_first(_confirm_item_remove)
def agenda_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk)
    require(request.user, item.meeting.owner, Action.PLAN)
    try:
        services.remove_agenda_item(item, by=request.user)
    except PipelineError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"§ {item.number} {item.title} är borttagen från dagordningen.")
    return redirect("meeting", pk=item.meeting_id)


@login_required
@post_only
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk)
    require(request.user, item.meeting.owner, Action.PLAN)
    form = MinutesForm(request.POST, prefix=f"p{item.pk}")
    if form.is_valid():
        try:
            services.update_agenda_item(
                item,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                minutes=form.cleaned_data["minutes"],
            )
        except PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Protokollet för § {item.number} är sparat.")
            return redirect(reverse("meeting", args=[item.meeting_id]) + f"#punkt-{item.pk}")
    context = _meeting_context(request, item.meeting, **{f"minutes_{item.pk}": form})
    return render(request, "meetings/meeting.html", context, status=422)


@login_required
@post_only
def need_from_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk)
    meeting = item.meeting
    require(request.user, meeting.owner, Action.PLAN)
    form = NeedFromItemForm(request.POST, prefix=f"b{item.pk}")
    if not form.is_valid():
        messages.error(request, "Ange behovets rubrik och målgrupp.")
        return redirect("meeting", pk=meeting.pk)
    try:
        decision = services.record_need_from_item(item, by=request.user, **form.cleaned_data)
    except (PipelineError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"Behovet ”{decision.need}” är registrerat från § {item.number}.")
    return redirect("meeting", pk=meeting.pk)


@login_required
@post_only
def step_from_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk)
    meeting = item.meeting
    require(request.user, meeting.owner, Action.PLAN)
    target = request.POST.get("target_kind", "idea")
    record = item.idea if target == "idea" else item.measure
    if record is None:
        raise Http404("Punkten pekar inte på någon sådan post.")
    steps = idea_next_steps(record.step) if target == "idea" else measure_next_steps(record.step)
    prefix = f"s{item.pk}{target[0]}"
    form = StepForm(request.POST, target=target, steps=steps, prefix=prefix)
    if not form.is_valid():
        for error in form.non_field_errors() or ["Välj ett giltigt steg."]:
            messages.error(request, error)
        return redirect("meeting", pk=meeting.pk)
    data = form.cleaned_data
    try:
        decision = services.record_step_from_item(
            item,
            by=request.user,
            target=target,
            to_step=data["to_step"],
            note=data["note"],
            stop_reason=data["stop_reason"],
            expected_version=data["version"],
        )
    except (PipelineError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"Steget är registrerat: {decision}.")
    return redirect("meeting", pk=meeting.pk)


@login_required
@post_only
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_agenda_item(request.user, pk)
    require(request.user, item.meeting.owner, Action.PLAN)
    text = request.POST.get(f"d{item.pk}-text", "")
    try:
        services.record_decision(item, by=request.user, text=text)
    except PipelineError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"Beslutet under § {item.number} är registrerat.")
    return redirect("meeting", pk=item.meeting_id)


@login_required
@post_only
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    form = AttendeeForm(request.POST, meeting=meeting, prefix="deltagare")
    if form.is_valid():
        try:
            services.add_attendee(meeting, by=request.user, **form.cleaned_data)
        except PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Deltagaren är tillagd.")
            return redirect("meeting", pk=meeting.pk)
    context = _meeting_context(request, meeting, attendee_form=form)
    return render(request, "meetings/meeting.html", context, status=422)


def _confirm_attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> Confirmation:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    attendee = get_object_or_404(Attendee, pk=attendee_pk, meeting=meeting)
    return Confirmation(
        title=f"Ta bort {attendee.name} som deltagare i {meeting.title}?",
        consequences=[f"{attendee.name} står inte längre som deltagare i mötet och i protokollet."],
        button="Ja, ta bort deltagaren",
    )


@login_required
@confirm_first(_confirm_attendee_remove)
def attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    attendee = get_object_or_404(Attendee, pk=attendee_pk, meeting=meeting)
    try:
        services.remove_attendee(attendee, by=request.user)
    except PipelineError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{attendee.name} är borttagen som deltagare.")
    return redirect("meeting", pk=meeting.pk)


def _confirm_approve(request: HttpRequest, pk: int) -> Confirmation:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    return Confirmation(
        title=f"Justera protokollet från {meeting.title}?",
        consequences=[
            "Protokollet låses: ingenting i mötet kan ändras efter justeringen.",
            "Protokollet skickas till mötets deltagare.",
        ],
        button="Ja, justera protokollet",
    )


@login_required
@confirm_first(_confirm_approve)
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    form = ApproveForm(request.POST, prefix="justera")
    if form.is_valid():
        try:
            services.approve_minutes(
                meeting,
                by=request.user,
                adjusters=form.cleaned_data["adjusters"],
                expected_version=form.cleaned_data["version"],
            )
        except PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Protokollet är justerat och skickas till deltagarna.")
            return redirect("meeting", pk=meeting.pk)
    context = _meeting_context(request, meeting, approve_form=form)
    return render(request, "meetings/meeting.html", context, status=422)


def _confirm_send(request: HttpRequest, pk: int) -> Confirmation:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    return Confirmation(
        title=f"Skicka dagordningen för {meeting.title}?",
        consequences=[
            "Dagordningen skickas med e-post till mötets deltagare. Ett skickat "
            "e-postmeddelande går inte att ta tillbaka."
        ],
        button="Ja, skicka dagordningen",
    )


@login_required
@confirm_first(_confirm_send)
def agenda_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    require(request.user, meeting.owner, Action.PLAN)
    try:
        services.send_agenda(meeting, by=request.user)
    except PipelineError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Dagordningen skickas till deltagarna.")
    return redirect("meeting", pk=meeting.pk)


DOCUMENTS = {
    ("protokoll", "pdf"): (documents.minutes_pdf, "application/pdf"),
    ("protokoll", "docx"): (
        documents.minutes_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("dagordning", "pdf"): (documents.agenda_pdf, "application/pdf"),
    ("dagordning", "docx"): (
        documents.agenda_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


@login_required
@require_GET
def meeting_document(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    if (what, fmt) not in DOCUMENTS:
        raise Http404("Det dokumentet finns inte.")
    make, content_type = DOCUMENTS[(what, fmt)]
    response = HttpResponse(make(meeting), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{what}-{meeting.date:%Y-%m-%d}-{meeting.pk}.{fmt}"'
    )
    return response


# Networks and intelligence -----------------------------------------------------------------


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.visible_to(request.user).prefetch_related("members")
    if fmt := request.GET.get("format"):
        rows = ((n.name, len(n.members.all())) for n in networks)
        return table_response(fmt, dated("natverk"), NETWORK_HEADER, rows)
    return render(request, "meetings/network_list.html", {"networks": networks})


NETWORK_HEADER = ["Nätverk", "Medlemmar"]


def _network_context(request, network: Network, **forms) -> dict:
    today = timezone.localdate()
    return {
        "network": network,
        "members": network.members.order_by("kind", "name"),
        "coordinators": network.coordinators.all(),
        "meetings": Meeting.objects.filter(network=network)[:20],
        "news": network.news_items.all()[:20],
        "events": network.events.filter(starts_at__gte=calendar.day_start(today)),
        "assignments": visible_assignments(request.user).filter(network=network),
        "can_share": can_owner(request.user, network, Action.SHARE),
        "can_plan": can_owner(request.user, network, Action.PLAN),
        "subscribed": network.subscriptions.filter(user=request.user).exists(),
        "member_form": NetworkMemberForm(),
        "history": network.history.select_related("history_user")[:20],
        "news_form": forms.get("news_form") or NewsItemForm(initial={"published_on": today}),
        "event_form": forms.get("event_form") or EventForm(),
    }


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    return render(request, "meetings/network.html", _network_context(request, network))


@login_required
@post_only
def news_add(request: HttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    require(request.user, network, Action.SHARE)
    form = NewsItemForm(request.POST)
    if form.is_valid():
        try:
            services.share_news(network, by=request.user, **form.cleaned_data)
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Nyheten är delad med nätverket.")
            return redirect("network", pk=network.pk)
    context = _network_context(request, network, news_form=form)
    return render(request, "meetings/network.html", context, status=422)


@login_required
@post_only
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    require(request.user, network, Action.SHARE)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            services.share_event(network, by=request.user, **form.cleaned_data)
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Evenemanget är delat med nätverket.")
            return redirect("network", pk=network.pk)
    context = _network_context(request, network, event_form=form)
    return render(request, "meetings/network.html", context, status=422)


@login_required
@post_only
def network_subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    if request.POST.get("action") == "avsluta":
        services.unsubscribe(network, user=request.user)
        messages.success(request, "Du prenumererar inte längre på nätverkets nyheter.")
    else:
        services.subscribe(network, user=request.user)
        messages.success(request, "Du får nätverkets nyheter och kommande tidpunkter varje vecka.")
    return redirect("network", pk=network.pk)


def _confirm_member_remove(request: HttpRequest, pk: int) -> Confirmation:
    network = access_network(request.user, pk)
    require(request.user, network, Action.PLAN)
    form = NetworkMemberForm(request.POST)
    name = form.cleaned_data["organisation"] if form.is_valid() else "organisationen"
    return Confirmation(
        title=f"Ta bort {name} ur {network}?",
        consequences=[f"{name} är inte längre medlem i nätverket och får inte dess nyheter."],
        button="Ja, ta bort medlemmen",
    )


def _removes_member(request: HttpRequest) -> bool:
    return request.POST.get("action") == "ta-bort"


@login_required
@confirm_first(_confirm_member_remove, when=_removes_member)
def network_member(request: HttpRequest, pk: int) -> HttpResponse:
    network = access_network(request.user, pk)
    require(request.user, network, Action.PLAN)
    form = NetworkMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Välj en organisation.")
        return redirect("network", pk=network.pk)
    organisation = form.cleaned_data["organisation"]
    try:
        if request.POST.get("action") == "ta-bort":
            services.remove_network_member(network, organisation, by=request.user)
            messages.success(request, f"{organisation} är inte längre medlem i nätverket.")
        else:
            services.add_network_member(network, organisation, by=request.user)
            messages.success(request, f"{organisation} är medlem i nätverket.")
    except PipelineError as exc:
        _refused(request, exc)
    return redirect("network", pk=network.pk)


NEWS_HEADER = ["Datum", "Källa", "Typ", "Rubrik", "Nätverk"]


def _news_rows(news):
    """The columns of the intelligence list page."""
    for n in news:
        yield (n.published_on, n.source, n.get_kind_display(), n.title, str(n.network))


@login_required
def news_list(request: HttpRequest) -> HttpResponse:
    news = NewsFilter(request.GET, queryset=visible_news(request.user))
    if fmt := request.GET.get("format"):
        return table_response(fmt, dated("omvarldsbevakning"), NEWS_HEADER, _news_rows(news.qs))
    page = Paginator(news.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/news_list.html", {"filter": news, "page": page})


# Government assignments --------------------------------------------------------------------


ASSIGNMENT_HEADER = [
    "Uppdrag",
    "Myndighet",
    "Högsta belopp (kr)",
    "Använt (kr)",
    "Kvar (kr)",
    "Redovisas senast",
    "Status",
]


def _assignment_rows(assignments):
    """The columns of the assignment list page."""
    for a in assignments:
        money = services.assignment_money(a)
        yield (
            a.title,
            a.assigned_agency,
            money.cap,
            money.spent,
            money.left,
            a.reporting_deadline,
            a.get_status_display(),
        )


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    assignments = AssignmentFilter(request.GET, queryset=visible_assignments(request.user))
    if fmt := request.GET.get("format"):
        rows = _assignment_rows(assignments.qs)
        return table_response(fmt, dated("regeringsuppdrag"), ASSIGNMENT_HEADER, rows)
    page = Paginator(assignments.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for a in page.object_list:
        a.left = a.days_left(today)
        a.warn = a.status == "ongoing" and services.upcoming_deadline_warning(a.left)
        a.late = a.status == "ongoing" and a.left < 0
    return render(
        request,
        "meetings/assignment_list.html",
        {
            "filter": assignments,
            "page": page,
            "can_plan": bool(owners_for(request.user, Action.PLAN)),
        },
    )


@login_required
def assignment_create(request: HttpRequest) -> HttpResponse:
    owners = owners_for(request.user, Action.PLAN)
    if not owners:
        raise PermissionDenied("Du kan inte följa regeringsuppdrag i något förbund eller nätverk.")
    form = AssignmentForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("owner", "version")}
        owner = form.cleaned_data["owner"]
        target = {"network": owner} if isinstance(owner, Network) else {"forbund": owner}
        try:
            assignment = services.track_assignment(by=request.user, **target, **data)
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Regeringsuppdraget följs nu i Samsyn.")
            return redirect("assignment", pk=assignment.pk)
    return render(request, "meetings/assignment_form.html", {"form": form})


def _assignment_page(request, assignment, status: int = 200, **forms_) -> HttpResponse:
    left = assignment.days_left()
    return render(
        request,
        "meetings/assignment.html",
        {
            "assignment": assignment,
            "left": left,
            "warn": services.deadline_warning(assignment),
            "late": assignment.status == "ongoing" and left < 0,
            "money": services.assignment_money(assignment),
            "parts": assignment.parts.all(),
            "spending": assignment.spending.select_related("recorded_by"),
            "can_plan": can_owner(request.user, assignment.owner, Action.PLAN),
            "spend_form": forms_.get("spend_form") or SpendForm(prefix="utgift"),
            "part_form": forms_.get("part_form") or PartForm(prefix="del"),
            "status_choices": PartStatus.choices,
            "history": assignment.history.select_related("history_user")[:50],
        },
        status=status,
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _assignment_page(request, access_assignment(request.user, pk))


@login_required
@post_only
def assignment_spend(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk)
    require(request.user, assignment.owner, Action.PLAN)
    form = SpendForm(request.POST, prefix="utgift")
    if form.is_valid():
        try:
            services.record_spend(assignment, by=request.user, **form.cleaned_data)
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Utgiften är registrerad.")
            return redirect("assignment", pk=pk)
    return _assignment_page(request, assignment, 422, spend_form=form)


@login_required
@post_only
def assignment_part(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk)
    require(request.user, assignment.owner, Action.PLAN)
    if "part" in request.POST:  # a part's new status
        form = PartStatusForm(request.POST)
        part = assignment.parts.filter(pk=form.data.get("part") or 0).first()
        if form.is_valid() and part is not None:
            services.set_part_status(part, by=request.user, status=form.cleaned_data["status"])
            messages.success(request, "Delens status är sparad.")
            return redirect("assignment", pk=pk)
        messages.error(request, "Välj en del och en status.")
        return redirect("assignment", pk=pk)
    form = PartForm(request.POST, prefix="del")
    if form.is_valid():
        try:
            services.add_part(assignment, by=request.user, **form.cleaned_data)
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Delen är tillagd.")
            return redirect("assignment", pk=pk)
    return _assignment_page(request, assignment, 422, part_form=form)


@login_required
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk)
    require(request.user, assignment.owner, Action.PLAN)
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_assignment(
                assignment, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except (PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Uppdraget är sparat.")
            return redirect("assignment", pk=assignment.pk)
    return render(
        request, "meetings/assignment_form.html", {"form": form, "assignment": assignment}
    )


# Calendar ----------------------------------------------------------------------------------


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        if request.POST.get("action") == "aterkalla":
            services.revoke_calendar_token(request.user)
            messages.success(request, "Kalenderadressen är återkallad och slutar fungera.")
            return redirect("calendar")
        new_token = services.issue_calendar_token(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("calendar_feed", args=[new_token]))
        if new_token
        else None
    )
    return render(
        request,
        "meetings/calendar.html",
        {
            "entries": calendar.entries(request.user, timezone.localdate()),
            "feed_url": feed_url,
            "has_token": CalendarToken.objects.filter(user=request.user).exists(),
            "today": timezone.localdate(),
            "soon": timezone.localdate() + dt.timedelta(days=30),
        },
    )


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar client subscribes to: it cannot log in, so the secret is the key."""
    user = services.user_for_calendar_token(token)
    if user is None:
        raise Http404("Kalendern finns inte.")
    response = HttpResponse(calendar.ics(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samsyn.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
