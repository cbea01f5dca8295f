"""Request and response bodies. Keys are stable English; labels shown to people are Swedish."""

import datetime as dt
import functools

from django.db.models import Choices, Model
from django.utils import translation
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from samsyn.parties import bounds
from samsyn.pipeline.steps import (
    Forum,
    IdeaStep,
    MeasureStep,
    idea_manual_next_steps,
    measure_next_steps,
)


@functools.cache
def _label_table(source: type[Choices] | tuple[type[Model], str], language: str) -> dict:
    if isinstance(source, tuple):
        model, field = source
        pairs = model._meta.get_field(field).flatchoices
    else:
        pairs = source.choices
    return {value: str(label) for value, label in pairs}


def choice_label(obj: Model, field: str, choices: type[Choices] | None = None) -> str:
    """What get_FOO_display gives, from a table built once per language, not once per row."""
    value = getattr(obj, field)
    table = _label_table(choices or (type(obj), field), translation.get_language() or "")
    return table.get(value, "" if value is None else str(value))


def _step_choices(transition: Model) -> type[Choices]:
    return IdeaStep if transition._meta.model_name == "ideatransition" else MeasureStep


class Bounded(Schema):
    """Every value is held to its kind's bound (samsyn.parties.bounds) before any code sees it:
    a 422 whose rule is the bound's code, never a query the database driver cannot send."""

    @field_validator("*", mode="after")
    @classmethod
    def _within_bounds(cls, value):
        for item in value if isinstance(value, list | tuple | set) else (value,):
            problem = bounds.input_problem(item)
            if problem is not None:
                raise PydanticCustomError(problem.code, problem.message)
        return value


class Input(Bounded):
    """Request bodies refuse unknown keys, so a misspelt field is a 422, not silently lost."""

    model_config = ConfigDict(extra="forbid")


class Filters(Bounded):
    """Query strings: an id beyond 64 bits or a date outside the window is a 422."""


# Errors --------------------------------------------------------------------------------------


class Detail(Schema):
    detail: str


class ViolationOut(Schema):
    rule: str = Field(
        description="Regelns id (R1–R9, E3, F3, F4), en värdegräns (date_range, integer_range, "
        "amount_range, text_characters, not_yet_happened, before_previous) eller tom sträng."
    )
    code: str = Field(
        min_length=1,
        description="Stabil kod som aldrig är tom: regelns id när en numrerad regel nekar, "
        "annars vad slags fel det är (required, unknown_field, invalid, not_member, "
        "stale_version …).",
    )
    message: str
    field: str | None = None


class Violations(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "violations": [
                        {
                            "rule": "R6",
                            "code": "R6",
                            "message": "Borås stads företrädare saknar mandat (R6).",
                            "field": None,
                        },
                        {
                            "rule": "",
                            "code": "required",
                            "message": "title: Fyll i fältet.",
                            "field": "title",
                        },
                    ]
                }
            ]
        }
    )

    violations: list[ViolationOut]


READ_ERRORS = {401: Detail, 404: Detail}
# 400: a request body that is not JSON at all (django-ninja refuses it before validation).
WRITE_ERRORS = {
    400: Detail,
    401: Detail,
    403: Detail,
    404: Detail,
    409: Violations,
    422: Violations,
}


# People and organisations --------------------------------------------------------------------


class UserRef(Schema):
    id: int
    username: str
    full_name: str

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.get_full_name()


class OrganisationRef(Schema):
    id: int
    name: str
    kind: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    code: str
    lan_code: str
    nuts2_code: str
    nuts2_name: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return choice_label(obj, "kind")


class ForbundOut(Schema):
    id: int
    name: str
    organisation_id: int
    role: str | None = Field(None, description="Din roll i förbundet (kansli, beredning, reader).")
    role_label: str | None = None

    @staticmethod
    def resolve_role(obj) -> str | None:
        return getattr(obj, "my_role", None)

    @staticmethod
    def resolve_role_label(obj) -> str | None:
        from samsyn.parties.choices import Role

        role = getattr(obj, "my_role", None)
        return str(Role(role).label) if role else None


class ForbundDetailOut(ForbundOut):
    created_at: dt.datetime
    members: list[OrganisationRef]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())


class ForbundIn(Input):
    name: str
    member_ids: list[int] = Field(
        description="Kommuner och regioner; Arbetsförmedlingen och Försäkringskassan läggs till "
        "av sig själva."
    )


# Steps and transitions -----------------------------------------------------------------------


class StepRef(Schema):
    step: str
    step_label: str


def _steps(steps: list[str], labels: type[Choices]) -> list[dict]:
    table = _label_table(labels, translation.get_language() or "")
    return [{"step": s, "step_label": table[s]} for s in steps]


