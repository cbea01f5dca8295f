from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "samsyn.parties"
    verbose_name = "Parter och förbund"

    def ready(self) -> None:
        from samsyn.parties import bounds
        from samsyn.parties.swedish_choices import use_swedish_empty_choices

        use_swedish_empty_choices()
        bounds.install()
