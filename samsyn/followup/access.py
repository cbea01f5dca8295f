"""Who sees participants: only the project's staff (ProjectStaff), in a förbund they can see."""

from __future__ import annotations

from django.http import Http404

from samsyn.followup.models import Participant, ProjectStaff
from samsyn.parties.access import Decision, Permission, can
from samsyn.parties.models import User
from samsyn.pipeline.access import access_idea, access_measure
from samsyn.pipeline.models import Idea, Measure

NOT_STAFF = (
    "Bara projektets personal ser deltagarna och deras personuppgifter. Förbundets kansli kan "
    "lägga till personal."
)


def access_project(user: User, kind: str, pk: int) -> Idea | Measure:
    if kind == "idea":
        return access_idea(user, pk)
    if kind == "measure":
        return access_measure(user, pk)
    raise Http404("Projektet finns inte.")


def project_key(project: Idea | Measure) -> dict:
    return {"idea": project} if isinstance(project, Idea) else {"measure": project}


def project_kind(project: Idea | Measure) -> str:
    return "idea" if isinstance(project, Idea) else "measure"


def is_staff(user: User, project: Idea | Measure) -> Decision:
    if not user.is_authenticated or not user.is_active:
        return Decision(False, NOT_STAFF)
    if ProjectStaff.objects.filter(user=user, **project_key(project)).exists():
        return Decision(True)
    return Decision(False, NOT_STAFF)


def can_manage_staff(user: User, project: Idea | Measure) -> Decision:
    return can(user, project.need.forbund, Permission.MANAGE_FORBUND)


def access_participant(user: User, pk: int) -> Participant:
    """A participant of a project the user is staff of; anything else is a 404."""
    participant = (
        Participant.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("idea__need__forbund", "measure__need__forbund")
        .first()
    )
    if participant is None:
        raise Http404("Deltagaren finns inte.")
    return participant
