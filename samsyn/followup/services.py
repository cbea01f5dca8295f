"""Verbs of follow-up. Views and the API call these; none of them sets a field itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from samsyn.followup import crypto, report_cache
from samsyn.followup.access import can_manage_staff, is_staff, project_key
from samsyn.followup.choices import AccessAction
from samsyn.followup.forms import PARTICIPANT_FIELDS
from samsyn.followup.models import Participant, PersonalDataAccess, ProjectStaff
from samsyn.followup.personnummer import formatted, normalise
from samsyn.parties.access import Permission, can
from samsyn.parties.history import acting_as
from samsyn.parties.models import User
from samsyn.pipeline.models import Idea, Measure

RUNNING = "running"


class FollowupError(Exception):
    """A refused action, with a Swedish message."""


class StaleParticipant(FollowupError):
    def __init__(self, participant: Participant):
        super().__init__(
            f"Någon annan har ändrat deltagaren {participant} sedan du öppnade den. Dina "
            "ändringar har inte sparats; hämta den senaste versionen och gör om ändringen."
        )


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


class ImportRejected(FollowupError):
    """Nothing was imported; every bad line is listed."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__(
            f"Ingen deltagare har lästs in: {len(errors)} fel. Rätta raderna och läs in filen igen."
        )


def _require_staff(user: User, project: Idea | Measure) -> None:
    decision = is_staff(user, project)
    if not decision:
        raise FollowupError(decision.reason)


def _log(participant: Participant, user: User, action: str) -> None:
    PersonalDataAccess.objects.create(participant=participant, user=user, action=action)


# Staff ---------------------------------------------------------------------------------------


# One answer whether the name is unknown or names someone outside the förbund: a form that
# takes a user name never tells whether, or whom, it names outside the förbund.
NO_SUCH_MEMBER = (
    "Det finns ingen användare med det namnet i förbundet. Ge först personen rollen läsare i "
    "förbundet, sedan projektpersonal."
)


def staff_candidate(project: Idea | Measure, username: str) -> User:
    """The person a user name names, if she has a role in the project's förbund or is already
    its staff (so that she can be removed); otherwise NO_SUCH_MEMBER, the same for all."""
    from django.db.models import Q

    user = (
        User.objects.filter(username=username.strip())
        .filter(
            Q(forbund_roles__forbund=project.need.forbund_id)
            | Q(project_staff__in=ProjectStaff.objects.filter(**project_key(project)))
        )
        .distinct()
        .first()
    )
    if user is None:
        raise FollowupError(NO_SUCH_MEMBER)
    return user


@transaction.atomic
def add_staff(project: Idea | Measure, user: User, *, by: User) -> ProjectStaff:
    decision = can_manage_staff(by, project)
    if not decision:
        raise FollowupError(decision.reason)
    if not can(user, project.need.forbund, Permission.VIEW):
        raise FollowupError(NO_SUCH_MEMBER)
    with acting_as(by):
        staff, _ = ProjectStaff.objects.get_or_create(
            user=user, **project_key(project), defaults={"added_by": by}
        )
    return staff


@transaction.atomic
def remove_staff(project: Idea | Measure, user: User, *, by: User) -> None:
    decision = can_manage_staff(by, project)
    if not decision:
        raise FollowupError(decision.reason)
    with acting_as(by):
        ProjectStaff.objects.filter(user=user, **project_key(project)).delete()


# Participants ----------------------------------------------------------------------------------


def _check_running(project: Idea | Measure) -> None:
    if project.step != RUNNING:
        raise FollowupError(
            "Deltagare registreras i ett projekt eller en insats som genomförs "
            f"(steget är nu ”{project.get_step_display()}”)."
        )


def _lock_project(project: Idea | Measure) -> None:
    # Serialises registrations in one project, so participant codes stay unique.
    type(project).objects.select_for_update().filter(pk=project.pk).first()


def _next_code(project: Idea | Measure, offset: int = 0) -> str:
    n = Participant.objects.filter(**project_key(project)).count() + offset + 1
    return f"D-{n:04d}"


def _duplicate_message(project) -> str:
    return "Personen är redan registrerad som deltagare i projektet."


@transaction.atomic
def register_participant(
    project: Idea | Measure, *, by: User, personnummer: str, **fields: Any
) -> Participant:
    _require_staff(by, project)
    _check_running(project)
    _lock_project(project)
    pnr = normalise(personnummer)
    digest = crypto.keyed_hash(pnr)
    if Participant.objects.filter(**project_key(project), pnr_hash=digest).exists():
        raise FollowupError(_duplicate_message(project))
    participant = Participant(
        **project_key(project),
        code=_next_code(project),
        pnr_hash=digest,
        pnr_encrypted=crypto.encrypt(pnr),
        created_by=by,
        **{k: v for k, v in fields.items() if k in PARTICIPANT_FIELDS},
    )
    participant.full_clean()
    participant._history_user = by
    participant.save()
    _log(participant, by, AccessAction.CREATE)
    return participant


