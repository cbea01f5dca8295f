from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "samsyn.parties"
    verbose_name = "Parter och förbund"

    def ready(self) -> None:
        from samsyn.parties import bounds

        bounds.install()
