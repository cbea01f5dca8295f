"""What every resource module shares: authentication, access, and errors as JSON.

Error bodies have two shapes:
- {"detail": "…"} for 401, 403 and 404;
- {"violations": [{"rule": "R6", "message": "…", "field": null}, …]} for 409 and 422, whether
  the refusal comes from a rule (PipelineError), a model's full_clean (ValidationError), an
  invalid filter, or a request body that does not match the schema.
All messages are Swedish, as everywhere in Samsyn.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django_filters import FilterSet
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer

from samsyn.parties import bounds
from samsyn.parties.access import Permission, can
from samsyn.parties.choices import OrganisationKind
from samsyn.parties.models import Forbund, Organisation, User
from samsyn.parties.services import ForbundError, user_for_token
from samsyn.pipeline.services import PipelineError, StaleEdit

# Authentication ------------------------------------------------------------------------------


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; tokens come from `manage.py api_token <username>`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token.strip())
        if user is not None:
            # Model history (simple_history) records who made a change from request.user.
            request.user = user
        return user


def current_user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


# Access --------------------------------------------------------------------------------------


def get_visible(queryset: QuerySet, pk: int, not_found: str) -> Any:
    """The object from a visible_to() queryset, or 404 so another förbund's data stays unseen."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(not_found)
    return obj


def require(user: User, forbund: Forbund, permission: Permission = Permission.EDIT_PIPELINE):
    decision = can(user, forbund, permission)
    if not decision:
        raise HttpError(403, decision.reason)


