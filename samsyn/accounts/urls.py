from django.urls import path

from samsyn.accounts import oidc, views

urlpatterns = [
    path("tvastegsverifiering/aktivera/", views.setup, name="second_factor_setup"),
    path("tvastegsverifiering/aktivera/qr.svg", views.qr_code, name="second_factor_qr"),
    path("tvastegsverifiering/", views.verify, name="second_factor_verify"),
    path(
        "oidc/authenticate/", oidc.AuthenticationRequest.as_view(), name="oidc_authentication_init"
    ),
    path(
        "oidc/callback/", oidc.AuthenticationCallback.as_view(), name="oidc_authentication_callback"
    ),
    path("oidc/nekad/", oidc.refused, name="oidc_refused"),
]
