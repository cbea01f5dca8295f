from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "samsyn.meetings"
    verbose_name = "Möten, protokoll och omvärldsbevakning"
