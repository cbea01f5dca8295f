"""Every error the API answers is JSON, whoever produced it.

django-ninja answers JSON for its own operations, but some answers under /api/ come from
elsewhere: Django's 404 for an unknown address, ninja's plain-text 405 for a method the
address does not take, Django's 400 for a body beyond DATA_UPLOAD_MAX_MEMORY_SIZE (which is
a 413 here) and the 500 page of an error outside an operation. This middleware turns each of
them into `{"detail": "…"}` with a Swedish message. Pages keep their HTML answers. It also
refuses, with a 422, a query parameter that is an integer beyond 64 bits.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from samsyn.api.common import SERVER_ERROR, TOO_BIG
from samsyn.parties import bounds

API_PREFIX = "/api/"

MESSAGES = {
    400: "Begäran kunde inte tolkas.",
    403: "Du har inte behörighet till det här.",
    404: "Adressen finns inte i Samsyns API.",
    405: "Metoden {method} går inte att använda på den här adressen.",
    413: TOO_BIG,
    500: SERVER_ERROR,
}


INTEGER = re.compile(r"[+-]?\d+")


def _integer_beyond_64_bits(request: HttpRequest) -> JsonResponse | None:
    """A query parameter that is an integer (an id, an amount, a page) beyond 64 bits is a
    422 before any operation sees it, whether its schema declares it or not."""
    for name, values in request.GET.lists():
        for value in values:
            if len(value) > 18 and INTEGER.fullmatch(value.strip()):
                problem = bounds.integer_problem(int(value))
                if problem is not None:
                    body = {
                        "violations": [
                            {
                                "rule": problem.code,
                                "message": f"{name}: {problem.message}",
                                "field": name,
                            }
                        ]
                    }
                    return JsonResponse(body, status=422)
    return None


class JsonApiErrors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refused = _integer_beyond_64_bits(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = 413 if getattr(request, "_samsyn_too_big", False) else response.status_code
        message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
        replaced = JsonResponse({"detail": message.format(method=request.method)}, status=status)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                replaced[header] = response[header]
        return replaced

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Django answers a too big body with 400 (SuspiciousOperation); remember it was 413.
        if isinstance(exception, RequestDataTooBig):
            request._samsyn_too_big = True
