"""The kansli's page for the förbund itself: member parties and people's roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from samsyn.http import Confirmation, confirm_first
from samsyn.parties.access import Permission, access_forbund, can
from samsyn.parties.forms import MemberAddForm, RoleForm
from samsyn.parties.models import Organisation, User
from samsyn.parties.services import (
    ForbundError,
    add_forbund_member,
    remove_forbund_member,
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
