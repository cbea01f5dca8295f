"""Pages of follow-up: fetch, call the domain, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from samsyn.exports import table_response
from samsyn.followup import exports, labels, services
from samsyn.followup.access import (
    access_participant,
    access_project,
    can_manage_staff,
    is_staff,
    project_kind,
)
from samsyn.followup.charts import bar_chart
from samsyn.followup.filters import FollowupFilter
from samsyn.followup.forms import ImportForm, ParticipantEditForm, ParticipantForm, StaffForm
from samsyn.followup.imports import column_labels, read_participant_file, template_xlsx
from samsyn.followup.models import Participant, ProjectStaff
from samsyn.followup.report import (
    IDEA_FIGURES,
    MEASURE_FIGURES,
    ROLLUP_FIGURES,
    figure_ideas,
    figure_measures,
    followup_report,
    rollup,
)
from samsyn.followup.results import indicator_report, project_results
from samsyn.followup.timeline import timeline
from samsyn.parties.models import Forbund, User
from samsyn.pipeline.access import access_need

PAGE_SIZE = 25


def _params(request: HttpRequest):
    filterset = FollowupFilter(request.GET, user=request.user)
    if not filterset.is_valid():
        return filterset, None
    return filterset, filterset.params()


def _charts(report: dict, trend: list[dict]) -> list:
    charts = []
    e = report.get("track_e")
    if e:
        charts.append(
            bar_chart(
                "Tratten: från idé till beviljad ansökan",
                [
                    (labels.FIGURES["ideas_identified"], e["ideas_identified"]),
                    (labels.FIGURES["ideas_led_to_application"], e["ideas_led_to_application"]),
                    (labels.FIGURES["applications_granted"], e["applications_granted"]),
                ],
            )
        )
        charts.append(
            bar_chart(
                "Projektägare per typ av part",
                [(labels.KINDS[k], n) for k, n in e["owners_by_kind"].items()],
            )
        )
        charts.append(
            bar_chart(
                "Medfinansiärer per typ av part",
                [(labels.KINDS[k], n) for k, n in e["cofinanciers_by_kind"].items()],
            )
        )
    if trend:
        charts.append(
            bar_chart(
                "Idéer som ledde till en ansökan, per år",
                [(str(r["year"]), r["ideas_led_to_application"]) for r in trend],
            )
        )
    return charts


@login_required
def report(request: HttpRequest) -> HttpResponse:
    filterset, params = _params(request)
    context = {"filter": filterset, "query": request.GET.urlencode()}
    if params is not None:
        data = followup_report(params)
        trend = rollup(params.forbund, by_region=False)
        participants = Participant.objects.of_forbund(params.forbund)
        context.update(
            report=data,
            trend=trend,
            charts=_charts(data, trend),
            indicators=indicator_report(participants.filter(params.period.q("started_on"))),
            rollup_figures=ROLLUP_FIGURES,
            labels=labels,
        )
    return render(request, "followup/report.html", context)


@login_required
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filterset, params = _params(request)
    if params is None:
        raise Http404("Ogiltigt filter.")
    data = followup_report(params)
    if fmt == "pdf":
        html = render_to_string(
            "followup/report_pdf.html", {"report": data, "rows": exports.report_rows(data)}
        )
        return exports.pdf_response("uppfoljning", html)
    header = ["spår", "mått", "nyckel", "antal"]
    return table_response(fmt, "uppfoljning", header, exports.report_rows(data))


def _figure_records(request: HttpRequest):
    _filterset, params = _params(request)
    figure = request.GET.get("figure", "")
    if params is None:
        raise Http404("Ogiltigt filter.")
    options = {"kind": request.GET.get("kind", ""), "reason": request.GET.get("reason", "")}
    if figure in IDEA_FIGURES or figure in ("owners", "cofinanciers"):
        organisation = request.GET.get("organisation", "")
        records = figure_ideas(
            params,
            figure,
            organisation=int(organisation) if organisation.isdigit() else None,
            **options,
        )
        return figure, "idea", records.select_related("need__forbund__organisation", "owner")
    if figure in MEASURE_FIGURES or figure == "parties":
        records = figure_measures(params, figure, **options)
        return figure, "measure", records.select_related("need__forbund__organisation")
    raise Http404("Okänt mått.")


@login_required
def figure_list(request: HttpRequest) -> HttpResponse:
    figure, kind, records = _figure_records(request)
    page = Paginator(records.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/figure_list.html",
        {
            "figure": labels.FIGURES.get(figure, figure),
            "kind": kind,
            "page": page,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def figure_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _figure, _kind, records = _figure_records(request)
    rows = records.order_by("-pk").values_list(
        "pk", "title", "need__forbund__organisation__name", "step"
    )
    return table_response(fmt, "ideer", ["id", "namn", "förbund", "steg"], rows)


def national(request: HttpRequest) -> HttpResponse:
    """Open data: counts of ideas and measures only, never anything about people."""
    rows = rollup(Forbund.objects.all())
    return render(
        request,
        "followup/national.html",
        {"rows": rows, "figures": ROLLUP_FIGURES, "labels": labels.FIGURES},
    )


NATIONAL_SCHEMA = {
    "name": "samsyn-nationell-uppfoljning",
    "description": (
        "Samsyns nationella uppföljning: antal per NUTS 2-region och år. Inga personuppgifter. "
        "Definitionerna av måtten finns i Samsyns README (Uppföljning)."
    ),
    "fields": [
        {"name": "nuts2_code", "type": "string", "description": "NUTS 2-kod, t.ex. SE23"},
        {"name": "nuts2_name", "type": "string", "description": "NUTS 2-regionens namn"},
        {"name": "year", "type": "integer", "description": "Kalenderår för händelsens datum"},
        *(
            {"name": name, "type": "integer", "description": str(labels.FIGURES[name])}
            for name in ROLLUP_FIGURES
        ),
    ],
}


def national_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt == "schema.json":
        return JsonResponse(NATIONAL_SCHEMA, json_dumps_params={"ensure_ascii": False})
    rows = rollup(Forbund.objects.all())
    if fmt == "json":
        body = {"schema": NATIONAL_SCHEMA, "rows": rows}
        return HttpResponse(
            json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
    header = [f["name"] for f in NATIONAL_SCHEMA["fields"]]
    # Open data for machines, with a published schema: plain comma-separated csv.
    return table_response(
        fmt,
        "nationell-uppfoljning",
        header,
        ([r[h] for h in header] for r in rows),
        delimiter=",",
    )


# Participants ----------------------------------------------------------------------------------


def _staff_project(request: HttpRequest, kind: str, pk: int):
    project = access_project(request.user, kind, pk)
    decision = is_staff(request.user, project)
    if not decision:
        raise PermissionDenied(decision.reason)
    return project


@login_required
def participants(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project = _staff_project(request, kind, pk)
    rows = Participant.objects.of(project)
    return render(
        request,
        "followup/participants.html",
        {
            "project": project,
            "kind": kind,
            "participants": rows,
            "import_form": ImportForm(),
            "columns": column_labels().values(),
        },
    )


@login_required
def participants_export(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    project = _staff_project(request, kind, pk)
    fields = ["code", "started_on", "ended_on", "gender", "age_band", "labour_status", "education"]
    from samsyn.followup.choices import RESULT_FIELDS

    fields += list(RESULT_FIELDS)
    rows = Participant.objects.of(project).values_list(*fields)
    return table_response(fmt, "deltagare", fields, rows)


@login_required
def participant_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project = _staff_project(request, kind, pk)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            participant = services.register_participant(project, by=request.user, **data)
        except (services.FollowupError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, f"Deltagaren {participant} är registrerad.")
            return redirect(f"{kind}_participants", pk=project.pk)
    return render(
        request, "followup/participant_form.html", {"form": form, "project": project, "kind": kind}
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """The empty participant list to fill in and read back in (no personal data in it)."""
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="deltagare-mall.xlsx"'
    return response


@login_required
@require_POST
def participant_import(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project = _staff_project(request, kind, pk)
    form = ImportForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_participant_file(upload.name, upload.read())
            created = services.import_participants(project, rows, by=request.user)
        except services.ImportRejected as exc:
            errors = exc.errors
            messages.error(request, str(exc))
        except services.FollowupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{len(created)} deltagare har lästs in.")
            return redirect(f"{kind}_participants", pk=project.pk)
    return render(
        request,
        "followup/participants.html",
        {
            "project": project,
            "kind": kind,
            "participants": Participant.objects.of(project),
            "import_form": form,
            "import_errors": errors,
            "columns": column_labels().values(),
        },
        status=422,
    )


def _participant_page(request, participant, **extra) -> HttpResponse:
    return render(
        request,
        "followup/participant.html",
        {
            "participant": participant,
            "project": participant.project,
            "kind": project_kind(participant.project),
            **extra,
        },
    )


@login_required
def participant(request: HttpRequest, pk: int) -> HttpResponse:
    return _participant_page(request, access_participant(request.user, pk))


@login_required
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    form = ParticipantEditForm(
        request.POST or None, instance=participant, initial={"version": participant.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_participant(
                participant, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except (services.FollowupError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "Deltagaren är sparad.")
            return redirect("participant", pk=participant.pk)
    return render(
        request,
        "followup/participant_form.html",
        {
            "form": form,
            "project": participant.project,
            "kind": project_kind(participant.project),
            "participant": participant,
        },
    )


@login_required
@require_POST
def participant_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    try:
        pnr = services.reveal_personnummer(participant, by=request.user)
    except services.FollowupError as exc:
        messages.error(request, str(exc))
        return redirect("participant", pk=pk)
    return _participant_page(request, participant, personnummer=pnr)


@login_required
@require_POST
def participant_export(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    try:
        data = services.export_participant(participant, by=request.user)
    except services.FollowupError as exc:
        messages.error(request, str(exc))
        return redirect("participant", pk=pk)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{participant.pk}.json"'
    return response


@login_required
@require_POST
def participant_erase(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    try:
        services.erase_participant(participant, by=request.user)
    except services.FollowupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Personen är raderad; indikatorvärdena finns kvar utan koppling till henne."
        )
    return redirect(f"{project_kind(participant.project)}_participants", pk=participant.project.pk)


@login_required
def staff(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project = access_project(request.user, kind, pk)
    decision = can_manage_staff(request.user, project)
    form = StaffForm(request.POST or None)
    if request.method == "POST":
        if not decision:
            raise PermissionDenied(decision.reason)
        if form.is_valid():
            user = User.objects.filter(username=form.cleaned_data["username"]).first()
            try:
                if user is None:
                    raise services.FollowupError("Det finns ingen användare med det namnet.")
                if "remove" in request.POST:
                    services.remove_staff(project, user, by=request.user)
                else:
                    services.add_staff(project, user, by=request.user)
            except services.FollowupError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Projektets personal är uppdaterad.")
                return redirect(f"{kind}_staff", pk=pk)
    lookup = {"idea": project} if kind == "idea" else {"measure": project}
    return render(
        request,
        "followup/staff.html",
        {
            "project": project,
            "kind": kind,
            "staff": ProjectStaff.objects.filter(**lookup).select_related("user"),
            "form": form,
            "can_manage": bool(decision),
        },
    )


@login_required
def results(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project = access_project(request.user, kind, pk)
    raw = request.GET.get("min_share", "50")
    min_share = int(raw) if raw.isdigit() and 1 <= int(raw) <= 100 else 50
    return render(
        request,
        "followup/results.html",
        {
            "project": project,
            "kind": kind,
            "min_share": min_share,
            "all": project_results(project),
            "chosen": project_results(project, min_share),
        },
    )


@login_required
def story(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    record = (
        access_need(request.user, pk) if kind == "need" else access_project(request.user, kind, pk)
    )
    return render(
        request,
        "followup/timeline.html",
        {"record": record, "kind": kind, "events": timeline(record)},
    )