class TransitionIn(Input):
    to: str = Field(description="Steget att gå till (slug), till exempel idea_designed.")
    forum: str = Field(
        Forum.BEREDNINGSGRUPP.value, description="Grund: " + ", ".join(Forum.values) + "."
    )
    basis_date: dt.date | None = None
    note: str = ""
    stop_reason: str = Field("", description="Krävs när to är stopped.")
    version: int | None = Field(None, description="Versionen du utgick från (409 om inaktuell).")


class TransitionOut(Schema):
    id: int
    from_step: str
    from_step_label: str
    to_step: str
    to_step_label: str
    by: UserRef
    at: dt.datetime
    forum: str
    forum_label: str
    basis_date: dt.date | None
    note: str

    @staticmethod
    def resolve_from_step_label(obj) -> str:
        return choice_label(obj, "from_step", _step_choices(obj))

    @staticmethod
    def resolve_to_step_label(obj) -> str:
        return choice_label(obj, "to_step", _step_choices(obj))

    @staticmethod
    def resolve_forum_label(obj) -> str:
        return choice_label(obj, "forum")


# Needs ---------------------------------------------------------------------------------------


class NeedOut(Schema):
    id: int
    forbund_id: int
    title: str
    target_group: str
    description: str
    is_finsam_target_group: bool
    identified_on: dt.date
    in_preparatory_structure: bool
    group_id: int | None = Field(
        None, description="Beredningsgruppen; null: förbundschefen med parterna."
    )
    idea_count: int
    measure_count: int
    created_by: UserRef | None
    created_at: dt.datetime
    version: int


class NeedIn(Input):
    forbund_id: int
    title: str
    target_group: str
    description: str = ""
    is_finsam_target_group: bool = True
    identified_on: dt.date
    in_preparatory_structure: bool = True
    group_id: int | None = Field(
        None, description="Beredningsgruppen; null: förbundschefen med parterna."
    )


class NeedPatch(Input):
    title: str | None = None
    target_group: str | None = None
    description: str = None  # omit to keep it; null is refused
    is_finsam_target_group: bool | None = None
    identified_on: dt.date | None = None
    in_preparatory_structure: bool | None = None
    group_id: int | None = Field(
        None, description="Beredningsgruppen; null: förbundschefen med parterna."
    )
    version: int | None = Field(None, description="Versionen du utgick från (409 om inaktuell).")


# Ideas (track E) -----------------------------------------------------------------------------


class IdeaPartyOut(Schema):
    organisation: OrganisationRef
    is_cofinancier: bool
    performs_rehabilitation: bool
    representative: str
    has_mandate: bool
    mandate_confirmed_at: dt.datetime | None
    mandate_confirmed_by: UserRef | None
    mandate_given_on: dt.date | None
    decision_date: dt.date | None
    decision_reference: str

    @staticmethod
    def resolve_has_mandate(obj) -> bool:
        return obj.mandate_confirmed_at is not None


class IdeaOut(Schema):
    id: int
    need_id: int
    forbund_id: int
    title: str
    target_group: str
    purpose: str
    goals: str
    implementation: str
    step: str
    step_label: str
    allowed_next_steps: list[StepRef]
    owner: OrganisationRef | None
    parties: list[IdeaPartyOut]
    programme_period: str
    aimed_at_individuals: bool
    no_other_owner: bool
    agreement_signed_on: dt.date | None
    stop_reason: str
    stop_reason_label: str
    stop_note: str
    left_routine_reason: str
    left_routine_reason_label: str
    created_at: dt.datetime
    version: int

    @staticmethod
    def resolve_forbund_id(obj) -> int:
        return obj.need.forbund_id

    @staticmethod
    def resolve_step_label(obj) -> str:
        return choice_label(obj, "step")

    @staticmethod
    def resolve_allowed_next_steps(obj) -> list[dict]:
        # Submitted, granted and rejected are taken through the application (A9).
        return _steps(idea_manual_next_steps(obj.step), IdeaStep)

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())

    @staticmethod
    def resolve_stop_reason_label(obj) -> str:
        return choice_label(obj, "stop_reason") if obj.stop_reason else ""

    @staticmethod
    def resolve_left_routine_reason_label(obj) -> str:
        return choice_label(obj, "left_routine_reason") if obj.left_routine_reason else ""


class IdeaIn(Input):
    need_id: int
    title: str
    target_group: str = Field("", description="Tom: behovets målgrupp.")
    purpose: str = ""
    goals: str = ""
    implementation: str = ""
    owner_id: int | None = None
    programme_period: str = "2021-2027"
    aimed_at_individuals: bool = True
    no_other_owner: bool = False
    agreement_signed_on: dt.date | None = None


