"""Pages of the pipeline: fetch, call the domain, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from samsyn.exports import dated, table_response
from samsyn.http import Confirmation, confirm_first, post_only, remember_rule
from samsyn.parties.access import Permission, access_forbund, can
from samsyn.parties.models import Forbund, Organisation
from samsyn.parties.services import ForbundError, create_forbund
from samsyn.pipeline import services
from samsyn.pipeline.access import access_idea, access_measure, access_need
from samsyn.pipeline.filters import IdeaFilter, MeasureFilter, NeedFilter, owners_for
from samsyn.pipeline.forms import (
    MISSING_VERSION,
    ForbundForm,
    IdeaForm,
    IdeaPartyForm,
    MeasureForm,
    NeedForm,
    TransitionForm,
    member_parties,
    posted_version,
)
from samsyn.pipeline.models import Idea, Measure, Need
from samsyn.pipeline.querysets import count_of
from samsyn.pipeline.rules import idea_state_violations
from samsyn.pipeline.steps import (
    IDEA_MAIN_PATH,
    MEASURE_MAIN_PATH,
    IdeaStep,
    MeasureStep,
    idea_manual_next_steps,
    idea_next_steps,
    measure_next_steps,
)

PAGE_SIZE = 25


def require(user, forbund: Forbund, permission: Permission) -> None:
    decision = can(user, forbund, permission)
    if not decision:
        raise PermissionDenied(decision.reason)


def add_errors(form, error: Exception) -> None:
    """Show a domain refusal or validation error on the form, keeping what the user typed."""
    if isinstance(error, services.PipelineError):
        for violation in error.violations:
            # A bound on one value names its field as the rule (rules.dates_not_in_future).
            where = violation.rule if violation.rule in form.fields else None
            form.add_error(where, violation.message)
            if where is None:  # the error summary links it to where its rule is put right
                remember_rule(form, violation.message, violation.rule)
    elif isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


@login_required
def forbund_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise PermissionDenied("Bara en administratör kan lägga upp ett nytt samordningsförbund.")
    form = ForbundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        members = [*form.cleaned_data["kommuner"], *form.cleaned_data["regioner"]]
        try:
            forbund = create_forbund(form.cleaned_data["name"], members)
        except ForbundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{forbund} är upplagt.")
            return redirect("forbund", pk=forbund.pk)
    return render(request, "pipeline/forbund_form.html", {"form": form})


def _board_columns(steps, counts, items, step_label):
    by_step: dict[str, list] = {s: [] for s in steps}
    for item in items:
        by_step.setdefault(item.step, []).append(item)
    return [
        {"step": s, "label": step_label(s), "count": counts.get(s, 0), "items": by_step.get(s, [])}
        for s in steps
    ]


BOARD_TRACKS = ("", "E", "F")  # both, ESF+ project ideas, Finsam measures


@login_required
def forbund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forbund = access_forbund(request.user, pk)
    track = request.GET.get("track", "")
    ideas = IdeaFilter(
        request.GET,
        queryset=Idea.objects.filter(need__forbund=forbund).select_related("owner", "need"),
    )
    measures = MeasureFilter(
        request.GET, queryset=Measure.objects.filter(need__forbund=forbund).select_related("need")
    )
    if track not in BOARD_TRACKS:
        ideas.form.add_error(None, "Välj ett av spåren i listan ”Spår”.")
        track = ""
    context = {
        "forbund": forbund,
        "members": forbund.members.order_by("kind", "name"),
        "refusal_places": {"": "id_track"},  # the board's own filter form starts with "Spår"
        "track": track,
        "filter": ideas,
        "owners": member_parties(forbund),
        "can_edit": can(request.user, forbund, Permission.EDIT_PIPELINE),
        "can_manage": can(request.user, forbund, Permission.MANAGE_FORBUND),
        "need_count": forbund.needs.count(),
    }
    if track in ("", "E"):
        idea_qs = ideas.qs
        steps = [
            *IDEA_MAIN_PATH[:6],
            IdeaStep.GRANTED,
            IdeaStep.REJECTED,
            *IDEA_MAIN_PATH[7:],
            IdeaStep.STOPPED,
            IdeaStep.LEFT_ROUTINE,
        ]
        context["idea_columns"] = _board_columns(
            steps, idea_qs.count_by_step(), idea_qs, lambda s: IdeaStep(s).label
        )
    if track in ("", "F"):
        measure_qs = measures.qs
        steps = [
            *MEASURE_MAIN_PATH[:4],
            MeasureStep.BOARD_DECLINED,
            *MEASURE_MAIN_PATH[4:],
            MeasureStep.STOPPED,
        ]
        context["measure_columns"] = _board_columns(
            steps, measure_qs.count_by_step(), measure_qs, lambda s: MeasureStep(s).label
        )
    template = (
        "pipeline/_board.html" if request.headers.get("HX-Request") else "pipeline/forbund.html"
    )
    return render(request, template, context)


# Needs -------------------------------------------------------------------------------------

SORTABLE_NEED_FIELDS = {
    "title",
    "-title",
    "identified_on",
    "-identified_on",
    "target_group",
    "-target_group",
}


NEED_HEADER = ["Rubrik", "Målgrupp", "Identifierat", "Finsam-insatser", "Projektidéer"]
IDEA_HEADER = ["Projektidé", "Förbund", "Steg", "Projektägare", "Målgrupp"]


def _need_rows(needs):
    """The columns of the need list page, nothing more."""
    for n in needs:
        yield (n.title, n.target_group, n.identified_on, n.measure_count, n.idea_count)


def _idea_rows(ideas):
    for i in ideas:
        owner = str(i.owner) if i.owner else ""
        yield (i.title, str(i.need.forbund), i.get_step_display(), owner, i.target_group)


@login_required
def need_list(request: HttpRequest, pk: int) -> HttpResponse:
    forbund = access_forbund(request.user, pk)
    needs = NeedFilter(
        request.GET,
        queryset=Need.objects.filter(forbund=forbund).annotate(
            idea_count=count_of(Idea.objects.filter(need=OuterRef("pk"))),
            measure_count=count_of(Measure.objects.filter(need=OuterRef("pk"))),
        ),
    )
    order = request.GET.get("sort", "-identified_on")
    qs = needs.qs.order_by(order if order in SORTABLE_NEED_FIELDS else "-identified_on", "-pk")
    if fmt := request.GET.get("format"):
        return table_response(fmt, dated("behov"), NEED_HEADER, _need_rows(qs))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pipeline/need_list.html",
        {
            "forbund": forbund,
            "filter": needs,
            "page": page,
            "sort": order,
            "can_edit": can(request.user, forbund, Permission.EDIT_PIPELINE),
        },
    )


@login_required
def need_create(request: HttpRequest, pk: int) -> HttpResponse:
    forbund = access_forbund(request.user, pk)
    require(request.user, forbund, Permission.EDIT_PIPELINE)
    form = NeedForm(request.POST or None, forbund=forbund)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.NEED_FIELDS}
        try:
            need = services.record_need(forbund, by=request.user, **data)
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Behovet är registrerat.")
            return redirect("need", pk=need.pk)
    return render(request, "pipeline/need_form.html", {"form": form, "forbund": forbund})


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = access_need(request.user, pk)
    return render(
        request,
        "pipeline/need.html",
        {
            "need": need,
            "forbund": need.forbund,
            "ideas": need.ideas.select_related("owner"),
            "measures": need.measures.all(),
            "history": need.history.select_related("history_user")[:50],
            "can_edit": can(request.user, need.forbund, Permission.EDIT_PIPELINE),
            **_record_meetings(need),
        },
    )


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = access_need(request.user, pk)
    require(request.user, need.forbund, Permission.EDIT_PIPELINE)
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.NEED_FIELDS}
        try:
            services.update_need(
                need, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Behovet är sparat.")
            return redirect("need", pk=need.pk)
    return render(
        request, "pipeline/need_form.html", {"form": form, "forbund": need.forbund, "need": need}
    )


# Ideas (track E) ---------------------------------------------------------------------------


@login_required
def idea_list(request: HttpRequest) -> HttpResponse:
    ideas = IdeaFilter(
        request.GET,
        queryset=Idea.objects.visible_to(request.user).select_related(
            "owner", "need__forbund__organisation"
        ),
    )
    ideas.filters["owner"].queryset = owners_for(Forbund.objects.visible_to(request.user))
    qs = ideas.qs.order_by("-pk")
    if fmt := request.GET.get("format"):
        return table_response(fmt, dated("projektideer"), IDEA_HEADER, _idea_rows(qs))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pipeline/idea_list.html", {"filter": ideas, "page": page})


@login_required
def idea_create(request: HttpRequest, pk: int) -> HttpResponse:
    need = access_need(request.user, pk)
    require(request.user, need.forbund, Permission.EDIT_PIPELINE)
    form = IdeaForm(
        request.POST or None, forbund=need.forbund, initial={"target_group": need.target_group}
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.IDEA_FIELDS}
        try:
            idea = services.create_idea(need, by=request.user, **data)
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Projektidén är registrerad.")
            return redirect("idea", pk=idea.pk)
    return render(
        request, "pipeline/idea_form.html", {"form": form, "need": need, "forbund": need.forbund}
    )


# The meeting decision each step was taken at, in the same query as the steps.
TRANSITION_DECISION = ("meeting_decision__agenda_item__meeting",)


def _record_meetings(record: Need | Idea | Measure) -> dict:
    """The meetings a record was treated at (meetings/_record_meetings.html), one query each."""
    decisions = getattr(record, "meeting_decisions", None)
    return {
        "agenda_items": record.agenda_items.select_related("meeting"),
        "meeting_decisions": (
            decisions.select_related("agenda_item__meeting") if decisions is not None else []
        ),
    }


# Where a refusal that names no field is put right on the idea's page (samsyn.http): the
# parties table for the parties' rules, the facts for the agreement, the forum for R1.
IDEA_PLACES = {
    "R1": "id_forum",
    "R2": "parter",
    "R3": "parter",
    "R4": "fakta",
    "R5": "parter",
    "R6": "parter",
    "R7": "parter",
    "B1": "parter",
    "A9": "utlysningar",
}
# F3: the parties and their responsibilities are among the facts; F4: the board decides.
MEASURE_PLACES = {"R1": "id_forum", "F3": "fakta", "F4": "id_forum"}


def _idea_context(request, idea: Idea, **extra) -> dict:
    forbund = idea.need.forbund
    # Submitted, granted and rejected are the application's (A9): not offered here.
    step_choices = [(s, IdeaStep(s).label) for s in idea_manual_next_steps(idea.step)]
    context = {
        "idea": idea,
        "need": idea.need,
        "forbund": forbund,
        "parties": idea.parties.select_related("organisation", "mandate_confirmed_by"),
        "transitions": idea.transitions.select_related("by", *TRANSITION_DECISION),
        "history": idea.history.select_related("history_user")[:50],
        "can_edit": can(request.user, forbund, Permission.EDIT_PIPELINE),
        **_record_meetings(idea),
        # What would stop the next step on the main path: shown before the user tries.
        "warnings": _upcoming_violations(idea),
        "transition_form": TransitionForm(
            step_choices=step_choices, initial={"version": idea.version}
        ),
        "party_form": IdeaPartyForm(forbund=forbund, idea=idea, initial={"version": idea.version}),
        "refusal_places": IDEA_PLACES,
    }
    context.update(extra)
    return context


def _upcoming_violations(idea: Idea):
    following = [s for s in idea_next_steps(idea.step) if s in IDEA_MAIN_PATH]
    if not following:
        return []
    return idea_state_violations(services.idea_facts(idea), following[0])


@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = access_idea(request.user, pk)
    return render(request, "pipeline/idea.html", _idea_context(request, idea))


@login_required
def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = access_idea(request.user, pk)
    forbund = idea.need.forbund
    require(request.user, forbund, Permission.EDIT_PIPELINE)
    form = IdeaForm(request.POST or None, instance=idea, forbund=forbund)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.IDEA_FIELDS}
        try:
            services.update_idea(
                idea, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Projektidén är sparad.")
            return redirect("idea", pk=idea.pk)
    return render(
        request,
        "pipeline/idea_form.html",
        {"form": form, "need": idea.need, "forbund": forbund, "idea": idea},
    )


def _save_party(request, idea: Idea, organisation: Organisation, data: dict) -> None:
    """Every field of the form is sent and prefilled, so what the user left alone stays."""
    services.set_idea_party(
        idea,
        organisation,
        by=request.user,
        expected_version=data["version"],
        is_cofinancier=data["is_cofinancier"],
        performs_rehabilitation=data["performs_rehabilitation"],
        representative=data["representative"],
        mandate=data["mandate"],
        mandate_given_on=data["mandate_given_on"],
        decision_date=data["decision_date"],
        decision_reference=data["decision_reference"],
    )


@login_required
@post_only
def idea_party(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a party that is not yet part of the idea (changing one is idea_party_edit)."""
    idea = access_idea(request.user, pk)
    require(request.user, idea.need.forbund, Permission.EDIT_PIPELINE)
    form = IdeaPartyForm(request.POST, forbund=idea.need.forbund, idea=idea)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            _save_party(request, idea, organisation, form.cleaned_data)
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{organisation} är sparad som part.")
            return redirect("idea", pk=idea.pk)
    return render(request, "pipeline/idea.html", _idea_context(request, idea, party_form=form))


