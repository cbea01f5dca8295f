from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "samsyn.calls"
    verbose_name = "Utlysningar, ansökningar och prioritering"
