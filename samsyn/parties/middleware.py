"""Permission answers memoised for the length of one request (samsyn/parties/access.py)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from samsyn.parties.access import request_scope


def permission_memo(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        with request_scope():
            return get_response(request)

    return middleware