class IdeaPatch(Input):
    title: str | None = None
    target_group: str | None = None
    purpose: str = None  # omit to keep it; null is refused
    goals: str = None  # omit to keep it; null is refused
    implementation: str = None  # omit to keep it; null is refused
    owner_id: int | None = None
    programme_period: str | None = None
    aimed_at_individuals: bool | None = None
    no_other_owner: bool | None = None
    agreement_signed_on: dt.date | None = None
    version: int | None = Field(None, description="Versionen du utgick från (409 om inaktuell).")


class IdeaPartyIn(Input):
    """A partial update: a field left out keeps its value (a new party gets the default)."""

    is_cofinancier: bool = Field(None, description="Utelämnat: oförändrat (ny part: true).")
    performs_rehabilitation: bool = Field(
        None, description="Utelämnat: oförändrat (ny part: false)."
    )
    representative: str = Field(None, max_length=200, description="Utelämnat: oförändrat.")
    mandate: bool = Field(
        None,
        description="true: företrädaren har mandat (R6); false: mandatet tas bort; "
        "utelämnat: oförändrat.",
    )
    mandate_given_on: dt.date | None = Field(
        None,
        description="Dagen då parten gav företrädaren mandatet (inte efter i dag); "
        "utelämnat: oförändrat.",
    )
    decision_date: dt.date | None = Field(
        None, description="Partens formella beslut (R7); null tar bort det; utelämnat: oförändrat."
    )
    decision_reference: str = Field(None, max_length=100, description="Utelämnat: oförändrat.")
    version: int | None = Field(None, description="Projektidéns version (409 om inaktuell).")


class IdeaTransitionResult(Schema):
    transition: TransitionOut
    idea: IdeaOut


# Measures (track F) --------------------------------------------------------------------------


class MeasureOut(Schema):
    id: int
    need_id: int
    forbund_id: int
    title: str
    target_group: str
    purpose: str
    goals: str
    implementation: str
    responsibilities: str
    step: str
    step_label: str
    allowed_next_steps: list[StepRef]
    parties: list[OrganisationRef]
    stop_reason: str
    stop_reason_label: str
    stop_note: str
    created_at: dt.datetime
    version: int

    @staticmethod
    def resolve_forbund_id(obj) -> int:
        return obj.need.forbund_id

    @staticmethod
    def resolve_step_label(obj) -> str:
        return choice_label(obj, "step")

    @staticmethod
    def resolve_allowed_next_steps(obj) -> list[dict]:
        return _steps(measure_next_steps(obj.step), MeasureStep)

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())

    @staticmethod
    def resolve_stop_reason_label(obj) -> str:
        return choice_label(obj, "stop_reason") if obj.stop_reason else ""


class MeasureIn(Input):
    need_id: int
    title: str
    target_group: str = Field("", description="Tom: behovets målgrupp.")
    purpose: str = ""
    goals: str = ""
    implementation: str = ""
    responsibilities: str = ""
    party_ids: list[int] = []


class MeasurePatch(Input):
    title: str | None = None
    target_group: str | None = None
    purpose: str = None  # omit to keep it; null is refused
    goals: str = None  # omit to keep it; null is refused
    implementation: str = None  # omit to keep it; null is refused
    responsibilities: str = None  # omit to keep it; null is refused
    party_ids: list[int] | None = None
    version: int | None = Field(None, description="Versionen du utgick från (409 om inaktuell).")


class MeasureTransitionResult(Schema):
    transition: TransitionOut
    measure: MeasureOut


# Query parameters (documentation; the filtersets in samsyn.pipeline.filters do the work) ------


class OrganisationQuery(Filters):
    kind: str | None = Field(None, description="kommun, region, af, fk, esf, forbund, other")
    q: str | None = Field(None, description="Del av namnet.")
    nuts2_code: str | None = None


class NeedQuery(Filters):
    forbund: str | None = Field(None, description="Förbundets id.")
    q: str | None = None
    target_group: str | None = None
    is_finsam_target_group: str | None = Field(None, description="true/false")
    identified_from: str | None = Field(None, description="ÅÅÅÅ-MM-DD")
    identified_to: str | None = Field(None, description="ÅÅÅÅ-MM-DD")


class TrackQuery(Filters):
    forbund: str | None = Field(None, description="Förbundets id.")
    need: str | None = Field(None, description="Behovets id.")
    q: str | None = None
    target_group: str | None = None
    step: list[str] | None = Field(None, description="Ett eller flera steg (slug).")


class IdeaQuery(TrackQuery):
    owner: str | None = Field(None, description="Projektägarens organisations-id.")
    owner_kind: str | None = None
