"""The kansli's page for the förbund itself: member parties and people's roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from samsyn.http import Confirmation, confirm_first
from samsyn.parties.access import Permission, access_forbund, can
from samsyn.parties.forms import GroupForm, GroupMemberForm, MemberAddForm, RoleForm
from samsyn.parties.models import Organisation, PreparatoryGroup, PreparatoryGroupMember, User
from samsyn.parties.services import (
    ForbundError,
    add_forbund_member,
    add_group_member,
    create_group,
    remove_forbund_member,
    remove_group,
    remove_group_member,
    remove_role,
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
    action = request.POST.get("action")
    member_form = MemberAddForm(request.POST if action == "add_member" else None, forbund=forbund)
    role_form = RoleForm(request.POST if action == "role" else None)
    group_form = GroupForm(request.POST if action == "group" else None)
    group_member_form = GroupMemberForm(
        request.POST if action == "group_member" else None, forbund=forbund
    )
    for form, act in ((group_form, _create_group), (group_member_form, _add_member)):
        if form.is_bound and form.is_valid():
            try:
                done = act(forbund, form.cleaned_data, request.user)
            except ForbundError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return redirect("forbund_manage", pk=forbund.pk)
    if member_form.is_bound and member_form.is_valid():
        organisation = member_form.cleaned_data["organisation"]
        try:
            add_forbund_member(forbund, organisation)
        except ForbundError as exc:
            member_form.add_error(None, str(exc))
        else:
            messages.success(request, f"{organisation} är medlem i förbundet.")
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
            "members": forbund.members.order_by("kind", "name"),
            "member_form": member_form,
            "role_form": role_form,
            "group_form": group_form,
            "group_member_form": group_member_form,
            "groups": forbund.preparatory_groups.prefetch_related(
                "members__user", "members__organisation"
            ),
            "roles": forbund.roles.select_related("user__organisation").order_by("user__username"),
        },
    )


def _member(forbund, organisation_pk: int) -> Organisation:
    return get_object_or_404(forbund.members, pk=organisation_pk)


def _confirm_member_remove(request: HttpRequest, pk: int, organisation_pk: int) -> Confirmation:
    forbund = _managed_forbund(request, pk)
    organisation = _member(forbund, organisation_pk)
    return Confirmation(
        title=f"Ta bort {organisation} som medlem i {forbund}?",
        consequences=[
            f"{organisation} är inte längre part i förbundet och kan inte väljas som part i "
            "nya projektidéer och insatser.",
            "Vill du ha tillbaka medlemmen får du lägga till den på nytt.",
        ],
        button="Ja, ta bort medlemmen",
    )


@login_required
@confirm_first(_confirm_member_remove)
def forbund_member_remove(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    forbund = _managed_forbund(request, pk)
    organisation = _member(forbund, organisation_pk)
    try:
        remove_forbund_member(forbund, organisation)
    except ForbundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{organisation} är inte längre medlem i förbundet.")
    return redirect("forbund_manage", pk=forbund.pk)


def _confirm_role_remove(request: HttpRequest, pk: int, user_pk: int) -> Confirmation:
    forbund = _managed_forbund(request, pk)
    user = get_object_or_404(User, pk=user_pk, forbund_roles__forbund=forbund)
    return Confirmation(
        title=f"Ta bort {user}s roll i {forbund}?",
        consequences=[
            f"{user} kan inte längre arbeta i förbundet eller se dess uppgifter.",
            "Vill du ge rollen igen får du lägga till den på nytt.",
        ],
        button="Ja, ta bort rollen",
    )


@login_required
@confirm_first(_confirm_role_remove)
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


def _group(request: HttpRequest, pk: int, preparatorygroup_pk: int):
    forbund = _managed_forbund(request, pk)
    return forbund, get_object_or_404(PreparatoryGroup, pk=preparatorygroup_pk, forbund=forbund)


def _group_member(request: HttpRequest, pk: int, preparatorygroupmember_pk: int):
    forbund = _managed_forbund(request, pk)
    member = get_object_or_404(
        PreparatoryGroupMember.objects.select_related("user", "group", "organisation"),
        pk=preparatorygroupmember_pk,
        group__forbund=forbund,
    )
    return forbund, member


def _confirm_group_remove(request: HttpRequest, pk: int, preparatorygroup_pk: int) -> Confirmation:
    _forbund, group = _group(request, pk, preparatorygroup_pk)
    return Confirmation(
        title=f"Ta bort beredningsgruppen {group}?",
        consequences=[
            f"Gruppen {group} och dess ledamöter tas bort.",
            "En grupp som har behov eller möten kan inte tas bort.",
        ],
        button="Ja, ta bort gruppen",
    )


@login_required
@confirm_first(_confirm_group_remove)
def group_remove(request: HttpRequest, pk: int, preparatorygroup_pk: int) -> HttpResponse:
    forbund, group = _group(request, pk, preparatorygroup_pk)
    try:
        remove_group(group, by=request.user)
    except ForbundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Beredningsgruppen {group} är borttagen.")
    return redirect("forbund_manage", pk=forbund.pk)


def _confirm_group_member_remove(
    request: HttpRequest, pk: int, preparatorygroupmember_pk: int
) -> Confirmation:
    _forbund, member = _group_member(request, pk, preparatorygroupmember_pk)
    return Confirmation(
        title=f"Ta bort {member.user} ur {member.group}?",
        consequences=[
            f"{member.user} företräder inte längre {member.organisation} i {member.group}.",
            "Vill du ha tillbaka ledamoten får du lägga till den på nytt.",
        ],
        button="Ja, ta bort ledamoten",
    )


@login_required
@confirm_first(_confirm_group_member_remove)
def group_member_remove(
    request: HttpRequest, pk: int, preparatorygroupmember_pk: int
) -> HttpResponse:
    forbund, member = _group_member(request, pk, preparatorygroupmember_pk)
    text = f"{member.user} i {member.group}"
    remove_group_member(member, by=request.user)
    messages.success(request, f"{text} är borttagen.")
    return redirect("forbund_manage", pk=forbund.pk)
