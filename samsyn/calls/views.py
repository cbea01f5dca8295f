"""Pages of calls, applications and prioritisation: fetch, call the verb, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from samsyn.calls import services
from samsyn.calls.access import (
    access_application,
    access_call,
    can_edit_application,
    can_manage_any_calls,
    can_manage_calls,
    can_record_decision,
    can_review,
    can_see_ranking,
)
from samsyn.calls.choices import CALL_PHASES, ApplicationStatus, CallPhase, CostCategory
from samsyn.calls.document import application_docx, application_pdf
from samsyn.calls.export import paper_pdf, paper_xlsx
from samsyn.calls.filters import CallFilter
from samsyn.calls.forms import (
    ApplicationForm,
    AssessmentForm,
    BudgetLineForm,
    CallForm,
    CofinancingForm,
    DecisionForm,
    DraftForm,
    JavForm,
    LessonsForm,
    PrincipleForm,
    PrioritisationForm,
    ScoreForm,
    SubmitForm,
)
from samsyn.calls.matching import matching_calls
from samsyn.calls.models import Application, Call, CallsRole, RegionalPlan
from samsyn.calls.prioritisation import POSITION_LABELS, paper
from samsyn.exports import DOCX, dated, table_response
from samsyn.http import Confirmation, confirm_first, post_only
from samsyn.parties.access import Permission, can
from samsyn.parties.models import Organisation
from samsyn.pipeline.access import access_idea
from samsyn.pipeline.forms import MISSING_VERSION, posted_version
from samsyn.pipeline.views import add_errors

PAGE_SIZE = 25


def _deny_unless(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _refused(request: HttpRequest, exc: services.PipelineError) -> None:
    for v in exc.violations:
        messages.error(request, v.message)


# Calls -------------------------------------------------------------------------------------


CALL_HEADER = [
    "Utlysning",
    "Status",
    "Programområde",
    "Målområden",
    "Region",
    "Budget (kr)",
    "Öppnar",
    "Stänger",
]


def _call_rows(calls):
    """The columns of the call list page."""
    for c in calls:
        areas = ", ".join(str(t) for t in c.thematic_areas.all())
        closes = c.closes_on or "Löpande"
        yield (
            str(c),
            c.get_status_display(),
            c.programme_area.code,
            areas,
            c.region_name,
            c.budget_sek,
            c.opens_on,
            closes,
        )


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    calls = CallFilter(
        request.GET,
        queryset=Call.objects.visible_to(request.user)
        .select_related("programme_area", "regional_plan")
        .prefetch_related("thematic_areas")
        .order_by("-opens_on", "-pk"),
    )
    if fmt := request.GET.get("format"):
        return table_response(fmt, dated("utlysningar"), CALL_HEADER, _call_rows(calls.qs))
    page = Paginator(calls.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "calls/call_list.html",
        {"filter": calls, "page": page, "can_create": can_manage_any_calls(request.user)},
    )


def _managed_plans(user):
    if user.is_superuser:
        return RegionalPlan.objects.all()
    return RegionalPlan.objects.filter(
        pk__in=CallsRole.objects.filter(user=user, role="call_manager").values("regional_plan")
    )


def _call_data(form: CallForm) -> dict:
    data = {f: form.cleaned_data[f] for f in services.CALL_FIELDS}
    data["thematic_areas"] = form.cleaned_data["thematic_areas"]
    return data


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_any_calls(request.user):
        raise PermissionDenied(
            "Bara den som förvaltar en utlysningsplan kan lägga upp utlysningar."
        )
    form = CallForm(request.POST or None, regional_plans=_managed_plans(request.user))
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["regional_plan"]
        _deny_unless(can_manage_calls(request.user, plan.pk if plan else None))
        try:
            call = services.create_call(by=request.user, **_call_data(form))
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Utlysningen {call} är upplagd.")
            return redirect("call", pk=call.pk)
    return render(request, "calls/call_form.html", {"form": form})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk)
    can_manage = can_manage_calls(request.user, call.regional_plan_id)
    applications = (
        Application.objects.visible_to(request.user)
        .filter(call=call)
        .select_related("idea__owner")
        .order_by("-pk")
    )
    phase_index = CALL_PHASES.index(call.phase)
    next_phase = CALL_PHASES[phase_index + 1] if phase_index + 1 < len(CALL_PHASES) else None
    return render(
        request,
        "calls/call.html",
        {
            "call": call,
            "can_manage": can_manage,
            "can_see_paper": can_see_ranking(request.user, call),
            "applications": applications,
            "phases": [
                {"label": CallPhase(p).label, "current": p == call.phase, "done": i < phase_index}
                for i, p in enumerate(CALL_PHASES)
            ],
            "next_phase": next_phase and CallPhase(next_phase),
            "lessons_form": LessonsForm(instance=call),
            "principle_form": PrincipleForm(),
            "principles": call.principles.all(),
            "history": call.history.select_related("history_user")[:20],
        },
    )


@login_required
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk)
    _deny_unless(can_manage_calls(request.user, call.regional_plan_id))
    form = CallForm(
        request.POST or None, instance=call, regional_plans=_managed_plans(request.user)
    )
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["regional_plan"]
        _deny_unless(can_manage_calls(request.user, plan.pk if plan else None))
        try:
            services.update_call(
                Call.objects.get(pk=call.pk),
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **_call_data(form),
            )
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Utlysningen är sparad.")
            return redirect("call", pk=call.pk)
    return render(request, "calls/call_form.html", {"form": form, "call": call})


@login_required
@post_only
def call_advance(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk)
    _deny_unless(can_manage_calls(request.user, call.regional_plan_id))
    version = posted_version(request.POST)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return redirect("call", pk=pk)
    try:
        call = services.advance_call(
            call, request.POST.get("to", ""), by=request.user, expected_version=version
        )
        messages.success(request, f"Utlysningen är i fasen {call.get_phase_display().lower()}.")
    except services.PipelineError as exc:
        _refused(request, exc)
    return redirect("call", pk=pk)


@login_required
@post_only
def call_lessons(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk)
    _deny_unless(can_manage_calls(request.user, call.regional_plan_id))
    form = LessonsForm(request.POST, instance=Call.objects.get(pk=call.pk))
    if form.is_valid():
        try:
            services.record_lessons(
                call,
                form.cleaned_data["lessons"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, "Lärdomarna är sparade.")
        except services.PipelineError as exc:
            _refused(request, exc)
    return redirect("call", pk=pk)


@login_required
@post_only
def call_principle(request: HttpRequest, pk: int) -> HttpResponse:
    call = access_call(request.user, pk)
    _deny_unless(can_manage_calls(request.user, call.regional_plan_id))
    form = PrincipleForm(request.POST)
    if form.is_valid():
        try:
            services.set_principle(call, by=request.user, **form.cleaned_data)
            messages.success(request, f"Principen {form.cleaned_data['code']} är sparad.")
        except services.PipelineError as exc:
            _refused(request, exc)
    else:
        messages.error(request, "Ange kod, princip och en vikt 1–100.")
    return redirect("call", pk=pk)


def _confirm_principle_remove(request: HttpRequest, pk: int, code: str) -> Confirmation:
    call = access_call(request.user, pk)
    _deny_unless(can_manage_calls(request.user, call.regional_plan_id))
    return Confirmation(
        title=f"Ta bort principen {code} från {call}?",
        consequences=[
            f"Principen {code} används inte längre när ansökningarna till utlysningen prioriteras.",
            "Poäng som redan är satta på principen räknas inte längre.",
        ],
        button="Ja, ta bort principen",
    )


@login_required
@confirm_first(_confirm_principle_remove)
def call_principle_remove(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    call = access_call(request.user, pk)
    _deny_unless(can_manage_calls(request.user, call.regional_plan_id))
    try:
        services.remove_principle(call, code, by=request.user)
        messages.success(request, f"Principen {code} är borttagen.")
    except services.PipelineError as exc:
        _refused(request, exc)
    return redirect("call", pk=pk)


def _paper_access(request: HttpRequest, pk: int):
    call = access_call(request.user, pk)
    _deny_unless(can_see_ranking(request.user, call))
    return call


@login_required
def call_paper(request: HttpRequest, pk: int) -> HttpResponse:
    call = _paper_access(request, pk)
    return render(
        request,
        "calls/paper.html",
        {
            "paper": paper(call),
            "labels": POSITION_LABELS,
            "can_review": can_review(request.user, call),
        },
    )


@login_required
def call_paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    call = _paper_access(request, pk)
    response = HttpResponse(paper_pdf(paper(call)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="prioritering-{call.pk}.pdf"'
    return response


@login_required
def call_paper_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    call = _paper_access(request, pk)
    response = HttpResponse(
        paper_xlsx(paper(call)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="prioritering-{call.pk}.xlsx"'
    return response


# Regional action plans' principles -------------------------------------------------------------


@login_required
def plan_principles(request: HttpRequest, nuts2: str) -> HttpResponse:
    """A regional action plan's own principles; its call manager keeps them."""
    plan = get_object_or_404(RegionalPlan, nuts2_code=nuts2)
    can_manage = can_manage_calls(request.user, plan.pk)
    form = PrincipleForm(request.POST or None)
    if request.method == "POST":
        _deny_unless(can_manage)
        if form.is_valid():
            try:
                services.set_plan_principle(plan, by=request.user, **form.cleaned_data)
            except services.PipelineError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"Principen {form.cleaned_data['code']} är sparad.")
                return redirect("plan_principles", nuts2=plan.nuts2_code)
    return render(
        request,
        "calls/plan_principles.html",
        {
            "plan": plan,
            "principles": plan.principles.all(),
            "can_manage": can_manage,
            "form": form,
        },
    )


