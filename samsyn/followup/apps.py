from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "samsyn.followup"
    verbose_name = "Uppföljning"

    def ready(self) -> None:
        # Fail at start-up, not at the first participant, when the key is malformed.
        from cryptography.fernet import Fernet
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        try:
            Fernet(settings.SAMSYN_PERSONAL_DATA_KEY.encode())
        except ValueError as exc:
            raise ImproperlyConfigured(
                "SAMSYN_PERSONAL_DATA_KEY must be a Fernet key (32 bytes, url-safe base64)"
            ) from exc

        from samsyn.followup import signals

        signals.connect()
