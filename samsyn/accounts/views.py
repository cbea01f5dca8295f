"""The second-factor pages: set up an authenticator app, then give its code at each login."""

import io

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from samsyn.accounts import second_factor as sf
from samsyn.accounts.forms import CodeForm

MESSAGES = {sf.CodeResult.WRONG: sf.WRONG_CODE, sf.CodeResult.THROTTLED: sf.THROTTLED}


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


def _check(request: HttpRequest, device, template: str, context: dict) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = sf.check_code(request, device, form.cleaned_data["code"])
        if result is sf.CodeResult.ACCEPTED:
            return redirect(_next_url(request))
        form.add_error("code", MESSAGES[result])
    context |= {"form": form, "next": _next_url(request)}
    return render(request, template, context)


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Only while the user has no confirmed device: a password alone must not replace one."""
    if sf.has_confirmed_device(request.user):
        return redirect(reverse("second_factor_verify") + _query(request))
    device = sf.pending_device(request.user)
    return _check(request, device, "accounts/setup.html", {"secret": sf.base32_secret(device)})


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    device = sf.confirmed_device(request.user)
    if device is None:
        return redirect(reverse("second_factor_setup") + _query(request))
    if sf.session_is_verified(request):
        return redirect(_next_url(request))
    return _check(request, device, "accounts/verify.html", {})


@never_cache
@login_required
def qr_code(request: HttpRequest) -> HttpResponse:
    """The QR code of the device being set up, drawn here: the secret never leaves Samsyn."""
    if sf.has_confirmed_device(request.user):
        raise Http404("Ingen app håller på att läggas till.")
    device = sf.pending_device(request.user)
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=4)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def _query(request: HttpRequest) -> str:
    query = request.GET.urlencode()
    return f"?{query}" if query else ""