def _confirm_plan_principle_remove(request: HttpRequest, nuts2: str, code: str) -> Confirmation:
    plan = get_object_or_404(RegionalPlan, nuts2_code=nuts2)
    _deny_unless(can_manage_calls(request.user, plan.pk))
    return Confirmation(
        title=f"Ta bort principen {code} ur handlingsplanen för {plan}?",
        consequences=[
            f"Nya utlysningar i {plan} börjar utan principen {code}.",
            "Utlysningar som redan har fått principen behåller den.",
        ],
        button="Ja, ta bort principen",
    )


@login_required
@confirm_first(_confirm_plan_principle_remove)
def plan_principle_remove(request: HttpRequest, nuts2: str, code: str) -> HttpResponse:
    plan = get_object_or_404(RegionalPlan, nuts2_code=nuts2)
    _deny_unless(can_manage_calls(request.user, plan.pk))
    services.remove_plan_principle(plan, code, by=request.user)
    messages.success(request, f"Principen {code} är borttagen ur handlingsplanen.")
    return redirect("plan_principles", nuts2=plan.nuts2_code)


# Matching ------------------------------------------------------------------------------------


@login_required
def idea_matching(request: HttpRequest, pk: int) -> HttpResponse:
    idea = access_idea(request.user, pk)
    suggestions = matching_calls(idea)
    applied = set(idea.applications.values_list("call_id", flat=True))
    return render(
        request,
        "calls/matching.html",
        {
            "idea": idea,
            "suggestions": suggestions,
            "applied": applied,
            "can_draft": can(request.user, idea.need.forbund, Permission.EDIT_PIPELINE)
            and idea.step in services.DRAFTABLE_STEPS,
        },
    )


