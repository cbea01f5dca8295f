"""Login through the organisation's OpenID provider (e-legitimation, Azure AD/Entra, Keycloak …).

Only existing Samsyn users get in: the provider says who the person is, Samsyn's own roles say
what they may see. Configured only by environment variables (oidc_config.py); switched off,
the OIDC addresses answer 404.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from samsyn.accounts.second_factor import SSO_SESSION_KEY


class SamsynOIDCBackend(OIDCAuthenticationBackend):
    """Matches the configured claim (default: e-mail) to one existing, active user."""

    def filter_users_by_claims(self, claims: dict) -> QuerySet:
        value = claims.get(settings.SAMSYN_OIDC_CLAIM)
        if not isinstance(value, str) or not value.strip():
            return self.UserModel.objects.none()
        field = settings.SAMSYN_OIDC_USER_FIELD
        return self.UserModel.objects.filter(**{f"{field}__iexact": value.strip()}, is_active=True)

    def verify_claims(self, claims: dict) -> bool:
        if not claims.get(settings.SAMSYN_OIDC_CLAIM):
            return False
        # An address the provider has not verified proves nothing about who logs in.
        return not (settings.SAMSYN_OIDC_CLAIM == "email" and claims.get("email_verified") is False)

    def create_user(self, claims: dict):
        # Never reached (OIDC_CREATE_USER is False); refused here too, so roles stay manual.
        return None


class _EnabledOnly:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.SAMSYN_OIDC_ENABLED:
            raise Http404("Samsyn är inte inställt för inloggning med organisationens inloggning.")
        return super().dispatch(request, *args, **kwargs)


class AuthenticationRequest(_EnabledOnly, OIDCAuthenticationRequestView):
    pass


class AuthenticationCallback(_EnabledOnly, OIDCAuthenticationCallbackView):
    def login_success(self) -> HttpResponse:
        response = super().login_success()
        if settings.SAMSYN_OIDC_COUNTS_AS_SECOND_FACTOR:
            # The provider's own login (BankID, Freja, SITHS …) stands in for the TOTP code.
            self.request.session[SSO_SESSION_KEY] = self.user.pk
        return response


def refused(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/oidc_refused.html", status=403)
