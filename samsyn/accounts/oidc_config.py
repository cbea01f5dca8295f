"""OIDC (mozilla-django-oidc) settings from the environment; read by samsyn/settings.py.

Plain data only: this module is imported while settings load, before any app is ready.
"""

from django.core.exceptions import ImproperlyConfigured

from samsyn.env import env_bool, env_str

ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "SAMSYN_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "SAMSYN_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "SAMSYN_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "SAMSYN_OIDC_JWKS_ENDPOINT",
}
# The user fields an identity may be matched on; never one a user could set to anything.
MATCH_FIELDS = ("email", "username")


def oidc_settings() -> dict:
    """Every OIDC_* setting; SAMSYN_OIDC_ENABLED is true once a client id is configured."""
    client_id = env_str("SAMSYN_OIDC_CLIENT_ID", "")
    issuer = env_str("SAMSYN_OIDC_ISSUER", "").rstrip("/")
    values = {
        "SAMSYN_OIDC_ENABLED": bool(client_id),
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": env_str("SAMSYN_OIDC_CLIENT_SECRET", ""),
        "OIDC_RP_SIGN_ALGO": env_str("SAMSYN_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env_str("SAMSYN_OIDC_SCOPES", "openid email"),
        "OIDC_CREATE_USER": False,
        "OIDC_USE_PKCE": env_bool("SAMSYN_OIDC_USE_PKCE", True),
        "OIDC_TIMEOUT": 15,
        # mozilla-django-oidc redirects to this as it stands: a path, not a URL name.
        "LOGIN_REDIRECT_URL_FAILURE": "/oidc/nekad/",
        "SAMSYN_OIDC_CLAIM": env_str("SAMSYN_OIDC_CLAIM", "email"),
        "SAMSYN_OIDC_USER_FIELD": env_str("SAMSYN_OIDC_USER_FIELD", "email"),
        "SAMSYN_OIDC_COUNTS_AS_SECOND_FACTOR": env_bool(
            "SAMSYN_OIDC_COUNTS_AS_SECOND_FACTOR", True
        ),
    }
    # Without discovery at start-up: the usual paths under the issuer, each one overridable.
    defaults = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/authorize" if issuer else "",
        "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token" if issuer else "",
        "OIDC_OP_USER_ENDPOINT": f"{issuer}/userinfo" if issuer else "",
        "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/jwks" if issuer else "",
    }
    for setting, variable in ENDPOINTS.items():
        values[setting] = env_str(variable, defaults[setting])
    if values["SAMSYN_OIDC_ENABLED"]:
        missing = [ENDPOINTS[s] for s in ENDPOINTS if not values[s]]
        if missing or not values["OIDC_RP_CLIENT_SECRET"]:
            raise ImproperlyConfigured(
                "SAMSYN_OIDC_CLIENT_ID is set, so set SAMSYN_OIDC_CLIENT_SECRET and either "
                "SAMSYN_OIDC_ISSUER or " + ", ".join(missing or ENDPOINTS.values())
            )
        if values["SAMSYN_OIDC_USER_FIELD"] not in MATCH_FIELDS:
            raise ImproperlyConfigured(
                f"SAMSYN_OIDC_USER_FIELD must be one of {', '.join(MATCH_FIELDS)}"
            )
    return values