# Applications --------------------------------------------------------------------------------


@login_required
@post_only
def application_create(request: HttpRequest, idea_pk: int, call_pk: int) -> HttpResponse:
    idea = access_idea(request.user, idea_pk)
    call = access_call(request.user, call_pk)
    _deny_unless(can(request.user, idea.need.forbund, Permission.EDIT_PIPELINE))
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ange datum för beslutet att skriva ansökan som ÅÅÅÅ-MM-DD.")
        return redirect("idea_matching", pk=idea.pk)
    try:
        application = services.draft_application(
            idea, call, by=request.user, basis_date=form.cleaned_data["basis_date"]
        )
    except services.PipelineError as exc:
        _refused(request, exc)
        return redirect("idea_matching", pk=idea.pk)
    messages.success(request, f"Ansökan till {call} är påbörjad.")
    return redirect("application", pk=application.pk)


# Where a refusal that names no field is put right on the application's page (samsyn.http):
# budget and financing (with each co-financier's decision), the project period, the project
# organisation. Other refusals link to the first field of their form.
APPLICATION_PLACES = {
    "A1": "budget",
    "A4": "budget",
    "R7": "budget",
    "A2": "id_starts_on",
    "R8": "id_starts_on",
    "A5": "id_project_manager",
}


def _application_context(request, app: Application, **extra) -> dict:
    lines = list(app.budget_lines.all())
    cofinancing = list(app.cofinancing.select_related("organisation"))
    decisions = {p.organisation_id: p for p in app.idea.parties.select_related("organisation")}
    can_edit = can_edit_application(request.user, app)
    reviewer = can_review(request.user, app.call)
    years = sorted({line.year for line in lines})
    grid = [
        {
            "label": label,
            "cells": [
                next((ln.amount_sek for ln in lines if ln.year == y and ln.category == code), 0)
                for y in years
            ],
        }
        for code, label in CostCategory.choices
        if any(ln.category == code for ln in lines)
    ]
    context = {
        "refusal_places": APPLICATION_PLACES,
        "app": app,
        "idea": app.idea,
        "call": app.call,
        "can_see_paper": can_see_ranking(request.user, app.call),
        "years": years,
        "grid": grid,
        "year_totals": [sum(ln.amount_sek for ln in lines if ln.year == y) for y in years],
        "totals": services.totals(app),
        "cofinancing": [(c, decisions.get(c.organisation_id)) for c in cofinancing],
        "can_edit": can_edit,
        "can_see_idea": can(request.user, app.idea.need.forbund, Permission.VIEW),
        "is_draft": app.status == ApplicationStatus.DRAFT,
        "blockers": services.submission_violations(app, request.user)
        if app.status == ApplicationStatus.DRAFT
        else [],
        "is_reviewer": reviewer,
        "declaration": app.declarations.filter(reviewer=request.user).first() if reviewer else None,
        "history": app.history.select_related("history_user")[:20],
        "events": app.events.select_related("by"),
    }
    if can_edit and context["is_draft"]:
        context.setdefault("form", ApplicationForm(instance=app))
        context.setdefault("budget_form", BudgetLineForm(initial={"version": app.version}))
        context.setdefault(
            "cofinancing_form",
            CofinancingForm(
                initial={"version": app.version},
                organisations=Organisation.objects.filter(
                    idea_parts__idea=app.idea, idea_parts__is_cofinancier=True
                ),
            ),
        )
        context.setdefault(
            "submit_form",
            SubmitForm(initial={"version": app.version, "submitted_on": timezone.localdate()}),
        )
    if can_record_decision(request.user, app):
        initial = {"version": app.version, "decided_on": timezone.localdate()}
        if app.status == ApplicationStatus.SUBMITTED:
            context.setdefault("assessment_form", AssessmentForm(initial=initial))
        if app.status == ApplicationStatus.APPROVED and app.call.has_partnership_step:
            context.setdefault("prioritisation_form", PrioritisationForm(initial=initial))
        if any(
            app.status in services.decidable_statuses(app.call, granted)
            for granted in (True, False)
        ):
            context.setdefault("decision_form", DecisionForm(initial=initial))
    if reviewer and app.status == ApplicationStatus.APPROVED:
        context.setdefault("jav_form", JavForm())
        declaration = context["declaration"]
        if declaration is not None and not declaration.disqualified:
            mine = {
                s.principle.code: (s.value, s.motivation)
                for s in app.scores.filter(reviewer=request.user).select_related("principle")
            }
            context.setdefault(
                "score_form",
                ScoreForm(principles=app.call.principles.all(), initial_scores=mine),
            )
    context.update(extra)
    return context


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    return render(request, "calls/application.html", _application_context(request, app))