@login_required
def idea_party_edit(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    idea = access_idea(request.user, pk)
    forbund = idea.need.forbund
    require(request.user, forbund, Permission.EDIT_PIPELINE)
    party = get_object_or_404(
        idea.parties.select_related("organisation"), organisation_id=organisation_pk
    )
    form = IdeaPartyForm(request.POST or None, forbund=forbund, idea=idea, party=party)
    if request.method == "POST" and form.is_valid():
        try:
            _save_party(request, idea, party.organisation, form.cleaned_data)
        except services.PipelineError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{party.organisation} är sparad som part.")
            return redirect("idea", pk=idea.pk)
    return render(
        request,
        "pipeline/idea_party_form.html",
        {"form": form, "idea": idea, "need": idea.need, "forbund": forbund, "party": party},
    )


def _confirm_party_remove(request, pk: int, organisation_pk: int) -> Confirmation:
    idea = access_idea(request.user, pk)
    require(request.user, idea.need.forbund, Permission.EDIT_PIPELINE)
    party = get_object_or_404(
        idea.parties.select_related("organisation"), organisation_id=organisation_pk
    )
    return Confirmation(
        title=f"Ta bort {party.organisation} som part i {idea}?",
        consequences=[
            f"{party.organisation} tas bort som part i projektidén.",
            "Det som är registrerat om parten försvinner: företrädare, medfinansiering, mandat "
            "och beslut. Ändringen syns i historiken.",
        ],
        button="Ja, ta bort parten",
    )


@login_required
@confirm_first(_confirm_party_remove)
def idea_party_remove(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    idea = access_idea(request.user, pk)
    require(request.user, idea.need.forbund, Permission.EDIT_PIPELINE)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    version = posted_version(request.POST)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return redirect("idea", pk=idea.pk)
    try:
        services.remove_idea_party(idea, organisation, by=request.user, expected_version=version)
    except services.PipelineError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{organisation} är borttagen som part.")
    return redirect("idea", pk=idea.pk)


def _take_step(request, record, move, next_steps, steps, noun: str) -> tuple[TransitionForm, bool]:
    """Run the step form through the track's verb; True when the step was taken."""
    choices = [(s, steps(s).label) for s in next_steps(record.step)]
    form = TransitionForm(request.POST, step_choices=choices)
    if not form.is_valid():
        return form, False
    data = form.cleaned_data
    try:
        move(
            record,
            data["to"],
            by=request.user,
            forum=data["forum"],
            basis_date=data["basis_date"],
            note=data["note"],
            stop_reason=data["stop_reason"],
            expected_version=data["version"],
        )
    except services.PipelineError as exc:
        add_errors(form, exc)
        return form, False
    messages.success(request, f"{noun} är nu i steget ”{steps(data['to']).label}”.")
    return form, True


@login_required
@post_only
def idea_move(request: HttpRequest, pk: int) -> HttpResponse:
    idea = access_idea(request.user, pk)
    require(request.user, idea.need.forbund, Permission.EDIT_PIPELINE)
    form, moved = _take_step(
        request, idea, services.move_idea, idea_next_steps, IdeaStep, "Projektidén"
    )
    if moved:
        return redirect("idea", pk=idea.pk)
    return render(request, "pipeline/idea.html", _idea_context(request, idea, transition_form=form))


# Measures (track F) ------------------------------------------------------------------------


@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    need = access_need(request.user, pk)
    require(request.user, need.forbund, Permission.EDIT_PIPELINE)
    form = MeasureForm(
        request.POST or None, forbund=need.forbund, initial={"target_group": need.target_group}
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.MEASURE_FIELDS}
        try:
            measure = services.create_measure(
                need, by=request.user, parties=form.cleaned_data["parties"], **data
            )
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Insatsen är registrerad.")
            return redirect("measure", pk=measure.pk)
    return render(
        request,
        "pipeline/measure_form.html",
        {"form": form, "need": need, "forbund": need.forbund},
    )


def _measure_context(request, measure: Measure, **extra) -> dict:
    forbund = measure.need.forbund
    step_choices = [(s, MeasureStep(s).label) for s in measure_next_steps(measure.step)]
    context = {
        "measure": measure,
        "need": measure.need,
        "forbund": forbund,
        "parties": measure.parties.all(),
        "transitions": measure.transitions.select_related("by", *TRANSITION_DECISION),
        "history": measure.history.select_related("history_user")[:50],
        "can_edit": can(request.user, forbund, Permission.EDIT_PIPELINE),
        **_record_meetings(measure),
        "transition_form": TransitionForm(
            step_choices=step_choices, initial={"version": measure.version}
        ),
        "refusal_places": MEASURE_PLACES,
    }
    context.update(extra)
    return context


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access_measure(request.user, pk)
    return render(request, "pipeline/measure.html", _measure_context(request, measure))


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access_measure(request.user, pk)
    forbund = measure.need.forbund
    require(request.user, forbund, Permission.EDIT_PIPELINE)
    form = MeasureForm(request.POST or None, instance=measure, forbund=forbund)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.MEASURE_FIELDS}
        try:
            services.update_measure(
                measure,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                parties=form.cleaned_data["parties"],
                **data,
            )
        except (services.PipelineError, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Insatsen är sparad.")
            return redirect("measure", pk=measure.pk)
    return render(
        request,
        "pipeline/measure_form.html",
        {"form": form, "need": measure.need, "forbund": forbund, "measure": measure},
    )


@login_required
@post_only
def measure_move(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access_measure(request.user, pk)
    require(request.user, measure.need.forbund, Permission.EDIT_PIPELINE)
    form, moved = _take_step(
        request, measure, services.move_measure, measure_next_steps, MeasureStep, "Insatsen"
    )
    if moved:
        return redirect("measure", pk=measure.pk)
    return render(
        request, "pipeline/measure.html", _measure_context(request, measure, transition_form=form)
    )
