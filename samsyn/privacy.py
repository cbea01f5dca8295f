"""Responses that carry personal data are never stored by a browser or a proxy.

A view (a page view or an API operation) that shows or hands out personal data is marked
with `@personal_data`; `NoStoreMiddleware`, the one place that sets the header, gives every
response of a marked view `Cache-Control: no-store`, whatever its status (a refusal too).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

FLAG = "carries_personal_data"


def personal_data(view: Callable) -> Callable:
    """Mark a page view or an API operation as carrying personal data. Put it outermost on
    a page view, so that the mark is made before any access check can refuse."""

    @functools.wraps(view)
    def marked(request: HttpRequest, *args, **kwargs):
        setattr(request, FLAG, True)
        return view(request, *args, **kwargs)

    setattr(marked, FLAG, True)
    return marked


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, FLAG, False):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
