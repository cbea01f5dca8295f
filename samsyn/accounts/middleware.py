"""Until the second factor is given, a user who needs one only reaches the pages that ask for it."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from samsyn.accounts.second_factor import (
    has_confirmed_device,
    needs_second_factor,
    session_is_verified,
)

# The API authenticates with bearer tokens of its own, never with the session (see README).
OPEN_PREFIXES = ("/api/", "/oidc/")
OPEN_URL_NAMES = (
    "second_factor_setup",
    "second_factor_verify",
    "second_factor_qr",
    "logout",
    "login",
    "health",
)


@functools.cache
def _open_paths(urlconf: str) -> frozenset[str]:
    return frozenset(reverse(name, urlconf=urlconf) for name in OPEN_URL_NAMES)


def open_paths() -> frozenset[str]:
    """The pages a user reaches before the second factor (reversed once per URL conf)."""
    return _open_paths(settings.ROOT_URLCONF)


class SecondFactorMiddleware:
    """Runs after django_otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify(request):
            return self._send_to_second_factor(request)
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        # The path first: it costs nothing, while request.user loads the session and the user
        # (and an API call authenticates with its bearer token, never with the session).
        path = request.path_info
        if path.startswith((settings.STATIC_URL, *OPEN_PREFIXES)):
            return False
        if path in open_paths():
            return False
        if not request.user.is_authenticated:
            return False
        # The verified check first: it costs a query only where a device is in the session.
        return not session_is_verified(request) and needs_second_factor(request.user)

    def _send_to_second_factor(self, request: HttpRequest) -> HttpResponse:
        name = (
            "second_factor_verify" if has_confirmed_device(request.user) else "second_factor_setup"
        )
        url = reverse(name)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            # htmx would swap the verify page into a fragment: have it load the whole page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
