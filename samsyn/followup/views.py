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

from samsyn.exports import table_response
from samsyn.followup import disclosure, exports, labels, services
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
from samsyn.followup.timeline import timeline
from samsyn.http import Confirmation, confirm_first, post_only
from samsyn.parties.models import Forbund
from samsyn.pipeline.access import access_need
from samsyn.pipeline.steps import IdeaStep, MeasureStep
from samsyn.privacy import personal_data

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
        years, indicators = disclosure.followup_indicators(params.forbund, params.period)
        context.update(
            report=data,
            trend=trend,
            charts=_charts(data, trend),
            indicator_rows=[(k, labels.indicator(k), g) for k, g in indicators.items()],
            indicator_period=years,
            min_cell=disclosure.min_cell(),
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
    years, indicators = disclosure.followup_indicators(params.forbund, params.period)
    rows = exports.report_rows(data) + exports.indicator_rows(indicators)
    preamble = exports.preamble(data, years)
    if fmt == "pdf":
        html = render_to_string(
            "followup/report_pdf.html",
            {
                "report": data,
                "rows": rows,
                "preamble": preamble,
                "header": exports.HEADER,
                "min_cell": disclosure.min_cell(),
            },
        )
        return exports.pdf_response("uppfoljning", html)
    return table_response(
        fmt, "uppfoljning", exports.HEADER, rows, preamble=preamble, number_format="#,##0"
    )


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
    figure, kind, records = _figure_records(request)
    steps = dict((IdeaStep if kind == "idea" else MeasureStep).choices)
    rows = [
        (pk, title, forbund, str(steps.get(step, step)))
        for pk, title, forbund, step in records.order_by("-pk").values_list(
            "pk", "title", "need__forbund__organisation__name", "step"
        )
    ]
    _filterset, params = _params(request)
    names = ", ".join(params.forbund.values_list("organisation__name", flat=True)) or "–"
    preamble = [
        [str(labels.FIGURES.get(figure, figure))],
        ["Förbund", names],
        ["Period", exports.period_text(params.period)],
        [],
    ]
    return table_response(fmt, "ideer", ["Id", "Namn", "Förbund", "Steg"], rows, preamble=preamble)


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
        {"name": "nuts2_code", "type": "string", "description": "NUTS 2-kod, till exempel SE23"},
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


@personal_data
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


@personal_data
@login_required
def participants_export(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    project = _staff_project(request, kind, pk)
    fields = ["code", "started_on", "ended_on", "gender", "age_band", "labour_status", "education"]
    from samsyn.followup.choices import RESULT_FIELDS

    fields += list(RESULT_FIELDS)
    rows = Participant.objects.of(project).values_list(*fields)
    return table_response(fmt, "deltagare", fields, rows)


@personal_data
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


@personal_data
@login_required
@post_only
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


@personal_data
@login_required
def participant(request: HttpRequest, pk: int) -> HttpResponse:
    return _participant_page(request, access_participant(request.user, pk))


@personal_data
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


@personal_data
@login_required
@post_only
def participant_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    try:
        pnr = services.reveal_personnummer(participant, by=request.user)
    except services.FollowupError as exc:
        messages.error(request, str(exc))
        return redirect("participant", pk=pk)
    return _participant_page(request, participant, personnummer=pnr)


@personal_data
@login_required
@post_only
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


def _confirm_erase(request: HttpRequest, pk: int) -> Confirmation:
    participant = access_participant(request.user, pk)
    return Confirmation(
        title=f"Radera deltagaren {participant.code}?",
        consequences=[
            "Personnumret och allt som kan kopplas till personen raderas (GDPR artikel 17).",
            "Indikatorvärdena finns kvar i uppföljningen, utan koppling till personen.",
            "Raderingen kan inte ångras, och personen kan inte återskapas.",
        ],
        button="Ja, radera deltagaren",
    )


@personal_data
@login_required
@confirm_first(_confirm_erase)
def participant_erase(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    try:
        services.erase_participant(participant, by=request.user)
    except services.FollowupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Personen är raderad; indikatorvärdena finns kvar utan koppling till personen."
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
            try:
                user = services.staff_candidate(project, form.cleaned_data["username"])
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
    figures = disclosure.for_user(project, request.user, min_share=min_share)
    return render(
        request,
        "followup/results.html",
        {
            "project": project,
            "kind": kind,
            "min_share": min_share if figures.exact else disclosure.STANDARD_MIN_SHARE,
            "exact": figures.exact,
            "min_cell": disclosure.min_cell(),
            "all": figures.all,
            "chosen": figures.chosen,
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
        {
            "record": record,
            "kind": kind,
            "events": timeline(record, lambda track: disclosure.for_user(track, request.user)),
        },
    )
