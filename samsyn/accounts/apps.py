from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "samsyn.accounts"
    verbose_name = "Inloggning: tvåstegsverifiering och organisationens inloggning"