def organisation_or_404(pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("Organisationen finns inte.")
    return organisation


def organisations_by_id(ids: Iterable[int], field: str) -> list[Organisation]:
    """Organisations named in a request body; an unknown id is a 422 on that field."""
    wanted = list(dict.fromkeys(ids))
    found = Organisation.objects.in_bulk(wanted)
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise DjangoValidationError(
            {field: [f"Det finns ingen organisation med id {', '.join(missing)}."]}
        )
    return [found[pk] for pk in wanted]


def no_forbund_among(organisations: Iterable[Organisation], field: str) -> None:
    forbund = sorted(o.name for o in organisations if o.kind == OrganisationKind.FORBUND)
    if forbund:
        raise DjangoValidationError(
            {
                field: [
                    "Ett samordningsförbund är inte part i förbundets arbete; välj förbundets "
                    f"medlemmar ({', '.join(forbund)})."
                ]
            }
        )


# Errors --------------------------------------------------------------------------------------


class Unprocessable(Exception):
    """A 422 with ready violations (e.g. an invalid filter)."""

    def __init__(self, violations: list[dict[str, Any]]):
        self.violations = violations
        super().__init__(violations)


def violation(
    message: str, rule: str = "", field: str | None = None, code: str = ""
) -> dict[str, Any]:
    """One refusal. `code` is stable and never empty: a numbered rule's id (R6, A4 …), or a
    name for the kind of refusal (required, not_member, stale_version …) when no rule applies."""
    return {"rule": rule, "code": code or rule or "invalid", "message": message, "field": field}


def _prefixed(field: str | None, message: str, code: str = "invalid") -> dict[str, Any]:
    # A value bound's stable code (samsyn.parties.bounds) travels as the violation's rule too.
    rule = code if code in bounds.CODES else ""
    if field in (None, NON_FIELD_ERRORS):
        return violation(message, rule, code=code)
    return violation(f"{field}: {message}", rule, field=field, code=code)


# The API's names for model fields where they differ.
API_FIELD_NAMES = {"owner": "owner_id", "need": "need_id", "forbund": "forbund_id"}


def _django_code(error: DjangoValidationError) -> str:
    return error.code or "invalid"


def validation_violations(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            _prefixed(API_FIELD_NAMES.get(field, field), message, _django_code(error))
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [
        _prefixed(None, message, _django_code(error))
        for error in exc.error_list
        for message in error.messages
    ]


def filter_or_422(filterset: FilterSet) -> QuerySet:
    """The filtered queryset, or 422 with the filterset's own (Swedish) error messages."""
    if not filterset.is_valid():
        raise Unprocessable(
            [
                _prefixed(field, str(message), "invalid_filter")
                for field, messages in filterset.errors.items()
                for message in messages
            ]
        )
    return filterset.qs


def _schema_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in bounds.CODES:
        return error["msg"]
    if kind == "missing":
        return "Fyll i fältet."
    if kind == "extra_forbidden":
        return "Okänt fält."
    if kind.startswith("int_"):
        return "Ange ett heltal."
    if kind.startswith("bool_"):
        return "Ange true eller false."
    if kind.startswith(("date_", "datetime_")):
        return "Ange ett datum på formen ÅÅÅÅ-MM-DD."
    if kind.startswith("string_too_long"):
        return f"Högst {ctx.get('max_length')} tecken."
    if kind.startswith("string_"):
        return "Ange en text."
    if kind in ("list_type", "tuple_type"):
        return "Ange en lista."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Värdet måste vara minst {ctx.get('ge', ctx.get('gt'))}."
    if kind in ("less_than_equal", "less_than"):
        return f"Värdet får vara högst {ctx.get('le', ctx.get('lt'))}."
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "model_type"):
        return "Innehållet är inte giltig JSON av rätt form."
    if kind in ("literal_error", "enum"):
        return f"Välj ett av: {ctx.get('expected', '')}."
    return "Ogiltigt värde."


def schema_violations(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = []
    for error in errors:
        # loc is (source, [view parameter,] field…), e.g. ("body", "payload", "title") or
        # ("query", "page"): keep only the names the client sent.
        loc = [
            str(part)
            for part in error.get("loc", ())[1:]
            if part not in ("payload", "filters", "ninja_pagination")
        ]
        kind = error.get("type", "")
        code = kind if kind in bounds.CODES else SCHEMA_CODES.get(kind, "invalid")
        result.append(_prefixed(".".join(loc) or None, _schema_message(error), code))
    return result


# Stable codes for body and query errors, by pydantic's error type (the rest: "invalid").
SCHEMA_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "json_invalid": "invalid_json",
    "string_too_long": "too_long",
    "greater_than_equal": "too_small",
    "greater_than": "too_small",
    "less_than_equal": "too_large",
    "less_than": "too_large",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
}

TOO_BIG = "Innehållet i begäran är för stort (högst 2,5 MB JSON). Dela upp det i flera anrop."
SERVER_ERROR = (
    "Ett fel uppstod i Samsyn; ingenting har sparats. Försök igen eller kontakta driften."
)
logger = logging.getLogger("django.request")

# django-ninja's own English messages, as users see them.
SWEDISH = {
    "Cannot parse request body": "Innehållet i begäran kunde inte tolkas; skicka giltig JSON.",
    "Too many requests.": "För många anrop; försök igen om en stund.",
}


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, body: dict, status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = respond(
            request,
            {
                "detail": "Ange en giltig API-nyckel i huvudet Authorization: Bearer <nyckel>. "
                "En nyckel skapas med manage.py api_token <användarnamn>."
            },
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="samsyn"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        message = str(exc)
        return respond(request, {"detail": SWEDISH.get(message, message)}, exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, {"detail": str(exc) or "Finns inte."}, 404)

    @api.exception_handler(PipelineError)
    def refused(request, exc: PipelineError):
        stale = isinstance(exc, StaleEdit)
        body = {
            "violations": [
                violation(v.message, v.rule, code="stale_version" if stale else v.stable_code)
                for v in exc.violations
            ]
        }
        return respond(request, body, 409 if stale else 422)

    @api.exception_handler(DjangoValidationError)
    def invalid(request, exc: DjangoValidationError):
        return respond(request, {"violations": validation_violations(exc)}, 422)

    @api.exception_handler(ForbundError)
    def forbund_refused(request, exc: ForbundError):
        return respond(request, {"violations": [violation(str(exc), code="forbund")]}, 422)

    @api.exception_handler(Unprocessable)
    def unprocessable(request, exc: Unprocessable):
        return respond(request, {"violations": exc.violations}, 422)

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request, exc: SchemaValidationError):
        return respond(request, {"violations": schema_violations(exc.errors)}, 422)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, {"detail": TOO_BIG}, 413)

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        # Logged and signalled as Django does for a page (error reporting, the test client),
        # but answered in JSON whatever DEBUG says: no traceback leaves the server.
        logger.error("Internal Server Error: %s", request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        return respond(request, {"detail": SERVER_ERROR}, 500)
