"""Who must prove a second factor, and whether this session has done so."""

from __future__ import annotations

import enum
from base64 import b32encode

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from samsyn.followup.models import ProjectStaff
from samsyn.parties.models import User

# Set by an SSO login whose provider counts as a second factor (samsyn/accounts/oidc.py).
SSO_SESSION_KEY = "samsyn_sso_second_factor_user"


def needs_second_factor(user: User) -> bool:
    """Anyone who can see participant data: project staff, and admins (they see everything)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return ProjectStaff.objects.filter(user=user).exists()


def has_confirmed_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def session_is_verified(request: HttpRequest) -> bool:
    """A TOTP code was given in this session, or the SSO login counted as the second factor."""
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    return request.session.get(SSO_SESSION_KEY) == user.pk


class CodeResult(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"


WRONG_CODE = "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen."
THROTTLED = (
    "För många felaktiga koder i rad. Vänta en stund innan du försöker igen; väntetiden blir "
    "längre för varje fel."
)


def pending_device(user: User) -> TOTPDevice:
    """The device being set up: kept in the database so its secret survives page loads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Samsyn", confirmed=False)
    return device


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check_code(request: HttpRequest, device: TOTPDevice, code: str) -> CodeResult:
    """Check a code against the device; a right code marks the session verified.

    Wrong codes count: django-otp's throttling then refuses every code, right or wrong, for
    1, 2, 4, 8 … seconds (OTP_TOTP_THROTTLE_FACTOR) after each failure in a row.
    """
    with transaction.atomic():
        # Locked, so two requests cannot both use the same code or slip past the throttle.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return CodeResult.THROTTLED
        if not device.verify_token(code):
            return CodeResult.WRONG
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    # A new session key at the step up, so a key seen before it is worth nothing after.
    request.session.cycle_key()
    otp_login(request, device)
    return CodeResult.ACCEPTED
