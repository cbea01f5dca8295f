"""Who may do what with calls and applications; one access function per aggregate."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from samsyn.calls.choices import CallsRoleKind
from samsyn.calls.models import Application, Call, CallsRole
from samsyn.parties.access import Decision, Permission, can, role_in
from samsyn.parties.choices import Role
from samsyn.parties.models import User


def _active(user: User) -> Decision:
    if not user.is_authenticated:
        return Decision(False, "Du är inte inloggad.")
    if not user.is_active:
        return Decision(False, "Ditt konto är inaktiverat.")
    return Decision(True)


def _has_role(user: User, role: str, regional_plan_id: int | None) -> bool:
    return CallsRole.objects.filter(
        user=user, role=role, regional_plan_id=regional_plan_id
    ).exists()


def can_manage_calls(user: User, regional_plan_id: int | None) -> Decision:
    """An EU strategist keeps the call plan of her region (or, with no region, the national)."""
    active = _active(user)
    if not active:
        return active
    if user.is_superuser or _has_role(user, CallsRoleKind.CALL_MANAGER, regional_plan_id):
        return Decision(True)
    where = "den regionala handlingsplanens" if regional_plan_id else "de nationella"
    return Decision(False, f"Bara den som förvaltar {where} utlysningar kan ändra utlysningen.")


def can_manage_any_calls(user: User) -> bool:
    return bool(_active(user)) and (
        user.is_superuser
        or CallsRole.objects.filter(user=user, role=CallsRoleKind.CALL_MANAGER).exists()
    )


def can_review(user: User, call: Call) -> Decision:
    """The staff who prepare the partnership's decision for the call's region score."""
    active = _active(user)
    if not active:
        return active
    if _has_role(user, CallsRoleKind.REVIEWER, call.regional_plan_id):
        return Decision(True)
    return Decision(
        False,
        "Bara de som bereder strukturfondspartnerskapets prioritering för utlysningens region "
        "bedömer ansökningarna.",
    )


RANKING_REFUSAL = "Bara de som förvaltar eller bereder utlysningen ser prioriteringen."


def can_see_ranking(user: User, call: Call) -> Decision:
    """The ranking, every reviewer's scores and jäv declarations: the one rule, wherever they
    are read (prioritisation paper, its exports, the API, the change log)."""
    if Call.objects.with_ranking_for(user).filter(pk=call.pk).exists():
        return Decision(True)
    return Decision(False, RANKING_REFUSAL)


def can_edit_application(user: User, application: Application) -> Decision:
    """The förbund's kansli and beredningsgrupp prepare the application, as they do the idea."""
    return can(user, application.idea.need.forbund, Permission.EDIT_PIPELINE)


def can_record_decision(user: User, application: Application) -> Decision:
    """ESF-rådet's assessment and decision, and the partnership's prioritisation, are recorded
    in Samsyn by the project owner's representatives (a user of the owner organisation with a
    role to edit the förbund's pipeline), the förbund's kansli, or a call manager for the
    call's region (or, for a national call, the national call plan)."""
    active = _active(user)
    if not active:
        return active
    if user.is_superuser:
        return Decision(True)
    idea = application.idea
    forbund = idea.need.forbund
    if role_in(user, forbund) == Role.KANSLI:
        return Decision(True)
    if (
        idea.owner_id is not None
        and user.organisation_id == idea.owner_id
        and can(user, forbund, Permission.EDIT_PIPELINE)
    ):
        return Decision(True)
    if _has_role(user, CallsRoleKind.CALL_MANAGER, application.call.regional_plan_id):
        return Decision(True)
    return Decision(
        False,
        "Bara projektägarens företrädare, förbundets kansli eller den som förvaltar "
        "utlysningen kan registrera beslut om ansökan.",
    )


def access_call(user: User, pk: int) -> Call:
    return get_object_or_404(
        Call.objects.visible_to(user).select_related("period", "programme_area", "regional_plan"),
        pk=pk,
    )


def access_application(user: User, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "idea__need__forbund__organisation",
            "idea__owner",
            "call__period",
            "call__programme_area",
            "call__regional_plan",
        ),
        pk=pk,
    )
