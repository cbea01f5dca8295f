"""Every error the API answers is JSON, whoever produced it.

django-ninja answers JSON for its own operations, but some answers under /api/ come from
elsewhere: Django's 404 for an unknown address, ninja's plain-text 405 for a method the
address does not take, Django's 400 for a body beyond DATA_UPLOAD_MAX_MEMORY_SIZE (which is
a 413 here) and the 500 page of an error outside an operation. This middleware turns each of
them into `{"detail": "…"}` with a Swedish message. Pages keep their HTML answers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from samsyn.api.common import SERVER_ERROR, TOO_BIG

API_PREFIX = "/api/"

MESSAGES = {
    400: "Begäran kunde inte tolkas.",
    403: "Du har inte behörighet till det här.",
    404: "Adressen finns inte i Samsyns API.",
    405: "Metoden {method} går inte att använda på den här adressen.",
    413: TOO_BIG,
    500: SERVER_ERROR,
}


class JsonApiErrors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