@transaction.atomic
def update_participant(
    participant: Participant, *, by: User, expected_version: int | None = None, **fields: Any
) -> Participant:
    _require_staff(by, participant.project)
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleParticipant(participant)
    changed = [k for k in fields if k in PARTICIPANT_FIELDS]
    for key in changed:
        setattr(locked, key, fields[key])
    locked.full_clean()
    locked.version += 1
    locked._history_user = by
    locked.save(update_fields=[*changed, "version"])
    return locked


def reveal_personnummer(participant: Participant, *, by: User) -> str:
    """The personnummer in clear text, for project staff only; every call is logged."""
    _require_staff(by, participant.project)
    if participant.erased_at:
        raise FollowupError("Deltagarens personuppgifter är raderade.")
    _log(participant, by, AccessAction.VIEW)
    return formatted(crypto.decrypt(participant.pnr_encrypted))


def log_exact_figures(project: Idea | Measure, *, by: User) -> None:
    """Staff saw the project's exact participant figures (results, timeline): logged like a
    personnummer view. Anyone else only ever gets disclosure-controlled figures."""
    _require_staff(by, project)
    PersonalDataAccess.objects.create(user=by, action=AccessAction.FIGURES, **project_key(project))


def export_participant(participant: Participant, *, by: User) -> dict[str, Any]:
    """Registerutdrag (GDPR art. 15): everything Samsyn holds about the person."""
    _require_staff(by, participant.project)
    if participant.erased_at:
        raise FollowupError("Deltagarens personuppgifter är raderade.")
    _log(participant, by, AccessAction.EXPORT)
    project = participant.project
    data = {
        "personnummer": formatted(crypto.decrypt(participant.pnr_encrypted)),
        "deltagarkod": participant.code,
        "projekt": str(project),
        "förbund": str(project.need.forbund),
    }
    for name in PARTICIPANT_FIELDS:
        field = Participant._meta.get_field(name)
        value = getattr(participant, name)
        if field.choices and value:
            value = getattr(participant, f"get_{name}_display")()
        data[str(field.verbose_name)] = value
    data["registrerad"] = participant.created_at
    data["åtkomst"] = [
        {"vem": str(a.user), "när": a.at, "vad": a.get_action_display()}
        for a in participant.access_log.select_related("user")
    ]
    return data


@transaction.atomic
def erase_participant(participant: Participant, *, by: User) -> Participant:
    """Radering (GDPR art. 17): the person goes; the indicator values stay, unlinkable."""
    _require_staff(by, participant.project)
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.erased_at:
        raise FollowupError("Deltagaren är redan raderad.")
    locked.pnr_hash = None
    locked.pnr_encrypted = ""
    locked.code = "raderad"
    locked.erased_at = timezone.now()
    locked.version += 1
    locked._history_user = by
    locked.save(update_fields=["pnr_hash", "pnr_encrypted", "code", "erased_at", "version"])
    _log(locked, by, AccessAction.ERASE)
    return locked


@transaction.atomic
def import_participants(
    project: Idea | Measure, rows: list[tuple[int, dict[str, Any]]], *, by: User
) -> list[Participant]:
    """All or nothing: every row is validated first; one bad row and nothing is imported."""
    from samsyn.followup.forms import ParticipantForm

    _require_staff(by, project)
    _check_running(project)
    _lock_project(project)
    errors: list[LineError] = []
    good: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    existing = set(
        Participant.objects.filter(**project_key(project), pnr_hash__isnull=False).values_list(
            "pnr_hash", flat=True
        )
    )
    for line, row in rows:
        form = ParticipantForm(row)
        if not form.is_valid():
            for field, messages in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for message in messages:
                    prefix = f"{label}: " if label else ""
                    errors.append(LineError(line, f"{prefix}{message}"))
            continue
        digest = crypto.keyed_hash(form.cleaned_data["personnummer"])
        if digest in existing:
            errors.append(LineError(line, _duplicate_message(project)))
        elif digest in seen:
            errors.append(LineError(line, f"Samma person som på rad {seen[digest]}."))
        else:
            seen[digest] = line
            good.append((line, form.cleaned_data))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([LineError(1, "Filen innehåller inga deltagare.")])
    participants = []
    base = Participant.objects.filter(**project_key(project)).count()
    for i, (_line, data) in enumerate(good):
        pnr = data["personnummer"]
        participants.append(
            Participant(
                **project_key(project),
                code=f"D-{base + i + 1:04d}",
                pnr_hash=crypto.keyed_hash(pnr),
                pnr_encrypted=crypto.encrypt(pnr),
                created_by=by,
                **{k: data[k] for k in PARTICIPANT_FIELDS},
            )
        )
    try:
        # bulk_create alone would write no history rows
        created = bulk_create_with_history(participants, Participant, default_user=by)
    except IntegrityError as exc:  # a concurrent registration of the same person
        raise FollowupError(_duplicate_message(project)) from exc
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(participant=p, user=by, action=AccessAction.CREATE) for p in created
    )
    # bulk_create sends no post_save: the follow-up figures of the förbund are stale now.
    report_cache.bump([project.need.forbund_id])
    return created