@login_required
def application_document_docx(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    response = HttpResponse(application_docx(app), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="ansokan-{app.pk}.docx"'
    return response


@login_required
def application_document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    response = HttpResponse(application_pdf(app), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ansokan-{app.pk}.pdf"'
    return response


@login_required
@post_only
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    _deny_unless(can_edit_application(request.user, app))
    form = ApplicationForm(request.POST, instance=Application.objects.get(pk=app.pk))
    if form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.APPLICATION_FIELDS}
        try:
            services.update_application(
                app, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Ansökan är sparad.")
            return redirect("application", pk=pk)
    app = access_application(request.user, pk)
    return render(request, "calls/application.html", _application_context(request, app, form=form))


@login_required
@post_only
def application_budget(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    _deny_unless(can_edit_application(request.user, app))
    form = BudgetLineForm(request.POST)
    if form.is_valid():
        try:
            services.set_budget_line(
                app,
                form.cleaned_data["year"],
                form.cleaned_data["category"],
                form.cleaned_data["amount_sek"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Budgetposten är sparad.")
            return redirect("application", pk=pk)
    return render(
        request, "calls/application.html", _application_context(request, app, budget_form=form)
    )


@login_required
@post_only
def application_cofinancing(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    _deny_unless(can_edit_application(request.user, app))
    form = CofinancingForm(request.POST, organisations=Organisation.objects.all())
    if form.is_valid():
        try:
            services.set_cofinancing(
                app,
                form.cleaned_data["organisation"],
                form.cleaned_data["amount_sek"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Medfinansieringen är sparad.")
            return redirect("application", pk=pk)
    return render(
        request,
        "calls/application.html",
        _application_context(request, app, cofinancing_form=form),
    )


@login_required
@post_only
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    _deny_unless(can_edit_application(request.user, app))
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.submit_application(
                app,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                submitted_on=form.cleaned_data["submitted_on"],
                reference=form.cleaned_data["reference"],
            )
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                "Samsyn har registrerat att ansökan är inskickad till Svenska ESF-rådet i "
                "Projektrummet+. Samsyn skickar ingenting till ESF-rådet själv.",
            )
            return redirect("application", pk=pk)
    return render(
        request, "calls/application.html", _application_context(request, app, submit_form=form)
    )


def _record(request: HttpRequest, pk: int, form_class, verb, done: str, key: str):
    """Record ESF-rådet's or the partnership's decision through its verb."""
    app = access_application(request.user, pk)
    _deny_unless(can_record_decision(request.user, app))
    form = form_class(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            verb(app, by=request.user, expected_version=version, **data)
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("application", pk=pk)
    return render(
        request, "calls/application.html", _application_context(request, app, **{key: form})
    )


@login_required
@post_only
def application_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        AssessmentForm,
        services.assess_application,
        "ESF-rådets bedömning är registrerad.",
        "assessment_form",
    )


@login_required
@post_only
def application_prioritisation(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        PrioritisationForm,
        services.prioritise_application,
        "Strukturfondspartnerskapets prioritering är registrerad.",
        "prioritisation_form",
    )


@login_required
@post_only
def application_decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        DecisionForm,
        services.decide_application,
        "ESF-rådets beslut är registrerat.",
        "decision_form",
    )


@login_required
@post_only
def application_jav(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    _deny_unless(can_review(request.user, app.call))
    form = JavForm(request.POST)
    if form.is_valid():
        try:
            services.declare_jav(
                app,
                reviewer=request.user,
                disqualified=form.cleaned_data["disqualified"],
                reason=form.cleaned_data["reason"],
            )
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Din jävsdeklaration är sparad.")
            return redirect("application", pk=pk)
    return render(
        request, "calls/application.html", _application_context(request, app, jav_form=form)
    )


@login_required
@post_only
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    app = access_application(request.user, pk)
    _deny_unless(can_review(request.user, app.call))
    form = ScoreForm(request.POST, principles=app.call.principles.all())
    if form.is_valid():
        try:
            services.score_application(app, reviewer=request.user, scores=form.scores())
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Din bedömning är sparad.")
            return redirect("application", pk=pk)
    return render(
        request, "calls/application.html", _application_context(request, app, score_form=form)
    )
