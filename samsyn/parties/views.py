"""The kansli's page for the förbund itself: member parties and people's roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from samsyn.parties.access import Permission, access_forbund, can
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.forms import ForbundMembersForm, GroupForm, GroupMemberForm, RoleForm
from samsyn.parties.models import PreparatoryGroup, PreparatoryGroupMember, User
from samsyn.parties.services import (
    ForbundError,
    add_group_member,
    create_group,
    remove_group,
    remove_group_member,
    remove_role,
    set_forbund_members,
    set_role,
)


def _managed_forbund(request: HttpRequest, pk: int):
    forbund = access_forbund(request.user, pk)
    decision = can(request.user, forbund, Permission.MANAGE_FORBUND)
    if not decision:
        raise PermissionDenied(decision.reason)
    return forbund


@login_required
def forbund_manage(request: HttpRequest, pk: int) -> HttpResponse:
    forbund = _managed_forbund(request, pk)
    members = forbund.members.all()
    members_form = ForbundMembersForm(
        request.POST if request.POST.get("action") == "members" else None,
        initial={
            "kommuner": [m for m in members if m.kind == OrganisationKind.KOMMUN],
            "regioner": [m for m in members if m.kind == OrganisationKind.REGION],
        },
    )
    role_form = RoleForm(request.POST if request.POST.get("action") == "role" else None)
    group_form = GroupForm(request.POST if request.POST.get("action") == "group" else None)
    member_form = GroupMemberForm(
        request.POST if request.POST.get("action") == "group_member" else None, forbund=forbund
    )
    for form, act in ((group_form, _create_group), (member_form, _add_member)):
        if form.is_bound and form.is_valid():
            try:
                done = act(forbund, form.cleaned_data, request.user)
            except ForbundError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return redirect("forbund_manage", pk=forbund.pk)
    if members_form.is_bound and members_form.is_valid():
        try:
            set_forbund_members(
                forbund,
                [*members_form.cleaned_data["kommuner"], *members_form.cleaned_data["regioner"]],
            )
        except ForbundError as exc:
            members_form.add_error(None, str(exc))
        else:
            messages.success(request, "Förbundets medlemmar är sparade.")
            return redirect("forbund_manage", pk=forbund.pk)
    if role_form.is_bound and role_form.is_valid():
        set_role(
            forbund,
            role_form.cleaned_data["username"],
            role_form.cleaned_data["role"],
            by=request.user,
        )
        messages.success(request, f"{role_form.cleaned_data['username']} har fått sin roll.")
        return redirect("forbund_manage", pk=forbund.pk)
    return render(
        request,
        "parties/forbund_manage.html",
        {
            "forbund": forbund,
            "members_form": members_form,
            "role_form": role_form,
            "group_form": group_form,
            "member_form": member_form,
            "groups": forbund.preparatory_groups.prefetch_related(
                "members__user", "members__organisation"
            ),
            "roles": forbund.roles.select_related("user__organisation").order_by("user__username"),
        },
    )


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    forbund = _managed_forbund(request, pk)
    # Only a person with a role here: any other pk would reveal that user's name (a 404).
    user = get_object_or_404(User, pk=user_pk, forbund_roles__forbund=forbund)
    try:
        remove_role(forbund, user, by=request.user)
    except ForbundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{user} har inte längre någon roll i förbundet.")
    return redirect("forbund_manage", pk=forbund.pk)


def _create_group(forbund, data: dict, by: User) -> str:
    group = create_group(forbund, data["name"], by=by)
    return f"Beredningsgruppen {group} är skapad."


def _add_member(forbund, data: dict, by: User) -> str:
    member = add_group_member(data["group"], data["username"], data["organisation"], by=by)
    return f"{member.user} är ledamot i {member.group} för {member.organisation}."


def _confirm(request: HttpRequest, forbund, question: str) -> HttpResponse:
    return render(
        request, "parties/confirm_remove.html", {"forbund": forbund, "question": question}
    )


@login_required
def group_remove(request: HttpRequest, pk: int, preparatorygroup_pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the group."""
    forbund = _managed_forbund(request, pk)
    group = get_object_or_404(PreparatoryGroup, pk=preparatorygroup_pk, forbund=forbund)
    if request.method != "POST":
        return _confirm(request, forbund, f"Vill du ta bort beredningsgruppen {group}?")
    try:
        remove_group(group, by=request.user)
    except ForbundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Beredningsgruppen {group} är borttagen.")
    return redirect("forbund_manage", pk=forbund.pk)


@login_required
def group_member_remove(
    request: HttpRequest, pk: int, preparatorygroupmember_pk: int
) -> HttpResponse:
    """GET asks for confirmation; POST removes the member from the group."""
    forbund = _managed_forbund(request, pk)
    member = get_object_or_404(
        PreparatoryGroupMember.objects.select_related("user", "group"),
        pk=preparatorygroupmember_pk,
        group__forbund=forbund,
    )
    text = f"{member.user} i {member.group}"
    if request.method != "POST":
        return _confirm(request, forbund, f"Vill du ta bort {text}?")
    remove_group_member(member, by=request.user)
    messages.success(request, f"{text} är borttagen.")
    return redirect("forbund_manage", pk=forbund.pk)
