from django.conf import settings
from django.http import HttpRequest


def login_policy(request: HttpRequest) -> dict:
    """The lock-out period, so the lock-out page can state it in minutes; whether SSO is on."""
    return {
        "login_cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "oidc_login": settings.SAMSYN_OIDC_ENABLED,
    }
